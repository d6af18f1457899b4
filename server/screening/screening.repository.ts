import type { Queryable } from '../infra/db.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { abnormalTemperature, type ScreeningList } from '../contracts/screening.ts';

/** A record ready to store: located in a grid, its local day computed. */
export interface ResolvedScreening {
  id: string;
  day: string;
  at: string;
  gridCode: string;
  siteId: number | null;
  temperature: number | null;
  codeColour: string;
  outcome: string;
  itineraryFlag: boolean;
}

export async function ensurePartitions(db: Queryable, days: string[]): Promise<void> {
  await db.query('SELECT ensure_screening_partition(d) FROM unnest($1::date[]) AS d', [days]);
}

/**
 * Stores the records, updates the day's counters of their grids and every ancestor, and raises
 * the alerts the records call for (abnormal temperature, red code), all in one statement, so
 * counters, alerts and events commit together. Records already stored (same day and id)
 * are skipped and not counted. Counter rows are updated in key order so that concurrent batches
 * lock shared ancestors (district, city) in the same order and cannot deadlock.
 */
export async function insertScreenings(
  db: Queryable,
  records: ResolvedScreening[],
  receivedBy: string,
): Promise<{ accepted: number; changed: AreaDayKey[]; alertIds: number[] }> {
  const { rows } = await db.query<{ accepted: number; areas: string[]; days: string[]; alertIds: number[] }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::timestamptz[], $4::text[], $5::bigint[],
                            $6::numeric[], $7::text[], $8::text[], $9::boolean[])
         AS t(id, day, at, grid_code, site_id, temperature, code_colour, outcome, itinerary_flag)
     ), inserted AS (
       INSERT INTO screening_events
         (id, day, at, grid_code, area_path, site_id, temperature, code_colour, outcome, itinerary_flag, received_by)
       SELECT i.id, i.day, i.at, i.grid_code, g.path, i.site_id, i.temperature, i.code_colour, i.outcome, i.itinerary_flag, $10
         FROM input i JOIN areas g ON g.code = i.grid_code
       ON CONFLICT DO NOTHING
       RETURNING id, day, at, grid_code, site_id, area_path, temperature, code_colour, outcome, itinerary_flag
     ), raised AS (
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT rule.kind, i.grid_code, i.area_path, i.day, i.at, i.id,
              jsonb_strip_nulls(jsonb_build_object('temperature', i.temperature, 'siteId', i.site_id))
         FROM inserted i
        CROSS JOIN LATERAL (VALUES ('abnormal_temperature', i.temperature >= $11), ('red_code', i.code_colour = 'red')) AS rule(kind, hit)
        WHERE rule.hit
       ON CONFLICT DO NOTHING
       RETURNING id
     ), deltas AS (
       SELECT a.code AS area_code, i.day,
              count(*) AS screened,
              count(*) FILTER (WHERE i.temperature >= $11) AS abnormal_temp,
              count(*) FILTER (WHERE i.code_colour = 'yellow') AS yellow_code,
              count(*) FILTER (WHERE i.code_colour = 'red') AS red_code,
              count(*) FILTER (WHERE i.outcome = 'refer') AS referred,
              count(*) FILTER (WHERE i.outcome = 'deny') AS denied,
              count(*) FILTER (WHERE i.itinerary_flag) AS itinerary_flagged
         FROM inserted i
        CROSS JOIN LATERAL unnest(string_to_array(i.area_path::text, '.')) AS a(code)
        GROUP BY 1, 2
        ORDER BY 1, 2
     ), upserted AS (
       INSERT INTO area_daily_counts AS c
         (area_code, day, screened, abnormal_temp, yellow_code, red_code, referred, denied, itinerary_flagged)
       SELECT * FROM deltas
       ON CONFLICT (area_code, day) DO UPDATE SET
         screened = c.screened + excluded.screened,
         abnormal_temp = c.abnormal_temp + excluded.abnormal_temp,
         yellow_code = c.yellow_code + excluded.yellow_code,
         red_code = c.red_code + excluded.red_code,
         referred = c.referred + excluded.referred,
         denied = c.denied + excluded.denied,
         itinerary_flagged = c.itinerary_flagged + excluded.itinerary_flagged,
         version = c.version + 1,
         updated_at = now()
       RETURNING c.area_code, c.day
     )
     SELECT (SELECT count(*) FROM inserted)::int AS accepted,
            -- only which area-days changed: the live feed reads the figures of the watched ones
            COALESCE((SELECT array_agg(area_code) FROM upserted), '{}') AS areas,
            COALESCE((SELECT array_agg(to_char(day, 'YYYY-MM-DD')) FROM upserted), '{}') AS days,
            COALESCE((SELECT array_agg(id ORDER BY id) FROM raised), '{}') AS "alertIds"`,
    [
      records.map((r) => r.id),
      records.map((r) => r.day),
      records.map((r) => r.at),
      records.map((r) => r.gridCode),
      records.map((r) => r.siteId),
      records.map((r) => r.temperature),
      records.map((r) => r.codeColour),
      records.map((r) => r.outcome),
      records.map((r) => r.itineraryFlag),
      receivedBy,
      abnormalTemperature,
    ],
  );
  const result = rows[0];
  const changed = (result?.areas ?? []).map((area, i) => ({ area, day: result!.days[i]! }));
  return { accepted: result?.accepted ?? 0, changed, alertIds: result?.alertIds ?? [] };
}

export type ScreeningFilter = 'all' | 'abnormalTemp' | 'yellowCode' | 'redCode' | 'referred' | 'denied' | 'itineraryFlagged';

/** Each filter is the condition its figure counts (see insertScreenings). */
const filterCondition: Record<ScreeningFilter, string> = {
  all: 'true',
  abnormalTemp: `e.temperature >= ${abnormalTemperature}`,
  yellowCode: "e.code_colour = 'yellow'",
  redCode: "e.code_colour = 'red'",
  referred: "e.outcome = 'refer'",
  denied: "e.outcome = 'deny'",
  itineraryFlagged: 'e.itinerary_flag',
};

/** A day's records inside an area, newest first, and how many there are. */
export async function listScreenings(
  db: Queryable,
  query: { areaPath: string; day: string; filter: ScreeningFilter; limit: number; offset: number },
): Promise<{ items: ScreeningList['items']; total: number }> {
  const { rows } = await db.query<{ items: ScreeningList['items']; total: number }>(
    `WITH matching AS (
       SELECT e.* FROM screening_events e
        WHERE e.day = $1::date AND e.area_path <@ $2::ltree AND ${filterCondition[query.filter]}
     ), page AS (
       SELECT * FROM matching ORDER BY at DESC, id LIMIT $3 OFFSET $4
     )
     SELECT (SELECT count(*)::int FROM matching) AS total,
            COALESCE((SELECT json_agg(json_build_object(
              'id', p.id, 'at', p.at, 'gridCode', p.grid_code,
              'areaName', (SELECT string_agg(a.name, ' · ' ORDER BY nlevel(a.path)) FROM areas a
                            WHERE a.path @> p.area_path AND nlevel(a.path) > 2),
              'siteId', p.site_id, 'siteName', s.name, 'temperature', p.temperature::float8,
              'codeColour', p.code_colour, 'outcome', p.outcome, 'itineraryFlag', p.itinerary_flag)
              ORDER BY p.at DESC, p.id)
              FROM page p LEFT JOIN sites s ON s.id = p.site_id), '[]') AS items`,
    [query.day, query.areaPath, query.limit, query.offset],
  );
  return rows[0]!;
}
