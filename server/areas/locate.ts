// Where an incoming record happened, for every feature that takes records in (screenings, tests,
// people): the grid of its site (assigned by PostGIS), its grid code, or the grid its position
// falls in — always inside the writer's jurisdiction.
import gcoord from 'gcoord';
import type { Queryable } from '../infra/db.ts';
import type { CoordinateSystem } from '../contracts/common.ts';
import { gridsAtPositions, gridsInScope, siteGrids } from './areas.repository.ts';

export interface Position {
  lon: number;
  lat: number;
  crs?: CoordinateSystem;
}

/** [lon, lat] in WGS-84 of a position given in WGS-84, GCJ-02 or BD-09. */
export function positionInWgs84(position: Position): [number, number] {
  if (!position.crs || position.crs === 'wgs84') return [position.lon, position.lat];
  const from = position.crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  const [lon, lat] = gcoord.transform([position.lon, position.lat], from, gcoord.WGS84) as [number, number];
  return [lon, lat];
}

/** A record's place: exactly one of these is used, in this order. */
export interface PlaceRef {
  siteId?: number;
  grid?: string;
  position?: Position;
}

export type Located = { gridCode: string } | { field: 'siteId' | 'grid' | 'position'; message: string };

/** The grid of each place (or why there is none), in order, with one query per kind of place. */
export async function locateInJurisdiction(
  db: Queryable,
  jurisdiction: { path: string; code: string },
  places: readonly PlaceRef[],
): Promise<Located[]> {
  const scope = jurisdiction.path;
  const siteIds = [...new Set(places.flatMap((p) => (p.siteId === undefined ? [] : [p.siteId])))];
  const gridCodes = [...new Set(places.flatMap((p) => (p.siteId === undefined && p.grid !== undefined ? [p.grid] : [])))];
  const positioned = places.flatMap((p, i) => (p.siteId === undefined && p.grid === undefined && p.position ? [i] : []));
  const [sites, grids, positionGrids] = await Promise.all([
    siteIds.length ? siteGrids(db, siteIds, scope) : new Map<number, string>(),
    gridCodes.length ? gridsInScope(db, gridCodes, scope) : new Set<string>(),
    positioned.length ? gridsAtPositions(db, positioned.map((i) => positionInWgs84(places[i]!.position!)), scope) : [],
  ]);
  const gridAtPosition = new Map(positioned.map((placeIndex, i) => [placeIndex, positionGrids[i] ?? null]));
  return places.map((place, i) => {
    const [gridCode, field, what] =
      place.siteId !== undefined ? [sites.get(place.siteId), 'siteId' as const, '场所 site']
      : place.grid !== undefined ? [grids.has(place.grid) ? place.grid : undefined, 'grid' as const, '网格 grid']
      : [gridAtPosition.get(i) ?? undefined, 'position' as const, '该位置的网格 grid at this position'];
    return gridCode ? { gridCode } : { field, message: `管辖范围内无此${what} in your jurisdiction ${jurisdiction.code}` };
  });
}
