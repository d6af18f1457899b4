// Route elimination for the fleet objective, after Nagata & Bräysy, "A powerful route minimization
// heuristic for the vehicle routing problem with time windows" (Operations Research Letters 37,
// 2009). One route at a time: its jobs go to an ejection pool (EP, a stack); each job taken from the
// pool is inserted at its cheapest feasible place in the remaining routes or, failing that, put in
// by ejecting up to `maxEjected` other jobs from the route it enters. The ejected set is chosen to
// minimise the sum of the ejected jobs' failure counters (a job's counter grows each time it cannot
// be inserted, so jobs that are hard to place stay in and easy ones are moved around), and the
// ejected jobs go back to the pool. After each ejection a few random feasible moves (relocate,
// swap, 2-opt*) that do not lengthen the plan perturb it so the search does not cycle. The plan
// stays feasible throughout; a removal that has not emptied the pool when time runs out is undone.
//
// The ejection search enumerates, for every route and its few insertion positions that cause the
// least lateness, the subsets of at most `maxEjected` jobs in route order (depth-first,
// lexicographic), walking the schedule forward: a branch ends as soon as a kept job cannot be
// reached within its windows, the counter sum reaches the best found, or a kept job is late with no
// ejection left; a kept job whose start is within its latest start (backward pass of the sequence
// with the job inserted) completes the route, so most branches end after a few steps. Every new best is confirmed by re-simulating the route (breaks, travel limits and
// matrices that are not metric are thus handled exactly).
import type { Model } from './model.ts';
import type { Random } from './random.ts';
import { insertionDelta, Route } from './route.ts';
import type { SearchState } from './search-state.ts';

export interface EliminationParameters {
  /** Most jobs ejected to make room for one (k_max). */
  maxEjected: number;
  /** Random feasible moves tried after each ejection (I_rand). */
  perturbMoves: number;
  /** Insertion positions per route searched for ejections (those causing the least lateness). */
  positionsPerRoute: number;
  /** Neighbours among which the perturbation picks the partner of a move. */
  perturbNeighbours: number;
  /**
   * Largest cost increase a perturbation move may bring, in average travel cost per job (Infinity:
   * any feasible move, as in the paper; 0, the default, kept the same fleets with 2–3 % less travel
   * on Solomon and Gehring & Homberger samples).
   */
  perturbSlack: number;
}

export const DEFAULT_ELIMINATION: EliminationParameters = { maxEjected: 3, positionsPerRoute: 4, perturbMoves: 100, perturbNeighbours: 20, perturbSlack: 0 };

export class RouteEliminator {
  /** Nagata–Bräysy failure counters p[v], reset for each route removed. */
  readonly counters: Float64Array;
  private readonly stack: Int32Array;
  private stackSize = 0;
  private readonly check: Route;

  // Ejection search: the route and insertion under study and the best combination so far.
  private route: Route;
  private after = 0;
  private incoming = 0;
  private length = 0;
  private excessLoad = 0;
  private excessStops = 0;
  private readonly ejected: Int32Array;
  /** The route with the job inserted: nodes, earliest starts, latest starts, places (1-based). */
  private readonly seq: Int32Array;
  private readonly seqEs: Float64Array;
  private readonly seqLs: Float64Array;
  private readonly seqPlace: Int32Array;
  /** Positions from which seqLs is exact (before it, unknown: -Infinity). */
  private lsExactFrom = 1;
  private slack = Infinity;
  private outOfTime: () => boolean = () => false;
  private readonly positions: Int32Array;
  private readonly positionLateness: Float64Array;
  private ejectedCount = 0;
  private bestSum = Infinity;
  private bestRoute: Route | undefined;
  private bestAfter = -1;
  private readonly bestEjected: Int32Array;
  private bestEjectedCount = 0;

