// Ruin and recreate after Christiaens & Vanden Berghe's SISR (Transportation Science 2020):
// remove a few strings of consecutive jobs from routes near a random seed job, then reinsert
// all unserved jobs greedily at their cheapest place, skipping ("blinking") a few positions.
import type { Model } from './model.ts';
import type { Random } from './random.ts';
import { insertionDelta, type Route } from './route.ts';
import type { SearchState } from './search-state.ts';

export interface RuinParameters {
  /** Average number of jobs removed. */
  averageRemoved: number;
  /** Longest string removed from one route. */
  maxStringLength: number;
  /** Probability of skipping a candidate position during reinsertion. */
  blinkRate: number;
}

export const DEFAULT_RUIN: RuinParameters = { averageRemoved: 10, maxStringLength: 10, blinkRate: 0.01 };

export class RuinRecreate {
  private readonly ruined: Uint8Array;
  private readonly jobPositions: Int32Array;
  private readonly sortKey: Float64Array;
  private readonly classStamp: Int32Array;
  private stamp = 0;
  private readonly order: Int32Array;
  private readonly hasOptional: boolean;
  // Per job: its best insertion found so far in recreateByRatio.
  private readonly bestScore: Float64Array;
  private readonly bestVehicle: Int32Array;
  private readonly bestAfter: Int32Array;

  constructor(
    private readonly model: Model,
    private readonly state: SearchState,
    private readonly rng: Random,
    private readonly params: RuinParameters = DEFAULT_RUIN,
  ) {
    this.ruined = new Uint8Array(model.nVehicles);
    this.jobPositions = new Int32Array(model.nJobs + 2);
    this.sortKey = new Float64Array(model.nJobs);
    this.classStamp = new Int32Array(model.nVehicles);
    this.order = new Int32Array(model.nJobs);
    this.bestScore = new Float64Array(model.nJobs);
    this.bestVehicle = new Int32Array(model.nJobs);
    this.bestAfter = new Int32Array(model.nJobs);
    let optional = false;
    for (let job = 0; job < model.nJobs; job++) if (model.mandatory[job] === 0) optional = true;
    this.hasOptional = optional;
  }

  /** Removes strings of jobs around a random planned job, or around `seed` when given. */
  ruin(seed = -1): void {
    const { model, state, rng, params } = this;
    let planned = 0;
    let usedRoutes = 0;
    for (const route of state.routes) {
      if (route.jobCount > 0) {
        planned += route.jobCount;
        usedRoutes++;
      }
    }
    if (planned === 0) return;
    const averageCardinality = planned / usedRoutes;
    const maxLength = Math.min(params.maxStringLength, averageCardinality);
    const maxStrings = (4 * params.averageRemoved) / (1 + maxLength) - 1;
    const strings = Math.floor(rng.next() * maxStrings) + 1;

    if (seed < 0) {
      seed = rng.int(model.nJobs);
      while (state.routeOf[seed] === -1) seed = rng.int(model.nJobs);
    }
    this.ruined.fill(0);
    let ruinedCount = 0;
    const n = model.nJobs;
    const base = seed * n;
    for (let i = 0; i < n && ruinedCount < strings; i++) {
      const job = model.neighbours[base + i] as number;
      const r = state.routeOf[job] as number;
      if (r < 0 || this.ruined[r] === 1) continue;
      this.ruined[r] = 1;
      ruinedCount++;
      this.removeString(state.routes[r] as Route, job, maxLength);
    }
  }

  private removeString(route: Route, job: number, maxLength: number): void {
    const { model, rng, state } = this;
    // Positions of jobs only: a lunch break stays where it is.
    let count = 0;
    let at = -1;
    for (let k = 1; k <= route.len; k++) {
      const node = route.nodes[k] as number;
      if (node >= model.nJobs) continue;
      if (node === job) at = count;
      this.jobPositions[count++] = k;
    }
    const lengthCap = Math.min(count, Math.floor(maxLength));
    const length = Math.floor(rng.next() * lengthCap) + 1;
    let first: number;
    let span = length;
    let keepFrom = -1;
    let keepLength = 0;
    if (rng.next() < 0.5 || length >= count) {
      const low = Math.max(0, at - length + 1);
      const high = Math.min(at, count - length);
      first = low + rng.int(high - low + 1);
    } else {
      // Split string: remove `length` jobs but keep a run of `keepLength` in the middle.
      keepLength = 1;
      while (length + keepLength < count && rng.next() > 0.01) keepLength++;
      span = length + keepLength;
      const low = Math.max(0, at - span + 1);
      const high = Math.min(at, count - span);
      first = low + rng.int(high - low + 1);
      keepFrom = first + rng.int(length + 1);
    }
    // Remove from the back so earlier positions stay valid.
    for (let i = first + span - 1; i >= first; i--) {
      if (i >= keepFrom && i < keepFrom + keepLength) continue;
      state.removeToPool(route, this.jobPositions[i] as number);
    }
    route.update();
  }

