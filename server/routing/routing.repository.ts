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

// ---- inputs of a round's plan (tables of server/inspection, migration 008) ---------------------

/**
 * The round's active teams that may inspect each site: the site lies in one of the team's areas, and
 * directly supervised sites (总站直管工程) go to 'direct' teams only, the others to 'areas' teams.
 */
export async function siteEligibleTeams(db: Queryable, roundId: number, siteIds: readonly number[]): Promise<Map<number, number[]>> {
  const { rows } = await db.query<{ siteId: string; teams: string[] }>(
    `SELECT s.id::text AS "siteId", array_agg(t.id::text ORDER BY t.id) AS teams
       FROM sites s
       JOIN inspection_round_teams rt ON rt.round_id = $1
       JOIN inspection_teams t ON t.id = rt.team_id AND t.active
      WHERE s.id = ANY ($2::bigint[])
        AND EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY (t.areas) AND s.area_path <@ a.path)
        AND (t.scope = 'direct') = EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id)
      GROUP BY s.id`,
    [roundId, siteIds],
  );
  return new Map(rows.map((row) => [Number(row.siteId), row.teams.map(Number)]));
}

/** The district each point lies in (null outside the city). */
export async function districtsOfPoints(db: Queryable, points: ReadonlyArray<readonly [number, number]>): Promise<Array<string | null>> {
  const { rows } = await db.query<{ code: string | null }>(
    `SELECT (SELECT a.code FROM areas a WHERE a.level = 'district' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) LIMIT 1) AS code
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, ord)
      ORDER BY p.ord`,
    [points.map((p) => p[0]), points.map((p) => p[1])],
  );
  return rows.map((row) => row.code);
}

/** Districts a round covers within a jurisdiction: those inside its areas, or containing one of them. */
export async function roundDistricts(db: Queryable, roundId: number, scopePath: string): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT d.code
       FROM areas d, inspection_rounds r
      WHERE r.id = $1 AND d.level = 'district'
        AND EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY (r.areas) AND (d.path <@ a.path OR a.path <@ d.path))
        AND (d.path <@ $2::ltree OR $2::ltree <@ d.path)
      ORDER BY d.code`,
    [roundId, scopePath],
  );
  return rows.map((row) => row.code);
}

/** Districts with a planned (not skipped) or visited site of the round on any of these days. */
export async function districtsVisitedOn(db: Queryable, roundId: number, days: readonly string[]): Promise<string[]> {
  if (days.length === 0) return [];
  const { rows } = await db.query<{ code: string }>(
    `SELECT DISTINCT ltree2text(subpath(s.area_path, 1, 1)) AS code
       FROM sites s
      WHERE s.id IN (SELECT ps.site_id FROM inspection_plan_stops ps
                      WHERE ps.round_id = $1 AND ps.day = ANY ($2::date[]) AND ps.status = 'planned'
                     UNION
                     SELECT v.site_id FROM inspection_visits v WHERE v.round_id = $1 AND v.day = ANY ($2::date[]))
      ORDER BY 1`,
    [roundId, days],
  );
  return rows.map((row) => row.code);
}
