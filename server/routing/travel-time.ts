// Travel times between sites when no road network is loaded: great-circle distance × a detour factor
// ÷ a speed that depends on the kind of area the trip runs through. Pure: no I/O.
import { haversineMetres, type GeoPoint } from '../optimiser/matrix.ts';
import type { Matrix } from '../optimiser/problem.ts';

export type AreaType = 'central' | 'suburban' | 'rural';
export const areaTypes: readonly AreaType[] = ['central', 'suburban', 'rural'];

/** Shanghai's central urban districts (中心城区): 黄浦 徐汇 长宁 静安 普陀 虹口 杨浦. */
export const shanghaiCentralDistricts: readonly string[] = ['310101', '310104', '310105', '310106', '310107', '310109', '310110'];

export interface TravelModel {
  /** Street distance over great-circle distance (default 1.3, typical of a dense street grid). */
  detourFactor: number;
  /** Average door-to-door driving speed per area type, metres per second. */
  speedMps: Record<AreaType, number>;
  /**
   * Street metres beyond which a trip leaves the local streets: the rest is driven at
   * `expresswaySpeedMps` (an hour from the centre to Chongming is not driven at city speed).
   */
  expresswayFromMetres: number;
  expresswaySpeedMps: number;
  /** Fixed time added to every trip between two different places (parking, walking to the gate). */
  legOverheadSeconds: number;
}

export const defaultTravelModel: TravelModel = {
  detourFactor: 1.3,
  // 18 km/h in the centre (lights, congestion), 30 km/h in the suburbs, 45 km/h on rural roads.
  speedMps: { central: 5, suburban: 8.33, rural: 12.5 },
  // Beyond 15 km of streets, 60 km/h on average (elevated roads, expressways, the Yangtze tunnel).
  expresswayFromMetres: 15_000,
  expresswaySpeedMps: 16.67,
  legOverheadSeconds: 0,
};

export interface TravelPoint extends GeoPoint {
  areaType: AreaType;
}

/**
 * How an area's type is decided: by an explicit list of district codes (default: Shanghai's central
 * districts are central, every other district suburban), or by population density thresholds.
 */
export type AreaTypeRule =
  | { kind: 'districts'; central: readonly string[]; rural?: readonly string[] }
  | { kind: 'density'; centralMinPerKm2: number; suburbanMinPerKm2: number };

export const defaultAreaTypeRule: AreaTypeRule = { kind: 'districts', central: shanghaiCentralDistricts };

/**
 * By density, Shanghai's demo districts split the same way as the list: the central ones have 18 700–
 * 32 300 residents per km², the suburbs 1 200–7 100, Chongming 400 (rural).
 */
export const densityAreaTypeRule: AreaTypeRule = { kind: 'density', centralMinPerKm2: 15_000, suburbanMinPerKm2: 1_000 };

export interface DistrictFacts {
  code: string;
  /** Residents per km², when the rule is by density. */
  densityPerKm2?: number | null;
}

export function areaTypeOf(district: DistrictFacts, rule: AreaTypeRule = defaultAreaTypeRule): AreaType {
  if (rule.kind === 'districts') {
    if (rule.central.includes(district.code)) return 'central';
    return rule.rural?.includes(district.code) ? 'rural' : 'suburban';
  }
  const density = district.densityPerKm2;
  // Unknown density: suburban, the middle speed, rather than pretending to know.
  if (density === null || density === undefined) return 'suburban';
  if (density >= rule.centralMinPerKm2) return 'central';
  return density >= rule.suburbanMinPerKm2 ? 'suburban' : 'rural';
}

export function checkTravelModel(model: TravelModel): string[] {
  const issues: string[] = [];
  if (!(Number.isFinite(model.detourFactor) && model.detourFactor >= 1)) issues.push('detourFactor must be a number >= 1');
  for (const type of areaTypes) {
    const speed = model.speedMps[type];
    if (!(Number.isFinite(speed) && speed > 0)) issues.push(`speedMps.${type} must be a positive number`);
  }
  if (!(Number.isFinite(model.expresswayFromMetres) && model.expresswayFromMetres >= 0)) issues.push('expresswayFromMetres must be >= 0');
  if (!(Number.isFinite(model.expresswaySpeedMps) && model.expresswaySpeedMps > 0)) issues.push('expresswaySpeedMps must be a positive number');
  if (!(Number.isFinite(model.legOverheadSeconds) && model.legOverheadSeconds >= 0)) issues.push('legOverheadSeconds must be >= 0');
  return issues;
}

/**
 * Seconds from a to b: street metres = great-circle × detour. The local part (up to
 * `expresswayFromMetres`) is driven half at each end's area speed, so the model is symmetric and a
 * trip from the centre to the suburbs is slower than one within the suburbs; the rest at expressway speed.
 */
export function travelSeconds(a: TravelPoint, b: TravelPoint, model: TravelModel = defaultTravelModel): number {
  const metres = haversineMetres(a, b) * model.detourFactor;
  if (metres === 0) return 0;
  const local = Math.min(metres, model.expresswayFromMetres);
  const perMetre = 0.5 / model.speedMps[a.areaType] + 0.5 / model.speedMps[b.areaType];
  return Math.round(local * perMetre + (metres - local) / model.expresswaySpeedMps + model.legOverheadSeconds);
}

/**
 * The duration matrix (seconds) the optimiser reads. No separate cost matrix: the planner minimises
 * travel time, so the optimiser's cost defaults to the durations.
 */
export function travelTimeMatrix(points: readonly TravelPoint[], model: TravelModel = defaultTravelModel): Matrix {
  const issues = checkTravelModel(model);
  if (issues.length > 0) throw new RangeError(`travel model: ${issues.join('; ')}`);
  const size = points.length;
  const durations = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const a = points[i] as TravelPoint;
    for (let j = i + 1; j < size; j++) {
      const b = points[j] as TravelPoint;
      const seconds = travelSeconds(a, b, model);
      durations[i * size + j] = durations[j * size + i] = seconds;
    }
  }
  return { size, durations };
}
