import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Model } from './model.ts';
import { parseSolomon } from './parsers.ts';
import type { Problem } from './problem.ts';
import { Random } from './random.ts';
import { RouteEliminator } from './route-elimination.ts';
import { RuinRecreate } from './ruin-recreate.ts';
import { SearchState } from './search-state.ts';
import { solve } from './solve.ts';
import { planFromSequences, validateSolution } from './validator.ts';

const root = join(import.meta.dirname, '../..');

/** Every job planned, and the plan valid for the independent validator. */
function expectCompleteValidPlan(problem: Problem, model: Model, state: SearchState): void {
  for (let job = 0; job < model.nJobs; job++) expect(state.routeOf[job], `job ${job} planned`).toBeGreaterThanOrEqual(0);
  const sequences = state.routes.map((route) => Array.from(route.nodes.subarray(1, route.len + 1), (job) => problem.jobs[job]?.id ?? `?${job}`));
  const report = validateSolution(problem, planFromSequences(problem, sequences), { checkReportedCosts: false });
  expect(report.violations).toEqual([]);
}

describe('route elimination (ejection pool, Nagata–Bräysy)', () => {
  // Three jobs at one place, each needing the same ten minutes: no route can hold two of them.
  // A is alone in route 0, B in route 1; C fits only by ejecting one of them.
  const problem: Problem = {
    matrix: { size: 2, durations: [0, 10, 10, 0] },
    vehicles: [
      { id: 'v0', start: 0, end: 0, shift: { start: 0, end: 100 } },
      { id: 'v1', start: 0, end: 0, shift: { start: 0, end: 100 } },
    ],
    jobs: ['A', 'B', 'C'].map((id) => ({ id, location: 1, service: 10, windows: [{ start: 10, end: 10 }] })),
  };
  const [A, B, C] = [0, 1, 2];

  function twoRoutes(): { model: Model; state: SearchState; eliminator: RouteEliminator } {
    const model = new Model(problem, 'fleet');
    const state = new SearchState(model);
    for (const [job, r] of [
      [A, 0],
      [B, 1],
    ] as const) {
      const route = state.routes[r];
      if (route === undefined) throw new Error('no route');
      route.insertAt(1, job);
      expect(route.update()).toBe(true);
      state.routeOf[job] = r;
    }
    const eliminator = new RouteEliminator(model, state, new Random(1), new Uint8Array(model.nJobs).fill(1));
    return { model, state, eliminator };
  }

  it('ejects the job with the lowest failure counter to make room', () => {
    for (const [cheap, dear] of [
      [B, A],
      [A, B],
    ] as const) {
      const { state, eliminator } = twoRoutes();
      const routeOfCheap = state.routeOf[cheap] as number;
      expect(eliminator.insertCheapest(C)).toBe(false);
      eliminator.counters[dear] = 5;
      eliminator.counters[cheap] = 2;
      expect(eliminator.insertEject(C)).toBe(true);
      expect(state.routeOf[C]).toBe(routeOfCheap);
      expect(state.routeOf[cheap]).toBe(-1);
      expect(state.routeOf[dear]).toBeGreaterThanOrEqual(0);
      for (const route of state.routes) expect(route.feasible).toBe(true);
    }
  });

  it('gives up (and restores the plan) when a route cannot be removed', () => {
    const { model, state, eliminator } = twoRoutes();
    const before = state.snapshot();
    let steps = 0;
    // A and B can never share a route: the pool never empties.
    expect(eliminator.run(() => steps >= 50, () => steps++)).toBe(0);
    expect(state.snapshot()).toEqual(before);
    expect(state.usedVehicles()).toBe(2);
    expect(steps).toBe(50);
    expect(model.nJobs).toBe(3);
  });

  it('removes a route whose jobs other routes can serve, not one holding a job only it has the skills for', () => {
    // Route 0 (skill x) holds X, which needs x; route 1 holds Y and Z, which need nothing. Route 0 is
    // the smaller, but only route 1 can go.
    const skills: Problem = {
      matrix: { size: 2, durations: [0, 5, 5, 0] },
      vehicles: [
        { id: 'x', start: 0, end: 0, shift: { start: 0, end: 100 }, skills: ['x'] },
        { id: 'plain', start: 0, end: 0, shift: { start: 0, end: 100 } },
      ],
      jobs: [
        { id: 'X', location: 1, service: 5, skills: ['x'] },
        { id: 'Y', location: 1, service: 5 },
        { id: 'Z', location: 1, service: 5 },
      ],
    };
    const model = new Model(skills, 'fleet');
    const state = new SearchState(model);
    for (const [job, r] of [
      [0, 0],
      [1, 1],
      [2, 1],
    ] as const) {
      const route = state.routes[r];
      if (route === undefined) throw new Error('no route');
      route.insertAt(route.len + 1, job);
      expect(route.update()).toBe(true);
      state.routeOf[job] = r;
    }
    let steps = 0;
    const eliminator = new RouteEliminator(model, state, new Random(1), new Uint8Array(model.nJobs).fill(1));
    expect(eliminator.run(() => steps >= 100, () => steps++)).toBe(1);
    expect(state.routes[0]?.jobCount).toBe(3);
    expect(state.routes[1]?.jobCount).toBe(0);
    expectCompleteValidPlan(skills, model, state);
  });

  function eliminateOnSolomon(name: string, steps: number): { problem: Problem; model: Model; state: SearchState; before: number; removed: number } {
    const instance = parseSolomon(readFileSync(join(root, `data/solomon/${name}.txt`), 'utf8'));
    const model = new Model(instance.problem, 'fleet');
    const state = new SearchState(model);
    for (let job = 0; job < model.nJobs; job++) state.pool[state.poolSize++] = job;
    const rng = new Random(7);
    new RuinRecreate(model, state, rng).recreate(true, false);
    state.commit();
    const before = state.usedVehicles();
    let count = 0;
    const eliminator = new RouteEliminator(model, state, rng, new Uint8Array(model.nJobs).fill(1));
    const removed = eliminator.run(() => count >= steps, () => count++);
    return { problem: instance.problem, model, state, before, removed };
  }

  it('removes routes from a Solomon plan, keeping every customer planned and every window', () => {
    const { problem, model, state, before, removed } = eliminateOnSolomon('RC101', 2000);
    expect(removed).toBeGreaterThan(0);
    expect(state.usedVehicles()).toBe(before - removed);
    expectCompleteValidPlan(problem, model, state);
  });

  it('is deterministic for a seed and a number of steps', () => {
    const first = eliminateOnSolomon('R201', 300);
    const second = eliminateOnSolomon('R201', 300);
    expect(second.state.snapshot()).toEqual(first.state.snapshot());
  });

  it('reaches the best-known fleet of a Solomon instance through solve at a fixed number of iterations', () => {
    const instance = parseSolomon(readFileSync(join(root, 'data/solomon/R101.txt'), 'utf8'));
    const options = { seed: 1, maxIterations: 3000, timeLimitMs: 120_000, objective: 'fleet' as const };
    const solution = solve(instance.problem, options);
    expect(validateSolution(instance.problem, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    // Best known 19 vehicles (the distance objective's best plan uses 20).
    expect(solution.summary.vehiclesUsed).toBeLessThanOrEqual(19);
    expect(solve(instance.problem, options).routes).toEqual(solution.routes);
  }, 60_000);
});
