// First-improvement descent over relocate, swap, 2-opt* (tail exchange), or-opt (moving a run of
// 2–3 consecutive jobs to another route), cross-exchange (two segments of 1–3 jobs traded between
// routes, optionally reversed) and SWAP* (Vidal 2022), restricted to each job's nearest neighbours
// (granular search). Time windows are checked in O(1) from the routes' earliest-start (forward) and
// latest-start (backward) caches (segments of at most 3 jobs are walked).
import type { Model } from './model.ts';
import { insertionDelta, Route } from './route.ts';
import type { SearchState } from './search-state.ts';

const NEIGHBOURS = 20;
const EPSILON = 1e-9;
/** Longest segment moved by cross-exchange. */
const SEGMENT = 3;
/** Cross-exchange tries 72 segment pairs per neighbour, so it looks at fewer neighbours. */
const CROSS_NEIGHBOURS = 8;

export interface LocalSearchOptions {
  crossExchange?: boolean;
  swapStar?: boolean;
}

export class LocalSearch {
  private readonly without: Route;
  private readonly spare: Route;
  private readonly buffer: Int32Array;
  private readonly buffer2: Int32Array;
  private readonly granularity: number;
  private readonly useCrossExchange: boolean;
  private readonly useSwapStar: boolean;
  // SWAP* caches, per job: the 3 cheapest insertion positions in the other route of the pair.
  private readonly top3Cost: Float64Array;
  private readonly top3After: Int32Array;
  private readonly removeGain: Float64Array;
  private readonly position: Int32Array;
  /** Pass number at which a pair of routes was last tried by SWAP*, so a pass tries it once. */
  private readonly pairStamp: Int32Array;
  private passId = 1;
  /** Second result of bestInsertionWithout (kept in a field so the inner loop allocates nothing). */
  private insertAfter = -2;

  constructor(
    private readonly model: Model,
    private readonly state: SearchState,
    options: LocalSearchOptions = {},
  ) {
    this.without = new Route(model, 0);
    this.spare = new Route(model, 0);
    this.buffer = new Int32Array(model.nJobs + 3);
    this.buffer2 = new Int32Array(model.nJobs + 3);
    this.granularity = Math.min(NEIGHBOURS, model.nJobs - 1);
    this.useCrossExchange = options.crossExchange ?? true;
    this.useSwapStar = options.swapStar ?? true;
    this.top3Cost = new Float64Array(model.nJobs * 3);
    this.top3After = new Int32Array(model.nJobs * 3);
    this.removeGain = new Float64Array(model.nJobs);
    this.position = new Int32Array(model.nJobs);
    this.pairStamp = new Int32Array(model.nVehicles * model.nVehicles);
  }

