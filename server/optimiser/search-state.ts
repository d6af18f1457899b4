// The working solution: one Route per vehicle, the pool of unserved jobs, and cheap undo
// (routes touched by an iteration are copied once, restored on rejection).
import type { Model } from './model.ts';
import { Route } from './route.ts';

export class SearchState {
  readonly routes: Route[];
  /** Route index of each node, -1 when not planned. */
  readonly routeOf: Int32Array;
  /** Jobs that could be served but are not (yet). */
  readonly pool: Int32Array;
  poolSize = 0;
  readonly scratch: Route;

  private readonly touched: Uint8Array;
  private readonly touchedList: Int32Array;
  private touchedCount = 0;
  private readonly backupNodes: Int32Array[];
  private readonly backupLen: Int32Array;
  private readonly backupPool: Int32Array;
  private backupPoolSize = 0;

  constructor(readonly model: Model) {
    const v = model.nVehicles;
    this.routes = Array.from({ length: v }, (_, k) => new Route(model, k));
    this.scratch = new Route(model, 0);
    this.routeOf = new Int32Array(model.nNodes).fill(-1);
    for (const route of this.routes) this.indexRoute(route);
    this.pool = new Int32Array(model.nJobs);
    this.backupPool = new Int32Array(model.nJobs);
    this.touched = new Uint8Array(v);
    this.touchedList = new Int32Array(v);
    this.backupNodes = Array.from({ length: v }, () => new Int32Array(model.nJobs + 3));
    this.backupLen = new Int32Array(v);
  }

  indexRoute(route: Route): void {
    for (let k = 1; k <= route.len; k++) this.routeOf[route.nodes[k] as number] = route.vehicle;
  }

  /** Starts an undoable step. */
  begin(): void {
    this.commit();
    this.backupPool.set(this.pool.subarray(0, this.poolSize));
    this.backupPoolSize = this.poolSize;
  }

  touch(r: number): void {
    if (this.touched[r] === 1) return;
    this.touched[r] = 1;
    this.touchedList[this.touchedCount++] = r;
    const route = this.routes[r] as Route;
    (this.backupNodes[r] as Int32Array).set(route.nodes.subarray(0, route.len + 2));
    this.backupLen[r] = route.len;
  }

  commit(): void {
    for (let i = 0; i < this.touchedCount; i++) this.touched[this.touchedList[i] as number] = 0;
    this.touchedCount = 0;
  }

  rollback(): void {
    for (let i = 0; i < this.poolSize; i++) this.routeOf[this.pool[i] as number] = -1;
    for (let i = 0; i < this.touchedCount; i++) {
      const r = this.touchedList[i] as number;
      this.touched[r] = 0;
      const route = this.routes[r] as Route;
      route.len = this.backupLen[r] as number;
      route.nodes.set((this.backupNodes[r] as Int32Array).subarray(0, route.len + 2));
      route.update();
      this.indexRoute(route);
    }
    this.touchedCount = 0;
    this.pool.set(this.backupPool.subarray(0, this.backupPoolSize));
    this.poolSize = this.backupPoolSize;
    for (let i = 0; i < this.poolSize; i++) this.routeOf[this.pool[i] as number] = -1;
  }

  /** Removes the job at a position into the pool (the route's caches are refreshed by the caller). */
  removeToPool(route: Route, position: number): void {
    this.touch(route.vehicle);
    const node = route.removeAt(position);
    this.routeOf[node] = -1;
    this.pool[this.poolSize++] = node;
  }

  removeFromPool(index: number): void {
    this.pool[index] = this.pool[this.poolSize - 1] as number;
    this.poolSize--;
  }

  usedVehicles(): number {
    let used = 0;
    for (const route of this.routes) if (route.jobCount > 0) used++;
    return used;
  }

  /** Travel cost plus the weighted higher objectives; Infinity if any route is broken. */
  cost(): number {
    const m = this.model;
    let total = 0;
    for (const route of this.routes) {
      if (!route.feasible) return Infinity;
      if (route.jobCount > 0) total += route.cost + m.vehicleWeight;
    }
    return total + this.poolPenalty();
  }

  poolPenalty(): number {
    const m = this.model;
    let penalty = 0;
    for (let i = 0; i < this.poolSize; i++) {
      const job = this.pool[i] as number;
      penalty += m.mandatory[job] === 1 ? m.mandatoryWeight : m.priorityWeight * (m.priority[job] as number);
    }
    return penalty;
  }

  travelCost(): number {
    let total = 0;
    for (const route of this.routes) total += route.cost;
    return total;
  }

  /** Copies the planned sequences (for keeping the best solution). */
  snapshot(): Int32Array[] {
    return this.routes.map((route) => route.nodes.slice(0, route.len + 2));
  }

  restore(snapshot: Int32Array[], eligible: Uint8Array): void {
    this.routeOf.fill(-1);
    snapshot.forEach((nodes, r) => {
      const route = this.routes[r] as Route;
      route.nodes.set(nodes);
      route.len = nodes.length - 2;
      route.update();
      this.indexRoute(route);
    });
    this.poolSize = 0;
    for (let job = 0; job < this.model.nJobs; job++) {
      if (eligible[job] === 1 && this.routeOf[job] === -1) this.pool[this.poolSize++] = job;
    }
    this.touchedCount = 0;
    this.touched.fill(0);
  }
}
