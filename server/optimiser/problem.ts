// The public model of a routing problem and its validation.
// Pure data in, pure data out: this module never does I/O.

export interface TimeWindow {
  start: number;
  end: number;
}

/** A rest taken where the team happens to be (no travel), starting inside one of its windows. */
export interface BreakSpec {
  windows: TimeWindow[];
  duration: number;
}

export interface Vehicle {
  id: string;
  /** Index of the start place in the matrix. */
  start: number;
  /** Index of the end place in the matrix. */
  end: number;
  shift: TimeWindow;
  /** Skills the team has (for inspections: the areas it may inspect). Empty = none. */
  skills?: string[];
  lunch?: BreakSpec;
  maxStops?: number;
  /** Upper bound on the sum of travel durations of the route. */
  maxTravelTime?: number;
  capacity?: number;
}

export interface Job {
  id: string;
  /** Index of the job's place in the matrix. */
  location: number;
  service?: number;
  /** Service must start inside one of these; none = any time in the shift. */
  windows?: TimeWindow[];
  /** Value collected when an optional job is served (ignored for mandatory jobs). */
  priority?: number;
  skills?: string[];
  /** Mandatory jobs are served whenever possible; optional ones only if worth it. Default true. */
  mandatory?: boolean;
  demand?: number;
}

export interface Matrix {
  size: number;
  /** Row-major travel durations, size × size. */
  durations: ArrayLike<number>;
  /** Row-major travel costs (e.g. metres); defaults to the durations. */
  costs?: ArrayLike<number>;
}

export interface Problem {
  matrix: Matrix;
  vehicles: Vehicle[];
  jobs: Job[];
}

export type Objective = 'distance' | 'fleet';

export interface SolveOptions {
  /** Wall-clock budget; the only non-deterministic input. Default 2000. */
  timeLimitMs?: number;
  /** Stops after this many search iterations (deterministic runs). */
  maxIterations?: number;
  seed?: number;
  /** `distance`: minimise travel cost; `fleet`: minimise vehicles used, then travel cost. */
  objective?: Objective;
}

export type UnassignedReason =
  | 'no-team-with-skills'
  | 'capacity-exceeded'
  | 'window-unreachable'
  | 'max-travel-time-exceeded'
  | 'max-stops-zero'
  | 'no-room-in-plan';

export interface UnassignedJob {
  job: string;
  reason: UnassignedReason;
}

export interface Stop {
  kind: 'start' | 'job' | 'break' | 'end';
  /** Job id for `job` stops. */
  job?: string;
  location: number;
  arrival: number;
  /** Start of service (or of the break). */
  begin: number;
  departure: number;
  /** Load on board after this stop. */
  load: number;
}

export interface PlannedRoute {
  vehicle: string;
  stops: Stop[];
  cost: number;
  travelTime: number;
}

export interface SolutionSummary {
  cost: number;
  travelTime: number;
  vehiclesUsed: number;
  jobsServed: number;
  priorityCollected: number;
  mandatoryUnassigned: number;
}

export interface Solution {
  routes: PlannedRoute[];
  unassigned: UnassignedJob[];
  summary: SolutionSummary;
  iterations: number;
  ms: number;
}

