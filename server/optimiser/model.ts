// The problem compiled into flat typed arrays for the search. Nodes 0..nJobs-1 are jobs;
// node nJobs + v is vehicle v's lunch break (present in its route only if it has one).
import type { Objective, Problem } from './problem.ts';

export const NO_BREAK = -1;

export class Model {
  readonly nJobs: number;
  readonly nVehicles: number;
  readonly nNodes: number;
  readonly size: number;
  readonly dur: Float64Array;
  readonly cost: Float64Array;

  /** Matrix index of a node; -1 for breaks, which happen where the team already is. */
  readonly loc: Int32Array;
  readonly service: Float64Array;
  readonly demand: Float64Array;
  readonly twOffset: Int32Array;
  readonly twStart: Float64Array;
  readonly twEnd: Float64Array;
  readonly lastTwEnd: Float64Array;
  readonly priority: Float64Array;
  readonly mandatory: Uint8Array;
  /** compat[job * nVehicles + v] = 1 when the vehicle has every skill the job needs. */
  readonly compat: Uint8Array;

  readonly vStart: Int32Array;
  readonly vEnd: Int32Array;
  readonly vShiftStart: Float64Array;
  readonly vShiftEnd: Float64Array;
  readonly vCapacity: Float64Array;
  readonly vMaxStops: Int32Array;
  readonly vMaxTravel: Float64Array;
  readonly vBreak: Int32Array;
  /** Vehicles with identical attributes share a class: only one empty route per class is tried. */
  readonly vClass: Int32Array;

  /** For each job, the other jobs sorted by increasing cost from it. */
  readonly neighbours: Int32Array;

  /** Weights turning the lexicographic objective into one number. */
  readonly mandatoryWeight: number;
  readonly priorityWeight: number;
  readonly vehicleWeight: number;
  readonly anyBreaks: boolean;