  constructor(
    private readonly model: Model,
    private readonly state: SearchState,
    private readonly rng: Random,
    private readonly eligible: Uint8Array,
    private readonly params: EliminationParameters = DEFAULT_ELIMINATION,
  ) {
    this.counters = new Float64Array(model.nJobs).fill(1);
    this.stack = new Int32Array(model.nJobs);
    this.check = new Route(model, 0);
    this.route = this.check;
    this.ejected = new Int32Array(params.maxEjected);
    this.positions = new Int32Array(Math.max(1, Math.min(params.positionsPerRoute, model.nNodes + 3)));
    this.positionLateness = new Float64Array(this.positions.length);
    this.seq = new Int32Array(model.nNodes + 3);
    this.seqEs = new Float64Array(model.nNodes + 3);
    this.seqLs = new Float64Array(model.nNodes + 3);
    this.seqPlace = new Int32Array(model.nNodes + 3);
    this.bestEjected = new Int32Array(params.maxEjected);
  }

  /** Fewest routes any plan can have: total demand over the largest capacity (1 without one). */
  lowerBound(): number {
    const m = this.model;
    let demand = 0;
    for (let job = 0; job < m.nJobs; job++) if (this.eligible[job] === 1 && m.mandatory[job] === 1) demand += m.demand[job] as number;
    let capacity = 0;
    for (let v = 0; v < m.nVehicles; v++) capacity = Math.max(capacity, m.vCapacity[v] as number);
    return Number.isFinite(capacity) && capacity > 0 ? Math.max(1, Math.ceil(demand / capacity - 1e-9)) : 1;
  }

  /**
   * Removes routes one after the other until time is up or the lower bound is reached; leaves the
   * state at the plan with the fewest routes found (every job that was planned is still planned).
   * `tick` is called once per pool step (the caller's iteration count). Returns the routes removed.
   */
  run(outOfTime: () => boolean, tick: () => void): number {
    const { state } = this;
    state.commit();
    const lower = this.lowerBound();
    let removed = 0;
    let snapshot = state.snapshot();
    while (!outOfTime() && state.usedVehicles() > lower) {
      if (!this.removeOneRoute(outOfTime, tick)) {
        state.restore(snapshot, this.eligible);
        break;
      }
      removed++;
      snapshot = state.snapshot();
    }
    return removed;
  }

  /**
   * Empties the smallest route whose jobs all have another route in use able to serve them (skills)
   * and works its jobs back in; false if there is no such route or time ran out first.
   */
  removeOneRoute(outOfTime: () => boolean, tick: () => void): boolean {
    const { model, state } = this;
    let smallest: Route | undefined;
    for (const route of state.routes) {
      if (route.jobCount > 0 && (smallest === undefined || route.jobCount < smallest.jobCount) && this.othersCanServe(route)) smallest = route;
    }
    if (smallest === undefined) return false;
    this.counters.fill(1);
    this.stackSize = 0;
    this.outOfTime = outOfTime;
    // Push in reverse so the first job of the route is taken first.
    for (let k = smallest.len; k >= 1; k--) {
      const node = smallest.nodes[k] as number;
      if (node >= model.nJobs) continue;
      smallest.removeAt(k);
      state.routeOf[node] = -1;
      this.stack[this.stackSize++] = node;
    }
    smallest.update();
    while (this.stackSize > 0) {
      if (outOfTime()) return false;
      tick();
      const job = this.stack[--this.stackSize] as number;
      if (this.insertCheapest(job)) continue;
      this.counters[job] = (this.counters[job] as number) + 1;
      if (!this.insertEject(job)) {
        // Nowhere even with ejections: try it again after the others.
        this.stack.copyWithin(1, 0, this.stackSize);
        this.stack[0] = job;
        this.stackSize++;
      }
      this.perturb();
    }
    return true;
  }

  /** Whether every job of the route is compatible with some other route in use. */
  private othersCanServe(route: Route): boolean {
    const m = this.model;
    for (let k = 1; k <= route.len; k++) {
      const job = route.nodes[k] as number;
      if (job >= m.nJobs) continue;
      let served = false;
      for (const other of this.state.routes) {
        if (other !== route && other.jobCount > 0 && m.compat[job * m.nVehicles + other.vehicle] === 1) {
          served = true;
          break;
        }
      }
      if (!served) return false;
    }
    return true;
  }

