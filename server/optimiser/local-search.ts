// First-improvement descent over relocate, swap, 2-opt* (tail exchange) and or-opt (moving a run of
// 2–3 consecutive jobs to another route) moves, restricted to each
// job's nearest neighbours (granular search). Time windows are checked in O(1) from the routes'
// earliest-start (forward) and latest-start (backward) caches.
import type { Model } from './model.ts';
import { insertionDelta, Route } from './route.ts';
import type { SearchState } from './search-state.ts';

const NEIGHBOURS = 20;
const EPSILON = 1e-9;

export class LocalSearch {
  private readonly without: Route;
  private readonly spare: Route;
  private readonly buffer: Int32Array;
  private readonly granularity: number;

  constructor(
    private readonly model: Model,
    private readonly state: SearchState,
  ) {
    this.without = new Route(model, 0);
    this.spare = new Route(model, 0);
    this.buffer = new Int32Array(model.nJobs + 3);
    this.granularity = Math.min(NEIGHBOURS, model.nJobs - 1);
  }

  /** Descends until no move improves (or time is up); returns the number of moves applied. */
  run(outOfTime: () => boolean = () => false, maxPasses = 30): number {
    let moves = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      let improved = false;
      for (let job = 0; job < this.model.nJobs; job++) {
        if ((job & 63) === 63 && outOfTime()) return moves;
        if (this.state.routeOf[job] === -1) continue;
        if (this.relocate(job) || this.swap(job) || this.twoOptStar(job) || this.orOpt(job)) {
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
      a.update();
      b.update();
      state.indexRoute(a);
      state.indexRoute(b);
      return true;
    }
    return false;
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
}