  /**
   * Reinserts pooled jobs; `allowNewRoutes` false keeps empty vehicles empty (fleet reduction).
   * `blinks` false tries every position (the construction: a skipped position may be a job's only one).
   */
  recreate(allowNewRoutes: boolean, blinks = true): void {
    const { model, state, rng } = this;
    const count = state.poolSize;
    if (count === 0) return;
    // With optional jobs the scarce resource is time: half of the time, fill by value per time used.
    if (this.hasOptional && rng.next() < 0.5) {
      this.recreateByRatio(allowNewRoutes, blinks);
      return;
    }
    const order = this.order;
    order.set(state.pool.subarray(0, count));
    this.sortPool(count);
    const size = model.size;
    // Blinks are drawn as geometric gaps between skipped positions: one random number per skip.
    const logKeep = blinks ? Math.log(1 - this.params.blinkRate) : 0;
    const nextGap = (): number => (logKeep < 0 ? Math.floor(Math.log(1 - rng.next()) / logKeep) : Infinity);
    let gap = nextGap();
    for (let i = 0; i < count; i++) {
      const job = order[i] as number;
      let best = Infinity;
      let bestRoute: Route | undefined;
      let bestAfter = -1;
      this.stamp++;
      const jobLoc = model.loc[job] as number;
      const lastEnd = model.lastTwEnd[job] as number;
      const compatBase = job * model.nVehicles;
      for (const route of state.routes) {
        const v = route.vehicle;
        if (model.compat[compatBase + v] === 0) continue;
        if (route.jobCount === 0) {
          if (!allowNewRoutes) continue;
          const cls = model.vClass[v] as number;
          if (this.classStamp[cls] === this.stamp) continue;
          this.classStamp[cls] = this.stamp;
        }
        for (let after = 0; after <= route.len; after++) {
          // Later positions start even later: nothing more can fit once past the last window.
          if ((route.es[after] as number) + (model.dur[(route.effLoc[after] as number) * size + jobLoc] as number) > lastEnd) break;
          if (gap-- === 0) {
            gap = nextGap();
            continue;
          }
          const delta = insertionDelta(route, job, after, state.scratch, best);
          if (delta < best) {
            best = delta;
            bestRoute = route;
            bestAfter = after;
          }
        }
      }
      if (bestRoute === undefined) continue;
      if (model.mandatory[job] === 0 && best >= model.priorityWeight * (model.priority[job] as number)) continue;
      state.touch(bestRoute.vehicle);
      bestRoute.insertAt(bestAfter + 1, job);
      bestRoute.update();
      state.routeOf[job] = bestRoute.vehicle;
      const index = state.pool.subarray(0, state.poolSize).indexOf(job);
      state.removeFromPool(index);
    }
  }