  /** Cheapest feasible insertion into a route in use; false if there is none. */
  insertCheapest(job: number): boolean {
    const { model, state } = this;
    const size = model.size;
    const jobLoc = model.loc[job] as number;
    const lastEnd = model.lastTwEnd[job] as number;
    let best = Infinity;
    let bestRoute: Route | undefined;
    let bestAfter = -1;
    for (const route of state.routes) {
      if (route.jobCount === 0 || model.compat[job * model.nVehicles + route.vehicle] === 0) continue;
      for (let after = 0; after <= route.len; after++) {
        if ((route.es[after] as number) + route.serviceAt(after) + (model.dur[(route.effLoc[after] as number) * size + jobLoc] as number) > lastEnd) break;
        const delta = insertionDelta(route, job, after, state.scratch, best);
        if (delta < best) {
          best = delta;
          bestRoute = route;
          bestAfter = after;
        }
      }
    }
    if (bestRoute === undefined) return false;
    bestRoute.insertAt(bestAfter + 1, job);
    bestRoute.update();
    state.routeOf[job] = bestRoute.vehicle;
    return true;
  }

  /**
   * Inserts `job` somewhere by ejecting at most `maxEjected` jobs of that route, choosing the
   * combination with the smallest sum of failure counters; the ejected jobs go to the pool.
   */
  insertEject(job: number): boolean {
    const { model, state } = this;
    const size = model.size;
    this.bestSum = Infinity;
    this.bestRoute = undefined;
    this.incoming = job;
    const jobLoc = model.loc[job] as number;
    const lastEnd = model.lastTwEnd[job] as number;
    const nRoutes = state.routes.length;
    const offset = this.rng.int(nRoutes);
    for (let r = 0; r < nRoutes; r++) {
      const route = state.routes[(r + offset) % nRoutes] as Route;
      const v = route.vehicle;
      if (route.jobCount === 0 || model.compat[job * model.nVehicles + v] === 0) continue;
      // On long routes one search can take a while: keep the time limit (the removal is then undone).
      if (this.outOfTime()) return false;
      this.route = route;
      this.length = route.len + 1;
      this.excessLoad = route.load + (model.demand[job] as number) - (model.vCapacity[v] as number);
      this.excessStops = route.jobCount + 1 - (model.vMaxStops[v] as number);
      // The positions where the job fits best (least lateness caused, as in Nagata–Bräysy's
      // penalised insertion), each searched for ejections.
      let kept = 0;
      const limit = this.params.positionsPerRoute;
      for (let after = 0; after <= route.len; after++) {
        const arrival = (route.es[after] as number) + route.serviceAt(after) + (model.dur[(route.effLoc[after] as number) * size + jobLoc] as number);
        // Positions from which the job's last window is out of reach are skipped (ejections before
        // it rarely make up for it), and so are all later ones.
        if (arrival > lastEnd) break;
        const start = model.earliestStart(job, arrival);
        const next = route.placeAt(after + 1);
        const lateness = Math.max(0, start + (model.service[job] as number) + (model.dur[jobLoc * size + next] as number) - (route.ls[after + 1] as number));
        let k = kept < limit ? kept++ : limit;
        if (k === limit && lateness >= (this.positionLateness[limit - 1] as number)) continue;
        if (k === limit) k = limit - 1;
        while (k > 0 && (this.positionLateness[k - 1] as number) > lateness) {
          this.positionLateness[k] = this.positionLateness[k - 1] as number;
          this.positions[k] = this.positions[k - 1] as number;
          k--;
        }
        this.positionLateness[k] = lateness;
        this.positions[k] = after;
      }
      for (let k = 0; k < kept; k++) {
        this.after = this.positions[k] as number;
        this.searchPosition();
      }
    }
    const target = this.bestRoute as Route | undefined;
    if (target === undefined) return false;
    target.insertAt(this.bestAfter + 1, job);
    state.routeOf[job] = target.vehicle;
    for (let e = 0; e < this.bestEjectedCount; e++) {
      const out = this.bestEjected[e] as number;
      for (let k = 1; k <= target.len; k++) {
        if (target.nodes[k] === out) {
          target.removeAt(k);
          break;
        }
      }
      state.routeOf[out] = -1;
      this.stack[this.stackSize++] = out;
    }
    target.update();
    return true;
  }

