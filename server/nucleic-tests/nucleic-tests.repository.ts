// SQL of the nucleic-acid tests: samples and results stored in set-based statements (a batch of
// 10,000 is a handful of statements, never one per record), and the reads behind the figures.
import type { Queryable } from '../infra/db.ts';
import type { CounterChange } from '../stats/stats.repository.ts';
import type { NucleicResultValue, NucleicTestStatus } from '../contracts/nucleic-tests.ts';
import { nucleicResultDueHours, riskGroupNucleicResultDueHours } from '../contracts/nucleic-tests.ts';

/** A sample ready to store: located in a grid, its local day computed. */
export interface ResolvedTest {
  id: string;
  sampledAt: string;
  sampleDay: string;
  gridCode: string;
  siteId: number | null;
  personId: string | null;
  riskGroup: boolean;
}

/** A result ready to store (checked against its test). */
export interface NewResult {
  testId: string;
  resultedAt: string;
  resultDay: string;
  result: NucleicResultValue;
}

/** Counter deltas of one grid and day, as a statement aggregated them. */
interface GridDayDeltas {
  path: string;
  day: string;
  deltas: CounterChange['deltas'];
}

/** People (by id) registered inside the scope. */
export async function peopleInScope(db: Queryable, ids: string[], scopePath: string): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id::text FROM people WHERE id = ANY ($1::uuid[]) AND area_path <@ $2::ltree',
    [ids, scopePath],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Stores the samples (ids already stored are skipped and not counted), each due 12 h after
 * sampling or 6 h for a risk group, and returns how many were new and `tests_sampled` per grid
 * and sample day. Rows go in id order, so concurrent batches sharing ids wait for each other in
 * the same order instead of deadlocking.
 */
