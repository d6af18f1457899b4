// Read latency of the live figures with the issue's volume loaded: 10 million screening events
// over 60 days and 1 million quarantine cases (with their people, case events, nucleic tests and
// alerts), in a database of its own (ecc_bench, made from the demo on first use).
//  1. Prepare (skipped when the data is already there; --rebuild forces it): everything is
//     generated in SQL, set-based, and the counters are built from the events in one statement
//     each, the way the system maintains them, then checked with the consistency check.
//  2. Measure, interleaved so machine noise hits both sides alike: the SQL the stats routes run
//     (countsForAreas / countsForChildren / countsTrend called directly through pg) and the same
//     reads through the real HTTP server (its own process, logged-in session, keep-alive).
// Usage: npm run bench:read [-- --samples 2000] [--rebuild] [--no-write] [--events 10000000 --cases 1000000 --tests 500000]
// Note: bench/ingestion.ts truncates screening_events and area_daily_counts in the same database;
// the next run of this bench sees that and prepares the data again.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { cityDay } from '../server/infra/city-time.ts';
import { createPool, type Queryable } from '../server/infra/db.ts';
import { abnormalTemperature } from '../server/contracts/screening.ts';
import {
  countsForAreas, countsForChildren, countsTrend, findCaseEndMismatches, findCountMismatches, type CounterColumn,
} from '../server/stats/stats.repository.ts';
import { loginCookie, startServerProcess } from '../tests/helpers/live-client.ts';
import { replaceSection } from './report.ts';
import { benchDatabase } from './bench-database.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    cases: { type: 'string', default: '1000000' },
    tests: { type: 'string', default: '500000' },
    days: { type: 'string', default: '60' },
    samples: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    rebuild: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const totalEvents = Number(values.events);
const totalCases = Number(values.cases);
const totalTests = Number(values.tests);
const dayCount = Number(values.days);
const samplesPerKind = Number(values.samples);
const warmupPerKind = Number(values.warmup);
const timeZone = 'Asia/Shanghai';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);

const benchUrl = await benchDatabase('ecc_bench');