  /**
   * All ejection sets for the current route and insertion position. The sequence with the job
   * inserted gets its forward schedule (earliest starts without ejections) and, where the route has
   * no break, its backward one (latest starts that keep the rest feasible without further
   * ejections), so each branch starts from the position before its first ejection in O(1) and ends
   * at the first kept job whose start is within its latest start.
   */
  private searchPosition(): void {
    const m = this.model;
    const size = m.size;
    const route = this.route;
    const v = route.vehicle;
    const after = this.after;
    const n = this.length;
    const seq = this.seq;
    const es = this.seqEs;
    const ls = this.seqLs;
    const place = this.seqPlace;
    for (let i = 1; i <= after; i++) seq[i] = route.nodes[i] as number;
    seq[after + 1] = this.incoming;
    for (let i = after + 2; i <= n; i++) seq[i] = route.nodes[i - 1] as number;
    // Forward: the route's own earliest starts up to `after`, then walked through the job.
    for (let i = 0; i <= after; i++) {
      es[i] = route.es[i] as number;
      place[i] = route.effLoc[i] as number;
    }
    let reach = n + 1;
    for (let i = after + 1; i <= n; i++) {
      const node = seq[i] as number;
      const departure = (es[i - 1] as number) + (i - 1 === 0 ? 0 : (m.service[seq[i - 1] as number] as number));
      if (node >= m.nJobs) {
        place[i] = place[i - 1] as number;
        es[i] = m.earliestStart(node, departure);
      } else {
        const here = m.loc[node] as number;
        place[i] = here;
        es[i] = m.earliestStart(node, departure + (m.dur[(place[i - 1] as number) * size + here] as number));
      }
      if (es[i] === Infinity) {
        reach = i;
        break;
      }
    }
    // Backward: the route's own latest starts after the job; through the job and the head when
    // there is no break (a break's place depends on what precedes it).
    for (let i = after + 2; i <= n; i++) ls[i] = route.ls[i - 1] as number;
    this.lsExactFrom = 1;
    if (route.hasBreakNode) {
      for (let i = 1; i <= after + 1; i++) ls[i] = -Infinity;
      this.lsExactFrom = after + 2;
    } else {
      let nextLs = after + 2 <= n ? (ls[after + 2] as number) : (m.vShiftEnd[v] as number);
      let nextPlace = after + 2 <= n ? (m.loc[seq[after + 2] as number] as number) : (m.vEnd[v] as number);
      for (let i = after + 1; i >= 1; i--) {
        const node = seq[i] as number;
        const here = m.loc[node] as number;
        ls[i] = m.latestStart(node, nextLs - (m.dur[here * size + nextPlace] as number) - (m.service[node] as number));
        nextLs = ls[i] as number;
        nextPlace = here;
      }
    }
    // The first ejection comes at or before the first job that cannot be reached.
    const lastFirst = Math.min(n, reach);
    this.ejectedCount = 0;
    for (let f = 1; f <= lastFirst; f++) {
      const node = seq[f] as number;
      if (node >= m.nJobs || f === after + 1) continue;
      const sum = this.counters[node] as number;
      if (sum >= this.bestSum) continue;
      const departure = f === 1 ? (m.vShiftStart[v] as number) : (es[f - 1] as number) + (m.service[seq[f - 1] as number] as number);
      const from = f === 1 ? (m.vStart[v] as number) : (place[f - 1] as number);
      this.ejected[0] = node;
      this.ejectedCount = 1;
      this.search(f + 1, departure, from, sum, m.demand[node] as number, 1);
      this.ejectedCount = 0;
    }
  }

