import type { Queryable } from '../infra/db.ts';
import type { AreaDayCounts } from '../contracts/stats.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { abnormalTemperature } from '../contracts/screening.ts';

/** area_daily_counts columns that count something (all but the key and bookkeeping). */
export type CounterColumn =
  | 'screened' | 'abnormal_temp' | 'yellow_code' | 'red_code' | 'referred' | 'denied' | 'itinerary_flagged'
  | 'tests_sampled' | 'tests_resulted' | 'tests_positive' | 'results_on_time'
  | 'centralised_in' | 'centralised_out' | 'home_quarantine_in' | 'home_quarantine_out' | 'home_monitoring_in' | 'home_monitoring_out'
  | 'cases_started' | 'released' | 'transferred' | 'missed_checks' | 'risk_area_arrivals';

/** A change of a grid's counters on one day; it is added to the grid and every area above it. */
export interface CounterChange {
  /** the grid's ltree path (city.district.street.community.grid) */
  path: string;
  day: string;
  deltas: Partial<Record<CounterColumn, number>>;
}

/**
 * Adds counter changes in one statement (see add_area_day_counts in db/migrations/004), and
 * returns the area-days that changed for the live feed. Call it once per transaction: a second
 * call could lock shared ancestors out of order. A change with a zero delta still bumps the
 * area-day's version, which is how a writer says "this day's state figures changed".
 */
export async function addAreaDayCounts(db: Queryable, changes: CounterChange[]): Promise<AreaDayKey[]> {
  if (changes.length === 0) return [];
  const { rows } = await db.query<{ area: string; day: string }>(
    `SELECT area_code AS area, to_char(day, 'YYYY-MM-DD') AS day
       FROM add_area_day_counts($1::ltree[], $2::date[], $3::jsonb[])`,
    [changes.map((c) => c.path), changes.map((c) => c.day), changes.map((c) => JSON.stringify(c.deltas))],
  );
  return rows;
}

/** A change of the number of active cases of a grid planned for release on a day. */
export interface CaseEndChange {
  path: string;
  plannedEnd: string;
  delta: number;
}

/** Adds active-case changes in one statement; like addAreaDayCounts, once per transaction. */
export async function addActiveCaseEnds(db: Queryable, changes: CaseEndChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query('SELECT add_active_case_ends($1::ltree[], $2::date[], $3::int[])', [
    changes.map((c) => c.path),
    changes.map((c) => c.plannedEnd),
    changes.map((c) => c.delta),
  ]);
}

/**
 * The figures of area-days given as a relation `k(area_code, day, n)` (n orders the result):
 * the day's flows, people under each measure (the running sum of flows up to the day) and the
 * active cases due for release on or before it. Every key gets a row, zeros where quiet.
 */