/** The caller's input is wrong; distinct from internal failures. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly issues: string[] = [message],
  ) {
    super(message);
  }
}

/** A bug or broken invariant inside the optimiser. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function checkWindows(windows: TimeWindow[] | undefined, where: string, issues: string[]): void {
  if (windows === undefined) return;
  if (!Array.isArray(windows)) {
    issues.push(`${where}: windows must be an array`);
    return;
  }
  let previousEnd = -Infinity;
  for (const [i, w] of windows.entries()) {
    if (!isFiniteNumber(w?.start) || !isFiniteNumber(w?.end) || w.start > w.end) {
      issues.push(`${where}: window ${i} must have finite start <= end`);
      continue;
    }
    // Sorted, disjoint windows let the schedule pick the first window that fits.
    if (w.start <= previousEnd && i > 0) issues.push(`${where}: windows must be sorted and disjoint`);
    previousEnd = w.end;
  }
}

/** Throws an InputError listing every problem found; returns nothing when the input is usable. */
export function validateProblem(problem: Problem): void {
  const issues: string[] = [];
  const matrix = problem?.matrix;
  const size = matrix?.size;
  if (!Number.isInteger(size) || size <= 0) {
    throw new InputError('matrix.size must be a positive integer');
  }
  for (const [name, values] of [
    ['durations', matrix.durations],
    ['costs', matrix.costs],
  ] as const) {
    if (values === undefined && name === 'costs') continue;
    if (values === undefined || values.length !== size * size) {
      issues.push(`matrix.${name} must hold size × size = ${size * size} values`);
      continue;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!isFiniteNumber(v) || v < 0) {
        issues.push(`matrix.${name}[${i}] must be a finite non-negative number`);
        break;
      }
    }
  }
  const inMatrix = (index: unknown): boolean => Number.isInteger(index) && (index as number) >= 0 && (index as number) < size;

  if (!Array.isArray(problem.vehicles) || problem.vehicles.length === 0) issues.push('at least one vehicle is required');
  if (!Array.isArray(problem.jobs)) issues.push('jobs must be an array');
  if (!Array.isArray(problem.vehicles) || !Array.isArray(problem.jobs)) throw new InputError(issues[0] ?? 'invalid problem', issues);

  const vehicleIds = new Set<string>();
  for (const [i, v] of problem.vehicles.entries()) {
    const where = `vehicles[${i}]`;
    if (typeof v.id !== 'string' || v.id === '') issues.push(`${where}.id must be a non-empty string`);
    else if (vehicleIds.has(v.id)) issues.push(`${where}.id '${v.id}' is duplicated`);
    else vehicleIds.add(v.id);
    if (!inMatrix(v.start)) issues.push(`${where}.start must be a matrix index`);
    if (!inMatrix(v.end)) issues.push(`${where}.end must be a matrix index`);
    if (!isFiniteNumber(v.shift?.start) || !isFiniteNumber(v.shift?.end) || v.shift.start > v.shift.end) {
      issues.push(`${where}.shift must have finite start <= end`);
    }
    if (v.capacity !== undefined && (!isFiniteNumber(v.capacity) || v.capacity < 0)) issues.push(`${where}.capacity must be >= 0`);
    if (v.maxStops !== undefined && (!Number.isInteger(v.maxStops) || v.maxStops < 0)) issues.push(`${where}.maxStops must be an integer >= 0`);
    if (v.maxTravelTime !== undefined && (!isFiniteNumber(v.maxTravelTime) || v.maxTravelTime < 0)) {
      issues.push(`${where}.maxTravelTime must be >= 0`);
    }
    if (v.skills !== undefined && (!Array.isArray(v.skills) || v.skills.some((s) => typeof s !== 'string'))) {
      issues.push(`${where}.skills must be strings`);
    }
    if (v.lunch !== undefined) {
      const lunch = v.lunch;
      if (!isFiniteNumber(lunch.duration) || lunch.duration < 0) issues.push(`${where}.lunch.duration must be >= 0`);
      if (!Array.isArray(lunch.windows) || lunch.windows.length === 0) issues.push(`${where}.lunch.windows must not be empty`);
      else {
        checkWindows(lunch.windows, `${where}.lunch`, issues);
        // The lunch must fit inside the shift, or no route of this team can ever be valid.
        const fits = lunch.windows.some(
          (w) => isFiniteNumber(v.shift?.start) && Math.max(w.start, v.shift.start) <= w.end && Math.max(w.start, v.shift.start) + lunch.duration <= v.shift.end,
        );
        if (!fits) issues.push(`${where}.lunch cannot be taken inside the shift`);
      }
    }
  }

  const jobIds = new Set<string>();
  for (const [i, j] of problem.jobs.entries()) {
    const where = `jobs[${i}]`;
    if (typeof j.id !== 'string' || j.id === '') issues.push(`${where}.id must be a non-empty string`);
    else if (jobIds.has(j.id)) issues.push(`${where}.id '${j.id}' is duplicated`);
    else jobIds.add(j.id);
    if (!inMatrix(j.location)) issues.push(`${where}.location must be a matrix index`);
    if (j.service !== undefined && (!isFiniteNumber(j.service) || j.service < 0)) issues.push(`${where}.service must be >= 0`);
    if (j.priority !== undefined && (!isFiniteNumber(j.priority) || j.priority < 0)) issues.push(`${where}.priority must be >= 0`);
    if (j.demand !== undefined && (!isFiniteNumber(j.demand) || j.demand < 0)) issues.push(`${where}.demand must be >= 0`);
    if (j.skills !== undefined && (!Array.isArray(j.skills) || j.skills.some((s) => typeof s !== 'string'))) {
      issues.push(`${where}.skills must be strings`);
    }
    if (j.windows !== undefined && j.windows.length === 0) issues.push(`${where}.windows must not be empty when given`);
    checkWindows(j.windows, where, issues);
  }
  if (issues.length > 0) throw new InputError(`${issues.length} input problem(s): ${issues.slice(0, 3).join('; ')}`, issues);
}