  /**
   * Depth-first over keep/eject decisions from position i of the sequence, leaving the last kept
   * place at `departure` from `place`; `sum` is the counter sum of the jobs ejected so far.
   */
  private search(i: number, departure: number, place: number, sum: number, removedLoad: number, removedJobs: number): void {
    const m = this.model;
    const v = this.route.vehicle;
    if (i > this.length) {
      // The end depot.
      if (removedLoad < this.excessLoad - 1e-9 || removedJobs < this.excessStops) return;
      if (departure + (m.dur[place * m.size + (m.vEnd[v] as number)] as number) > (m.vShiftEnd[v] as number)) return;
      this.leaf(sum);
      return;
    }
    const node = this.seq[i] as number;
    // Keep the node.
    if (node >= m.nJobs) {
      // A break happens where the team is.
      const start = m.earliestStart(node, departure);
      if (start !== Infinity) this.search(i + 1, start + (m.service[node] as number), place, sum, removedLoad, removedJobs);
    } else {
      const here = m.loc[node] as number;
      const start = m.earliestStart(node, departure + (m.dur[place * m.size + here] as number));
      if (start !== Infinity) {
        const capacityMet = removedLoad >= this.excessLoad - 1e-9 && removedJobs >= this.excessStops;
        const late = start > (this.seqLs[i] as number);
        // Within its latest start, the rest needs no further ejection.
        if (capacityMet && !late) this.leaf(sum);
        // Late (by an exact latest start) or short of capacity with no ejection left: a dead end.
        else if (this.ejectedCount < this.params.maxEjected || (!capacityMet ? false : !(late && i >= this.lsExactFrom))) {
          this.search(i + 1, start + (m.service[node] as number), here, sum, removedLoad, removedJobs);
        }
      }
    }
    // Eject the node.
    if (node >= m.nJobs || i === this.after + 1 || this.ejectedCount >= this.params.maxEjected) return;
    const next = sum + (this.counters[node] as number);
    if (next >= this.bestSum) return;
    this.ejected[this.ejectedCount++] = node;
    this.search(i + 1, departure, place, next, removedLoad + (m.demand[node] as number), removedJobs + 1);
    this.ejectedCount--;
  }

  /** A complete candidate: confirmed by simulating the route, then kept if still the best. */
  private leaf(sum: number): void {
    if (sum >= this.bestSum) return;
    const check = this.check;
    const route = this.route;
    check.vehicle = route.vehicle;
    let len = 0;
    for (let i = 1; i <= this.length; i++) {
      const node = this.seq[i] as number;
      let out = false;
      for (let e = 0; e < this.ejectedCount; e++) if (this.ejected[e] === node) out = true;
      if (!out) check.nodes[++len] = node;
    }
    check.nodes[0] = route.nodes[0] as number;
    check.len = len;
    if (!check.update()) return;
    this.bestSum = sum;
    this.bestRoute = route;
    this.bestAfter = this.after;
    this.bestEjectedCount = this.ejectedCount;
    this.bestEjected.set(this.ejected.subarray(0, this.ejectedCount));
  }

  /** Random feasible relocate, swap and 2-opt* moves between nearby jobs within the cost slack. */
  perturb(): void {
    const { model, state, rng } = this;
    const n = model.nJobs;
    const neighbours = Math.min(this.params.perturbNeighbours, n - 1);
    if (neighbours < 1) return;
    let served = 0;
    for (const route of state.routes) served += route.jobCount;
    this.slack = (this.params.perturbSlack * state.travelCost()) / Math.max(1, served);
    for (let t = 0; t < this.params.perturbMoves; t++) {
      const u = rng.int(n);
      const ra = state.routeOf[u] as number;
      if (ra < 0) continue;
      const w = model.neighbours[u * n + 1 + rng.int(neighbours)] as number;
      const rb = state.routeOf[w] as number;
      if (rb < 0 || rb === ra) continue;
      const a = state.routes[ra] as Route;
      const b = state.routes[rb] as Route;
      const kind = rng.int(3);
      if (kind === 0) this.relocate(a, u, b, w, rng.next() < 0.5);
      else if (kind === 1) this.swap(a, u, b, w);
      else this.twoOptStar(a, u, b, w);
    }
  }

