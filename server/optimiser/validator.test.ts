import { describe, expect, it } from 'vitest';
import type { PlannedRoute, Problem, Solution } from './problem.ts';
import { validateSolution } from './validator.ts';

// Depot 0 and two sites 10 minutes away from it and from each other.
const problem: Problem = {
  matrix: { size: 3, durations: [0, 10, 10, 10, 0, 10, 10, 10, 0] },
  vehicles: [{ id: 'v', start: 0, end: 0, shift: { start: 0, end: 100 }, capacity: 5, skills: ['a'] }],
  jobs: [
    { id: 'x', location: 1, service: 5, demand: 2, windows: [{ start: 20, end: 30 }], skills: ['a'] },
    { id: 'y', location: 2, service: 5, demand: 2 },
  ],
};

function plan(jobs: string[], cost: number, unassigned: string[] = []): Solution {
  const route: PlannedRoute = {
    vehicle: 'v',
    cost,
    travelTime: cost,
    stops: [
      { kind: 'start', location: 0, arrival: 0, begin: 0, departure: 0, load: 0 },
      ...jobs.map((job) => ({ kind: 'job' as const, job, location: 0, arrival: 0, begin: 0, departure: 0, load: 0 })),
      { kind: 'end', location: 0, arrival: 0, begin: 0, departure: 0, load: 0 },
    ],
  };
  return {
    routes: [route],
    unassigned: unassigned.map((job) => ({ job, reason: 'no-room-in-plan' })),
    summary: { cost, travelTime: cost, vehiclesUsed: 1, jobsServed: jobs.length, priorityCollected: 0, mandatoryUnassigned: unassigned.length },
    iterations: 0,
    ms: 0,
  };
}

describe('validateSolution', () => {
  it('accepts a feasible plan and recomputes its cost from the matrix', () => {
    const report = validateSolution(problem, plan(['x', 'y'], 30));
    expect(report.violations).toEqual([]);
    expect(report.cost).toBe(30);
    expect(report.served).toBe(2);
  });

  it('finds a missed time window by re-simulating the schedule', () => {
    // y first: at y 10..15, at x at 25 – fine; then add a tight window that is missed.
    const late: Problem = { ...problem, jobs: [{ ...(problem.jobs[0] as Problem['jobs'][number]), windows: [{ start: 0, end: 12 }] }, problem.jobs[1] as Problem['jobs'][number]] };
    const report = validateSolution(late, plan(['y', 'x'], 30));
    expect(report.violations.some((v) => v.includes('job x') && v.includes('after its last window'))).toBe(true);
  });

  it('finds duplicates, missing jobs, wrong costs, overloads, missing skills and late returns', () => {
    expect(validateSolution(problem, plan(['x', 'x', 'y'], 40)).violations).toContain('job x is served twice');
    expect(validateSolution(problem, plan(['x'], 20)).violations).toContain('job y is neither served nor reported unassigned');
    expect(validateSolution(problem, plan(['x', 'y'], 29)).violations.some((v) => v.includes('recomputed 30'))).toBe(true);
    const heavy: Problem = { ...problem, vehicles: [{ ...(problem.vehicles[0] as Problem['vehicles'][number]), capacity: 3 }] };
    expect(validateSolution(heavy, plan(['x', 'y'], 30)).violations.some((v) => v.includes('capacity'))).toBe(true);
    const unskilled: Problem = { ...problem, vehicles: [{ ...(problem.vehicles[0] as Problem['vehicles'][number]), skills: [] }] };
    expect(validateSolution(unskilled, plan(['x', 'y'], 30)).violations.some((v) => v.includes('needs skill a'))).toBe(true);
    const short: Problem = { ...problem, vehicles: [{ ...(problem.vehicles[0] as Problem['vehicles'][number]), shift: { start: 0, end: 35 } }] };
    expect(validateSolution(short, plan(['x', 'y'], 30)).violations.some((v) => v.includes('after its shift end'))).toBe(true);
    expect(validateSolution(problem, plan(['x', 'y'], 30, ['y'])).violations).toContain('job y is both served and unassigned');
  });

  it('requires the lunch break when the team has one', () => {
    const withLunch: Problem = {
      ...problem,
      vehicles: [{ ...(problem.vehicles[0] as Problem['vehicles'][number]), lunch: { windows: [{ start: 0, end: 100 }], duration: 10 } }],
    };
    expect(validateSolution(withLunch, plan(['x', 'y'], 30)).violations).toContain('vehicle v must take exactly one lunch break');
  });
});
