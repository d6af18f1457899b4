import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from './problem.ts';
import { solveInWorker } from './solve-in-worker.ts';
import { smallInstance } from './test-support.ts';
import { validateSolution } from './validator.ts';

describe('solveInWorker', () => {
  it('solves in a worker thread while the main thread keeps running', async () => {
    const problem = smallInstance({ jobs: 40, vehicles: 6, seed: 5, capacity: 60, horizon: 600 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const solution = await solveInWorker(problem, { seed: 1, timeLimitMs: 400 });
    clearInterval(timer);
    expect(validateSolution(problem, solution).violations).toEqual([]);
    expect(solution.routes.length).toBeGreaterThan(0);
    // The event loop was free during the search.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('turns bad input into an InputError on the caller side', async () => {
    const bad: Problem = { matrix: { size: 1, durations: [0] }, vehicles: [], jobs: [] };
    await expect(solveInWorker(bad)).rejects.toBeInstanceOf(InputError);
  });
});
