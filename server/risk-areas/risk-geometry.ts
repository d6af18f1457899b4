// Checks on a submitted risk-area polygon that do not need the database, and conversion of its
// coordinates to WGS-84. Validity, size and containment are checked by PostGIS afterwards.
import gcoord from 'gcoord';
import type { AreaGeometry, CoordinateSystem } from '../contracts/common.ts';

export interface GeometryProblem {
  field: string;
  message: string;
}

export const maxVertices = 20_000;

const crsOf: Record<CoordinateSystem, typeof gcoord.WGS84 | typeof gcoord.GCJ02 | typeof gcoord.BD09> = {
  wgs84: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
};

function polygonsOf(geometry: AreaGeometry): number[][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function findGeometryProblems(geometry: AreaGeometry): GeometryProblem[] {
  const problems: GeometryProblem[] = [];
  let vertices = 0;
  polygonsOf(geometry).forEach((polygon, p) => {
    polygon.forEach((ring, r) => {
      const field = geometry.type === 'Polygon' ? `geometry.coordinates[${r}]` : `geometry.coordinates[${p}][${r}]`;
      vertices += ring.length;
      const badPosition = ring.findIndex(
        ([lon, lat]) => !Number.isFinite(lon) || !Number.isFinite(lat) || lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90,
      );
      if (badPosition >= 0) {
        problems.push({ field: `${field}[${badPosition}]`, message: 'longitude must be within -180..180 and latitude within -90..90' });
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
        problems.push({ field, message: 'ring is not closed: its last position must equal its first / 多边形未闭合' });
      }
    });
  });
  if (vertices > maxVertices) {
    problems.push({ field: 'geometry', message: `too many vertices (${vertices}); at most ${maxVertices}` });
  }
  return problems;
}

/** A copy of the geometry in WGS-84, 2D. */
export function toWgs84(geometry: AreaGeometry, crs: CoordinateSystem): AreaGeometry {
  const flat = structuredClone(geometry);
  for (const polygon of polygonsOf(flat)) {
    for (const ring of polygon) {
      for (let i = 0; i < ring.length; i++) {
        const [lon, lat] = ring[i]!;
        ring[i] = crs === 'wgs84' ? [lon!, lat!] : (gcoord.transform([lon!, lat!], crsOf[crs], gcoord.WGS84) as number[]);
      }
    }
  }
  return flat;
}