  /** Descends until no move improves (or time is up); returns the number of moves applied. */
  run(outOfTime: () => boolean = () => false, maxPasses = 30): number {
    let moves = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      let improved = false;
      this.passId++;
      for (let job = 0; job < this.model.nJobs; job++) {
        if ((job & 15) === 15 && outOfTime()) return moves;
        if (this.state.routeOf[job] === -1) continue;
        if (
          this.relocate(job) ||
          this.swap(job) ||
          this.twoOptStar(job) ||
          this.orOpt(job) ||
          (this.useCrossExchange && this.crossExchange(job)) ||
          (this.useSwapStar && this.swapStarFrom(job))
        ) {
          improved = true;
          moves++;
        }
      }
      if (!improved) break;
    }
    return moves;
  }

  private routeCost(route: Route): number {
    return route.jobCount > 0 ? route.cost + this.model.vehicleWeight : 0;
  }

  private positionOf(route: Route, node: number): number {
    for (let k = 1; k <= route.len; k++) if (route.nodes[k] === node) return k;
    return -1;
  }

  /** Moves a job to its best place anywhere (same route included) if that lowers the cost. */
  relocate(job: number): boolean {
    const { model, state } = this;
    const source = state.routes[state.routeOf[job] as number] as Route;
    const at = this.positionOf(source, job);
    const without = this.without;
    without.vehicle = source.vehicle;
    without.nodes.set(source.nodes.subarray(0, source.len + 2));
    without.len = source.len;
    without.removeAt(at);
    if (!without.update()) return false;
    let best = this.routeCost(source) - this.routeCost(without) - EPSILON;
    let target: Route | undefined;
    let bestAfter = -1;
    const compatBase = job * model.nVehicles;
    for (const route of state.routes) {
      if (model.compat[compatBase + route.vehicle] === 0) continue;
      const candidate = route === source ? without : route;
      if (candidate.jobCount === 0 && route !== source && model.vehicleWeight > 0) continue;
      for (let after = 0; after <= candidate.len; after++) {
        const delta = insertionDelta(candidate, job, after, this.spare, best);
        if (delta < best) {
          best = delta;
          target = route;
          bestAfter = after;
        }
      }
    }
    if (target === undefined) return false;
    if (target === source) {
      source.copyFrom(without);
    } else {
      source.removeAt(at);
      source.update();
    }
    target.insertAt(bestAfter + 1, job);
    target.update();
    state.routeOf[job] = target.vehicle;
    return true;
  }

  /** Exchanges a job with a nearby job of another route. */
  swap(u: number): boolean {
    const { model, state } = this;
    const a = state.routes[state.routeOf[u] as number] as Route;
    const pu = this.positionOf(a, u);
    if (this.nextToBreak(a, pu)) return false;
    const base = u * model.nJobs;
    for (let i = 1; i <= this.granularity; i++) {
      const w = model.neighbours[base + i] as number;
      const rb = state.routeOf[w] as number;
      if (rb < 0 || rb === a.vehicle) continue;
      const b = state.routes[rb] as Route;
      if (model.compat[u * model.nVehicles + b.vehicle] === 0 || model.compat[w * model.nVehicles + a.vehicle] === 0) continue;
      const pw = this.positionOf(b, w);
      if (this.nextToBreak(b, pw)) continue;
      const deltaA = this.replaceDelta(a, pu, u, w);
      if (Number.isNaN(deltaA)) continue;
      const deltaB = this.replaceDelta(b, pw, w, u);
      if (Number.isNaN(deltaB) || deltaA + deltaB >= -EPSILON) continue;
      a.nodes[pu] = w;
      b.nodes[pw] = u;
      a.update();
      b.update();
      state.routeOf[u] = b.vehicle;
      state.routeOf[w] = a.vehicle;
      return true;
    }
    return false;
  }

  private nextToBreak(route: Route, position: number): boolean {
    return (route.nodes[position - 1] as number) >= this.model.nJobs || (route.nodes[position + 1] as number) >= this.model.nJobs;
  }

  /** Cost change of putting `incoming` in place of `outgoing` at a position, or NaN if infeasible. */
  private replaceDelta(route: Route, position: number, outgoing: number, incoming: number): number {
    const m = this.model;
    const v = route.vehicle;
    const size = m.size;
    if (route.load - (m.demand[outgoing] as number) + (m.demand[incoming] as number) > (m.vCapacity[v] as number)) return NaN;
    const from = route.effLoc[position - 1] as number;
    const to = route.placeAt(position + 1);
    const li = m.loc[incoming] as number;
    const lo = m.loc[outgoing] as number;
    const arrival = (route.es[position - 1] as number) + route.serviceAt(position - 1) + (m.dur[from * size + li] as number);
    const start = m.earliestStart(incoming, arrival);
    if (start === Infinity) return NaN;
    if (start + (m.service[incoming] as number) + (m.dur[li * size + to] as number) > (route.ls[position + 1] as number)) return NaN;
    const dDur = (m.dur[from * size + li] as number) + (m.dur[li * size + to] as number) - (m.dur[from * size + lo] as number) - (m.dur[lo * size + to] as number);
    if (route.pathTravel + dDur > (m.vMaxTravel[v] as number) + 1e-9) return NaN;
    return (m.cost[from * size + li] as number) + (m.cost[li * size + to] as number) - (m.cost[from * size + lo] as number) - (m.cost[lo * size + to] as number);
  }

  /**
   * 2-opt*: route A keeps its head up to job u and takes B's tail from a neighbour w; B keeps its head
   * and takes A's tail. Only between vehicles of one class (same depots, shift and skills).
   */
  twoOptStar(u: number): boolean {
    const { model, state } = this;
    const a = state.routes[state.routeOf[u] as number] as Route;
    if (a.hasBreakNode) return false;
    const i = this.positionOf(a, u);
    const base = u * model.nJobs;
    const size = model.size;
    for (let n = 1; n <= this.granularity; n++) {
      const w = model.neighbours[base + n] as number;
      const rb = state.routeOf[w] as number;
      if (rb < 0 || rb === a.vehicle) continue;
      const b = state.routes[rb] as Route;
      if (b.hasBreakNode || model.vClass[a.vehicle] !== model.vClass[b.vehicle]) continue;
      const j = this.positionOf(b, w) - 1;
      const v = a.vehicle;
      // New A: A[0..i] then B[j+1..]; new B: B[0..j] then A[i+1..].
      const jobsA = (a.cumJobs[i] as number) + b.jobCount - (b.cumJobs[j] as number);
      const jobsB = (b.cumJobs[j] as number) + a.jobCount - (a.cumJobs[i] as number);
      if (jobsA > (model.vMaxStops[v] as number) || jobsB > (model.vMaxStops[v] as number)) continue;
      const capacity = model.vCapacity[v] as number;
      if ((a.cumLoad[i] as number) + b.load - (b.cumLoad[j] as number) > capacity) continue;
      if ((b.cumLoad[j] as number) + a.load - (a.cumLoad[i] as number) > capacity) continue;
      const fromA = a.effLoc[i] as number;
      const toB = b.placeAt(j + 1);
      const fromB = b.effLoc[j] as number;
      const toA = a.placeAt(i + 1);
      const costA = (a.cumCost[i] as number) + (model.cost[fromA * size + toB] as number) + b.pathCost - (b.cumCost[j + 1] as number);
      const costB = (b.cumCost[j] as number) + (model.cost[fromB * size + toA] as number) + a.pathCost - (a.cumCost[i + 1] as number);
      const after = (jobsA > 0 ? costA + model.vehicleWeight : 0) + (jobsB > 0 ? costB + model.vehicleWeight : 0);
      if (after >= this.routeCost(a) + this.routeCost(b) - EPSILON) continue;
      const arriveB = (a.es[i] as number) + a.serviceAt(i) + (model.dur[fromA * size + toB] as number);
      if (arriveB > (b.ls[j + 1] as number)) continue;
      const arriveA = (b.es[j] as number) + b.serviceAt(j) + (model.dur[fromB * size + toA] as number);
      if (arriveA > (a.ls[i + 1] as number)) continue;
      const maxTravel = model.vMaxTravel[v] as number;
      if ((a.cumDur[i] as number) + (model.dur[fromA * size + toB] as number) + b.pathTravel - (b.cumDur[j + 1] as number) > maxTravel + 1e-9) continue;
      if ((b.cumDur[j] as number) + (model.dur[fromB * size + toA] as number) + a.pathTravel - (a.cumDur[i + 1] as number) > maxTravel + 1e-9) continue;
      // Apply: stitch the tails through a buffer.
      const tailA = this.buffer;
      const tailALength = a.len - i;
      tailA.set(a.nodes.subarray(i + 1, a.len + 1));
      a.nodes.set(b.nodes.subarray(j + 1, b.len + 1), i + 1);
      a.len = i + (b.len - j);
      b.nodes.set(tailA.subarray(0, tailALength), j + 1);
      b.len = j + tailALength;
      this.refreshExchanged(a, b);
      return true;
    }
    return false;
  }

  /** After a move that traded runs of jobs between two routes: their schedules and job index. */
  private refreshExchanged(a: Route, b: Route): void {
    a.update();
    b.update();
    this.state.indexRoute(a);
    this.state.indexRoute(b);
  }

  /** Or-opt: moves the run of 2–3 jobs starting at `u` next to a neighbour in another route. */
  orOpt(u: number): boolean {
    const { model, state } = this;
    const source = state.routes[state.routeOf[u] as number] as Route;
    const i = this.positionOf(source, u);
    const size = model.size;
    for (let length = 2; length <= 3; length++) {
      const last = i + length - 1;
      if (last > source.len) return false;
      let breakInside = false;
      for (let k = i - 1; k <= last + 1; k++) if ((source.nodes[k] as number) >= model.nJobs) breakInside = true;
      if (breakInside) return false;
      const first = model.loc[u] as number;
      const tail = model.loc[source.nodes[last] as number] as number;
      const prev = source.effLoc[i - 1] as number;
      const next = source.placeAt(last + 1);
      // Closing the gap in the source must keep its schedule (matrices need not be metric).
      const closeArrival = (source.es[i - 1] as number) + source.serviceAt(i - 1) + (model.dur[prev * size + next] as number);
      if (closeArrival > (source.ls[last + 1] as number)) continue;
      const segmentLoad = (source.cumLoad[last] as number) - (source.cumLoad[i - 1] as number);
      const segmentTravel = (source.cumDur[last] as number) - (source.cumDur[i] as number);
      const leftJobs = source.jobCount - length;
      const sourceAfter = leftJobs > 0 ? source.cost - (model.cost[prev * size + first] as number) - (source.cumCost[last] as number) + (source.cumCost[i] as number) - (model.cost[tail * size + next] as number) + (model.cost[prev * size + next] as number) + model.vehicleWeight : 0;
      const gain = this.routeCost(source) - sourceAfter;
      const base = u * model.nJobs;
      for (let n = 1; n <= this.granularity; n++) {
        const w = model.neighbours[base + n] as number;
        const rt = state.routeOf[w] as number;
        if (rt < 0 || rt === source.vehicle) continue;
        const target = state.routes[rt] as Route;
        const v = target.vehicle;
        let compatible = true;
        for (let k = i; k <= last; k++) if (model.compat[(source.nodes[k] as number) * model.nVehicles + v] === 0) compatible = false;
        if (!compatible) continue;
        if (target.load + segmentLoad > (model.vCapacity[v] as number) || target.jobCount + length > (model.vMaxStops[v] as number)) continue;
        const at = this.positionOf(target, w);
        // Try the run just before and just after the neighbour.
        for (let after = at - 1; after <= at; after++) {
          if ((target.nodes[after + 1] as number) >= model.nJobs) continue;
          const from = target.effLoc[after] as number;
          const to = target.placeAt(after + 1);
          const added = (model.cost[from * size + first] as number) + ((source.cumCost[last] as number) - (source.cumCost[i] as number)) + (model.cost[tail * size + to] as number) - (model.cost[from * size + to] as number);
          if (added >= gain - EPSILON) continue;
          const travel = target.pathTravel + (model.dur[from * size + first] as number) + segmentTravel + (model.dur[tail * size + to] as number) - (model.dur[from * size + to] as number);
          if (travel > (model.vMaxTravel[v] as number) + 1e-9) continue;
          // Walk the schedule through the run: O(length).
          let time = (target.es[after] as number) + target.serviceAt(after);
          let place = from;
          let feasible = true;
          for (let k = i; k <= last && feasible; k++) {
            const node = source.nodes[k] as number;
            const here = model.loc[node] as number;
            const start = model.earliestStart(node, time + (model.dur[place * size + here] as number));
            if (start === Infinity) feasible = false;
            time = start + (model.service[node] as number);
            place = here;
          }
          if (!feasible || time + (model.dur[tail * size + to] as number) > (target.ls[after + 1] as number)) continue;
          // Apply: copy the run, cut it from the source, splice it into the target.
          const run = this.buffer;
          run.set(source.nodes.subarray(i, last + 1));
          source.nodes.copyWithin(i, last + 1, source.len + 2);
          source.len -= length;
          target.nodes.copyWithin(after + 1 + length, after + 1, target.len + 2);
          target.nodes.set(run.subarray(0, length), after + 1);
          target.len += length;
          source.update();
          target.update();
          state.indexRoute(target);
          return true;
        }
      }
    }
    return false;
  }

  /** Whether positions first-1..last+1 hold no break (segment moves do not handle a break's place). */
  private clearOfBreaks(route: Route, first: number, last: number): boolean {
    for (let k = first - 1; k <= last + 1; k++) if ((route.nodes[k] as number) >= this.model.nJobs) return false;
    return true;
  }

  /**
   * Cost change of replacing positions s..e of `route` with src[ss..se] (reversed if asked), or NaN
   * when capacity, stops, skills or the travel limit forbid it. The schedule is checked separately.
   */
  private segmentCostDelta(route: Route, s: number, e: number, src: Route, ss: number, se: number, reversed: boolean): number {
    const m = this.model;
    const v = route.vehicle;
    const size = m.size;
    const load = route.load - ((route.cumLoad[e] as number) - (route.cumLoad[s - 1] as number)) + ((src.cumLoad[se] as number) - (src.cumLoad[ss - 1] as number));
    if (load > (m.vCapacity[v] as number)) return NaN;
    if (route.jobCount - (e - s + 1) + (se - ss + 1) > (m.vMaxStops[v] as number)) return NaN;
    let place = route.effLoc[s - 1] as number;
    let cost = 0;
    let travel = 0;
    for (let n = 0; n <= se - ss; n++) {
      const node = src.nodes[reversed ? se - n : ss + n] as number;
      if (m.compat[node * m.nVehicles + v] === 0) return NaN;
      const here = m.loc[node] as number;
      cost += m.cost[place * size + here] as number;
      travel += m.dur[place * size + here] as number;
      place = here;
    }
    const to = route.placeAt(e + 1);
    cost += m.cost[place * size + to] as number;
    travel += m.dur[place * size + to] as number;
    const oldTravel = (route.cumDur[e + 1] as number) - (route.cumDur[s - 1] as number);
    if (route.pathTravel - oldTravel + travel > (m.vMaxTravel[v] as number) + 1e-9) return NaN;
    return cost - ((route.cumCost[e + 1] as number) - (route.cumCost[s - 1] as number));
  }

  /** Schedule check of the same replacement: walk the ≤ 3 incoming jobs, then the slack of e + 1. */
  private segmentFits(route: Route, s: number, e: number, src: Route, ss: number, se: number, reversed: boolean): boolean {
    const m = this.model;
    const size = m.size;
    let place = route.effLoc[s - 1] as number;
    let time = (route.es[s - 1] as number) + route.serviceAt(s - 1);
    for (let n = 0; n <= se - ss; n++) {
      const node = src.nodes[reversed ? se - n : ss + n] as number;
      const here = m.loc[node] as number;
      const start = m.earliestStart(node, time + (m.dur[place * size + here] as number));
      if (start === Infinity) return false;
      time = start + (m.service[node] as number);
      place = here;
    }
    return time + (m.dur[place * size + route.placeAt(e + 1)] as number) <= (route.ls[e + 1] as number);
  }

  /** Overwrites positions s..e of `route` with `length` nodes from `segment`. */
  private static replaceSegment(route: Route, s: number, e: number, segment: Int32Array, length: number): void {
    route.nodes.copyWithin(s + length, e + 1, route.len + 2);
    route.nodes.set(segment.subarray(0, length), s);
    route.len += length - (e - s + 1);
  }

  /**
   * Cross-exchange: the segment of 1–3 jobs starting at `u` trades places with a segment of 1–3 jobs
   * of another route starting right after a neighbour w (so u follows w); either segment may be
   * reversed. (Starting at w itself is left to swap and SWAP*: it doubled the time for little gain.) Cost first, then the O(segment) schedule checks against the latest starts.
   */
  crossExchange(u: number): boolean {
    const { model, state } = this;
    const a = state.routes[state.routeOf[u] as number] as Route;
    const i = this.positionOf(a, u);
    const base = u * model.nJobs;
    const neighbours = Math.min(CROSS_NEIGHBOURS, this.granularity);
    for (let n = 1; n <= neighbours; n++) {
      const w = model.neighbours[base + n] as number;
      const rb = state.routeOf[w] as number;
      if (rb < 0 || rb === a.vehicle) continue;
      const b = state.routes[rb] as Route;
      const pw = this.positionOf(b, w);
      for (let la = 1; la <= SEGMENT; la++) {
        const ea = i + la - 1;
        if (ea > a.len || !this.clearOfBreaks(a, i, ea)) break;
        {
          // B's segment starts right after w, so that u's segment follows its neighbour w.
          const s = pw + 1;
          for (let lb = 1; lb <= SEGMENT; lb++) {
            const eb = s + lb - 1;
            if (eb > b.len || !this.clearOfBreaks(b, s, eb)) break;
            for (let rev = 0; rev < 4; rev++) {
              const revA = (rev & 1) === 1; // A's segment reversed on its way into B
              const revB = (rev & 2) === 2;
              if ((revA && la === 1) || (revB && lb === 1)) continue;
              const deltaA = this.segmentCostDelta(a, i, ea, b, s, eb, revB);
              if (Number.isNaN(deltaA)) continue;
              const deltaB = this.segmentCostDelta(b, s, eb, a, i, ea, revA);
              if (Number.isNaN(deltaB) || deltaA + deltaB >= -EPSILON) continue;
              if (!this.segmentFits(a, i, ea, b, s, eb, revB) || !this.segmentFits(b, s, eb, a, i, ea, revA)) continue;
              const segA = this.buffer;
              const segB = this.buffer2;
              for (let k = 0; k < la; k++) segA[k] = a.nodes[revA ? ea - k : i + k] as number;
              for (let k = 0; k < lb; k++) segB[k] = b.nodes[revB ? eb - k : s + k] as number;
              LocalSearch.replaceSegment(a, i, ea, segB, lb);
              LocalSearch.replaceSegment(b, s, eb, segA, la);
              this.refreshExchanged(a, b);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** SWAP* with each route holding one of u's neighbours, once per route pair and pass. */
  swapStarFrom(u: number): boolean {
    const { model, state } = this;
    const ra = state.routeOf[u] as number;
    const base = u * model.nJobs;
    const nV = model.nVehicles;
    for (let n = 1; n <= this.granularity; n++) {
      const rb = state.routeOf[model.neighbours[base + n] as number] as number;
      if (rb < 0 || rb === ra) continue;
      const pair = ra < rb ? ra * nV + rb : rb * nV + ra;
      if (this.pairStamp[pair] === this.passId) continue;
      this.pairStamp[pair] = this.passId;
      if (this.swapStar(state.routes[ra] as Route, state.routes[rb] as Route)) return true;
    }
    return false;
  }

  /**
   * For every job of `from`: the cost saved by removing it, and its 3 cheapest insertion positions in
   * `into` that pass the O(1) schedule check (capacity is checked per pair of swapped jobs).
   */
  private preprocessInsertions(from: Route, into: Route): void {
    const m = this.model;
    const size = m.size;
    const nJobs = m.nJobs;
    const v = into.vehicle;
    for (let k = 1; k <= from.len; k++) {
      const u = from.nodes[k] as number;
      if (u >= nJobs) continue;
      this.position[u] = k;
      const here = m.loc[u] as number;
      const prev = from.effLoc[k - 1] as number;
      const next = from.placeAt(k + 1);
      this.removeGain[u] =
        (from.nodes[k - 1] as number) >= nJobs || (from.nodes[k + 1] as number) >= nJobs
          ? NaN
          : (m.cost[prev * size + here] as number) + (m.cost[here * size + next] as number) - (m.cost[prev * size + next] as number);
      const t = u * 3;
      this.top3Cost[t] = Infinity;
      this.top3Cost[t + 1] = Infinity;
      this.top3Cost[t + 2] = Infinity;
      this.top3After[t] = -1;
      this.top3After[t + 1] = -1;
      this.top3After[t + 2] = -1;
      if (m.compat[u * m.nVehicles + v] === 0) continue;
      for (let after = 0; after <= into.len; after++) {
        if ((into.nodes[after] as number) >= nJobs || (into.nodes[after + 1] as number) >= nJobs) continue;
        const a = into.effLoc[after] as number;
        const b = into.placeAt(after + 1);
        const delta = (m.cost[a * size + here] as number) + (m.cost[here * size + b] as number) - (m.cost[a * size + b] as number);
        if (delta >= (this.top3Cost[t + 2] as number)) continue;
        const start = m.earliestStart(u, (into.es[after] as number) + into.serviceAt(after) + (m.dur[a * size + here] as number));
        if (start === Infinity || start + (m.service[u] as number) + (m.dur[here * size + b] as number) > (into.ls[after + 1] as number)) continue;
        let slot = 2;
        while (slot > 0 && delta < (this.top3Cost[t + slot - 1] as number)) {
          this.top3Cost[t + slot] = this.top3Cost[t + slot - 1] as number;
          this.top3After[t + slot] = this.top3After[t + slot - 1] as number;
          slot--;
        }
        this.top3Cost[t + slot] = delta;
        this.top3After[t + slot] = after;
      }
    }
  }

  /**
   * Cheapest way to put `u` into `route` once `out` (at position p) has left it: one of u's 3 best
   * positions not next to `out`, or `out`'s place. Sets insertAfter (-1 = in place); NaN if none.
   */
  private bestInsertionWithout(route: Route, u: number, p: number): number {
    const m = this.model;
    const size = m.size;
    const t = u * 3;
    let best = Infinity;
    this.insertAfter = -2;
    for (let k = 0; k < 3; k++) {
      const after = this.top3After[t + k] as number;
      if (after < 0) break;
      if (after === p - 1 || after === p) continue;
      best = this.top3Cost[t + k] as number;
      this.insertAfter = after;
      break;
    }
    const prev = route.effLoc[p - 1] as number;
    const next = route.placeAt(p + 1);
    const here = m.loc[u] as number;
    const inPlace = (m.cost[prev * size + here] as number) + (m.cost[here * size + next] as number) - (m.cost[prev * size + next] as number);
    if (inPlace < best && m.compat[u * m.nVehicles + route.vehicle] === 1) {
      const start = m.earliestStart(u, (route.es[p - 1] as number) + route.serviceAt(p - 1) + (m.dur[prev * size + here] as number));
      if (start !== Infinity && start + (m.service[u] as number) + (m.dur[here * size + next] as number) <= (route.ls[p + 1] as number)) {
        best = inPlace;
        this.insertAfter = -1;
      }
    }
    return best === Infinity ? NaN : best;
  }

  /** Builds into `target` the route `source` with position p removed and `node` put in (see above). */
  private static exchanged(target: Route, source: Route, p: number, node: number, after: number): boolean {
    target.vehicle = source.vehicle;
    // Element copy rather than set(subarray()): this runs inside the pair loop, so no view objects.
    for (let k = 0; k <= source.len + 1; k++) target.nodes[k] = source.nodes[k] as number;
    target.len = source.len;
    if (after === -1) target.nodes[p] = node;
    else {
      target.removeAt(p);
      target.insertAt(after < p ? after + 1 : after, node);
    }
    return target.update();
  }

  /**
   * SWAP* (Vidal 2022; HGS-CVRP LocalSearch::swapStar): exchange u of A with v of B, each inserted
   * at its best position in the other route, not necessarily in the other's place. Candidates are
   * ranked with the cached costs and O(1) checks; since those checks assume the other job is still
   * there, an improving candidate is confirmed by simulating both new routes.
   */
  swapStar(a: Route, b: Route): boolean {
    const m = this.model;
    const nJobs = m.nJobs;
    this.preprocessInsertions(a, b);
    this.preprocessInsertions(b, a);
    const capA = m.vCapacity[a.vehicle] as number;
    const capB = m.vCapacity[b.vehicle] as number;
    const scratchA = this.without;
    const scratchB = this.spare;
    let bestApprox = -EPSILON;
    let bestU = -1;
    let bestV = -1;
    let bestAfterU = -2;
    let bestAfterV = -2;
    for (let ka = 1; ka <= a.len; ka++) {
      const u = a.nodes[ka] as number;
      if (u >= nJobs) continue;
      const gainU = this.removeGain[u] as number;
      if (Number.isNaN(gainU)) continue;
      const du = m.demand[u] as number;
      for (let kb = 1; kb <= b.len; kb++) {
        const v = b.nodes[kb] as number;
        if (v >= nJobs) continue;
        const gainV = this.removeGain[v] as number;
        if (Number.isNaN(gainV)) continue;
        const dv = m.demand[v] as number;
        if (a.load - du + dv > capA || b.load - dv + du > capB) continue;
        const insU = this.bestInsertionWithout(b, u, kb);
        if (Number.isNaN(insU)) continue;
        const afterU = this.insertAfter;
        const partial = insU - gainU - gainV;
        if (partial >= bestApprox) continue;
        const insV = this.bestInsertionWithout(a, v, ka);
        if (Number.isNaN(insV)) continue;
        const approx = partial + insV;
        if (approx >= bestApprox) continue;
        const afterV = this.insertAfter;
        // Confirm exactly (the other job's removal shifts the schedule) before keeping it.
        if (!LocalSearch.exchanged(scratchA, a, ka, v, afterV) || !LocalSearch.exchanged(scratchB, b, kb, u, afterU)) continue;
        if (scratchA.cost + scratchB.cost - a.cost - b.cost >= -EPSILON) continue;
        bestApprox = approx;
        bestU = u;
        bestV = v;
        bestAfterU = afterU;
        bestAfterV = afterV;
      }
    }
    if (bestU < 0) return false;
    LocalSearch.exchanged(scratchA, a, this.position[bestU] as number, bestV, bestAfterV);
    LocalSearch.exchanged(scratchB, b, this.position[bestV] as number, bestU, bestAfterU);
    a.copyFrom(scratchA);
    b.copyFrom(scratchB);
    this.state.routeOf[bestU] = b.vehicle;
    this.state.routeOf[bestV] = a.vehicle;
    return true;
  }
}