  /**
   * Repeatedly inserts the pooled job with the best priority per unit of added travel and service,
   * mandatory jobs first. Each pooled job's best place is kept between insertions: an insertion
   * changes one route, so only that route is re-examined for every job, and a job whose best place
   * was in that route is re-examined everywhere. Without this the phase was quadratic in the pool
   * (hundreds of optional sites in a planner's week) and took most of the search time.
   */
  private recreateByRatio(allowNewRoutes: boolean, blinks: boolean): void {
    const { model, state, rng } = this;
    const logKeep = blinks ? Math.log(1 - this.params.blinkRate) : 0;
    const nextGap = (): number => (logKeep < 0 ? Math.floor(Math.log(1 - rng.next()) / logKeep) : Infinity);
    let gap = nextGap();
    const size = model.size;
    const { bestScore, bestVehicle, bestAfter } = this;

    // The best place for `job` in `route` if it beats the job's cached best.
    const examine = (job: number, route: Route): void => {
      const mandatory = model.mandatory[job] === 1;
      const value = mandatory ? 1e12 : (model.priority[job] as number);
      const jobLoc = model.loc[job] as number;
      const lastEnd = model.lastTwEnd[job] as number;
      for (let after = 0; after <= route.len; after++) {
        if ((route.es[after] as number) + (model.dur[(route.effLoc[after] as number) * size + jobLoc] as number) > lastEnd) break;
        if (gap-- === 0) {
          gap = nextGap();
          continue;
        }
        const delta = insertionDelta(route, job, after, state.scratch);
        if (Number.isNaN(delta)) continue;
        if (!mandatory && delta >= model.priorityWeight * value) continue;
        const score = value / (Math.max(0, delta) + (model.service[job] as number) + 1e-9);
        if (score > (bestScore[job] as number)) {
          bestScore[job] = score;
          bestVehicle[job] = route.vehicle;
          bestAfter[job] = after;
        }
      }
    };
    // Empty vehicles of one class are interchangeable: only the first is tried.
    const examineAll = (job: number): void => {
      bestScore[job] = -Infinity;
      bestVehicle[job] = -1;
      const compatBase = job * model.nVehicles;
      this.stamp++;
      for (const route of state.routes) {
        const v = route.vehicle;
        if (model.compat[compatBase + v] === 0) continue;
        if (route.jobCount === 0) {
          if (!allowNewRoutes) continue;
          const cls = model.vClass[v] as number;
          if (this.classStamp[cls] === this.stamp) continue;
          this.classStamp[cls] = this.stamp;
        }
        examine(job, route);
      }
    };

    for (let index = 0; index < state.poolSize; index++) examineAll(state.pool[index] as number);
    for (;;) {
      let chosen = -1;
      for (let index = 0; index < state.poolSize; index++) {
        const job = state.pool[index] as number;
        if (bestVehicle[job] !== -1 && (chosen < 0 || (bestScore[job] as number) > (bestScore[state.pool[chosen] as number] as number))) chosen = index;
      }
      if (chosen < 0) return;
      const job = state.pool[chosen] as number;
      const route = state.routes[bestVehicle[job] as number] as Route;
      state.touch(route.vehicle);
      route.insertAt((bestAfter[job] as number) + 1, job);
      route.update();
      state.routeOf[job] = route.vehicle;
      state.removeFromPool(chosen);
      for (let index = 0; index < state.poolSize; index++) {
        const other = state.pool[index] as number;
        // A job whose best place was in the changed route may now be best elsewhere. (Another empty
        // vehicle of the changed one's class offers what the changed one offered when it was empty.)
        if (bestVehicle[other] === route.vehicle) {
          examineAll(other);
        } else if (model.compat[other * model.nVehicles + route.vehicle] === 1) {
          examine(other, route);
        }
      }
    }
  }

  private sortPool(count: number): void {
    const { model, rng } = this;
    const order = this.order.subarray(0, count);
    const key = this.sortKey;
    const r = rng.next();
    const hasOptional = model.priorityWeight > 1;
    // Weights after SISR (random 4, demand 4, far 2, close 1), plus window-based orders for VRPTW.
    if (r < 0.3) {
      for (let i = count - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      const job = order[i] as number;
      const depotDistance = model.cost[(model.vStart[0] as number) * model.size + (model.loc[job] as number)] as number;
      let k: number;
      if (hasOptional && r < 0.5) k = -(model.priority[job] as number) - (model.mandatory[job] as number) * 1e12;
      else if (r < 0.55) k = -(model.demand[job] as number);
      else if (r < 0.7) k = -depotDistance;
      else if (r < 0.75) k = depotDistance;
      else if (r < 0.9) k = model.twEnd[(model.twOffset[job + 1] as number) - 1] as number;
      else k = (model.twEnd[model.twOffset[job] as number] as number) - (model.twStart[model.twOffset[job] as number] as number);
      if (!Number.isFinite(k)) k = k > 0 ? 1e300 : -1e300;
      // A little noise breaks ties differently every time.
      key[job] = k + rng.next() * 1e-6;
    }
    order.sort((a, b) => (key[a] as number) - (key[b] as number));
  }
}
