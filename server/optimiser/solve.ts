// The solver entry: validate, compile, construct, then improve by ruin-and-recreate under
// simulated annealing (and, for the fleet objective, a route-elimination phase first).
import { Model } from './model.ts';
import {
  InputError,
  InternalError,
  validateProblem,
  type PlannedRoute,
  type Problem,
  type Solution,
  type SolveOptions,
  type Stop,
  type UnassignedJob,
  type UnassignedReason,
} from './problem.ts';
import { Random } from './random.ts';
import { Route } from './route.ts';
import { RuinRecreate } from './ruin-recreate.ts';
import { SearchState } from './search-state.ts';
import { LocalSearch } from './local-search.ts';
import { RouteEliminator } from './route-elimination.ts';

export const DEFAULT_TIME_LIMIT_MS = 2000;

/** Annealing temperatures as multiples of the average cost per served job. */
const START_TEMPERATURE = 1.5;
const END_TEMPERATURE = 0.005;
/** Share of the budget spent removing vehicles under the fleet objective. */
const FLEET_PHASE_SHARE = 0.7;

export function solve(problem: Problem, options: SolveOptions = {}): Solution {
  validateProblem(problem);
  try {
    return runSearch(problem, options);
  } catch (error) {
    if (error instanceof InputError || error instanceof InternalError) throw error;
    throw new InternalError(`optimiser failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

class Budget {
  private readonly started = performance.now();
  iterations = 0;
  constructor(
    readonly timeLimitMs: number,
    readonly maxIterations: number,
  ) {}

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  /** Fraction of the budget used, by time or by iterations, whichever is further. */
  progress(): number {
    const byTime = this.elapsedMs() / this.timeLimitMs;
    const byIterations = this.iterations / this.maxIterations;
    return Math.max(byTime, byIterations);
  }
}

function runSearch(problem: Problem, options: SolveOptions): Solution {
  const objective = options.objective ?? 'distance';
  const budget = new Budget(options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, options.maxIterations ?? Infinity);
  const model = new Model(problem, objective);
  const rng = new Random(options.seed ?? 1);
  const { eligible, reasons } = screenJobs(model);

  const state = new SearchState(model);
  for (let job = 0; job < model.nJobs; job++) if (eligible[job] === 1) state.pool[state.poolSize++] = job;
  const ruinRecreate = new RuinRecreate(model, state, rng);
  const localSearch = new LocalSearch(model, state);
  const outOfTime = (): boolean => budget.progress() >= 1;

  // Construction: greedy cheapest insertion, then a first descent.
  state.begin();
  ruinRecreate.recreate(true, false);
  state.commit();
  localSearch.run(outOfTime);

  let current = state.cost();
  let best = current;
  let bestSnapshot = state.snapshot();
  const saveBest = (cost: number): void => {
    best = cost;
    bestSnapshot = state.snapshot();
  };

  if (objective === 'fleet' && eligible.includes(1) && !mandatoryMissing(model, state)) {
    const eliminator = new RouteEliminator(model, state, rng, eligible);
    eliminator.run(
      () => budget.progress() >= FLEET_PHASE_SHARE,
      () => budget.iterations++,
    );
    localSearch.run(outOfTime);
    current = state.cost();
    saveBest(current);
  }

  // Annealing on the full objective from wherever the previous phase stopped.
  const phaseStart = budget.progress();
  let served = 0;
  for (const route of state.routes) served += route.jobCount;
  const scale = perJobScale(model, state, eligible, Math.max(1, served));
  // Nothing to plan (every job screened out): no search to run.
  const searchable = eligible.includes(1);
  const t0 = START_TEMPERATURE * scale;
  const t1 = END_TEMPERATURE * scale;
  while (phaseStart < 1 && searchable) {
    const progress = (budget.progress() - phaseStart) / (1 - phaseStart);
    if (progress >= 1) break;
    const temperature = t0 * Math.pow(t1 / t0, progress);
    budget.iterations++;
    state.begin();
    ruinRecreate.ruin();
    ruinRecreate.recreate(true);
    const candidate = state.cost();
    if (candidate < current - temperature * Math.log(rng.next())) {
      state.commit();
      current = candidate;
      if (candidate < best - 1e-9) {
        localSearch.run(outOfTime);
        current = state.cost();
        saveBest(current);
      }
    } else {
      state.rollback();
    }
  }

  state.restore(bestSnapshot, eligible);
  return buildSolution(model, state, eligible, reasons, budget);
}

/** A typical cost of one served job, so temperatures mean the same on any scale. */
function perJobScale(model: Model, state: SearchState, eligible: Uint8Array, served: number): number {
  let optionalValue = 0;
  let optionalCount = 0;
  for (let job = 0; job < model.nJobs; job++) {
    if (eligible[job] === 1 && model.mandatory[job] === 0 && (model.priority[job] as number) > 0) {
      optionalValue += model.priorityWeight * (model.priority[job] as number);
      optionalCount++;
    }
  }
  const travelScale = state.travelCost() / served;
  const scale = optionalCount > 0 ? Math.max(travelScale, optionalValue / optionalCount) : travelScale;
  return scale > 0 ? scale : 1;
}

function mandatoryMissing(model: Model, state: SearchState): boolean {
  for (let i = 0; i < state.poolSize; i++) if (model.mandatory[state.pool[i] as number] === 1) return true;
  return false;
}

/** Jobs no vehicle could serve even alone are set aside with the reason. */
function screenJobs(model: Model): { eligible: Uint8Array; reasons: Map<number, UnassignedReason> } {
  const eligible = new Uint8Array(model.nJobs);
  const reasons = new Map<number, UnassignedReason>();
  const scratch = new Route(model, 0);
  const checkedClass = new Map<number, boolean>();
  const emptyRoutes = new Map<number, Route>();
  for (let job = 0; job < model.nJobs; job++) {
    let skilled = false;
    let fitsLoad = false;
    let hasStops = false;
    let timeOk = false;
    let travelOk = false;
    checkedClass.clear();
    for (let v = 0; v < model.nVehicles && !(timeOk && travelOk); v++) {
      if (model.compat[job * model.nVehicles + v] === 0) continue;
      skilled = true;
      if ((model.demand[job] as number) > (model.vCapacity[v] as number)) continue;
      fitsLoad = true;
      if ((model.vMaxStops[v] as number) < 1) continue;
      hasStops = true;
      const cls = model.vClass[v] as number;
      if (checkedClass.has(cls)) continue;
      checkedClass.set(cls, true);
      let empty = emptyRoutes.get(cls);
      if (empty === undefined) {
        empty = new Route(model, v);
        emptyRoutes.set(cls, empty);
      }
      for (let after = 0; after <= empty.len; after++) {
        scratch.vehicle = v;
        scratch.nodes.set(empty.nodes.subarray(0, empty.len + 2));
        scratch.len = empty.len;
        scratch.insertAt(after + 1, job);
        if (scratch.update()) {
          timeOk = true;
          travelOk = true;
          break;
        }
        // Tell a schedule failure from a travel-limit failure.
        if (scratch.pathTravel > (model.vMaxTravel[v] as number)) timeOk = true;
      }
    }
    if (!skilled) reasons.set(job, 'no-team-with-skills');
    else if (!fitsLoad) reasons.set(job, 'capacity-exceeded');
    else if (!hasStops) reasons.set(job, 'max-stops-zero');
    else if (!timeOk) reasons.set(job, 'window-unreachable');
    else if (!travelOk) reasons.set(job, 'max-travel-time-exceeded');
    else eligible[job] = 1;
  }
  return { eligible, reasons };
}

function buildSolution(
  model: Model,
  state: SearchState,
  eligible: Uint8Array,
  reasons: Map<number, UnassignedReason>,
  budget: Budget,
): Solution {
  const { problem } = model;
  const size = model.size;
  const routes: PlannedRoute[] = [];
  let priorityCollected = 0;
  let jobsServed = 0;
  for (const route of state.routes) {
    if (route.jobCount === 0) continue;
    if (!route.feasible) throw new InternalError(`route of vehicle ${route.vehicle} is infeasible`);
    const vehicle = problem.vehicles[route.vehicle];
    if (vehicle === undefined) throw new InternalError('vehicle index out of range');
    const stops: Stop[] = [];
    let departure = route.es[0] as number;
    let load = 0;
    stops.push({ kind: 'start', location: vehicle.start, arrival: departure, begin: departure, departure, load: 0 });
    for (let k = 1; k <= route.len + 1; k++) {
      const node = route.nodes[k] as number;
      const from = route.effLoc[k - 1] as number;
      const place = route.effLoc[k] as number;
      const arrival = departure + (node >= model.nJobs ? 0 : (model.dur[from * size + place] as number));
      const begin = route.es[k] as number;
      if (node < 0) {
        stops.push({ kind: 'end', location: vehicle.end, arrival, begin: arrival, departure: arrival, load });
        break;
      }
      departure = begin + (model.service[node] as number);
      if (node >= model.nJobs) {
        stops.push({ kind: 'break', location: place, arrival, begin, departure, load });
        continue;
      }
      const job = problem.jobs[node];
      if (job === undefined) throw new InternalError('job index out of range');
      load += model.demand[node] as number;
      jobsServed++;
      if (model.mandatory[node] === 0) priorityCollected += model.priority[node] as number;
      stops.push({ kind: 'job', job: job.id, location: job.location, arrival, begin, departure, load });
    }
    routes.push({ vehicle: vehicle.id, stops, cost: route.cost, travelTime: route.travel });
  }
  const unassigned: UnassignedJob[] = [];
  let mandatoryUnassigned = 0;
  for (let job = 0; job < model.nJobs; job++) {
    if (state.routeOf[job] !== -1) continue;
    const reason = eligible[job] === 1 ? 'no-room-in-plan' : (reasons.get(job) ?? 'no-room-in-plan');
    unassigned.push({ job: (problem.jobs[job] as { id: string }).id, reason });
    if (model.mandatory[job] === 1) mandatoryUnassigned++;
  }
  let cost = 0;
  let travelTime = 0;
  for (const r of routes) {
    cost += r.cost;
    travelTime += r.travelTime;
  }
  return {
    routes,
    unassigned,
    summary: { cost, travelTime, vehiclesUsed: routes.length, jobsServed, priorityCollected, mandatoryUnassigned },
    iterations: budget.iterations,
    ms: Math.round(budget.elapsedMs()),
  };
}