  constructor(
    readonly problem: Problem,
    readonly objective: Objective,
  ) {
    const { matrix, jobs, vehicles } = problem;
    const nJobs = jobs.length;
    const nVehicles = vehicles.length;
    this.nJobs = nJobs;
    this.nVehicles = nVehicles;
    this.nNodes = nJobs + nVehicles;
    const size = matrix.size;
    this.size = size;
    this.dur = Float64Array.from(matrix.durations);
    this.cost = matrix.costs ? Float64Array.from(matrix.costs) : this.dur;

    const n = this.nNodes;
    this.loc = new Int32Array(n).fill(-1);
    this.service = new Float64Array(n);
    this.demand = new Float64Array(n);
    this.priority = new Float64Array(n);
    this.mandatory = new Uint8Array(n);
    this.lastTwEnd = new Float64Array(n);
    this.twOffset = new Int32Array(n + 1);

    let windowCount = 0;
    for (const job of jobs) windowCount += job.windows?.length ?? 1;
    for (const v of vehicles) windowCount += v.lunch?.windows.length ?? 1;
    this.twStart = new Float64Array(windowCount);
    this.twEnd = new Float64Array(windowCount);

    let w = 0;
    jobs.forEach((job, i) => {
      this.loc[i] = job.location;
      this.service[i] = job.service ?? 0;
      this.demand[i] = job.demand ?? 0;
      this.mandatory[i] = job.mandatory === false ? 0 : 1;
      this.priority[i] = job.priority ?? 0;
      this.twOffset[i] = w;
      for (const tw of job.windows ?? [{ start: -Infinity, end: Infinity }]) {
        this.twStart[w] = tw.start;
        this.twEnd[w] = tw.end;
        w++;
      }
      this.lastTwEnd[i] = this.twEnd[w - 1] as number;
    });

    this.vStart = new Int32Array(nVehicles);
    this.vEnd = new Int32Array(nVehicles);
    this.vShiftStart = new Float64Array(nVehicles);
    this.vShiftEnd = new Float64Array(nVehicles);
    this.vCapacity = new Float64Array(nVehicles);
    this.vMaxStops = new Int32Array(nVehicles);
    this.vMaxTravel = new Float64Array(nVehicles);
    this.vBreak = new Int32Array(nVehicles).fill(NO_BREAK);
    this.vClass = new Int32Array(nVehicles);
    const classKeys = new Map<string, number>();
    vehicles.forEach((v, k) => {
      const node = nJobs + k;
      this.vStart[k] = v.start;
      this.vEnd[k] = v.end;
      this.vShiftStart[k] = v.shift.start;
      this.vShiftEnd[k] = v.shift.end;
      this.vCapacity[k] = v.capacity ?? Infinity;
      this.vMaxStops[k] = Math.min(v.maxStops ?? nJobs, 2 ** 30);
      this.vMaxTravel[k] = v.maxTravelTime ?? Infinity;
      this.twOffset[node] = w;
      if (v.lunch) {
        this.vBreak[k] = node;
        this.service[node] = v.lunch.duration;
        for (const tw of v.lunch.windows) {
          this.twStart[w] = tw.start;
          this.twEnd[w] = tw.end;
          w++;
        }
      } else {
        this.twStart[w] = -Infinity;
        this.twEnd[w] = Infinity;
        w++;
      }
      this.lastTwEnd[node] = this.twEnd[w - 1] as number;
      const key = JSON.stringify([v.start, v.end, v.shift, [...(v.skills ?? [])].sort(), v.lunch, v.maxStops, v.maxTravelTime, v.capacity]);
      let cls = classKeys.get(key);
      if (cls === undefined) {
        cls = classKeys.size;
        classKeys.set(key, cls);
      }
      this.vClass[k] = cls;
    });
    this.twOffset[n] = w;
    this.anyBreaks = vehicles.some((v) => v.lunch !== undefined);

    this.compat = new Uint8Array(nJobs * nVehicles);
    const vehicleSkills = vehicles.map((v) => new Set(v.skills ?? []));
    jobs.forEach((job, i) => {
      vehicleSkills.forEach((skills, k) => {
        this.compat[i * nVehicles + k] = (job.skills ?? []).every((s) => skills.has(s)) ? 1 : 0;
      });
    });

    this.neighbours = new Int32Array(nJobs * nJobs);
    const order = new Int32Array(nJobs);
    const key = new Float64Array(nJobs);
    for (let i = 0; i < nJobs; i++) {
      const li = this.loc[i] as number;
      for (let j = 0; j < nJobs; j++) {
        order[j] = j;
        key[j] = j === i ? -1 : (this.cost[li * size + (this.loc[j] as number)] as number);
      }
      order.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
      this.neighbours.set(order, i * nJobs);
    }

    // Lexicographic weights: a unit of the higher objective outweighs any total of the lower ones.
    let maxRow = 0;
    for (let i = 0; i < size; i++) {
      let rowMax = 0;
      for (let j = 0; j < size; j++) rowMax = Math.max(rowMax, this.cost[i * size + j] as number);
      maxRow += rowMax;
    }
    const travelBound = (maxRow + 1) * 2;
    this.vehicleWeight = objective === 'fleet' ? travelBound : 0;
    const minPositivePriority = jobs.reduce((m, j) => (j.mandatory === false && (j.priority ?? 0) > 0 ? Math.min(m, j.priority ?? 0) : m), Infinity);
    this.priorityWeight = Number.isFinite(minPositivePriority) ? (travelBound + this.vehicleWeight * nVehicles) / minPositivePriority : 1;
    let priorityTotal = 0;
    for (const j of jobs) if (j.mandatory === false) priorityTotal += j.priority ?? 0;
    this.mandatoryWeight = travelBound + this.vehicleWeight * nVehicles + this.priorityWeight * priorityTotal;
  }

  isBreak(node: number): boolean {
    return node >= this.nJobs;
  }

  /** Earliest start of service at `node` when arriving at `arrival`; Infinity if every window is past. */
  earliestStart(node: number, arrival: number): number {
    const end = this.twOffset[node + 1] as number;
    for (let w = this.twOffset[node] as number; w < end; w++) {
      if (arrival <= (this.twEnd[w] as number)) return Math.max(arrival, this.twStart[w] as number);
    }
    return Infinity;
  }

  /** Latest start of service at `node` not after `bound`; -Infinity if every window is later. */
  latestStart(node: number, bound: number): number {
    const begin = this.twOffset[node] as number;
    for (let w = (this.twOffset[node + 1] as number) - 1; w >= begin; w--) {
      if (bound >= (this.twStart[w] as number)) return Math.min(bound, this.twEnd[w] as number);
    }
    return -Infinity;
  }
}