function countsOfKeys(keys: string): string {
  return `SELECT k.area_code AS area, to_char(k.day, 'YYYY-MM-DD') AS day, COALESCE(c.version, 0) AS version,
       json_build_object(
         'screened', COALESCE(c.screened, 0), 'abnormalTemp', COALESCE(c.abnormal_temp, 0),
         'yellowCode', COALESCE(c.yellow_code, 0), 'redCode', COALESCE(c.red_code, 0),
         'referred', COALESCE(c.referred, 0), 'denied', COALESCE(c.denied, 0),
         'itineraryFlagged', COALESCE(c.itinerary_flagged, 0),
         'testsSampled', COALESCE(c.tests_sampled, 0), 'testsResulted', COALESCE(c.tests_resulted, 0),
         'testsPositive', COALESCE(c.tests_positive, 0), 'resultsOnTime', COALESCE(c.results_on_time, 0),
         'resultOnTimeRate', CASE WHEN c.tests_resulted > 0 THEN round(c.results_on_time::numeric / c.tests_resulted, 4) END,
         'centralised', s.centralised, 'homeQuarantine', s.home_quarantine, 'homeMonitoring', s.home_monitoring,
         'casesStarted', COALESCE(c.cases_started, 0), 'released', COALESCE(c.released, 0),
         'transferred', COALESCE(c.transferred, 0),
         'releasesDue', e.releases_due, 'overdueReleases', e.overdue_releases,
         'missedChecks', COALESCE(c.missed_checks, 0), 'riskAreaArrivals', COALESCE(c.risk_area_arrivals, 0)
       ) AS counts
  FROM (${keys}) AS k
  LEFT JOIN area_daily_counts c ON c.area_code = k.area_code AND c.day = k.day
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(p.centralised_in - p.centralised_out), 0)::int AS centralised,
           COALESCE(sum(p.home_quarantine_in - p.home_quarantine_out), 0)::int AS home_quarantine,
           COALESCE(sum(p.home_monitoring_in - p.home_monitoring_out), 0)::int AS home_monitoring
      FROM area_daily_counts p WHERE p.area_code = k.area_code AND p.day <= k.day) AS s
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(a.active) FILTER (WHERE a.planned_end = k.day), 0)::int AS releases_due,
           COALESCE(sum(a.active) FILTER (WHERE a.planned_end < k.day), 0)::int AS overdue_releases
      FROM area_active_case_ends a WHERE a.area_code = k.area_code AND a.planned_end <= k.day) AS e
  ORDER BY k.n`;
}

/** Figures of each area for one day, in the order asked. */
export async function countsForAreas(db: Queryable, areaCodes: string[], day: string): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<AreaDayCounts>(
    countsOfKeys('SELECT code AS area_code, $2::date AS day, n FROM unnest($1::text[]) WITH ORDINALITY AS u(code, n)'),
    [areaCodes, day],
  );
  return rows;
}

/** Current figures of the given area-days. */
export async function countsForKeys(db: Queryable, keys: ReadonlyArray<{ area: string; day: string }>): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<AreaDayCounts>(
    countsOfKeys('SELECT area_code, day, n FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS u(area_code, day, n)'),
    [keys.map((k) => k.area), keys.map((k) => k.day)],
  );
  return rows;
}

/** Figures of every child of an area for one day, ordered by code. */
export async function countsForChildren(db: Queryable, parentCode: string, day: string): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<AreaDayCounts>(
    countsOfKeys('SELECT code AS area_code, $2::date AS day, code AS n FROM areas WHERE parent_code = $1'),
    [parentCode, day],
  );
  return rows;
}

/** An area's figures for each of `days` days up to `until`, oldest first. */
export async function countsTrend(db: Queryable, areaCode: string, until: string, days: number): Promise<AreaDayCounts[]> {
  const { rows } = await db.query<AreaDayCounts>(
    // An integer series: the planner knows its size (a date series is estimated at 1,000 rows, which
    // made PostgreSQL JIT-compile this 14-row read on every call; docs/benchmarks.md, read).
    countsOfKeys(`SELECT $1::text AS area_code, $2::date - i AS day, -i AS n
                    FROM generate_series(0, $3::int - 1) AS i`),
    [areaCode, until, days],
  );
  return rows;
}

export interface CountMismatch {
  area: string;
  /** counter column → the maintained value and the one rebuilt from the events */
  differences: Record<string, { stored: number; rebuilt: number }>;
}

/**
 * Rebuilds the day's counters from the events (screenings, tests and results, case events,
 * missed-check alerts, arrivals) and lists every area where they differ from the maintained
 * ones. An empty list proves the roll-up right.
 */
