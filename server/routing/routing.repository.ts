// Facts the travel model reads from the area hierarchy.
import type { Queryable } from '../infra/db.ts';
import type { DistrictFacts } from './travel-time.ts';

/** Residents per km² of districts (area on the spheroid, in PostGIS); null when the population is unknown. */
export async function districtDensities(db: Queryable, codes: readonly string[]): Promise<DistrictFacts[]> {
  const { rows } = await db.query<{ code: string; density: number | null }>(
    `SELECT code, population / NULLIF(ST_Area(geom::geography) / 1e6, 0) AS density
       FROM areas WHERE level = 'district' AND code = ANY($1::text[]) ORDER BY code`,
    [codes],
  );
  return rows.map((row) => ({ code: row.code, densityPerKm2: row.density }));
}
