// An independent check of a solution against its problem: it re-simulates every route from the
// matrix with plain arrays and shares no code with the search.
import type { Problem, Solution, TimeWindow } from './problem.ts';

export interface ValidationReport {
  valid: boolean;
  violations: string[];
  /** Recomputed totals. */
  cost: number;
  travelTime: number;
  served: number;
}

const EPSILON = 1e-6;

function startInWindows(arrival: number, windows: TimeWindow[] | undefined): number | undefined {
  if (windows === undefined || windows.length === 0) return arrival;
  for (const w of windows) {
    if (arrival <= w.end + EPSILON) return Math.max(arrival, w.start);
  }
  return undefined;
}

/** Turns bare job-id sequences (the benchmark CLI's output) into a plan the validator can check. */
export function planFromSequences(problem: Problem, sequences: string[][]): Solution {
  const served = new Set(sequences.flat());
  return {
    routes: sequences.map((jobs, k) => ({
      vehicle: problem.vehicles[k]?.id ?? `missing-vehicle-${k}`,
      cost: Number.NaN,
      travelTime: Number.NaN,
      stops: jobs.map((job) => ({ kind: 'job' as const, job, location: -1, arrival: 0, begin: 0, departure: 0, load: 0 })),
    })),
    unassigned: problem.jobs.filter((job) => !served.has(job.id)).map((job) => ({ job: job.id, reason: 'no-room-in-plan' as const })),
    summary: { cost: Number.NaN, travelTime: 0, vehiclesUsed: sequences.length, jobsServed: served.size, priorityCollected: 0, mandatoryUnassigned: 0 },
    iterations: 0,
    ms: 0,
  };
}

export interface ValidationOptions {
  /** Compare reported route and total costs with the recomputed ones (off for bare sequences). */
  checkReportedCosts?: boolean;
}

export function validateSolution(problem: Problem, solution: Solution, options: ValidationOptions = {}): ValidationReport {
  const checkCosts = options.checkReportedCosts ?? true;
  const violations: string[] = [];
  const size = problem.matrix.size;
  const duration = (a: number, b: number): number => Number(problem.matrix.durations[a * size + b]);
  const costOf = (a: number, b: number): number => Number((problem.matrix.costs ?? problem.matrix.durations)[a * size + b]);
  const jobsById = new Map(problem.jobs.map((job) => [job.id, job]));
  const vehiclesById = new Map(problem.vehicles.map((v) => [v.id, v]));
  const seen = new Set<string>();
  const usedVehicles = new Set<string>();
  let totalCost = 0;
  let totalTravel = 0;

  for (const route of solution.routes) {
    const vehicle = vehiclesById.get(route.vehicle);
    if (vehicle === undefined) {
      violations.push(`route for unknown vehicle ${route.vehicle}`);
      continue;
    }
    if (usedVehicles.has(vehicle.id)) violations.push(`vehicle ${vehicle.id} has two routes`);
    usedVehicles.add(vehicle.id);
    const skills = new Set(vehicle.skills ?? []);
    let place = vehicle.start;
    let time = vehicle.shift.start;
    let load = 0;
    let stops = 0;
    let breaks = 0;
    let cost = 0;
    let travel = 0;
    const visits = route.stops.filter((s) => s.kind === 'job' || s.kind === 'break');
    for (const stop of visits) {
      if (stop.kind === 'break') {
        breaks++;
        const lunch = vehicle.lunch;
        if (lunch === undefined) {
          violations.push(`vehicle ${vehicle.id} has a break it does not take`);
          continue;
        }
        const begin = startInWindows(time, lunch.windows);
        if (begin === undefined) violations.push(`vehicle ${vehicle.id}: lunch cannot start in its window (ready at ${time})`);
        time = (begin ?? time) + lunch.duration;
        continue;
      }
      const job = stop.job === undefined ? undefined : jobsById.get(stop.job);
      if (job === undefined) {
        violations.push(`unknown job ${String(stop.job)}`);
        continue;
      }
      if (seen.has(job.id)) violations.push(`job ${job.id} is served twice`);
      seen.add(job.id);
      stops++;
      for (const skill of job.skills ?? []) {
        if (!skills.has(skill)) violations.push(`job ${job.id} needs skill ${skill} that ${vehicle.id} lacks`);
      }
      const leg = duration(place, job.location);
      travel += leg;
      cost += costOf(place, job.location);
      const arrival = time + leg;
      const begin = startInWindows(arrival, job.windows);
      if (begin === undefined) {
        violations.push(`job ${job.id}: arrival ${arrival.toFixed(3)} after its last window`);
        time = arrival + (job.service ?? 0);
      } else {
        time = begin + (job.service ?? 0);
      }
      place = job.location;
      load += job.demand ?? 0;
    }
    const leg = duration(place, vehicle.end);
    travel += leg;
    cost += costOf(place, vehicle.end);
    time += leg;
    if (time > vehicle.shift.end + EPSILON) violations.push(`vehicle ${vehicle.id} returns at ${time.toFixed(3)} after its shift end ${vehicle.shift.end}`);
    if (vehicle.capacity !== undefined && load > vehicle.capacity + EPSILON) violations.push(`vehicle ${vehicle.id} carries ${load} > capacity ${vehicle.capacity}`);
    if (vehicle.maxStops !== undefined && stops > vehicle.maxStops) violations.push(`vehicle ${vehicle.id} makes ${stops} stops > max ${vehicle.maxStops}`);
    if (vehicle.maxTravelTime !== undefined && travel > vehicle.maxTravelTime + EPSILON) {
      violations.push(`vehicle ${vehicle.id} travels ${travel} > max ${vehicle.maxTravelTime}`);
    }
    if (vehicle.lunch !== undefined && stops > 0 && breaks !== 1) violations.push(`vehicle ${vehicle.id} must take exactly one lunch break`);
    if (checkCosts && Math.abs(cost - route.cost) > EPSILON * Math.max(1, cost)) violations.push(`vehicle ${vehicle.id}: reported cost ${route.cost} != recomputed ${cost}`);
    totalCost += cost;
    totalTravel += travel;
  }

  const unassigned = new Set<string>();
  for (const entry of solution.unassigned) {
    if (seen.has(entry.job)) violations.push(`job ${entry.job} is both served and unassigned`);
    if (unassigned.has(entry.job)) violations.push(`job ${entry.job} is listed twice as unassigned`);
    unassigned.add(entry.job);
  }
  for (const job of problem.jobs) {
    if (!seen.has(job.id) && !unassigned.has(job.id)) violations.push(`job ${job.id} is neither served nor reported unassigned`);
  }
  if (checkCosts && Math.abs(totalCost - solution.summary.cost) > EPSILON * Math.max(1, totalCost)) {
    violations.push(`reported total cost ${solution.summary.cost} != recomputed ${totalCost}`);
  }
  return { valid: violations.length === 0, violations, cost: totalCost, travelTime: totalTravel, served: seen.size };
}