export async function findCountMismatches(db: Queryable, day: string): Promise<CountMismatch[]> {
  const { rows } = await db.query<CountMismatch>(
    `WITH unit AS (
       SELECT e.area_path AS path, x.col, x.v
         FROM screening_events e
        CROSS JOIN LATERAL (VALUES ('screened', 1), ('abnormal_temp', (e.temperature >= $2)::int),
                                   ('yellow_code', (e.code_colour = 'yellow')::int), ('red_code', (e.code_colour = 'red')::int),
                                   ('referred', (e.outcome = 'refer')::int), ('denied', (e.outcome = 'deny')::int),
                                   ('itinerary_flagged', e.itinerary_flag::int)) AS x(col, v)
        WHERE e.day = $1::date
       UNION ALL
       SELECT area_path, 'tests_sampled', 1 FROM nucleic_tests WHERE sample_day = $1::date
       UNION ALL
       SELECT t.area_path, x.col, x.v
         FROM nucleic_results r JOIN nucleic_tests t ON t.id = r.test_id
        CROSS JOIN LATERAL (VALUES ('tests_resulted', 1), ('tests_positive', (r.result = 'positive')::int),
                                   ('results_on_time', r.on_time::int)) AS x(col, v)
        WHERE r.result_day = $1::date
       UNION ALL
       SELECT c.area_path, x.col, 1
         FROM case_events ev JOIN quarantine_cases c ON c.id = ev.case_id
        CROSS JOIN LATERAL (VALUES (ev.from_kind || '_out'), (ev.to_kind || '_in'),
                                   (CASE ev.type WHEN 'start' THEN 'cases_started' WHEN 'release' THEN 'released'
                                                 WHEN 'transfer' THEN 'transferred' END)) AS x(col)
        WHERE ev.day = $1::date AND x.col IS NOT NULL
       UNION ALL
       SELECT area_path, 'missed_checks', 1 FROM alerts WHERE kind = 'missed_check' AND day = $1::date
       UNION ALL
       SELECT area_path, 'risk_area_arrivals', 1 FROM people WHERE risk_area_level IS NOT NULL AND arrived_on = $1::date
     ), rebuilt AS (
       SELECT a.code AS area_code, u.col, sum(u.v)::int AS v
         FROM unit u CROSS JOIN LATERAL unnest(string_to_array(u.path::text, '.')) AS a(code)
        GROUP BY 1, 2
     ), stored AS (
       SELECT c.area_code, x.key AS col, x.value::int AS v
         FROM area_daily_counts c
        CROSS JOIN LATERAL jsonb_each_text(to_jsonb(c) - 'area_code' - 'day' - 'version' - 'updated_at') AS x
        WHERE c.day = $1::date
     )
     SELECT COALESCE(s.area_code, r.area_code) AS area,
            jsonb_object_agg(COALESCE(s.col, r.col), jsonb_build_object('stored', COALESCE(s.v, 0), 'rebuilt', COALESCE(r.v, 0))) AS differences
       FROM stored s FULL JOIN rebuilt r ON r.area_code = s.area_code AND r.col = s.col
      WHERE COALESCE(s.v, 0) <> COALESCE(r.v, 0)
      GROUP BY 1
      ORDER BY 1`,
    [day, abnormalTemperature],
  );
  return rows;
}

export interface CaseEndMismatch {
  area: string;
  plannedEnd: string;
  stored: number;
  rebuilt: number;
}

/** Compares the maintained active cases per area and planned release day with the cases themselves. */
export async function findCaseEndMismatches(db: Queryable): Promise<CaseEndMismatch[]> {
  const { rows } = await db.query<CaseEndMismatch>(
    `WITH rebuilt AS (
       SELECT a.code AS area_code, q.planned_end, count(*)::int AS active
         FROM quarantine_cases q CROSS JOIN LATERAL unnest(string_to_array(q.area_path::text, '.')) AS a(code)
        WHERE q.status = 'active'
        GROUP BY 1, 2
     )
     SELECT COALESCE(s.area_code, r.area_code) AS area, to_char(COALESCE(s.planned_end, r.planned_end), 'YYYY-MM-DD') AS "plannedEnd",
            COALESCE(s.active, 0) AS stored, COALESCE(r.active, 0) AS rebuilt
       FROM area_active_case_ends s FULL JOIN rebuilt r ON r.area_code = s.area_code AND r.planned_end = s.planned_end
      WHERE COALESCE(s.active, 0) <> COALESCE(r.active, 0)
      ORDER BY 1, 2`,
  );
  return rows;
}