export async function insertTests(
  db: Queryable,
  tests: ResolvedTest[],
  receivedBy: string,
): Promise<{ accepted: number; deltas: GridDayDeltas[] }> {
  const { rows } = await db.query<{ path: string; day: string; n: number }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::date[], $4::text[], $5::bigint[], $6::uuid[], $7::boolean[])
         AS t(id, sampled_at, sample_day, grid_code, site_id, person_id, risk_group)
     ), inserted AS (
       INSERT INTO nucleic_tests (id, sampled_at, sample_day, grid_code, area_path, site_id, person_id, risk_group, due_at, received_by)
       SELECT i.id, i.sampled_at, i.sample_day, i.grid_code, g.path, i.site_id, i.person_id, i.risk_group,
              i.sampled_at + make_interval(hours => CASE WHEN i.risk_group THEN $9::int ELSE $10::int END), $8
         FROM input i JOIN areas g ON g.code = i.grid_code
        ORDER BY i.id
       ON CONFLICT (id) DO NOTHING
       RETURNING area_path, sample_day
     )
     SELECT area_path::text AS path, to_char(sample_day, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM inserted GROUP BY 1, 2`,
    [
      tests.map((t) => t.id),
      tests.map((t) => t.sampledAt),
      tests.map((t) => t.sampleDay),
      tests.map((t) => t.gridCode),
      tests.map((t) => t.siteId),
      tests.map((t) => t.personId),
      tests.map((t) => t.riskGroup),
      receivedBy,
      riskGroupNucleicResultDueHours,
      nucleicResultDueHours,
    ],
  );
  return {
    accepted: rows.reduce((sum, row) => sum + row.n, 0),
    deltas: rows.map((row) => ({ path: row.path, day: row.day, deltas: { tests_sampled: row.n } })),
  };
}

/** What the database knows of the test a result is for. */
export interface ResultTarget {
  /** the test exists inside the scope */
  found: boolean;
  /** the result time is before the sampling time */
  beforeSample: boolean;
  /** the result already stored, if any, and whether it is the same (value and instant) */
  storedResult: NucleicResultValue | null;
  storedResultedAt: string | null;
  sameAsStored: boolean;
}

/** For each result in order, its test (inside the scope) and the result already stored for it. */
export async function resultTargets(
  db: Queryable,
  results: ReadonlyArray<Pick<NewResult, 'testId' | 'resultedAt' | 'result'>>,
  scopePath: string,
): Promise<ResultTarget[]> {
  const { rows } = await db.query<ResultTarget>(
    `SELECT t.id IS NOT NULL AS found,
            COALESCE(i.resulted_at < t.sampled_at, false) AS "beforeSample",
            r.result AS "storedResult",
            to_char(r.resulted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "storedResultedAt",
            COALESCE(r.result = i.result AND r.resulted_at = i.resulted_at, false) AS "sameAsStored"
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) WITH ORDINALITY AS i(test_id, resulted_at, result, n)
       LEFT JOIN nucleic_tests t ON t.id = i.test_id AND t.area_path <@ $4::ltree
       LEFT JOIN nucleic_results r ON r.test_id = t.id
      ORDER BY i.n`,
    [results.map((r) => r.testId), results.map((r) => r.resultedAt), results.map((r) => r.result), scopePath],
  );
  return rows;
}

/**
 * Stores results (one per test; a test that has one already is skipped), each on time when it
 * came by the test's due time, and raises a `positive_result` alert for each new positive, in one
 * statement. Returns the new results' counter deltas per grid and result day, the alerts raised and
 * the tests whose result was stored meanwhile by someone else (the caller checks they agree).
 */
export async function insertResults(
  db: Queryable,
  results: NewResult[],
  receivedBy: string,
): Promise<{ accepted: number; deltas: GridDayDeltas[]; alertIds: number[]; skipped: string[] }> {
  const { rows } = await db.query<{ deltas: Array<{ path: string; day: string; resulted: number; positive: number; onTime: number }>; alertIds: number[]; skipped: string[] }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::date[], $4::text[]) AS i(test_id, resulted_at, result_day, result)
     ), inserted AS (
       INSERT INTO nucleic_results (test_id, resulted_at, result_day, result, on_time, received_by)
       SELECT i.test_id, i.resulted_at, i.result_day, i.result, i.resulted_at <= t.due_at, $5
         FROM input i JOIN nucleic_tests t ON t.id = i.test_id
        ORDER BY i.test_id
       ON CONFLICT (test_id) DO NOTHING
       RETURNING test_id, resulted_at, result_day, result, on_time
     ), located AS (
       SELECT n.*, t.grid_code, t.area_path, t.site_id FROM inserted n JOIN nucleic_tests t ON t.id = n.test_id
     ), raised AS (
       -- 网络直报: a positive is reported at once; one alert per test, whatever the retries
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT 'positive_result', l.grid_code, l.area_path, l.result_day, l.resulted_at, l.test_id,
              jsonb_strip_nulls(jsonb_build_object('testId', l.test_id, 'siteId', l.site_id))
         FROM located l WHERE l.result = 'positive'
        ORDER BY l.test_id
       ON CONFLICT DO NOTHING
       RETURNING id
     ), deltas AS (
       SELECT area_path::text AS path, to_char(result_day, 'YYYY-MM-DD') AS day, count(*)::int AS resulted,
              count(*) FILTER (WHERE result = 'positive')::int AS positive, count(*) FILTER (WHERE on_time)::int AS "onTime"
         FROM located GROUP BY 1, 2
     )
     SELECT COALESCE((SELECT json_agg(d) FROM deltas d), '[]') AS deltas,
            COALESCE((SELECT array_agg(id ORDER BY id) FROM raised), '{}') AS "alertIds",
            COALESCE((SELECT array_agg(i.test_id::text) FROM input i WHERE NOT EXISTS (SELECT 1 FROM inserted n WHERE n.test_id = i.test_id)), '{}') AS skipped`,
    [results.map((r) => r.testId), results.map((r) => r.resultedAt), results.map((r) => r.resultDay), results.map((r) => r.result), receivedBy],
  );
  const row = rows[0]!;
  return {
    accepted: row.deltas.reduce((sum, d) => sum + d.resulted, 0),
    deltas: row.deltas.map((d) => ({
      path: d.path,
      day: d.day,
      deltas: { tests_resulted: d.resulted, tests_positive: d.positive, results_on_time: d.onTime },
    })),
    alertIds: row.alertIds,
    skipped: row.skipped,
  };
}