  private positionOf(route: Route, node: number): number {
    for (let k = 1; k <= route.len; k++) if (route.nodes[k] === node) return k;
    return -1;
  }

  /** Whether removing position k keeps the route's schedule and travel limit (O(1)). */
  private removable(route: Route, k: number): boolean {
    const m = this.model;
    if ((route.nodes[k - 1] as number) >= m.nJobs || (route.nodes[k + 1] as number) >= m.nJobs) return false;
    const size = m.size;
    const prev = route.effLoc[k - 1] as number;
    const here = route.effLoc[k] as number;
    const next = route.placeAt(k + 1);
    const bridge = m.dur[prev * size + next] as number;
    if ((route.es[k - 1] as number) + route.serviceAt(k - 1) + bridge > (route.ls[k + 1] as number)) return false;
    const travel = route.pathTravel - (m.dur[prev * size + here] as number) - (m.dur[here * size + next] as number) + bridge;
    return travel <= (m.vMaxTravel[route.vehicle] as number) + 1e-9;
  }

  /** Moves u of route a next to w in route b (after w, or before it). */
  private relocate(a: Route, u: number, b: Route, w: number, before: boolean): void {
    const { model, state } = this;
    if (model.compat[u * model.nVehicles + b.vehicle] === 0) return;
    const i = this.positionOf(a, u);
    if (!this.removable(a, i)) return;
    const after = this.positionOf(b, w) - (before ? 1 : 0);
    const added = insertionDelta(b, u, after, state.scratch);
    if (Number.isNaN(added)) return;
    if (this.slack < Infinity) {
      const size = model.size;
      const prev = a.effLoc[i - 1] as number;
      const here = a.effLoc[i] as number;
      const next = a.placeAt(i + 1);
      const saved = (model.cost[prev * size + here] as number) + (model.cost[here * size + next] as number) - (model.cost[prev * size + next] as number);
      if (added - saved > this.slack) return;
    }
    a.removeAt(i);
    a.update();
    b.insertAt(after + 1, u);
    b.update();
    state.routeOf[u] = b.vehicle;
  }

  /** Whether `incoming` can take the place of the job at position k (O(1)). */
  private replaceable(route: Route, k: number, incoming: number): boolean {
    const m = this.model;
    const v = route.vehicle;
    if (m.compat[incoming * m.nVehicles + v] === 0) return false;
    if ((route.nodes[k - 1] as number) >= m.nJobs || (route.nodes[k + 1] as number) >= m.nJobs) return false;
    const outgoing = route.nodes[k] as number;
    if (route.load - (m.demand[outgoing] as number) + (m.demand[incoming] as number) > (m.vCapacity[v] as number)) return false;
    const size = m.size;
    const from = route.effLoc[k - 1] as number;
    const to = route.placeAt(k + 1);
    const li = m.loc[incoming] as number;
    const lo = m.loc[outgoing] as number;
    const start = m.earliestStart(incoming, (route.es[k - 1] as number) + route.serviceAt(k - 1) + (m.dur[from * size + li] as number));
    if (start === Infinity || start + (m.service[incoming] as number) + (m.dur[li * size + to] as number) > (route.ls[k + 1] as number)) return false;
    const travel = route.pathTravel + (m.dur[from * size + li] as number) + (m.dur[li * size + to] as number) - (m.dur[from * size + lo] as number) - (m.dur[lo * size + to] as number);
    return travel <= (m.vMaxTravel[v] as number) + 1e-9;
  }