const db = new pg.Client({ connectionString: benchUrl, application_name: 'ecc-bench-read' });
await db.connect();
const cityCode = (await db.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'city'`)).rows[0]!.code;

// ---------------------------------------------------------------------------------------------
// 1. Data
// ---------------------------------------------------------------------------------------------

/** Every counter column of area_daily_counts, in table order; checked against the table below. */
const counterColumns: CounterColumn[] = [
  'screened', 'abnormal_temp', 'yellow_code', 'red_code', 'referred', 'denied', 'itinerary_flagged',
  'tests_sampled', 'tests_resulted', 'tests_positive', 'results_on_time',
  'centralised_in', 'centralised_out', 'home_quarantine_in', 'home_quarantine_out', 'home_monitoring_in', 'home_monitoring_out',
  'cases_started', 'released', 'transferred', 'missed_checks', 'risk_area_arrivals',
];

async function dataPresent(): Promise<boolean> {
  const { rows } = await db.query<{ events: string; counted: string | null; cases: string; people: string; ends: string }>(
    `SELECT (SELECT count(*) FROM screening_events) AS events,
            (SELECT sum(screened) FROM area_daily_counts WHERE area_code = $1) AS counted,
            (SELECT count(*) FROM quarantine_cases) AS cases,
            (SELECT count(*) FROM people) AS people,
            (SELECT count(*) FROM (SELECT 1 FROM area_active_case_ends LIMIT 1) e) AS ends`,
    [cityCode],
  );
  const row = rows[0]!;
  return Number(row.events) === totalEvents && Number(row.counted) === totalEvents
    && Number(row.cases) === totalCases && Number(row.people) === totalCases && Number(row.ends) > 0;
}

async function step(label: string, sql: string, params: unknown[] = []): Promise<number> {
  const t0 = performance.now();
  const result = await db.query(sql, params);
  log(`${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result.rowCount ?? 0;
}

function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/** Checkpoint traffic by local hour: a morning peak, a smaller evening one, quiet nights. */
const hourWeights = [0.5, 0.3, 0.2, 0.2, 0.3, 1, 3, 8, 10, 7, 5, 5, 6, 5, 4, 4, 5, 7, 6, 4, 3, 2, 1.5, 1];

/** The hours as 1,000 slots in proportion to their weight (only hours before `untilHour`). */
function hourSlots(untilHour = 24): number[] {
  const total = hourWeights.slice(0, untilHour).reduce((a, b) => a + b, 0);
  return hourWeights.slice(0, untilHour).flatMap((w, hour) => Array<number>(Math.round((w / total) * 1000)).fill(hour));
}

async function prepare(): Promise<void> {
  const now = new Date();
  const today = cityDay(now, timeZone);
  const first = addDays(today, -(dayCount - 1));
  const hourNow = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
  log(`preparing ${totalEvents.toLocaleString('en')} screening events over ${first} … ${today}, ${totalCases.toLocaleString('en')} cases, ${totalTests.toLocaleString('en')} tests`);

  const tableColumns = (await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'area_daily_counts'
        AND column_name NOT IN ('area_code', 'day', 'version', 'updated_at') ORDER BY ordinal_position`,
  )).rows.map((r) => r.column_name);
  if (!isDeepStrictEqual([...tableColumns].sort(), [...counterColumns].sort())) {
    throw new Error(`area_daily_counts has counters ${tableColumns.join(', ')}; this bench builds ${counterColumns.join(', ')}: update it`);
  }

  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET work_mem = '512MB'`);
  await db.query(`SET maintenance_work_mem = '1GB'`);
  await db.query(`SET temp_buffers = '1GB'`);
  await db.query(`SELECT setseed(0.2020)`);
  await step('truncate', `TRUNCATE screening_events, area_daily_counts, area_active_case_ends, alerts, nucleic_results, nucleic_tests,
                                    case_events, temperature_checks, quarantine_cases, person_travel, people CASCADE`);
  for (let i = 0; i < dayCount; i++) await db.query('SELECT ensure_screening_partition($1::date)', [addDays(first, i)]);

  // A moment of `day` in the city: `f` is the share of the day, of the part already gone for today.
  await db.query(`CREATE OR REPLACE FUNCTION pg_temp.at_of(d date, f float8) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT (d::timestamp AT TIME ZONE '${timeZone}') + f * least(interval '24 hours', now() - (d::timestamp AT TIME ZONE '${timeZone}'))
  $$`);
  // A normal draw (Box–Muller; PostgreSQL 15 has no random_normal).
  await db.query(`CREATE OR REPLACE FUNCTION pg_temp.normal() RETURNS float8 LANGUAGE sql VOLATILE AS $$
    SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
  $$`);

  // Days: the outbreak grows over the window, weekends are quieter, today only has its first hours.
  const dayRows = Array.from({ length: dayCount }, (_, i) => {
    const day = addDays(first, i);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const isToday = day === today;
    const todayShare = hourWeights.slice(0, hourNow).reduce((a, b) => a + b, 0) / hourWeights.reduce((a, b) => a + b, 0);
    const weight = (0.6 + (0.8 * i) / Math.max(1, dayCount - 1)) * (weekday === 0 || weekday === 6 ? 0.8 : 1) * (isToday ? todayShare : 1);
    return { day, weight, slots: isToday ? hourSlots(hourNow) : hourSlots() };
  });
  await db.query(`CREATE TEMP TABLE bench_days (day date PRIMARY KEY, w float8 NOT NULL, slots int[] NOT NULL)`);
  for (const d of dayRows) await db.query(`INSERT INTO bench_days VALUES ($1, $2, $3)`, [d.day, d.weight, d.slots]);

  // Grids: traffic follows the population, skewed (markets, hubs, office towers) by a log-normal factor.
  await step('grids', `CREATE TEMP TABLE bench_grids AS
    SELECT a.code, a.path, a.name, s.site_id, greatest(coalesce(a.population, 500), 30) * exp(0.8 * pg_temp.normal()) AS w
      FROM areas a LEFT JOIN (SELECT grid_code, min(id) AS site_id FROM sites GROUP BY 1) s ON s.grid_code = a.code
     WHERE a.level = 'grid'`);
  // Events per grid-day: the expected share with noise, rounded along the running sum so the total is exact.
  await step('grid-days', `CREATE TEMP TABLE bench_cells AS
    SELECT code, path, site_id, day,
           (round(c * $1::float8 / t) - round(coalesce(lag(c) OVER (ORDER BY day, code), 0) * $1::float8 / t))::int AS n
      FROM (SELECT *, sum(e) OVER (ORDER BY day, code ROWS UNBOUNDED PRECEDING) AS c, sum(e) OVER () AS t
              FROM (SELECT g.code, g.path, g.site_id, d.day, g.w * d.w * (0.5 + random()) AS e
                      FROM bench_grids g CROSS JOIN bench_days d WHERE d.w > 0) raw) cum`, [totalEvents]);
  await db.query(`CREATE INDEX ON bench_cells (day)`);

  // Screening events, one statement per day (one partition each): ~1 % fevers (referred), ~3 %
  // yellow and ~0.3 % red codes (denied), ~1.2 % itinerary flags; 60 % at a site of the grid when it has one.
  for (const { day } of dayRows) {
    await step(`screening ${day}`, `INSERT INTO screening_events
        (id, day, at, grid_code, area_path, site_id, temperature, code_colour, outcome, itinerary_flag, received_by, received_at)
      SELECT gen_random_uuid(), day, at, code, path, CASE WHEN site_id IS NOT NULL AND r_site < 0.6 THEN site_id END,
             temperature, colour,
             CASE WHEN colour = 'red' THEN 'deny' WHEN temperature >= $2 THEN 'refer' ELSE 'pass' END,
             r_itinerary < 0.012, 'bench', at + make_interval(secs => 1 + r_site * 20)
        FROM (SELECT day, at, code, path, site_id, r_site, r_itinerary,
                     (CASE WHEN r_fever < 0.01 THEN 37.3 + floor(r_temp * 25) / 10 ELSE 35.9 + floor(r_temp * 13) / 10 END)::numeric(3, 1) AS temperature,
                     CASE WHEN r_code < 0.003 THEN 'red' WHEN r_code < 0.033 THEN 'yellow' ELSE 'green' END AS colour
                FROM (SELECT c.day, c.code, c.path, c.site_id,
                             (c.day + make_interval(hours => d.slots[1 + floor(random() * array_length(d.slots, 1))::int],
                                                    secs => random() * 3599)) AT TIME ZONE '${timeZone}' AS at,
                             random() AS r_fever, random() AS r_temp, random() AS r_code, random() AS r_site, random() AS r_itinerary
                        FROM bench_cells c JOIN bench_days d ON d.day = c.day
                       CROSS JOIN LATERAL generate_series(1, c.n) AS s(i)
                       WHERE c.day = $1::date AND c.n > 0) draws) typed`, [day, abnormalTemperature]);
  }
  // The alerts screening raises as it stores them (see insertScreenings); older ones closed.
  await step('screening alerts', `INSERT INTO alerts (kind, status, area_code, area_path, day, raised_at, source_id, details, closed_by, closed_at)
    SELECT rule.kind, CASE WHEN e.day < $2::date - 1 THEN 'closed' ELSE 'open' END, e.grid_code, e.area_path, e.day, e.at, e.id,
           jsonb_strip_nulls(jsonb_build_object('temperature', e.temperature, 'siteId', e.site_id)),
           CASE WHEN e.day < $2::date - 1 THEN 'bench' END, CASE WHEN e.day < $2::date - 1 THEN e.at + interval '2 hours' END
      FROM screening_events e
     CROSS JOIN LATERAL (VALUES ('abnormal_temperature', e.temperature >= $1), ('red_code', e.code_colour = 'red')) AS rule(kind, hit)
     WHERE rule.hit AND (e.temperature >= $1 OR e.code_colour = 'red')
     ORDER BY e.at`, [abnormalTemperature, today]);

  // People and their cases: one case each, in the grids by population; starts grow over the window.
  await step('case draws', `CREATE TEMP TABLE bench_cases AS
    WITH alloc AS (
      SELECT code, path, name, (round(c * $1::float8 / t) - round(coalesce(lag(c) OVER (ORDER BY code), 0) * $1::float8 / t))::int AS m
        FROM (SELECT *, sum(w) OVER (ORDER BY code ROWS UNBOUNDED PRECEDING) AS c, sum(w) OVER () AS t FROM bench_grids) g
    ), draws AS (
      SELECT row_number() OVER () AS n, a.code, a.path, a.name AS grid_name,
             random() AS r_cat, random() AS r_level, random() AS r_regime, random() AS r_start, random() AS r_transfer,
             random() AS r_tday, random() AS r_release, random() AS r_missed, random() AS r_mday, random() AS r_slot, random() AS r_arrive
        FROM alloc a CROSS JOIN LATERAL generate_series(1, a.m) AS s(i)
    ), typed AS (
      SELECT d.*,
             CASE WHEN r_cat < 0.35 THEN 'close_contact' WHEN r_cat < 0.50 THEN 'secondary_contact' WHEN r_cat < 0.65 THEN 'risk_area_arrival'
                  WHEN r_cat < 0.73 THEN 'overseas_arrival' WHEN r_cat < 0.90 THEN 'out_of_province_returnee'
                  WHEN r_cat < 0.94 THEN 'big_data_check' WHEN r_cat < 0.98 THEN 'fever_clinic_referral' ELSE 'other' END AS category,
             $2::date + least($3::int - 1, floor($3::int * sqrt(r_start)))::int AS start_day
        FROM draws d
    ), regimed AS (
      SELECT t.*,
             CASE WHEN category = 'risk_area_arrival' THEN CASE WHEN r_level < 0.4 THEN 'high' ELSE 'medium' END END AS risk_level,
             -- arrivals from a risk area get the policy's regime; the others a usual mix
             CASE WHEN category = 'risk_area_arrival' THEN CASE WHEN r_level < 0.4 THEN '7+7' ELSE '14-home' END
                  WHEN r_regime < 0.30 THEN '7+7' WHEN r_regime < 0.45 THEN '7+2' WHEN r_regime < 0.75 THEN '14-home'
                  WHEN r_regime < 0.80 THEN '14+7' ELSE '7-monitor' END AS regime_code
        FROM typed t
    )
    SELECT r.*, gen_random_uuid() AS person_id, gen_random_uuid() AS case_id, q.phases, q.total_days,
           r.start_day + q.total_days AS planned_end,
           -- 1 % go to hospital some day of their measure (if that day has come)
           CASE WHEN r.r_transfer < 0.01 AND r.start_day + floor(r.r_tday * q.total_days)::int <= $4::date
                THEN r.start_day + floor(r.r_tday * q.total_days)::int END AS transfer_day
      FROM regimed r JOIN quarantine_regimes q ON q.code = r.regime_code`, [totalCases, first, dayCount, today]);
  // Status: released on the planned day, except a few of the last days' releases still open
  // (overdue), and most of today's still due (it is early in the day).
  await step('case states', `CREATE TEMP TABLE bench_case_states AS
    SELECT c.*, s.status, s.end_day, least(coalesce(s.end_day, $1::date), c.planned_end - 1) AS ref_day
      FROM bench_cases c
     CROSS JOIN LATERAL (
       SELECT x.status, CASE x.status WHEN 'transferred' THEN c.transfer_day WHEN 'released' THEN c.planned_end END AS end_day
         FROM (SELECT CASE WHEN c.transfer_day IS NOT NULL THEN 'transferred'
                           WHEN c.planned_end < $1::date AND NOT (c.planned_end >= $1::date - 3 AND c.r_release < 0.1) THEN 'released'
                           WHEN c.planned_end = $1::date AND c.r_release < 0.2 THEN 'released'
                           ELSE 'active' END AS status) x) s`, [today]);
  await step('case phases', `CREATE TEMP TABLE bench_phases AS
    SELECT c.n, (p.ord - 1)::int AS idx, p.ph->>'kind' AS kind, (p.ph->>'days')::int AS days,
           c.start_day + coalesce(sum((p.ph->>'days')::int) OVER (PARTITION BY c.n ORDER BY p.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS from_day
      FROM bench_cases c CROSS JOIN LATERAL jsonb_array_elements(c.phases) WITH ORDINALITY AS p(ph, ord)`);
  await db.query(`CREATE INDEX ON bench_phases (n, idx)`);
  // The phase each case is in (or ended in): the last one begun by its reference day.
  await step('case current phase', `CREATE TEMP TABLE bench_cur AS
    SELECT DISTINCT ON (c.n) c.*, p.idx AS cur_idx, p.kind AS cur_kind, p.from_day + p.days AS cur_end
      FROM bench_case_states c JOIN bench_phases p ON p.n = c.n AND p.from_day <= c.ref_day
     ORDER BY c.n, p.idx DESC`);
  await db.query(`CREATE INDEX ON bench_cur (n)`);

  const check = (body: string) =>
    `substr('10X98765432', ((${[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2].map((w, i) => `substr(${body}, ${i + 1}, 1)::int * ${w}`).join(' + ')}) % 11) + 1, 1)`;
  await step('people', `INSERT INTO people (id, name, id_type, id_number, phone, address, grid_code, area_path, category, health_code,
                                            arrived_on, origin, risk_area_level, created_by, created_at, updated_by, updated_at)
    SELECT person_id, name, 'resident_id', body || ${check('body')}, phone, address, code, path, category, health_code,
           arrived_on, origin, risk_level, 'bench', created, 'bench', created
      FROM (SELECT c.*,
                   substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', 1 + (n % 20)::int, 1)
                     || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文', 1 + ((n / 20) % 30)::int, 1)
                     || CASE WHEN n % 3 = 0 THEN '' ELSE substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文', 1 + ((n / 600) % 30)::int, 1) END AS name,
                   substr(code, 1, 6) || to_char(date '1950-01-01' + ((n / 1000) % 20000)::int, 'YYYYMMDD') || lpad((n % 1000)::text, 3, '0') AS body,
                   '13' || lpad(((n * 7919) % 1000000000)::text, 9, '0') AS phone,
                   grid_name || ' ' || (1 + n % 300) || '号' AS address,
                   CASE WHEN status = 'released' THEN 'green' WHEN phases->0->>'kind' = 'centralised' THEN 'red' ELSE 'yellow' END AS health_code,
                   CASE WHEN category IN ('risk_area_arrival', 'overseas_arrival', 'out_of_province_returnee')
                        THEN greatest($1::date, start_day - floor(r_arrive * 3)::int) END AS arrived_on,
                   CASE WHEN category IN ('risk_area_arrival', 'overseas_arrival', 'out_of_province_returnee')
                        THEN (ARRAY['武汉', '北京', '广州', '深圳', '西安', '成都', '香港', '首尔', '东京', '伦敦'])[1 + (n % 10)::int] END AS origin,
                   pg_temp.at_of(start_day, 0.42 + 0.2 * r_slot) AS created
              FROM bench_cur c) p
     ORDER BY created`, [first]);

  // 五包一: the same five people answer for every case of a grid.
  await step('cases', `INSERT INTO quarantine_cases (id, person_id, regime_code, phases, status, phase_index, kind, start_day, phase_end, planned_end,
                                             place_site_id, grid_code, area_path, responsible, ended_at, release_notice_no, created_by, created_at)
    SELECT c.case_id, c.person_id, c.regime_code, c.phases, c.status, c.cur_idx, c.cur_kind, c.start_day, c.cur_end, c.planned_end,
           CASE WHEN c.phases @> '[{"kind": "centralised"}]' THEN h.ids[1 + (c.n % array_length(h.ids, 1))::int] END,
           c.code, c.path,
           jsonb_build_object('streetCadre', jsonb_build_object('name', '街道干部' || right(c.code, 4), 'phone', '138' || right(c.code, 8)),
                              'communityWorker', jsonb_build_object('name', '社区工作者' || right(c.code, 4), 'phone', '139' || right(c.code, 8)),
                              'gridWorker', jsonb_build_object('name', '网格员' || right(c.code, 4), 'phone', '137' || right(c.code, 8)),
                              'medic', jsonb_build_object('name', '医务人员' || right(c.code, 4), 'phone', '136' || right(c.code, 8)),
                              'police', jsonb_build_object('name', '民警' || right(c.code, 4), 'phone', '135' || right(c.code, 8))),
           CASE c.status WHEN 'released' THEN pg_temp.at_of(c.end_day, 0.375 + 0.08 * c.r_slot)
                         WHEN 'transferred' THEN pg_temp.at_of(c.end_day, 0.71 + 0.12 * c.r_slot) END,
           CASE WHEN c.status = 'released' THEN 'JCGL' || to_char(c.end_day, 'YYYYMMDD') || lpad(c.n::text, 7, '0') END,
           'bench', pg_temp.at_of(c.start_day, 0.42 + 0.2 * c.r_slot)
      FROM bench_cur c
     CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM sites WHERE category IN ('quarantine_hotel', 'hotel')) h
     ORDER BY c.start_day, c.n`);

  // Case events, in the order they happened: start; each next phase begun by the reference day;
  // the release (on the planned day) or the transfer. Times keep that order within a day.
  await step('case events', `INSERT INTO case_events (id, case_id, seq, type, at, day, from_kind, to_kind,
                                                 planned_end_before, planned_end_after, details, recorded_by, recorded_at)
    SELECT gen_random_uuid(), case_id, seq, type, at, day, from_kind, to_kind, NULL, planned_end_after, details, 'bench', at
      FROM (SELECT c.case_id, 1 AS seq, 'start' AS type, c.start_day AS day, pg_temp.at_of(c.start_day, 0.42 + 0.2 * c.r_slot) AS at,
                   NULL AS from_kind, p.kind AS to_kind, c.planned_end AS planned_end_after,
                   jsonb_build_object('regime', c.regime_code) AS details
              FROM bench_cur c JOIN bench_phases p ON p.n = c.n AND p.idx = 0
            UNION ALL
            SELECT c.case_id, 1 + p.idx, 'next_phase', p.from_day, pg_temp.at_of(p.from_day, 0.33),
                   prev.kind, p.kind, NULL, jsonb_build_object('phaseIndex', p.idx)
              FROM bench_cur c JOIN bench_phases p ON p.n = c.n AND p.idx >= 1 AND p.from_day <= c.ref_day
              JOIN bench_phases prev ON prev.n = c.n AND prev.idx = p.idx - 1
            UNION ALL
            SELECT c.case_id, c.cur_idx + 2, CASE c.status WHEN 'released' THEN 'release' ELSE 'transfer' END, c.end_day,
                   CASE c.status WHEN 'released' THEN pg_temp.at_of(c.end_day, 0.375 + 0.08 * c.r_slot)
                                 ELSE pg_temp.at_of(c.end_day, 0.71 + 0.12 * c.r_slot) END,
                   c.cur_kind, NULL, NULL,
                   CASE c.status WHEN 'released' THEN jsonb_build_object('releaseNoticeNo', 'JCGL' || to_char(c.end_day, 'YYYYMMDD') || lpad(c.n::text, 7, '0'))
                                 ELSE jsonb_build_object('hospital', '定点医院') END
              FROM bench_cur c WHERE c.status <> 'active') e
     ORDER BY at`);

  // Missed temperature checks: 5 % of people under a home measure missed one check in it.
  await step('missed-check alerts', `INSERT INTO alerts (kind, status, area_code, area_path, day, raised_at, source_id, details, closed_by, closed_at)
    SELECT 'missed_check', CASE WHEN m.day < $1::date - 1 THEN 'closed' ELSE 'open' END, c.code, c.path, m.day,
           pg_temp.at_of(m.day, CASE m.slot WHEN 'morning' THEN 0.5 ELSE 0.84 END),
           md5(c.case_id::text || m.day::text || m.slot)::uuid, jsonb_build_object('caseId', c.case_id, 'slot', m.slot),
           CASE WHEN m.day < $1::date - 1 THEN 'bench' END,
           CASE WHEN m.day < $1::date - 1 THEN pg_temp.at_of(m.day, 0.9) END
      FROM bench_cur c
     CROSS JOIN LATERAL (
       SELECT p.from_day + floor(c.r_mday * (least(p.from_day + p.days - 1, c.ref_day) - p.from_day + 1))::int AS day,
              CASE WHEN c.r_slot < 0.5 THEN 'morning' ELSE 'afternoon' END AS slot
         FROM bench_phases p WHERE p.n = c.n AND p.kind <> 'centralised' AND p.from_day <= c.ref_day
        ORDER BY p.idx LIMIT 1) m
     WHERE c.r_missed < 0.05 AND m.day < $1::date
     ORDER BY 6`, [today]);

  // Nucleic-acid tests where the screening is (community testing), sampled 07:00–18:00; results
  // in 4–11 h (2–5.5 h for risk groups), 6 % late; only what has happened by now.
  await step('test draws', `CREATE TEMP TABLE bench_tests AS
    SELECT gen_random_uuid() AS id, code, path, site_id, day, sampled_at, risk_group,
           sampled_at + make_interval(hours => CASE WHEN risk_group THEN 6 ELSE 12 END) AS due_at,
           sampled_at + make_interval(secs => 3600 * (CASE WHEN risk_group THEN 2 + 3.5 * r_turn ELSE 4 + 7 * r_turn END
                                                      + CASE WHEN r_late < 0.06 THEN 3 + 10 * r_extra ELSE 0 END)) AS resulted_at,
           CASE WHEN r_result < 0.0008 THEN 'positive' WHEN r_result < 0.004 THEN 'invalid' ELSE 'negative' END AS result
      FROM (SELECT a.code, a.path, CASE WHEN a.site_id IS NOT NULL AND random() < 0.5 THEN a.site_id END AS site_id, a.day,
                   pg_temp.at_of(a.day, 0.29 + 0.46 * random()) AS sampled_at, random() < 0.15 AS risk_group,
                   random() AS r_turn, random() AS r_late, random() AS r_extra, random() AS r_result
              FROM (SELECT code, path, site_id, day,
                           (round(c * $1::float8 / t) - round(coalesce(lag(c) OVER (ORDER BY day, code), 0) * $1::float8 / t))::int AS m
                      FROM (SELECT *, sum(n) OVER (ORDER BY day, code ROWS UNBOUNDED PRECEDING) AS c, sum(n) OVER () AS t FROM bench_cells) s) a
             CROSS JOIN LATERAL generate_series(1, a.m) AS s(i)) draws`, [totalTests]);
  await step('nucleic tests', `INSERT INTO nucleic_tests (id, sampled_at, sample_day, grid_code, area_path, site_id, risk_group, due_at, received_by, received_at)
    SELECT id, sampled_at, day, code, path, site_id, risk_group, due_at, 'bench', sampled_at FROM bench_tests ORDER BY sampled_at`);
  await step('nucleic results', `INSERT INTO nucleic_results (test_id, resulted_at, result_day, result, on_time, received_by, received_at)
    SELECT id, resulted_at, (resulted_at AT TIME ZONE '${timeZone}')::date, result, resulted_at <= due_at, 'bench', resulted_at
      FROM bench_tests WHERE resulted_at <= now() ORDER BY resulted_at`);
  await step('positive-result alerts', `INSERT INTO alerts (kind, status, area_code, area_path, day, raised_at, source_id, details)
    SELECT 'positive_result', 'open', code, path, (resulted_at AT TIME ZONE '${timeZone}')::date, resulted_at, id, jsonb_build_object('testId', id)
      FROM bench_tests WHERE result = 'positive' AND resulted_at <= now() ORDER BY resulted_at`);

  // Counters: every event's grid-day contributions (the definitions of findCountMismatches), then
  // added to the grid and each area above it. Rows go in (day, area) order, as the live upserts
  // create them day after day, so an area's days are spread over the table as in production.
  const branch = (grid: string, day: string, from: string, cols: Partial<Record<CounterColumn, string>>) =>
    `SELECT ${grid} AS grid_code, ${day} AS day, ${counterColumns.map((col) => `(${cols[col] ?? '0'})::bigint AS ${col}`).join(', ')}
       ${from} GROUP BY 1, 2`;
  const units = [
    branch('grid_code', 'day', 'FROM screening_events', {
      screened: 'count(*)', abnormal_temp: `count(*) FILTER (WHERE temperature >= ${abnormalTemperature})`,
      yellow_code: `count(*) FILTER (WHERE code_colour = 'yellow')`, red_code: `count(*) FILTER (WHERE code_colour = 'red')`,
      referred: `count(*) FILTER (WHERE outcome = 'refer')`, denied: `count(*) FILTER (WHERE outcome = 'deny')`,
      itinerary_flagged: 'count(*) FILTER (WHERE itinerary_flag)',
    }),
    branch('grid_code', 'sample_day', 'FROM nucleic_tests', { tests_sampled: 'count(*)' }),
    branch('t.grid_code', 'r.result_day', 'FROM nucleic_results r JOIN nucleic_tests t ON t.id = r.test_id', {
      tests_resulted: 'count(*)', tests_positive: `count(*) FILTER (WHERE r.result = 'positive')`, results_on_time: 'count(*) FILTER (WHERE r.on_time)',
    }),
    branch('q.grid_code', 'ev.day', 'FROM case_events ev JOIN quarantine_cases q ON q.id = ev.case_id', {
      ...Object.fromEntries((['centralised', 'home_quarantine', 'home_monitoring'] as const).flatMap((kind) => [
        [`${kind}_in`, `count(*) FILTER (WHERE ev.to_kind = '${kind}')`],
        [`${kind}_out`, `count(*) FILTER (WHERE ev.from_kind = '${kind}')`],
      ])),
      cases_started: `count(*) FILTER (WHERE ev.type = 'start')`, released: `count(*) FILTER (WHERE ev.type = 'release')`,
      transferred: `count(*) FILTER (WHERE ev.type = 'transfer')`,
    }),
    branch('area_code', 'day', `FROM alerts WHERE kind = 'missed_check'`, { missed_checks: 'count(*)' }),
    branch('grid_code', 'arrived_on', 'FROM people WHERE risk_area_level IS NOT NULL AND arrived_on IS NOT NULL', { risk_area_arrivals: 'count(*)' }),
  ];
  await step('grid-day counters', `CREATE TEMP TABLE bench_grid_counts AS
    SELECT grid_code, day, ${counterColumns.map((col) => `sum(${col}) AS ${col}`).join(', ')}
      FROM (${units.join('\n UNION ALL \n')}) u GROUP BY 1, 2`);
  await step('area_daily_counts', `INSERT INTO area_daily_counts (area_code, day, ${counterColumns.join(', ')}, version, updated_at)
    SELECT a.code, g.day, ${counterColumns.map((col) => `sum(g.${col})::int`).join(', ')}, 1, now()
      FROM bench_grid_counts g JOIN areas ga ON ga.code = g.grid_code
     CROSS JOIN LATERAL unnest(string_to_array(ga.path::text, '.')) AS a(code)
     GROUP BY 1, 2
     ORDER BY 2, 1`);
  // Active cases per area and planned release day. The live system never deletes a row whose
  // cases have all ended (add_active_case_ends adds -1), so every planned day of every case has one.
  await step('area_active_case_ends', `INSERT INTO area_active_case_ends (area_code, planned_end, active)
    SELECT a.code, q.planned_end, count(*) FILTER (WHERE q.status = 'active')
      FROM quarantine_cases q CROSS JOIN LATERAL unnest(string_to_array(q.area_path::text, '.')) AS a(code)
     GROUP BY 1, 2
     ORDER BY 2, 1`);

  for (const table of ['bench_days', 'bench_grids', 'bench_cells', 'bench_cases', 'bench_case_states', 'bench_phases', 'bench_cur', 'bench_tests', 'bench_grid_counts']) {
    await db.query(`DROP TABLE ${table}`);
  }
  await db.query(`RESET ALL`);
}

let preparedIn: number | undefined;
if (values.rebuild || !(await dataPresent())) {
  const t0 = performance.now();
  await prepare();
  const checkDays = await db.query<{ day: string }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day FROM (SELECT min(day) AS lo, max(day) AS hi FROM area_daily_counts WHERE area_code = $1) r,
            LATERAL (VALUES (lo), (lo + (hi - lo) / 2), (hi - 1), (hi)) AS v(d)`,
    [cityCode],
  );
  for (const { day } of checkDays.rows) {
    const t1 = performance.now();
    const mismatches = await findCountMismatches(db, day);
    log(`findCountMismatches ${day}: ${mismatches.length} areas differ (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
    if (mismatches.length > 0) throw new Error(`counters disagree with the events on ${day}: ${JSON.stringify(mismatches.slice(0, 3))}`);
  }
  const caseEnds = await findCaseEndMismatches(db);
  log(`findCaseEndMismatches: ${caseEnds.length} differ`);
  if (caseEnds.length > 0) throw new Error(`active case ends disagree with the cases: ${JSON.stringify(caseEnds.slice(0, 3))}`);
  for (const table of ['screening_events', 'area_daily_counts', 'area_active_case_ends', 'people', 'quarantine_cases', 'case_events', 'nucleic_tests', 'nucleic_results', 'alerts']) {
    await step(`vacuum analyze ${table}`, `VACUUM (ANALYZE) ${table}`);
  }
  preparedIn = (performance.now() - t0) / 1000;
  log(`prepared in ${(preparedIn / 60).toFixed(1)} min`);
} else {
  log('data already present (use --rebuild to generate it again)');
}

const sizeTables = ['screening_events', 'area_daily_counts', 'area_active_case_ends', 'people', 'quarantine_cases', 'case_events', 'nucleic_tests', 'nucleic_results', 'alerts'];
const sizes: Array<{ name: string; rows: string; bytes: string }> = [];
for (const name of sizeTables) {
  const { rows } = await db.query<{ rows: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM ${name})::text AS rows,
            coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('${name}'::regclass)),
                     pg_total_relation_size('${name}'::regclass))::text AS bytes`,
  );
  sizes.push({ name, ...rows[0]! });
}
const mib = (bytes: string) => `${(Number(bytes) / 1024 / 1024).toFixed(0)} MiB`;
for (const s of sizes) log(`${s.name}: ${Number(s.rows).toLocaleString('en')} rows, ${mib(s.bytes)}`);
const span = (await db.query<{ lo: string; hi: string }>(
  `SELECT to_char(min(day), 'YYYY-MM-DD') AS lo, to_char(max(day), 'YYYY-MM-DD') AS hi FROM area_daily_counts WHERE area_code = $1`,
  [cityCode],
)).rows[0]!;
const days = Array.from({ length: dayCount }, (_, i) => addDays(span.hi, i - (dayCount - 1)));
await db.end();

// ---------------------------------------------------------------------------------------------
// 2. Measurement
// ---------------------------------------------------------------------------------------------

/** A small seeded generator, so two runs ask for the same areas and days. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20201101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const pool = createPool(benchUrl, 2);
const areasByLevel = new Map<string, string[]>();
for (const row of (await pool.query<{ level: string; code: string }>(`SELECT level, code FROM areas ORDER BY code`)).rows) {
  areasByLevel.set(row.level, [...(areasByLevel.get(row.level) ?? []), row.code]);
}
const server = await startServerProcess({ DATABASE_URL: benchUrl, SWEEP_INTERVAL_SECONDS: '0' });
const cookie = await loginCookie(server.url, 'command');

interface Kind {
  name: string;
  areas: string[];
  sql: (db: Queryable, area: string, day: string) => Promise<unknown>;
  url: (area: string, day: string) => string;
  /** the API answer reduced to what the SQL returns, to check both read the same figures */
  sameAs: (api: unknown, sql: unknown) => boolean;
}
type FiguresRow = { area: string; day: string; counts: unknown; version: number | string };
/** Rows as both sides give them (pg returns the bigint version as a string). */
const strip = (rows: unknown) => (rows as FiguresRow[]).map((r) => ({ area: r.area, day: r.day, counts: r.counts, version: Number(r.version) }));
const figures = (level: string): Kind => ({
  name: `figures, ${level}`,
  areas: areasByLevel.get(level)!,
  sql: (q, area, day) => countsForAreas(q, [area], day),
  url: (area, day) => `/api/stats/${area}?day=${day}`,
  sameAs: (api, sql) => isDeepStrictEqual(strip([api]), strip(sql)),
});
const kinds: Kind[] = [
  ...['city', 'district', 'street', 'community', 'grid'].map(figures),
  {
    name: `children, city (its ${areasByLevel.get('district')!.length} districts)`,
    areas: areasByLevel.get('city')!,
    sql: (q, area, day) => countsForChildren(q, area, day),
    url: (area, day) => `/api/stats/${area}/children?day=${day}`,
    sameAs: (api, sql) => isDeepStrictEqual(strip((api as { children: unknown }).children), strip(sql)),
  },
  {
    name: 'children, district (its streets)',
    areas: areasByLevel.get('district')!,
    sql: (q, area, day) => countsForChildren(q, area, day),
    url: (area, day) => `/api/stats/${area}/children?day=${day}`,
    sameAs: (api, sql) => isDeepStrictEqual(strip((api as { children: unknown }).children), strip(sql)),
  },
  {
    name: 'trend 14 days, district',
    areas: areasByLevel.get('district')!,
    sql: (q, area, day) => countsTrend(q, area, day, 14),
    url: (area, day) => `/api/stats/${area}/trend?until=${day}&days=14`,
    sameAs: (api, sql) => isDeepStrictEqual(strip((api as { days: unknown }).days), strip(sql)),
  },
];

async function callApi(url: string): Promise<unknown> {
  const response = await fetch(`${server.url}${url}`, { headers: { cookie } });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** One (area, day) read both ways, in random order; returns [sql ms, api ms]. */
async function pair(kind: Kind, check = false): Promise<[number, number]> {
  const area = pick(kind.areas);
  const day = pick(days);
  let sqlMs = 0;
  let apiMs = 0;
  let sqlResult: unknown;
  let apiResult: unknown;
  const runSql = async () => {
    const t0 = performance.now();
    sqlResult = await kind.sql(pool, area, day);
    sqlMs = performance.now() - t0;
  };
  const runApi = async () => {
    const t0 = performance.now();
    apiResult = await callApi(kind.url(area, day));
    apiMs = performance.now() - t0;
  };
  if (random() < 0.5) { await runSql(); await runApi(); } else { await runApi(); await runSql(); }
  if (check && !kind.sameAs(apiResult, sqlResult)) throw new Error(`${kind.name} ${area} ${day}: API and SQL answers differ`);
  return [sqlMs, apiMs];
}

function shuffled(count: number): Kind[] {
  const order = kinds.flatMap((kind) => Array<Kind>(count).fill(kind));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const uptimeStart = uptime();
log(`uptime: ${uptimeStart}`);
for (const kind of kinds) await pair(kind, true);
for (const kind of shuffled(warmupPerKind)) await pair(kind);
log(`warmed up (${warmupPerKind} pairs per kind); measuring ${samplesPerKind} pairs per kind`);

const loads: number[] = [os.loadavg()[0]!];
const loadTimer = setInterval(() => loads.push(os.loadavg()[0]!), 5000);
const times = new Map(kinds.map((kind) => [kind, { sql: [] as number[], api: [] as number[] }]));
const measureStarted = performance.now();
for (const kind of shuffled(samplesPerKind)) {
  const [sqlMs, apiMs] = await pair(kind);
  times.get(kind)!.sql.push(sqlMs);
  times.get(kind)!.api.push(apiMs);
}
clearInterval(loadTimer);
loads.push(os.loadavg()[0]!);
const measureSeconds = (performance.now() - measureStarted) / 1000;
const uptimeEnd = uptime();
log(`measured in ${measureSeconds.toFixed(0)} s; uptime: ${uptimeEnd}`);

// Where the time goes on the database side: EXPLAIN of the exact statements the functions send.
interface PlanJson {
  Plan: Record<string, number>;
  'Planning Time': number;
  'Execution Time': number;
  JIT?: { Timing: { Total: number } };
}
async function explainJson(text: string, params: unknown[]): Promise<PlanJson> {
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params);
  return (rows[0] as { 'QUERY PLAN': PlanJson[] })['QUERY PLAN'][0]!;
}

/** countsTrend's statement with its days from an integer series (a row estimate the planner knows), if it still has the date series. */
function trendWithIntegerSeries(text: string): string | undefined {
  const rewritten = text.replace(
    /SELECT \$1::text AS area_code, d::date AS day, d AS n\s+FROM generate_series\(\$2::date - \(\$3::int - 1\), \$2::date, interval '1 day'\) AS d/,
    'SELECT $1::text AS area_code, $2::date - i AS day, -i AS n FROM generate_series(0, $3::int - 1) AS i',
  );
  return rewritten === text ? undefined : rewritten;
}

async function explain(kind: Kind, runs: number) {
  const planning: number[] = [];
  const execution: number[] = [];
  const buffers: number[] = [];
  const reads: number[] = [];
  const jit: number[] = [];
  const costs: number[] = [];
  const alternative = { execution: [] as number[], jit: [] as number[], costs: [] as number[] };
  let sample = '';
  for (let i = 0; i < runs; i++) {
    let captured: { text: string; values: unknown[] } | undefined;
    const capture = { query: async (text: string, params: unknown[]) => { captured = { text, values: params }; return { rows: [] }; } } as unknown as Queryable;
    await kind.sql(capture, pick(kind.areas), pick(days));
    const plan = await explainJson(captured!.text, captured!.values);
    planning.push(plan['Planning Time']);
    execution.push(plan['Execution Time']);
    // JIT compilation, when the planner's cost estimate passes jit_above_cost, is part of execution
    jit.push(plan.JIT?.Timing.Total ?? 0);
    costs.push(plan.Plan['Total Cost'] ?? 0);
    buffers.push((plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0));
    reads.push(plan.Plan['Shared Read Blocks'] ?? 0);
    const rewritten = kind.name.startsWith('trend') ? trendWithIntegerSeries(captured!.text) : undefined;
    if (rewritten) {
      const other = await explainJson(rewritten, captured!.values);
      alternative.execution.push(other['Execution Time']);
      alternative.jit.push(other.JIT?.Timing.Total ?? 0);
      alternative.costs.push(other.Plan['Total Cost'] ?? 0);
    }
    if (i === 0) {
      const text = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${captured!.text}`, captured!.values);
      sample = text.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    }
  }
  return {
    planning: percentile(planning, 50), execution: percentile(execution, 50), executionP95: percentile(execution, 95),
    buffers: percentile(buffers, 50), reads: reads.reduce((a, b) => a + b, 0) / runs, jit: percentile(jit, 50), cost: percentile(costs, 50),
    alternative: alternative.execution.length === 0 ? undefined : {
      execution: percentile(alternative.execution, 50), executionP95: percentile(alternative.execution, 95),
      jit: percentile(alternative.jit, 50), cost: percentile(alternative.costs, 50),
    },
    sample,
  };
}