export interface ListFilter {
  scopePath: string;
  status: NucleicTestStatus | undefined;
  day: string | undefined;
  now: Date;
  limit: number;
  offset: number;
}

export interface TestRow {
  id: string;
  sampledAt: string;
  sampleDay: string;
  gridCode: string;
  areaName: string;
  siteId: number | null;
  siteName: string | null;
  riskGroup: boolean;
  dueAt: string;
  status: 'pending' | 'late' | 'resulted';
  result: { resultedAt: string; resultDay: string; result: NucleicResultValue; onTime: boolean; turnaroundHours: number } | null;
  person: { id: string; name: string; idNumber: string; phone: string | null; address: string | null } | null;
}

// Pending and late samples are listed by their sample day, results by their result day: each
// list is the one behind the figure of that day (testsSampled, testsResulted, testsPositive).
const listWhere = `t.area_path <@ $1::ltree
  AND CASE $2::text
        WHEN 'pending' THEN r.test_id IS NULL
        WHEN 'late' THEN r.test_id IS NULL AND t.due_at < $4
        WHEN 'resulted' THEN r.test_id IS NOT NULL
        WHEN 'positive' THEN r.result = 'positive'
        ELSE true END
  AND ($3::date IS NULL OR (CASE WHEN $2::text IN ('resulted', 'positive') THEN r.result_day ELSE t.sample_day END) = $3::date)`;

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One page of tests in the scope, newest first (by result time for result lists), with the total. */
export async function listTests(db: Queryable, filter: ListFilter): Promise<{ items: TestRow[]; total: number }> {
  const params = [filter.scopePath, filter.status ?? null, filter.day ?? null, filter.now];
  const order = filter.status === 'resulted' || filter.status === 'positive' ? 'r.resulted_at DESC, t.id' : 't.sampled_at DESC, t.id';
  const [page, count] = await Promise.all([
    db.query<TestRow>(
      `SELECT t.id::text, ${iso('t.sampled_at')} AS "sampledAt", to_char(t.sample_day, 'YYYY-MM-DD') AS "sampleDay",
              t.grid_code AS "gridCode",
              (SELECT string_agg(a.name, ' · ' ORDER BY nlevel(a.path)) FROM areas a
                WHERE a.path @> t.area_path AND a.level <> 'city') AS "areaName",
              t.site_id AS "siteId", s.name AS "siteName", t.risk_group AS "riskGroup", ${iso('t.due_at')} AS "dueAt",
              CASE WHEN r.test_id IS NOT NULL THEN 'resulted' WHEN t.due_at < $4 THEN 'late' ELSE 'pending' END AS status,
              CASE WHEN r.test_id IS NOT NULL THEN json_build_object(
                'resultedAt', ${iso('r.resulted_at')}, 'resultDay', to_char(r.result_day, 'YYYY-MM-DD'), 'result', r.result,
                'onTime', r.on_time, 'turnaroundHours', round((extract(epoch FROM r.resulted_at - t.sampled_at) / 3600)::numeric, 2)) END AS result,
              CASE WHEN p.id IS NOT NULL THEN json_build_object(
                'id', p.id, 'name', p.name, 'idNumber', p.id_number, 'phone', p.phone, 'address', p.address) END AS person
         FROM nucleic_tests t
         LEFT JOIN nucleic_results r ON r.test_id = t.id
         LEFT JOIN sites s ON s.id = t.site_id
         LEFT JOIN people p ON p.id = t.person_id
        WHERE ${listWhere}
        ORDER BY ${order}
        LIMIT $5 OFFSET $6`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM nucleic_tests t LEFT JOIN nucleic_results r ON r.test_id = t.id WHERE ${listWhere}`,
      params,
    ),
  ]);
  return { items: page.rows, total: count.rows[0]?.total ?? 0 };
}

export interface TurnaroundRow {
  day: string | null;
  sampled: number;
  resulted: number;
  positive: number;
  onTime: number;
  onTimeRate: number | null;
  medianHours: number | null;
  p90Hours: number | null;
  pending: number;
  pendingOverdue: number;
}

/**
 * Turnaround of the tests in the scope, day by day from `from` to `to` (every day, zeros where
 * quiet) and over the whole period (the row whose day is null). Samples count on their sample day,
 * results on their result day, as the daily figures do; hours run from sampling to result.
 */
export async function turnaround(db: Queryable, scopePath: string, from: string, to: string, now: Date): Promise<TurnaroundRow[]> {
  const { rows } = await db.query<TurnaroundRow>(
    `WITH sampled AS (
       SELECT t.sample_day AS day, count(*)::int AS sampled,
              count(*) FILTER (WHERE r.test_id IS NULL)::int AS pending,
              count(*) FILTER (WHERE r.test_id IS NULL AND t.due_at < $4)::int AS pending_overdue
         FROM nucleic_tests t LEFT JOIN nucleic_results r ON r.test_id = t.id
        WHERE t.area_path <@ $1::ltree AND t.sample_day BETWEEN $2::date AND $3::date
        GROUP BY GROUPING SETS ((t.sample_day), ())
     ), resulted AS (
       SELECT r.result_day AS day, count(*)::int AS resulted,
              count(*) FILTER (WHERE r.result = 'positive')::int AS positive,
              count(*) FILTER (WHERE r.on_time)::int AS on_time,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY x.hours) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY x.hours) AS p90
         FROM nucleic_results r JOIN nucleic_tests t ON t.id = r.test_id
        CROSS JOIN LATERAL (SELECT extract(epoch FROM r.resulted_at - t.sampled_at) / 3600 AS hours) x
        WHERE t.area_path <@ $1::ltree AND r.result_day BETWEEN $2::date AND $3::date
        GROUP BY GROUPING SETS ((r.result_day), ())
     ), keys AS (
       SELECT d::date AS day FROM generate_series($2::date, $3::date, interval '1 day') AS d
       UNION ALL SELECT NULL
     )
     SELECT to_char(k.day, 'YYYY-MM-DD') AS day,
            COALESCE(s.sampled, 0) AS sampled, COALESCE(r.resulted, 0) AS resulted,
            COALESCE(r.positive, 0) AS positive, COALESCE(r.on_time, 0) AS "onTime",
            CASE WHEN r.resulted > 0 THEN round(r.on_time::numeric / r.resulted, 4)::float8 END AS "onTimeRate",
            round(r.median::numeric, 2)::float8 AS "medianHours", round(r.p90::numeric, 2)::float8 AS "p90Hours",
            COALESCE(s.pending, 0) AS pending, COALESCE(s.pending_overdue, 0) AS "pendingOverdue"
       FROM keys k
       -- the grand totals of GROUPING SETS have a null day, as does the period's key
       LEFT JOIN sampled s ON s.day IS NOT DISTINCT FROM k.day
       LEFT JOIN resulted r ON r.day IS NOT DISTINCT FROM k.day
      ORDER BY k.day NULLS LAST`,
    [scopePath, from, to, now],
  );
  return rows;
}

/**
 * Raises one `late_result` alert for each test without a result whose due time has passed, on
 * the city day of that due time. Tests already alerted are left out before inserting (so a sweep
 * every minute does not burn alert ids), and `UNIQUE (kind, source_id)` keeps concurrent sweeps
 * from raising one twice. Only tests due in the last `lookbackDays` are looked at: older samples
 * are refused at ingestion, so no test can newly fall behind further back.
 */
export async function raiseLateResultAlerts(db: Queryable, now: Date, timeZone: string, lookbackDays: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
     SELECT 'late_result', t.grid_code, t.area_path, (t.due_at AT TIME ZONE $2)::date, $1, t.id,
            jsonb_strip_nulls(jsonb_build_object('testId', t.id, 'dueAt', ${iso('t.due_at')}, 'siteId', t.site_id))
       FROM nucleic_tests t
      WHERE t.due_at < $1 AND t.due_at >= $1 - make_interval(days => $3::int)
        AND NOT EXISTS (SELECT 1 FROM nucleic_results r WHERE r.test_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.kind = 'late_result' AND a.source_id = t.id)
      ORDER BY t.id
     ON CONFLICT (kind, source_id) DO NOTHING
     RETURNING id`,
    [now, timeZone, lookbackDays],
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
