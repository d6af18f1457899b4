// Builders for the travel matrices the optimiser consumes (row-major Float64Array).
import type { Matrix } from './problem.ts';

export interface PlanePoint {
  x: number;
  y: number;
}

/** Euclidean distances in double precision, used as both duration and cost (Solomon rules). */
export function euclideanMatrix(points: readonly PlanePoint[]): Matrix {
  const size = points.length;
  const values = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const a = points[i] as PlanePoint;
    for (let j = 0; j < size; j++) {
      const b = points[j] as PlanePoint;
      values[i * size + j] = Math.hypot(a.x - b.x, a.y - b.y);
    }
  }
  return { size, durations: values };
}

export interface GeoPoint {
  lon: number;
  lat: number;
}

const EARTH_RADIUS_M = 6_371_008.8;

export function haversineMetres(a: GeoPoint, b: GeoPoint): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface HaversineOptions {
  /** Average door-to-door speed, metres per second (default 8.3 ≈ 30 km/h in town). */
  speedMps?: number;
  /** Street distance over great-circle distance (default 1.3). */
  detourFactor?: number;
}

/** Durations in seconds and costs in metres from coordinates, when no road network is at hand. */
export function haversineMatrix(points: readonly GeoPoint[], options: HaversineOptions = {}): Matrix {
  const speed = options.speedMps ?? 8.3;
  const detour = options.detourFactor ?? 1.3;
  const size = points.length;
  const durations = new Float64Array(size * size);
  const costs = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i === j) continue;
      const metres = haversineMetres(points[i] as GeoPoint, points[j] as GeoPoint) * detour;
      costs[i * size + j] = metres;
      durations[i * size + j] = Math.round(metres / speed);
    }
  }
  return { size, durations, costs };
}