  /** Cost change of putting `incoming` in place of the job at position k. */
  private replaceCost(route: Route, k: number, incoming: number): number {
    const m = this.model;
    const size = m.size;
    const from = route.effLoc[k - 1] as number;
    const to = route.placeAt(k + 1);
    const li = m.loc[incoming] as number;
    const lo = route.effLoc[k] as number;
    return (m.cost[from * size + li] as number) + (m.cost[li * size + to] as number) - (m.cost[from * size + lo] as number) - (m.cost[lo * size + to] as number);
  }

  private swap(a: Route, u: number, b: Route, w: number): void {
    const { state } = this;
    const i = this.positionOf(a, u);
    const j = this.positionOf(b, w);
    if (!this.replaceable(a, i, w) || !this.replaceable(b, j, u)) return;
    if (this.slack < Infinity && this.replaceCost(a, i, w) + this.replaceCost(b, j, u) > this.slack) return;
    a.nodes[i] = w;
    b.nodes[j] = u;
    a.update();
    b.update();
    state.routeOf[u] = b.vehicle;
    state.routeOf[w] = a.vehicle;
  }

  /** A keeps its head up to u and takes b's tail from w on; b keeps its head and takes a's tail. */
  private twoOptStar(a: Route, u: number, b: Route, w: number): void {
    const { model, state } = this;
    if (a.hasBreakNode || b.hasBreakNode || model.vClass[a.vehicle] !== model.vClass[b.vehicle]) return;
    const v = a.vehicle;
    const size = model.size;
    const i = this.positionOf(a, u);
    const j = this.positionOf(b, w) - 1;
    const jobsA = (a.cumJobs[i] as number) + b.jobCount - (b.cumJobs[j] as number);
    const jobsB = (b.cumJobs[j] as number) + a.jobCount - (a.cumJobs[i] as number);
    if (jobsA > (model.vMaxStops[v] as number) || jobsB > (model.vMaxStops[v] as number)) return;
    const capacity = model.vCapacity[v] as number;
    if ((a.cumLoad[i] as number) + b.load - (b.cumLoad[j] as number) > capacity) return;
    if ((b.cumLoad[j] as number) + a.load - (a.cumLoad[i] as number) > capacity) return;
    const fromA = a.effLoc[i] as number;
    const toB = b.placeAt(j + 1);
    const fromB = b.effLoc[j] as number;
    const toA = a.placeAt(i + 1);
    if ((a.es[i] as number) + a.serviceAt(i) + (model.dur[fromA * size + toB] as number) > (b.ls[j + 1] as number)) return;
    if ((b.es[j] as number) + b.serviceAt(j) + (model.dur[fromB * size + toA] as number) > (a.ls[i + 1] as number)) return;
    const maxTravel = (model.vMaxTravel[v] as number) + 1e-9;
    if ((a.cumDur[i] as number) + (model.dur[fromA * size + toB] as number) + b.pathTravel - (b.cumDur[j + 1] as number) > maxTravel) return;
    if ((b.cumDur[j] as number) + (model.dur[fromB * size + toA] as number) + a.pathTravel - (a.cumDur[i + 1] as number) > maxTravel) return;
    if (this.slack < Infinity) {
      const before = (model.cost[fromA * size + toA] as number) + (model.cost[fromB * size + toB] as number);
      const afterCost = (model.cost[fromA * size + toB] as number) + (model.cost[fromB * size + toA] as number);
      if (afterCost - before > this.slack) return;
    }
    const tail = this.check.nodes;
    const tailLength = a.len - i;
    tail.set(a.nodes.subarray(i + 1, a.len + 1));
    a.nodes.set(b.nodes.subarray(j + 1, b.len + 1), i + 1);
    a.len = i + (b.len - j);
    b.nodes.set(tail.subarray(0, tailLength), j + 1);
    b.len = j + tailLength;
    a.update();
    b.update();
    state.indexRoute(a);
    state.indexRoute(b);
  }
}
