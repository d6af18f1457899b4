import { describe, expect, it } from 'vitest';
import type { Problem } from '../optimiser/problem.ts';
import { validateSolution } from '../optimiser/validator.ts';
import { scheduleRoute } from './schedule.ts';

// Places 0 (base), 1, 2 on a line: 0–1 = 100 s, 1–2 = 100 s, 0–2 = 200 s.
const durations = [0, 100, 200, 100, 0, 100, 200, 100, 0];
const problem: Problem = {
  matrix: { size: 3, durations },
  vehicles: [{ id: 'v', start: 0, end: 0, shift: { start: 0, end: 1000 }, lunch: { windows: [{ start: 300, end: 400 }], duration: 100 }, maxTravelTime: 400, maxStops: 2 }],
  jobs: [
    { id: 'a', location: 1, service: 50, windows: [{ start: 0, end: 500 }] },
    { id: 'b', location: 2, service: 50, windows: [{ start: 200, end: 900 }] },
    { id: 'late', location: 2, service: 50, windows: [{ start: 950, end: 990 }] },
  ],
};
const [vehicle] = problem.vehicles;
const job = (id: string) => problem.jobs.find((j) => j.id === id)!;

describe('schedule of a fixed order', () => {
  it('times the stops and puts lunch where the team gets back earliest', () => {
    const result = scheduleRoute(problem, vehicle!, [job('a'), job('b')]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // a: 100–150; b: 250–300; lunch at b 300–400; back at 400 + 200 = 600.
    expect(result.route.stops.map((s) => [s.kind, s.begin, s.departure])).toEqual([
      ['start', 0, 0],
      ['job', 100, 150],
      ['job', 250, 300],
      ['break', 300, 400],
      ['end', 600, 600],
    ]);
    expect(result.route.travelTime).toBe(400);
    expect(result.returnAt).toBe(600);
    // The optimiser's own validator agrees.
    const report = validateSolution(
      { ...problem, jobs: [job('a'), job('b')] },
      { routes: [result.route], unassigned: [], summary: { cost: 400, travelTime: 400, vehiclesUsed: 1, jobsServed: 2, priorityCollected: 0, mandatoryUnassigned: 0 }, iterations: 0, ms: 0 },
    );
    expect(report.violations).toEqual([]);
  });

  it('names the failure', () => {
    expect(scheduleRoute(problem, vehicle!, [job('late')])).toEqual({ ok: false, failure: 'shift-end' });
    expect(scheduleRoute(problem, vehicle!, [job('a'), job('b'), job('a')])).toEqual({ ok: false, failure: 'max-stops' });
    const tight = { ...vehicle!, maxTravelTime: 300 };
    expect(scheduleRoute(problem, tight, [job('b')])).toEqual({ ok: false, failure: 'max-travel' });
    expect(scheduleRoute(problem, tight, [job('b')], { ignoreMaxTravel: true }).ok).toBe(true);
    // A shift ending before lunch can even start: lunch is waited for, so the end is what fails.
    const short = { ...vehicle!, shift: { start: 0, end: 250 } };
    expect(scheduleRoute(problem, short, [job('a')])).toEqual({ ok: false, failure: 'shift-end' });
    // Ready for lunch only after its window: with lunch first, 'a' is missed; after it, lunch is.
    const long = { id: 'long', location: 1, service: 400, windows: [{ start: 0, end: 100 }] };
    expect(scheduleRoute(problem, vehicle!, [long])).toEqual({ ok: false, failure: 'window' });
  });
});
