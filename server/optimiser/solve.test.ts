import { describe, expect, it } from 'vitest';
import { InputError, type Problem, type Solution } from './problem.ts';
import { solve } from './solve.ts';
import { exactOptimum, smallInstance } from './test-support.ts';
import { validateSolution } from './validator.ts';

function expectValid(problem: Problem, solution: Solution): void {
  const report = validateSolution(problem, solution);
  expect(report.violations).toEqual([]);
}

/** Four places on a line: depot 0, then 1, 2, 3 at 10, 20, 30 minutes from it. */
function linePlaces(): Problem['matrix'] {
  const positions = [0, 10, 20, 30];
  const size = positions.length;
  const durations = new Float64Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) durations[i * size + j] = Math.abs((positions[i] as number) - (positions[j] as number));
  return { size, durations };
}

describe('solve: golden problems against an exhaustive optimum', () => {
  const cases = [
    { jobs: 7, vehicles: 2, seed: 11, capacity: 25 },
    { jobs: 8, vehicles: 3, seed: 12, capacity: 20 },
    { jobs: 9, vehicles: 2, seed: 13, capacity: 40 },
    { jobs: 9, vehicles: 3, seed: 14, capacity: 18 },
    { jobs: 8, vehicles: 1, seed: 15, optional: true, horizon: 250 },
    { jobs: 9, vehicles: 2, seed: 16, optional: true, horizon: 200 },
  ];
  for (const c of cases) {
    it(`finds the optimum of ${c.jobs} jobs / ${c.vehicles} vehicles${c.optional ? ' (optional jobs)' : ''} (seed ${c.seed})`, () => {
      const problem = smallInstance(c);
      const optimum = exactOptimum(problem);
      const solution = solve(problem, { seed: 1, maxIterations: 3000, timeLimitMs: 60_000 });
      expectValid(problem, solution);
      const collected = c.optional ? solution.summary.priorityCollected : (problem.jobs.length - solution.unassigned.length) * 1e6;
      expect(collected).toBe(optimum.priority);
      expect(solution.summary.cost).toBeCloseTo(optimum.cost, 6);
    });
  }
});

