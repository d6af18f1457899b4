// One vehicle's route with cached forward (earliest start) and backward (latest start) schedules,
// so that inserting a job between two stops is checked in O(1).
// Positions: 0 = start depot, 1..len = nodes, len + 1 = end depot.
import type { Model } from './model.ts';

export const START = -1;
export const END = -2;

export class Route {
  readonly nodes: Int32Array;
  len = 0;
  /** Earliest start of service at each position. */
  readonly es: Float64Array;
  /** Latest start of service at each position that keeps the rest of the route feasible. */
  readonly ls: Float64Array;
  /** Matrix index where the team is at each position (a break stays where the previous stop was). */
  readonly effLoc: Int32Array;
  readonly cumCost: Float64Array;
  readonly cumDur: Float64Array;
  /** Load and number of jobs up to and including each position. */
  readonly cumLoad: Float64Array;
  readonly cumJobs: Int32Array;
  jobCount = 0;
  load = 0;
  /** Travel cost of the route; 0 when it serves no job (the team stays home). */
  cost = 0;
  travel = 0;
  feasible = true;
  hasBreakNode = false;
  /** Path cost and travel including the depot legs, even when the route serves no job. */
  pathCost = 0;
  pathTravel = 0;

  constructor(
    readonly model: Model,
    /** Mutable only for scratch routes, which simulate changes for any vehicle. */
    public vehicle: number,
  ) {
    const capacity = model.nJobs + 3;
    this.nodes = new Int32Array(capacity);
    this.es = new Float64Array(capacity);
    this.ls = new Float64Array(capacity);
    this.effLoc = new Int32Array(capacity);
    this.cumCost = new Float64Array(capacity);
    this.cumDur = new Float64Array(capacity);
    this.cumLoad = new Float64Array(capacity);
    this.cumJobs = new Int32Array(capacity);
    this.nodes[0] = START;
    this.nodes[1] = END;
    const breakNode = model.vBreak[vehicle] as number;
    if (breakNode >= 0) {
      this.nodes[1] = breakNode;
      this.nodes[2] = END;
      this.len = 1;
    }
    this.update();
  }

  serviceAt(position: number): number {
    const node = this.nodes[position] as number;
    return node >= 0 ? (this.model.service[node] as number) : 0;
  }

  /** Matrix index of the place at a position, for travel into it from the previous place. */
  placeAt(position: number): number {
    const node = this.nodes[position] as number;
    if (node === END) return this.model.vEnd[this.vehicle] as number;
    if (node === START) return this.model.vStart[this.vehicle] as number;
    return this.model.loc[node] as number;
  }

  /** Recomputes every cache after a change; returns whether the route is feasible. */
  update(): boolean {
    const m = this.model;
    const v = this.vehicle;
    const size = m.size;
    const nodes = this.nodes;
    const last = this.len + 1;
    nodes[last] = END;
    let place = m.vStart[v] as number;
    this.effLoc[0] = place;
    this.es[0] = m.vShiftStart[v] as number;
    this.cumCost[0] = 0;
    this.cumDur[0] = 0;
    this.cumLoad[0] = 0;
    this.cumJobs[0] = 0;
    let departure = this.es[0] as number;
    let feasible = true;
    let load = 0;
    let jobs = 0;
    let hasBreak = false;
    let cost = 0;
    let travel = 0;
    for (let k = 1; k <= last; k++) {
      const node = nodes[k] as number;
      let arrival = departure;
      if (node === END || node < m.nJobs) {
        const next = node === END ? (m.vEnd[v] as number) : (m.loc[node] as number);
        cost += m.cost[place * size + next] as number;
        const d = m.dur[place * size + next] as number;
        travel += d;
        arrival += d;
        place = next;
      }
      this.effLoc[k] = place;
      this.cumCost[k] = cost;
      this.cumDur[k] = travel;
      if (node === END) {
        this.cumLoad[k] = load;
        this.cumJobs[k] = jobs;
        this.es[k] = arrival;
        if (arrival > (m.vShiftEnd[v] as number)) feasible = false;
        break;
      }
      if (node >= m.nJobs) hasBreak = true;
      else {
        jobs++;
        load += m.demand[node] as number;
      }
      this.cumLoad[k] = load;
      this.cumJobs[k] = jobs;
      const start = m.earliestStart(node, arrival);
      if (start === Infinity) feasible = false;
      this.es[k] = start;
      departure = start + (m.service[node] as number);
    }
    // Backward pass: latest start at each position.
    this.ls[last] = m.vShiftEnd[v] as number;
    for (let k = last - 1; k >= 0; k--) {
      const node = nodes[k] as number;
      const nextNode = nodes[k + 1] as number;
      const travelNext = nextNode >= m.nJobs ? 0 : (m.dur[(this.effLoc[k] as number) * size + this.placeAt(k + 1)] as number);
      const bound = (this.ls[k + 1] as number) - travelNext - (node >= 0 ? (m.service[node] as number) : 0);
      this.ls[k] = node >= 0 ? m.latestStart(node, bound) : bound;
    }
    if ((this.ls[0] as number) < (this.es[0] as number)) feasible = false;
    this.jobCount = jobs;
    this.load = load;
    this.hasBreakNode = hasBreak;
    this.pathCost = cost;
    this.pathTravel = travel;
    this.cost = jobs > 0 ? cost : 0;
    this.travel = jobs > 0 ? travel : 0;
    if (jobs > 0) {
      if (load > (m.vCapacity[v] as number)) feasible = false;
      if (jobs > (m.vMaxStops[v] as number)) feasible = false;
      if (travel > (m.vMaxTravel[v] as number) + 1e-9) feasible = false;
    }
    this.feasible = feasible;
    return feasible;
  }


