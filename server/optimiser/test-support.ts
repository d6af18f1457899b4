// Helpers shared by the optimiser's tests: small random instances and an exhaustive solver.
import { euclideanMatrix, type PlanePoint } from './matrix.ts';
import type { Problem } from './problem.ts';
import { Random } from './random.ts';

export interface SmallInstanceOptions {
  jobs: number;
  vehicles: number;
  seed: number;
  capacity?: number;
  optional?: boolean;
  /** Horizon of the depot; windows are drawn inside it. */
  horizon?: number;
}

/** A random VRPTW on a 100 × 100 plane with the depot at index 0. */
export function smallInstance(options: SmallInstanceOptions): Problem {
  const rng = new Random(options.seed);
  const horizon = options.horizon ?? 400;
  const points: PlanePoint[] = [{ x: 50, y: 50 }];
  for (let i = 0; i < options.jobs; i++) points.push({ x: rng.int(101), y: rng.int(101) });
  return {
    matrix: euclideanMatrix(points),
    vehicles: Array.from({ length: options.vehicles }, (_, k) => ({
      id: `v${k}`,
      start: 0,
      end: 0,
      shift: { start: 0, end: horizon },
      capacity: options.capacity,
    })),
    jobs: Array.from({ length: options.jobs }, (_, i) => {
      const open = rng.int(horizon - 150);
      return {
        id: `j${i}`,
        location: i + 1,
        service: 5 + rng.int(10),
        demand: 1 + rng.int(9),
        windows: [{ start: open, end: open + 40 + rng.int(120) }],
        priority: options.optional ? 1 + rng.int(20) : undefined,
        mandatory: options.optional ? false : undefined,
      };
    }),
  };
}

export interface ExactOptimum {
  /** Fewest unserved mandatory jobs possible (0 when all can be served). */
  priority: number;
  cost: number;
}

/**
 * Exhaustive optimum for identical vehicles at one depot: the cheapest feasible single route for
 * every subset of jobs (by enumerating all orders), then the best partition into at most V routes.
 * For optional jobs the collected priority is maximised first, then the cost minimised.
 */
export function exactOptimum(problem: Problem): ExactOptimum {
  const n = problem.jobs.length;
  const vehicle = problem.vehicles[0];
  if (vehicle === undefined) throw new Error('needs a vehicle');
  const size = problem.matrix.size;
  const dur = (a: number, b: number): number => Number(problem.matrix.durations[a * size + b]);
  const full = 1 << n;
  const routeCost = new Float64Array(full).fill(Infinity);
  routeCost[0] = 0;
  const capacity = vehicle.capacity ?? Infinity;
  const extend = (mask: number, place: number, time: number, cost: number, load: number): void => {
    const back = time + dur(place, vehicle.end);
    if (back <= vehicle.shift.end && cost + dur(place, vehicle.end) < (routeCost[mask] as number)) routeCost[mask] = cost + dur(place, vehicle.end);
    for (let j = 0; j < n; j++) {
      if (mask & (1 << j)) continue;
      const job = problem.jobs[j];
      if (job === undefined) continue;
      if (load + (job.demand ?? 0) > capacity) continue;
      const arrival = time + dur(place, job.location);
      const window = job.windows?.[0] ?? { start: -Infinity, end: Infinity };
      if (arrival > window.end) continue;
      const begin = Math.max(arrival, window.start);
      extend(mask | (1 << j), job.location, begin + (job.service ?? 0), cost + dur(place, job.location), load + (job.demand ?? 0));
    }
  };
  extend(0, vehicle.start, vehicle.shift.start, 0, 0);

  const vehicles = problem.vehicles.length;
  // best[k][mask]: cheapest way to serve exactly `mask` with k routes.
  let best = Float64Array.from(routeCost);
  let overall = Float64Array.from(routeCost);
  for (let k = 2; k <= vehicles; k++) {
    const next = new Float64Array(full).fill(Infinity);
    for (let mask = 1; mask < full; mask++) {
      const low = mask & -mask;
      // The route holding the lowest job is enumerated; the rest uses k-1 routes.
      for (let sub = mask; sub > 0; sub = (sub - 1) & mask) {
        if (!(sub & low)) continue;
        const c = (routeCost[sub] as number) + (best[mask ^ sub] as number);
        if (c < (next[mask] as number)) next[mask] = c;
      }
    }
    best = next;
    for (let mask = 0; mask < full; mask++) overall[mask] = Math.min(overall[mask] as number, best[mask] as number);
  }
  if (vehicles === 1) overall = Float64Array.from(routeCost);

  let bestPriority = -Infinity;
  let bestCost = Infinity;
  for (let mask = 0; mask < full; mask++) {
    const c = overall[mask] as number;
    if (c === Infinity) continue;
    let value = 0;
    for (let j = 0; j < n; j++) {
      if (!(mask & (1 << j))) continue;
      const job = problem.jobs[j];
      // Mandatory jobs count as one unit each so that "serve all" wins first.
      value += job?.mandatory === false ? (job.priority ?? 0) : 1e6;
    }
    if (value > bestPriority || (value === bestPriority && c < bestCost)) {
      bestPriority = value;
      bestCost = c;
    }
  }
  return { priority: bestPriority, cost: bestCost };
}