describe('solve: determinism and time limit', () => {
  it('returns the same plan for the same seed and iteration budget', () => {
    const problem = smallInstance({ jobs: 60, vehicles: 8, seed: 3, capacity: 60, horizon: 600 });
    const run = (): Solution => solve(problem, { seed: 42, maxIterations: 400, timeLimitMs: 60_000 });
    const first = run();
    const second = run();
    expect(second.routes).toEqual(first.routes);
    expect(second.summary).toEqual(first.summary);
  });

  it('stops within 10 % of the time limit', () => {
    const problem = smallInstance({ jobs: 100, vehicles: 15, seed: 4, capacity: 60, horizon: 800 });
    const started = performance.now();
    const solution = solve(problem, { seed: 1, timeLimitMs: 500 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThanOrEqual(550);
    expect(solution.iterations).toBeGreaterThan(0);
    expectValid(problem, solution);
  });
});

describe('solve: team constraints', () => {
  it('gives each job to a team that has its skill and reports jobs no team can do', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [
        { id: 'north', start: 0, end: 0, shift: { start: 0, end: 480 }, skills: ['huangpu'] },
        { id: 'south', start: 0, end: 0, shift: { start: 0, end: 480 }, skills: ['xuhui'] },
      ],
      jobs: [
        { id: 'a', location: 1, service: 30, skills: ['huangpu'] },
        { id: 'b', location: 2, service: 30, skills: ['xuhui'] },
        { id: 'c', location: 3, service: 30, skills: ['xuhui'] },
        { id: 'd', location: 3, service: 30, skills: ['jingan'] },
      ],
    };
    const solution = solve(problem, { seed: 1, maxIterations: 200 });
    expectValid(problem, solution);
    const byJob = new Map(solution.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'job').map((s) => [s.job, r.vehicle])));
    expect(byJob.get('a')).toBe('north');
    expect(byJob.get('b')).toBe('south');
    expect(byJob.get('c')).toBe('south');
    expect(solution.unassigned).toEqual([{ job: 'd', reason: 'no-team-with-skills' }]);
  });

  it('takes the lunch break inside its window, where the team is', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [{ id: 't', start: 0, end: 0, shift: { start: 0, end: 600 }, lunch: { windows: [{ start: 180, end: 200 }], duration: 60 } }],
      jobs: [
        { id: 'morning', location: 1, service: 120, windows: [{ start: 0, end: 60 }] },
        { id: 'afternoon', location: 3, service: 60, windows: [{ start: 250, end: 300 }] },
      ],
    };
    const solution = solve(problem, { seed: 1, maxIterations: 200 });
    expectValid(problem, solution);
    const stops = solution.routes[0]?.stops ?? [];
    expect(stops.map((s) => s.kind)).toEqual(['start', 'job', 'break', 'job', 'end']);
    const lunch = stops[2];
    expect(lunch?.begin).toBeGreaterThanOrEqual(180);
    expect(lunch?.begin).toBeLessThanOrEqual(200);
    expect(lunch?.departure).toBe((lunch?.begin ?? 0) + 60);
    // The afternoon visit cannot start before lunch is over.
    expect(stops[3]?.begin).toBeGreaterThanOrEqual(lunch?.departure ?? Infinity);
  });

  it('plans no more stops than a team may make', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [
        { id: 'x', start: 0, end: 0, shift: { start: 0, end: 1000 }, maxStops: 2 },
        { id: 'y', start: 0, end: 0, shift: { start: 0, end: 1000 }, maxStops: 2 },
      ],
      jobs: ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, location: 1 + (i % 3), service: 10 })),
    };
    const solution = solve(problem, { seed: 1, maxIterations: 300 });
    expectValid(problem, solution);
    for (const route of solution.routes) expect(route.stops.filter((s) => s.kind === 'job').length).toBeLessThanOrEqual(2);
    expect(solution.unassigned).toHaveLength(1);
    expect(solution.unassigned[0]?.reason).toBe('no-room-in-plan');
  });

  it('keeps each route under its travel-time limit and explains unreachable jobs', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [{ id: 'short', start: 0, end: 0, shift: { start: 0, end: 1000 }, maxTravelTime: 40 }],
      jobs: [
        { id: 'near', location: 1, service: 5 },
        { id: 'mid', location: 2, service: 5 },
        { id: 'far', location: 3, service: 5 },
        { id: 'late', location: 1, service: 5, windows: [{ start: 0, end: 5 }] },
      ],
    };
    const solution = solve(problem, { seed: 1, maxIterations: 300 });
    expectValid(problem, solution);
    expect(solution.routes[0]?.travelTime).toBeLessThanOrEqual(40);
    const reasons = Object.fromEntries(solution.unassigned.map((u) => [u.job, u.reason]));
    expect(reasons.far).toBe('max-travel-time-exceeded');
    expect(reasons.late).toBe('window-unreachable');
  });

  it('serves mandatory jobs before optional ones and prefers the more valuable optional job', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [{ id: 't', start: 0, end: 0, shift: { start: 0, end: 130 } }],
      jobs: [
        // Room for 'must' and one optional job, not both.
        { id: 'must', location: 3, service: 30 },
        { id: 'cheap', location: 1, service: 30, mandatory: false, priority: 1 },
        { id: 'valuable', location: 2, service: 30, mandatory: false, priority: 5 },
      ],
    };
    const solution = solve(problem, { seed: 1, maxIterations: 300 });
    expectValid(problem, solution);
    const served = solution.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'job').map((s) => s.job));
    expect(served).toContain('must');
    expect(served).toContain('valuable');
    expect(solution.unassigned).toEqual([{ job: 'cheap', reason: 'no-room-in-plan' }]);
  });

  it('uses the fewest vehicles possible under the fleet objective', () => {
    const problem = smallInstance({ jobs: 9, vehicles: 5, seed: 28, capacity: 200, horizon: 700 });
    // The fewest vehicles that can serve every job, by exhaustive search.
    let fewest = 1;
    while (exactOptimum({ ...problem, vehicles: problem.vehicles.slice(0, fewest) }).priority < 9e6) fewest++;
    const fleet = solve(problem, { seed: 1, maxIterations: 2000, timeLimitMs: 60_000, objective: 'fleet' });
    const distance = solve(problem, { seed: 1, maxIterations: 2000, timeLimitMs: 60_000, objective: 'distance' });
    expectValid(problem, fleet);
    expectValid(problem, distance);
    expect(fleet.unassigned).toEqual([]);
    expect(fleet.summary.vehiclesUsed).toBe(fewest);
    // This instance is chosen so that the cheapest plan uses more vehicles than the fewest.
    expect(distance.summary.vehiclesUsed).toBeGreaterThan(fewest);
    expect(distance.summary.cost).toBeLessThan(fleet.summary.cost);
  });
});