  insertAt(position: number, node: number): void {
    // position: the node will sit at this position (1..len+1).
    this.nodes.copyWithin(position + 1, position, this.len + 1);
    this.nodes[position] = node;
    this.len++;
  }

  removeAt(position: number): number {
    const node = this.nodes[position] as number;
    this.nodes.copyWithin(position, position + 1, this.len + 2);
    this.len--;
    return node;
  }

  copyFrom(other: Route): void {
    this.nodes.set(other.nodes.subarray(0, other.len + 2));
    this.len = other.len;
    this.update();
  }
}

/**
 * Cost increase of inserting job `job` so that it follows position `after`, or NaN if infeasible.
 * O(1) except right before a break (the break's place would move), where the route is re-simulated.
 */
export function insertionDelta(route: Route, job: number, after: number, scratch: Route, bound = Infinity): number {
  const m = route.model;
  const v = route.vehicle;
  const size = m.size;
  if (route.jobCount + 1 > (m.vMaxStops[v] as number)) return NaN;
  if (route.load + (m.demand[job] as number) > (m.vCapacity[v] as number)) return NaN;
  const nextNode = route.nodes[after + 1] as number;
  if (nextNode >= m.nJobs) return slowInsertionDelta(route, job, after, scratch);
  const from = route.effLoc[after] as number;
  const here = m.loc[job] as number;
  const to = route.placeAt(after + 1);
  // Cost first: most positions lose to the best one found so far and need no schedule check.
  let delta = (m.cost[from * size + here] as number) + (m.cost[here * size + to] as number) - (m.cost[from * size + to] as number);
  if (route.jobCount === 0) delta += route.pathCost + m.vehicleWeight;
  if (delta >= bound) return NaN;
  const toHere = m.dur[from * size + here] as number;
  const arrival = (route.es[after] as number) + route.serviceAt(after) + toHere;
  const start = m.earliestStart(job, arrival);
  if (start === Infinity) return NaN;
  const fromHere = m.dur[here * size + to] as number;
  if (start + (m.service[job] as number) + fromHere > (route.ls[after + 1] as number)) return NaN;
  if (route.pathTravel + toHere + fromHere - (m.dur[from * size + to] as number) > (m.vMaxTravel[v] as number) + 1e-9) return NaN;
  return delta;
}

function slowInsertionDelta(route: Route, job: number, after: number, scratch: Route): number {
  scratch.vehicle = route.vehicle;
  scratch.nodes.set(route.nodes.subarray(0, route.len + 2));
  scratch.len = route.len;
  scratch.insertAt(after + 1, job);
  if (!scratch.update()) return NaN;
  const before = route.jobCount === 0 ? 0 : route.cost;
  return scratch.cost - before + (route.jobCount === 0 ? route.model.vehicleWeight : 0);
}
