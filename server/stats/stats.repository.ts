import type { Queryable } from '../infra/db.ts';
import type { AreaCounts, AreaDayCounts } from '../contracts/stats.ts';
import { abnormalTemperature } from '../contracts/screening.ts';

/** The one mapping from area_daily_counts columns (table alias c) to the API's metric names. */
export const countsJson = `json_build_object(
  'screened', c.screened, 'abnormalTemp', c.abnormal_temp, 'yellowCode', c.yellow_code, 'redCode', c.red_code,
  'referred', c.referred, 'denied', c.denied, 'itineraryFlagged', c.itinerary_flagged)`;

/** area_daily_counts rows as they leave the database: day as text, counts in API names. */
export const areaDayCountsJson = `json_build_object('area', c.area_code, 'day', to_char(c.day, 'YYYY-MM-DD'),
  'counts', ${countsJson}, 'version', c.version)`;

export const zeroCounts: AreaCounts = {
  screened: 0,
  abnormalTemp: 0,
  yellowCode: 0,
  redCode: 0,
  referred: 0,
  denied: 0,
  itineraryFlagged: 0,
};

/** Figures of each area for one day, zeros where nothing happened yet, in the order asked. */
export async function countsForAreas(db: Queryable, areaCodes: string[], day: string): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<{ area: string; counts: AreaCounts | null; version: number | null }>(
    `SELECT a.code AS area, CASE WHEN c.area_code IS NULL THEN NULL ELSE ${countsJson} END AS counts, c.version
       FROM unnest($1::text[]) WITH ORDINALITY AS a(code, n)
       LEFT JOIN area_daily_counts c ON c.area_code = a.code AND c.day = $2::date
      ORDER BY a.n`,
    [areaCodes, day],
  );
  return rows.map((row) => ({ area: row.area, day, counts: row.counts ?? { ...zeroCounts }, version: row.version ?? 0 }));
}

/** Current figures of the given area-days that have any (missing ones are left out). */
export async function countsForKeys(db: Queryable, keys: ReadonlyArray<{ area: string; day: string }>): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<{ row: AreaDayCounts }>(
    `SELECT ${areaDayCountsJson} AS row
       FROM unnest($1::text[], $2::date[]) AS k(area_code, day)
       JOIN area_daily_counts c ON c.area_code = k.area_code AND c.day = k.day`,
    [keys.map((k) => k.area), keys.map((k) => k.day)],
  );
  return rows.map((r) => r.row);
}

/** Figures of every child of an area for one day (zeros where quiet), ordered by code. */
export async function countsForChildren(db: Queryable, parentCode: string, day: string): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<{ area: string; counts: AreaCounts | null; version: number | null }>(
    `SELECT a.code AS area, CASE WHEN c.area_code IS NULL THEN NULL ELSE ${countsJson} END AS counts, c.version
       FROM areas a
       LEFT JOIN area_daily_counts c ON c.area_code = a.code AND c.day = $2::date
      WHERE a.parent_code = $1
      ORDER BY a.code`,
    [parentCode, day],
  );
  return rows.map((row) => ({ area: row.area, day, counts: row.counts ?? { ...zeroCounts }, version: row.version ?? 0 }));
}

/** An area's figures for each of `days` days up to `until`, oldest first. */
export async function countsTrend(db: Queryable, areaCode: string, until: string, days: number): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<{ day: string; counts: AreaCounts | null; version: number | null }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, CASE WHEN c.area_code IS NULL THEN NULL ELSE ${countsJson} END AS counts, c.version
       FROM generate_series($2::date - ($3::int - 1), $2::date, interval '1 day') AS d
       LEFT JOIN area_daily_counts c ON c.area_code = $1 AND c.day = d::date
      ORDER BY d`,
    [areaCode, until, days],
  );
  return rows.map((row) => ({ area: areaCode, day: row.day, counts: row.counts ?? { ...zeroCounts }, version: row.version ?? 0 }));
}

export interface CountMismatch {
  area: string;
  day: string;
  stored: AreaCounts | null;
  rebuilt: AreaCounts | null;
}

/**
 * Rebuilds the day's figures from the events and lists every area where they differ from the
 * maintained counters. An empty list proves the roll-up right.
 */
export async function findCountMismatches(db: Queryable, day: string): Promise<CountMismatch[]> {
  const { rows } = await db.query<CountMismatch>(
    `WITH rebuilt AS (
       SELECT a.code AS area_code, e.day,
              count(*)::int AS screened,
              count(*) FILTER (WHERE e.temperature >= $2)::int AS abnormal_temp,
              count(*) FILTER (WHERE e.code_colour = 'yellow')::int AS yellow_code,
              count(*) FILTER (WHERE e.code_colour = 'red')::int AS red_code,
              count(*) FILTER (WHERE e.outcome = 'refer')::int AS referred,
              count(*) FILTER (WHERE e.outcome = 'deny')::int AS denied,
              count(*) FILTER (WHERE e.itinerary_flag)::int AS itinerary_flagged
         FROM screening_events e
        CROSS JOIN LATERAL unnest(string_to_array(e.area_path::text, '.')) AS a(code)
        WHERE e.day = $1::date
        GROUP BY 1, 2
     ), stored AS (SELECT * FROM area_daily_counts WHERE day = $1::date)
     SELECT COALESCE(s.area_code, r.area_code) AS area, $1 AS day,
            CASE WHEN s.area_code IS NULL THEN NULL ELSE (SELECT ${countsJson} FROM (SELECT s.*) c) END AS stored,
            CASE WHEN r.area_code IS NULL THEN NULL ELSE (SELECT ${countsJson} FROM (SELECT r.*) c) END AS rebuilt
       FROM stored s FULL JOIN rebuilt r USING (area_code)
      WHERE (s.screened, s.abnormal_temp, s.yellow_code, s.red_code, s.referred, s.denied, s.itinerary_flagged)
            IS DISTINCT FROM
            (r.screened, r.abnormal_temp, r.yellow_code, r.red_code, r.referred, r.denied, r.itinerary_flagged)
      ORDER BY 1`,
    [day, abnormalTemperature],
  );
  return rows;
}