describe('solve: errors', () => {
  it('rejects malformed input with an InputError listing the issues', () => {
    const bad: Problem = {
      matrix: { size: 2, durations: [0, 1, 1] },
      vehicles: [{ id: 'v', start: 0, end: 5, shift: { start: 10, end: 0 } }],
      jobs: [{ id: 'j', location: 1, windows: [{ start: 5, end: 1 }] }],
    };
    let caught: unknown;
    try {
      solve(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const issues = (caught as InputError).issues.join('\n');
    expect(issues).toMatch(/durations/);
    expect(issues).toMatch(/vehicles\[0\]\.end/);
    expect(issues).toMatch(/vehicles\[0\]\.shift/);
    expect(issues).toMatch(/jobs\[0\]: window 0/);
  });

  it('rejects a lunch that cannot fit in the shift', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [{ id: 't', start: 0, end: 0, shift: { start: 0, end: 100 }, lunch: { windows: [{ start: 200, end: 220 }], duration: 30 } }],
      jobs: [],
    };
    expect(() => solve(problem)).toThrow(InputError);
  });
});

describe('solve: nothing to plan', () => {
  it('returns at once with every job explained when no team can do any of them', () => {
    const problem: Problem = {
      matrix: linePlaces(),
      vehicles: [{ id: 't', start: 0, end: 0, shift: { start: 0, end: 100 }, capacity: 1 }],
      jobs: [
        { id: 'heavy', location: 1, demand: 5 },
        { id: 'skilled', location: 2, skills: ['jingan'] },
      ],
    };
    const started = performance.now();
    const solution = solve(problem, { timeLimitMs: 5000 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(solution.routes).toEqual([]);
    expect(solution.unassigned).toEqual([
      { job: 'heavy', reason: 'capacity-exceeded' },
      { job: 'skilled', reason: 'no-team-with-skills' },
    ]);
  });
});

describe('solve: a realistic day with every constraint at once', () => {
  it('plans lunches, two-window sites, skills, stop limits and optional sites without violations', () => {
    const base = smallInstance({ jobs: 45, vehicles: 5, seed: 9, capacity: 100, horizon: 600 });
    const areas = ['huangpu', 'xuhui', 'jingan'];
    const problem: Problem = {
      ...base,
      vehicles: base.vehicles.map((v, k) => ({
        ...v,
        skills: k === 0 ? areas : [areas[k % 3] as string],
        lunch: { windows: [{ start: 240, end: 300 }], duration: 45 },
        maxStops: 9,
        maxTravelTime: 400,
      })),
      jobs: base.jobs.map((job, i) => ({
        ...job,
        skills: [areas[i % 3] as string],
        // Every third site can be visited in the morning or the afternoon.
        windows: i % 3 === 0 ? [{ start: 0, end: 150 }, { start: 350, end: 500 }] : job.windows,
        mandatory: i % 4 !== 0,
        priority: i % 4 === 0 ? 1 + (i % 5) : undefined,
      })),
    };
    const solution = solve(problem, { seed: 7, maxIterations: 1500, timeLimitMs: 60_000 });
    expect(validateSolution(problem, solution).violations).toEqual([]);
    for (const route of solution.routes) {
      const lunch = route.stops.filter((s) => s.kind === 'break');
      expect(lunch).toHaveLength(1);
      expect(lunch[0]?.begin).toBeGreaterThanOrEqual(240);
      expect(lunch[0]?.begin).toBeLessThanOrEqual(300);
    }
    expect(solution.summary.jobsServed).toBeGreaterThan(20);
    for (const entry of solution.unassigned) expect(entry.reason).toMatch(/no-room-in-plan|window-unreachable|max-travel-time-exceeded/);
  });
});
