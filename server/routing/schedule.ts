// Timing of one team-day visiting given sites in a given order, with the same rules as the
// optimiser's validator: service starts inside a window (waiting allowed), lunch where the team is,
// starting inside its window, back at the base by the end of the shift, travel and stop limits.
// Used to screen sites one by one and to re-time a route whose order a leader fixed.
import type { Job, PlannedRoute, Problem, Stop, TimeWindow, Vehicle } from '../optimiser/problem.ts';

export type ScheduleFailure = 'window' | 'shift-end' | 'lunch' | 'max-travel' | 'max-stops';

export type ScheduleResult = { ok: true; route: PlannedRoute; returnAt: number } | { ok: false; failure: ScheduleFailure };

function startIn(time: number, windows: TimeWindow[] | undefined): number | undefined {
  if (windows === undefined || windows.length === 0) return time;
  for (const w of windows) if (time <= w.end) return Math.max(time, w.start);
  return undefined;
}

interface Options {
  /** Ignore the travel limit (to tell "too far" apart from "not open in the hours"). */
  ignoreMaxTravel?: boolean;
}

function simulate(problem: Problem, vehicle: Vehicle, jobs: readonly Job[], breakAfter: number, options: Options): ScheduleResult {
  const size = problem.matrix.size;
  const dur = (a: number, b: number): number => Number(problem.matrix.durations[a * size + b]);
  const costOf = (a: number, b: number): number => Number((problem.matrix.costs ?? problem.matrix.durations)[a * size + b]);
  if (vehicle.maxStops !== undefined && jobs.length > vehicle.maxStops) return { ok: false, failure: 'max-stops' };
  const stops: Stop[] = [{ kind: 'start', location: vehicle.start, arrival: vehicle.shift.start, begin: vehicle.shift.start, departure: vehicle.shift.start, load: 0 }];
  let place = vehicle.start;
  let time = vehicle.shift.start;
  let travel = 0;
  let cost = 0;
  const takeBreak = (): boolean => {
    const lunch = vehicle.lunch;
    if (lunch === undefined) return true;
    const begin = startIn(time, lunch.windows);
    if (begin === undefined) return false;
    stops.push({ kind: 'break', location: place, arrival: time, begin, departure: begin + lunch.duration, load: 0 });
    time = begin + lunch.duration;
    return true;
  };
  const withBreak = vehicle.lunch !== undefined && jobs.length > 0;
  for (let k = 0; k < jobs.length; k++) {
    if (withBreak && breakAfter === k && !takeBreak()) return { ok: false, failure: 'lunch' };
    const job = jobs[k] as Job;
    const leg = dur(place, job.location);
    travel += leg;
    cost += costOf(place, job.location);
    const arrival = time + leg;
    const begin = startIn(arrival, job.windows);
    if (begin === undefined) return { ok: false, failure: 'window' };
    time = begin + (job.service ?? 0);
    stops.push({ kind: 'job', job: job.id, location: job.location, arrival, begin, departure: time, load: 0 });
    place = job.location;
  }
  if (withBreak && breakAfter === jobs.length && !takeBreak()) return { ok: false, failure: 'lunch' };
  const leg = dur(place, vehicle.end);
  travel += leg;
  cost += costOf(place, vehicle.end);
  time += leg;
  if (time > vehicle.shift.end) return { ok: false, failure: 'shift-end' };
  if (!options.ignoreMaxTravel && vehicle.maxTravelTime !== undefined && travel > vehicle.maxTravelTime) return { ok: false, failure: 'max-travel' };
  stops.push({ kind: 'end', location: vehicle.end, arrival: time, begin: time, departure: time, load: 0 });
  return { ok: true, route: { vehicle: vehicle.id, stops, cost, travelTime: travel }, returnAt: time };
}

/**
 * The schedule of `jobs` in this order, with the lunch at the place in the order that brings the
 * team back earliest (travel does not depend on it). The failure reported is the first one met
 * with the lunch at its best place.
 */
export function scheduleRoute(problem: Problem, vehicle: Vehicle, jobs: readonly Job[], options: Options = {}): ScheduleResult {
  if (vehicle.lunch === undefined || jobs.length === 0) return simulate(problem, vehicle, jobs, -1, options);
  let best: ScheduleResult | undefined;
  let failure: ScheduleFailure | undefined;
  for (let k = 0; k <= jobs.length; k++) {
    const result = simulate(problem, vehicle, jobs, k, options);
    if (result.ok) {
      if (best === undefined || (best.ok && result.returnAt < best.returnAt)) best = result;
    } else if (failure === undefined || failure === 'lunch') failure = result.failure;
  }
  return best ?? { ok: false, failure: failure ?? 'lunch' };
}