function percentile(list: number[], p: number): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

const explained = new Map<Kind, Awaited<ReturnType<typeof explain>>>();
for (const kind of kinds) {
  const result = await explain(kind, 50);
  explained.set(kind, result);
  console.log(`\n--- ${kind.name}: planning ${fmt(result.planning)} ms, execution p50 ${fmt(result.execution)} / p95 ${fmt(result.executionP95)} ms (JIT ${fmt(result.jit)} ms), `
    + `cost ${result.cost.toFixed(0)}, ${result.buffers} buffers${result.alternative ? `; with an integer day series: ${JSON.stringify(result.alternative)}` : ''}; one plan:\n${result.sample}`);
}
await server.stop();
await pool.end();

const rows: string[] = [];
let worstApiP95 = 0;
for (const kind of kinds) {
  const { sql, api } = times.get(kind)!;
  const e = explained.get(kind)!;
  const line = `| ${kind.name} | ${kind.areas.length.toLocaleString('en')} | ${fmt(percentile(sql, 50))} / ${fmt(percentile(sql, 95))} / ${fmt(percentile(sql, 99))} | `
    + `${fmt(percentile(api, 50))} / **${fmt(percentile(api, 95))}** / ${fmt(percentile(api, 99))} | `
    + `${(percentile(api, 50) / percentile(sql, 50)).toFixed(2)} / ${(percentile(api, 95) / percentile(sql, 95)).toFixed(2)} | `
    + `${fmt(e.planning)} / ${fmt(e.execution)} / ${fmt(e.executionP95)} (${fmt(e.jit)}) | ${e.buffers} (${e.reads.toFixed(1)}) |`;
  console.log(line);
  rows.push(line);
  if (kind.name.startsWith('figures')) {
    worstApiP95 = Math.max(worstApiP95, percentile(api, 95));
  }
}
const loadRange = `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`;
const sizeLine = sizes.map((s) => `${s.name} ${Number(s.rows).toLocaleString('en')} rows (${mib(s.bytes)})`).join(', ');

/** The reading of the results, from the numbers of this run. */
function reading(): string {
  const single = kinds.filter((kind) => kind.name.startsWith('figures'));
  const p = (kind: Kind, side: 'sql' | 'api', q: number) => percentile(times.get(kind)![side], q);
  const range = (list: number[]) => `${fmt(Math.min(...list))}–${fmt(Math.max(...list))}`;
  const ex = (kind: Kind) => explained.get(kind)!;
  const trend = kinds.find((kind) => kind.name.startsWith('trend'))!;
  const parts = [
    `Reading: the target — one area's live figures at p95 under 20 ms — is ${worstApiP95 < 20 ? `**met** at every level${worstApiP95 > 15 ? ', with little margin at this load,' : ''}` : '**not met**'} through the API `
      + `(p95 ${range(single.map((k) => p(k, 'api', 95)))} ms, p50 ${range(single.map((k) => p(k, 'api', 50)))} ms), with ${totalEvents.toLocaleString('en')} events and `
      + `${totalCases.toLocaleString('en')} cases loaded, which the read never touches: it is a primary-key lookup in area_daily_counts, the running sum of the measure flows `
      + `over at most ${dayCount} rows of the area, and the area's active-case ends (${Math.min(...single.map((k) => ex(k).buffers))}–${Math.max(...single.map((k) => ex(k).buffers))} buffers). `
      + `PostgreSQL plans it in ${range(single.map((k) => ex(k).planning))} ms (an unnamed statement is planned on every call) and runs it in `
      + `${range(single.map((k) => ex(k).execution))} ms at the median; called through pg (round trip, parsing, planning) it takes ${range(single.map((k) => p(k, 'sql', 50)))} ms, `
      + `and the API adds ${range(single.map((k) => p(k, 'api', 50) - p(k, 'sql', 50)))} ms (HTTP on loopback, the session from its cache, the \`areaInScope\` lookup, serialisation), `
      + `API ÷ SQL ${range(single.map((k) => p(k, 'api', 50) / p(k, 'sql', 50)))} at the median. `
      + `The tails are the machine's: the load average was ${loadRange} on 2 cores (this bench's client, server process and PostgreSQL backend are about 1 of it), and a read that loses `
      + `its core waits whole scheduler slices; the statement's own execution p95 is ${range(single.map((k) => ex(k).executionP95))} ms. `
      + `area_daily_counts (${mib(sizes.find((x) => x.name === 'area_daily_counts')!.bytes)}) is larger than shared_buffers (128 MB) and its rows are stored day after day as the live `
      + `upserts create them, so an area's days lie on as many pages: a random community or grid comes partly from the OS page cache `
      + `(${single.map((k) => ex(k).reads.toFixed(1)).join(' / ')} blocks per read from city to grid).`,
  ];
  const alt = ex(trend).alternative;
  if (ex(trend).jit > 1) {
    parts.push(
      `The one slow read is the trend: ${fmt(ex(trend).execution)} ms median execution, ${fmt(ex(trend).jit)} ms of it JIT compilation. \`countsTrend\` takes its days from `
        + `\`generate_series(date, date, interval)\`, which the planner estimates at 1,000 rows, so the statement's estimated cost (${Math.round(ex(trend).cost).toLocaleString('en')}) `
        + `passes jit_above_cost (100,000) and PostgreSQL compiles it on every call, for 14 rows. Not changed here (server/stats is the lead's): either generate the days as `
        + `\`SELECT $1::text AS area_code, $2::date - i AS day, -i AS n FROM generate_series(0, $3::int - 1) AS i\` (the integer series has a row estimate`
        + `${alt ? `: cost ${Math.round(alt.cost).toLocaleString('en')}, JIT ${fmt(alt.jit)} ms, execution p50 / p95 ${fmt(alt.execution)} / ${fmt(alt.executionP95)} ms in the same EXPLAIN runs` : ''}) `
        + `or turn JIT off for the API's connections (\`options: '-c jit=off'\` in createPool; these short reads never gain from it).`,
    );
  }
  const choropleths = kinds.filter((kind) => kind.name.startsWith('children'));
  parts.push(
    `A choropleth (\`/children\`) is the same work once per child: ${choropleths.map((k) => `${k.name.replace('children, ', '')} p50 ${fmt(p(k, 'api', 50))} / p95 ${fmt(p(k, 'api', 95))} ms`).join('; ')} through the API.`,
  );
  return parts.join(' ');
}

const report = [
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:read -- --samples ${samplesPerKind}\` on the database \`ecc_bench\`: the demo city `
    + `(${[...areasByLevel].map(([level, codes]) => `${codes.length.toLocaleString('en')} ${level === 'city' ? 'city' : level === 'community' ? 'communities' : `${level}s`}`).join(', ')}) `
    + `with ${totalEvents.toLocaleString('en')} screening events over ${days[0]} … ${days.at(-1)} and ${totalCases.toLocaleString('en')} people and quarantine cases, generated in SQL `
    + `(${preparedIn === undefined ? 'by an earlier run' : `in ${(preparedIn / 60).toFixed(1)} min`}; counters built from the events and checked with \`findCountMismatches\` on 4 days and \`findCaseEndMismatches\`: no difference).`,
  '',
  `Data: ${sizeLine}.`,
  '',
  `Machine: 2 cores shared with other work, PostgreSQL 15 with its default settings (shared_buffers 128 MB) on the same machine, one API process (\`tests/helpers/serve.ts\`, sweeper off). `
    + `Load average (1 min) ${loads[0]!.toFixed(2)} at the start of the measurement, ${loads.at(-1)!.toFixed(2)} at the end, ${loadRange} sampled every 5 s; `
    + `\`uptime\` before: \`${uptimeStart.replace(/^.*load average/, 'load average')}\`, after: \`${uptimeEnd.replace(/^.*load average/, 'load average')}\`.`,
  '',
  `Each row: ${samplesPerKind.toLocaleString('en')} reads of a random area of the level and a random day of the ${dayCount} (after ${warmupPerKind} warm-up reads per row), one at a time. `
    + `"SQL" calls the repository function (\`countsForAreas\`, \`countsForChildren\`, \`countsTrend\`) directly through pg; "API" is the same (area, day) through HTTP on loopback `
    + `(\`GET /api/stats/:area?day=\`, \`…/children?day=\`, \`…/trend?until=&days=14\`; session cookie, keep-alive, JSON parsed), run right before or after it in random order, `
    + `all rows shuffled together so that noise hits both sides alike; API and SQL answers compared equal. Times in ms. "server" = PostgreSQL's own planning and execution time `
    + `from 50 \`EXPLAIN (ANALYZE, BUFFERS)\` of the exact statement (random areas and days, after the measurement), with the median JIT compilation time it includes; `
    + `"buffers" = shared buffers the statement touches (median), in brackets the mean number not in shared_buffers (read from the OS page cache).`,
  '',
  '| read | areas | SQL p50 / p95 / p99 | API p50 / p95 / p99 | API ÷ SQL (p50 / p95) | server: planning / execution p50 / p95 (JIT) | buffers (from OS) |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  reading(),
].join('\n');
console.log(`\n${report}`);
if (!values['no-write']) await replaceSection('read', report);
