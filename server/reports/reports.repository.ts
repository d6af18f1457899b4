// SQL of the daily reports: units and deadlines, submissions with their versions, sign-offs,
// compliance, on-time rates, roll-up, the sweeper's alerts, and the ledgers over `people`.
// Deadlines are computed in SQL as (day + deadline) AT TIME ZONE the city's zone: the server's own
// time zone (and the session's) plays no part.
import type { Queryable } from '../infra/db.ts';
import type { ComplianceCounts, DailyReport, FigureSums, LedgerEntry, LedgerKind, ReportFigures, UnitStatusRow } from '../contracts/reports.ts';
import { reportFigureKeys } from '../contracts/reports.ts';

export interface UnitRow {
  code: string;
  areaCode: string;
  siteId: number | null;
  areaPath: string;
  kind: string;
  name: string;
}

const unitColumns = `u.code, u.area_code AS "areaCode", u.site_id AS "siteId", u.area_path::text AS "areaPath", u.kind, u.name`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const deadlineOf = (day: string, path: string, tz: string) => `((${day}::date + report_deadline(${path})) AT TIME ZONE ${tz})`;

/** A reporting unit by code (active ones only), or undefined. */
export async function findUnit(db: Queryable, code: string): Promise<UnitRow | undefined> {
  const { rows } = await db.query<UnitRow>(`SELECT ${unitColumns} FROM reporting_units u WHERE u.code = $1`, [code]);
  return rows[0];
}

/** The deadline instant of a unit's report for a day. */
export async function unitDeadline(db: Queryable, areaPath: string, day: string, timeZone: string): Promise<Date> {
  const { rows } = await db.query<{ at: Date }>(`SELECT ${deadlineOf('$1', '$2::ltree', '$3')} AS at`, [day, areaPath, timeZone]);
  return rows[0]!.at;
}

const reportJson = `json_build_object(
    'unitCode', r.unit_code, 'unitName', COALESCE(ru.name, r.unit_code), 'day', to_char(r.day, 'YYYY-MM-DD'),
    'areaCode', r.area_code, 'siteId', r.site_id, 'zero', r.zero, 'figures', r.figures, 'version', r.version,
    'deadlineAt', ${iso('r.deadline_at')}, 'status', CASE WHEN r.on_time THEN 'on_time' ELSE 'late' END,
    'firstSubmittedAt', ${iso('r.first_submitted_at')}, 'firstSubmittedBy', r.first_submitted_by,
    'updatedAt', ${iso('r.updated_at')}, 'updatedBy', r.updated_by,
    'streetSignOff', CASE WHEN r.street_signed_at IS NULL THEN NULL ELSE json_build_object('by', r.street_signed_by, 'at', ${iso('r.street_signed_at')}) END,
    'districtSignOff', CASE WHEN r.district_signed_at IS NULL THEN NULL ELSE json_build_object('by', r.district_signed_by, 'at', ${iso('r.district_signed_at')}) END)`;

/** A unit's report for a day, with every version when asked. */
export async function findReport(db: Queryable, unitCode: string, day: string, withVersions = false): Promise<DailyReport | undefined> {
  const { rows } = await db.query<{ report: DailyReport }>(
    `SELECT ${reportJson}::jsonb
            || CASE WHEN $3 THEN jsonb_build_object('versions', (
                 SELECT jsonb_agg(jsonb_build_object('version', v.version, 'zero', v.zero, 'figures', v.figures, 'channel', v.channel,
                                                     'submittedBy', v.submitted_by, 'submittedAt', ${iso('v.submitted_at')}) ORDER BY v.version)
                   FROM report_versions v WHERE v.report_id = r.id)) ELSE '{}'::jsonb END AS report
       FROM daily_reports r LEFT JOIN reporting_units ru ON ru.code = r.unit_code
      WHERE r.unit_code = $1 AND r.day = $2::date`,
    [unitCode, day, withVersions],
  );
  return rows[0]?.report;
}

export interface Submission {
  unit: UnitRow;
  day: string;
  submissionId: string;
  zero: boolean;
  figures: ReportFigures;
  channel: 'api' | 'sheet';
  by: string;
}

/**
 * Stores a submission: the unit's report for the day (first submission) or a correction of it
 * (version + 1, sign-offs cleared), and the version. A submission id already stored for this
 * report changes nothing (`duplicate`); one stored for another report is `conflict`.
 * Run inside a transaction.
 */
export async function saveReport(db: Queryable, s: Submission, now: Date, timeZone: string): Promise<'created' | 'corrected' | 'duplicate' | 'conflict'> {
  const seen = await db.query<{ unit: string; day: string }>(
    `SELECT r.unit_code AS unit, to_char(r.day, 'YYYY-MM-DD') AS day
       FROM report_versions v JOIN daily_reports r ON r.id = v.report_id WHERE v.submission_id = $1`,
    [s.submissionId],
  );
  if (seen.rows[0]) return seen.rows[0].unit === s.unit.code && seen.rows[0].day === s.day ? 'duplicate' : 'conflict';
  // The row lock of the upsert orders concurrent corrections of one report.
  const { rows } = await db.query<{ id: string; version: number; inserted: boolean }>(
    `INSERT INTO daily_reports AS r (unit_code, day, area_code, area_path, site_id, zero, figures, deadline_at,
                                     first_submitted_at, first_submitted_by, on_time, updated_at, updated_by)
     SELECT $1, $2::date, $3, $4::ltree, $5, $6, $7::jsonb, d.at, $8, $9, $8 <= d.at, $8, $9
       FROM (SELECT ${deadlineOf('$2', '$4::ltree', '$10')} AS at) d
     ON CONFLICT (unit_code, day) DO UPDATE
        SET zero = EXCLUDED.zero, figures = EXCLUDED.figures, version = r.version + 1,
            updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
            street_signed_by = NULL, street_signed_at = NULL, district_signed_by = NULL, district_signed_at = NULL
     RETURNING r.id, r.version, (xmax = 0) AS inserted`,
    [s.unit.code, s.day, s.unit.areaCode, s.unit.areaPath, s.unit.siteId, s.zero, JSON.stringify(s.figures), now, s.by, timeZone],
  );
  const report = rows[0]!;
  await db.query(
    `INSERT INTO report_versions (report_id, version, zero, figures, submission_id, channel, submitted_by, submitted_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
    [report.id, report.version, s.zero, JSON.stringify(s.figures), s.submissionId, s.channel, s.by, now],
  );
  return report.inserted ? 'created' : 'corrected';
}

export type SignOffSkip = 'no_report' | 'already' | 'street_first' | 'outside_area';

/**
 * Signs off at `level` the reports of a day: the units named (each one checked), or else every
 * report in the area sent on time and not yet signed at that level (at the district level: signed
 * by the street). The rows are locked first, so a correction arriving meanwhile (which clears
 * sign-offs) is ordered before or after, never half-way. Run inside a transaction.
 */
/** The report's current version, its row locked until the transaction ends (undefined: no report). */
export async function lockReportVersion(db: Queryable, unitCode: string, day: string): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM daily_reports WHERE unit_code = $1 AND day = $2::date FOR UPDATE', [unitCode, day]);
  return rows[0]?.version;
}

export async function signOffMany(
  db: Queryable, f: { scopePath: string | null; day: string; level: 'street' | 'district'; units: string[] | null }, by: string, now: Date,
): Promise<{ signed: string[]; skipped: Array<{ unitCode: string; reason: SignOffSkip }> }> {
  const { rows } = await db.query<{ unitCode: string; inArea: boolean; street: boolean; district: boolean }>(
    `SELECT r.unit_code AS "unitCode", ($1::ltree IS NULL OR r.area_path <@ $1::ltree) AS "inArea",
            r.street_signed_at IS NOT NULL AS street, r.district_signed_at IS NOT NULL AS district
       FROM daily_reports r
      WHERE r.day = $2::date
        AND CASE WHEN $3::text[] IS NULL THEN r.area_path <@ $1::ltree AND r.on_time ELSE r.unit_code = ANY($3::text[]) END
        AND EXISTS (SELECT 1 FROM reporting_units u WHERE u.code = r.unit_code)
      ORDER BY r.id
        FOR UPDATE OF r`,
    [f.scopePath, f.day, f.units],
  );
  const found = new Map(rows.map((r) => [r.unitCode, r]));
  const skipped: Array<{ unitCode: string; reason: SignOffSkip }> = [];
  const signable: string[] = [];
  for (const code of f.units ?? rows.map((r) => r.unitCode)) {
    const r = found.get(code);
    const reason: SignOffSkip | null = !r ? 'no_report' : !r.inArea ? 'outside_area'
      : (f.level === 'street' ? r.street : r.district) ? 'already'
      : f.level === 'district' && !r.street ? 'street_first' : null;
    if (reason === null) signable.push(code);
    // Without a list, reports not yet ready for this level are simply not part of the batch.
    else if (f.units) skipped.push({ unitCode: code, reason });
  }
  if (signable.length > 0) {
    await db.query(
      f.level === 'street'
        ? 'UPDATE daily_reports SET street_signed_by = $3, street_signed_at = $4 WHERE unit_code = ANY($1::text[]) AND day = $2::date'
        : 'UPDATE daily_reports SET district_signed_by = $3, district_signed_at = $4 WHERE unit_code = ANY($1::text[]) AND day = $2::date',
      [signable, f.day, by, now],
    );
  }
  return { signed: signable, skipped };
}

/** Every unit in (or at) the area with its status for the day at `now`. */
export async function unitStatuses(db: Queryable, scopePath: string, day: string, now: Date, timeZone: string): Promise<Array<UnitStatusRow & { areaPath: string }>> {
  const { rows } = await db.query<UnitStatusRow & { areaPath: string }>(
    `WITH u AS MATERIALIZED (
       SELECT u.*, ${deadlineOf('$2', 'u.area_path', '$4')} AS deadline_at
         FROM reporting_units u WHERE u.area_path <@ $1::ltree
     )
     SELECT u.code AS "unitCode", u.name, u.kind, u.area_code AS "areaCode", u.site_id AS "siteId", u.area_path::text AS "areaPath",
            ${iso('u.deadline_at')} AS "deadlineAt",
            CASE WHEN r.id IS NOT NULL THEN CASE WHEN r.on_time THEN 'on_time' ELSE 'late' END
                 WHEN $3::timestamptz > u.deadline_at THEN 'missing' ELSE 'pending' END AS status,
            r.zero, ${iso('r.first_submitted_at')} AS "submittedAt", r.version,
            COALESCE(r.street_signed_at IS NOT NULL, false) AS "streetSigned", COALESCE(r.district_signed_at IS NOT NULL, false) AS "districtSigned"
       FROM u LEFT JOIN daily_reports r ON r.unit_code = u.code AND r.day = $2::date
      ORDER BY u.area_path, u.code`,
    [scopePath, day, now, timeZone],
  );
  return rows;
}

/** Compliance counts of each area given (its units at any depth) for the day at `now`, in one statement. */
export async function complianceOfAreas(db: Queryable, areaCodes: string[], day: string, now: Date, timeZone: string): Promise<Array<{ area: string; day: string } & ComplianceCounts>> {
  const { rows } = await db.query<{ area: string; day: string } & ComplianceCounts>(
    `WITH t AS (SELECT code, path FROM areas WHERE code = ANY($1::text[])),
     u AS MATERIALIZED (
       SELECT t.code AS target, u.code, ${deadlineOf('$2', 'u.area_path', '$4')} AS deadline_at
         FROM t JOIN reporting_units u ON u.area_path <@ t.path
     )
     SELECT t.code AS area, to_char($2::date, 'YYYY-MM-DD') AS day,
            count(u.code)::int AS expected, count(r.id)::int AS reported,
            count(r.id) FILTER (WHERE r.on_time)::int AS "onTime", count(r.id) FILTER (WHERE NOT r.on_time)::int AS late,
            count(u.code) FILTER (WHERE r.id IS NULL AND $3::timestamptz > u.deadline_at)::int AS missing,
            count(u.code) FILTER (WHERE r.id IS NULL AND $3::timestamptz <= u.deadline_at)::int AS pending,
            count(r.id) FILTER (WHERE r.zero)::int AS zero,
            count(r.id) FILTER (WHERE r.street_signed_at IS NOT NULL)::int AS "streetSigned",
            count(r.id) FILTER (WHERE r.district_signed_at IS NOT NULL)::int AS "districtSigned"
       FROM t LEFT JOIN u ON u.target = t.code
       LEFT JOIN daily_reports r ON r.unit_code = u.code AND r.day = $2::date
      GROUP BY t.code ORDER BY t.code`,
    [areaCodes, day, now, timeZone],
  );
  return rows;
}

export interface RateRow {
  area: string;
  name: string;
  level: string;
  units: number;
  reported: number;
  onTime: number;
}

/** Units and reports over [from, to] of the area and each child area (or each area of `level` in it), in one statement. */
export async function reportingRates(db: Queryable, areaCode: string, from: string, to: string, level: string | null = null): Promise<RateRow[]> {
  const { rows } = await db.query<RateRow>(
    `WITH t AS (
       SELECT code, name, level, path, 0 AS n FROM areas WHERE code = $1
       UNION ALL
       SELECT c.code, c.name, c.level, c.path, 1 FROM areas c
        WHERE CASE WHEN $4::text IS NULL THEN c.parent_code = $1
                   ELSE c.level = $4 AND c.path <@ (SELECT path FROM areas WHERE code = $1) AND c.code <> $1 END
     )
     SELECT t.code AS area, t.name, t.level,
            (SELECT count(*) FROM reporting_units u WHERE u.area_path <@ t.path)::int AS units,
            count(r.id)::int AS reported, count(r.id) FILTER (WHERE r.on_time)::int AS "onTime"
       FROM t
       LEFT JOIN daily_reports r ON r.area_path <@ t.path AND r.day BETWEEN $2::date AND $3::date
             AND EXISTS (SELECT 1 FROM reporting_units u WHERE u.code = r.unit_code)
      GROUP BY t.code, t.name, t.level, t.path, t.n
      ORDER BY t.n, t.code`,
    [areaCode, from, to, level],
  );
  return rows;
}

export interface ReportedUnit {
  unitCode: string;
  name: string;
  areaCode: string;
  areaPath: string;
  siteId: number | null;
  figures: ReportFigures;
}

/** The reports of a day of the units in an area. */
export async function reportsInArea(db: Queryable, scopePath: string, day: string): Promise<ReportedUnit[]> {
  const { rows } = await db.query<ReportedUnit>(
    `SELECT r.unit_code AS "unitCode", u.name, r.area_code AS "areaCode", r.area_path::text AS "areaPath", r.site_id AS "siteId", r.figures
       FROM daily_reports r JOIN reporting_units u ON u.code = r.unit_code
      WHERE r.area_path <@ $1::ltree AND r.day = $2::date
      ORDER BY r.area_path, r.unit_code`,
    [scopePath, day],
  );
  return rows;
}

export const zeroSums = (): FigureSums => Object.fromEntries(reportFigureKeys.map((k) => [k, 0])) as FigureSums;

/** Arrivals registered per area and ledger category on a day (arrival day, or registration day when there is none). */
export async function registryArrivals(db: Queryable, areaPaths: string[], day: string, timeZone: string): Promise<Map<string, Record<LedgerKind, number>>> {
  const { rows } = await db.query<{ path: string; category: LedgerKind; n: number }>(
    `SELECT t.path::text AS path, p.category, count(*)::int AS n
       FROM unnest($1::ltree[]) AS t(path)
       JOIN people p ON p.area_path <@ t.path
      WHERE p.category IN ('big_data_check', 'overseas_arrival', 'risk_area_arrival', 'out_of_province_returnee')
        AND COALESCE(p.arrived_on, (p.created_at AT TIME ZONE $3)::date) = $2::date
      GROUP BY 1, 2`,
    [areaPaths, day, timeZone],
  );
  const result = new Map<string, Record<LedgerKind, number>>();
  for (const row of rows) {
    const entry = result.get(row.path) ?? { big_data_check: 0, overseas_arrival: 0, risk_area_arrival: 0, out_of_province_returnee: 0 };
    entry[row.category] = row.n;
    result.set(row.path, entry);
  }
  return result;
}

/** Alerts the sweep raises, by kind: when, relative to the deadline, each becomes due. */
export interface SweepTimes {
  reminderMinutesBefore: number;
  districtMinutesAfter: number;
  /** an alert more than this long overdue (the sweeper was down) is no longer raised */
  catchUpHours: number;
}

/** A report alert raised by the sweep: where, and the paths of the units it names. */
export interface RaisedReportAlert {
  id: number;
  kind: string;
  day: string;
  areaPath: string;
  unitPaths: string[];
}

/**
 * Raises, for the units without a report for `days`: a reminder to each unit from
 * `reminderMinutesBefore` before its deadline until the deadline; once the deadline has passed,
 * `report_late` to the street office, and `districtMinutesAfter` later `report_escalated` to the
 * district. The late and escalated alerts are one per street, day and deadline, placed at the
 * street and listing its units (a unit above street level is its own group): an office gets one
 * alert naming its late units, not one per community. Each alert is raised only within
 * `catchUpHours` of becoming due. Idempotent: a reminder's source id is md5(report/unit/day), a
 * street alert's md5(report/street/day/deadline).
 */
export async function raiseReportAlerts(db: Queryable, days: string[], now: Date, timeZone: string, times: SweepTimes, scopePath: string | null = null): Promise<RaisedReportAlert[]> {
  const { rows } = await db.query<RaisedReportAlert>(
    `WITH units AS MATERIALIZED (
       -- each unit's deadline looked up once (MATERIALIZED: not once per use below)
       SELECT u.code, u.area_code, u.area_path, u.site_id, u.name, report_deadline(u.area_path) AS deadline
         FROM reporting_units u WHERE $6::ltree IS NULL OR u.area_path <@ $6::ltree
     ), u AS MATERIALIZED (
       SELECT units.*, d.day, ((d.day + units.deadline) AT TIME ZONE $3) AS deadline_at
         FROM units CROSS JOIN unnest($1::date[]) AS d(day)
        WHERE NOT EXISTS (SELECT 1 FROM daily_reports r WHERE r.unit_code = units.code AND r.day = d.day)
     ), due AS (
       SELECT u.*, k.kind, k.per_unit,
              -- the alert's place: the unit for a reminder, else its street (city.district.street)
              CASE WHEN k.per_unit THEN u.area_path ELSE subpath(u.area_path, 0, least(nlevel(u.area_path), 3)) END AS at_path
         FROM u CROSS JOIN LATERAL (VALUES
           ('report_reminder', u.deadline_at - make_interval(mins => $4), $2::timestamptz < u.deadline_at, true),
           ('report_late', u.deadline_at + interval '1 microsecond', true, false),
           ('report_escalated', u.deadline_at + make_interval(mins => $5) + interval '1 microsecond', true, false)) AS k(kind, due_at, still, per_unit)
        WHERE $2::timestamptz >= k.due_at AND k.still
          -- catch-up window: a server that was down does not raise yesterday's alerts hours later
          AND k.due_at > $2::timestamptz - make_interval(hours => $7)
     ), grouped AS (
       SELECT kind, day, at_path, deadline_at,
              md5('report/' || CASE WHEN per_unit THEN min(code) ELSE ltree2text(subpath(at_path, -1)) END || '/' || day
                  || CASE WHEN per_unit THEN '' ELSE '/' || ${iso('deadline_at')} END)::uuid AS source_id,
              CASE WHEN per_unit THEN min(area_code) ELSE ltree2text(subpath(at_path, -1)) END AS area_code,
              CASE WHEN per_unit THEN jsonb_strip_nulls(jsonb_build_object('siteId', min(site_id), 'siteName', CASE WHEN min(site_id) IS NOT NULL THEN min(name) END))
                   ELSE jsonb_build_object('unitCount', count(*),
                          -- the first 100 by place: enough to act on, small enough for an alert
                          'units', to_jsonb((array_agg(jsonb_build_object('code', code, 'name', name) ORDER BY area_path, code))[1:100])) END AS details,
              array_agg(area_path::text ORDER BY area_path) AS unit_paths
         FROM due
        GROUP BY kind, per_unit, day, at_path, deadline_at, CASE WHEN per_unit THEN code END
     ), fresh AS (
       -- raised before: skipped here rather than by the conflict, so a steady sweep writes nothing
       SELECT g.* FROM grouped g
        WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.kind = g.kind AND a.source_id = g.source_id)
     ), inserted AS (
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT kind, area_code, at_path, day, $2, source_id, details || jsonb_build_object('dueAt', ${iso('deadline_at')})
         FROM fresh
       ON CONFLICT (kind, source_id) DO NOTHING
       RETURNING id, kind, day, area_path, source_id
     )
     SELECT i.id, i.kind, to_char(i.day, 'YYYY-MM-DD') AS day, i.area_path::text AS "areaPath", f.unit_paths AS "unitPaths"
       FROM inserted i JOIN fresh f ON f.kind = i.kind AND f.source_id = i.source_id
      ORDER BY i.id`,
    [days, now, timeZone, times.reminderMinutesBefore, times.districtMinutesAfter, scopePath, times.catchUpHours],
  );
  return rows;
}

/** Area codes of a path and its ancestors. */
export const ancestorsOf = (path: string): string[] => path.split('.');

// ---- deadlines and units ----

export async function effectiveDeadline(db: Queryable, areaCode: string): Promise<{ deadline: string; setOn: string | null } | undefined> {
  const { rows } = await db.query<{ deadline: string; setOn: string | null }>(
    `SELECT to_char(report_deadline(a.path), 'HH24:MI') AS deadline,
            (SELECT d.area_code FROM report_deadlines d WHERE d.area_path @> a.path ORDER BY nlevel(d.area_path) DESC LIMIT 1) AS "setOn"
       FROM areas a WHERE a.code = $1`,
    [areaCode],
  );
  return rows[0];
}

export async function setDeadline(db: Queryable, areaCode: string, areaPath: string, deadline: string, by: string): Promise<void> {
  await db.query(
    `INSERT INTO report_deadlines (area_code, area_path, deadline, updated_by) VALUES ($1, $2::ltree, $3::time, $4)
     ON CONFLICT (area_code) DO UPDATE SET deadline = EXCLUDED.deadline, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [areaCode, areaPath, deadline, by],
  );
}

export async function clearDeadline(db: Queryable, areaCode: string): Promise<boolean> {
  return ((await db.query('DELETE FROM report_deadlines WHERE area_code = $1', [areaCode])).rowCount ?? 0) > 0;
}

/** The place of a would-be unit (an area, or a site in a grid), active or not. */
export async function unitPlace(db: Queryable, code: string): Promise<{ areaCode: string | null; siteId: number | null; path: string | null; level: string } | undefined> {
  const site = /^site-(\d+)$/.exec(code);
  const { rows } = site
    ? await db.query<{ areaCode: string | null; siteId: number; path: string | null; level: string }>(
      `SELECT NULL AS "areaCode", id AS "siteId", area_path::text AS path, 'site' AS level FROM sites WHERE id = $1`, [Number(site[1])])
    : await db.query<{ areaCode: string; siteId: null; path: string; level: string }>(
      `SELECT code AS "areaCode", NULL AS "siteId", path::text AS path, level FROM areas WHERE code = $1`, [code]);
  return rows[0];
}

export async function setUnit(db: Queryable, code: string, place: { areaCode: string | null; siteId: number | null }, active: boolean, by: string): Promise<void> {
  await db.query(
    `INSERT INTO report_units (code, area_code, site_id, active, updated_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO UPDATE SET active = EXCLUDED.active, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [code, place.areaCode, place.siteId, active, by],
  );
}

/** The deadlines and unit settings made in an area (at or below it). */
export async function settingsInArea(db: Queryable, scopePath: string) {
  const [deadlines, units] = await Promise.all([
    db.query<{ area: string; name: string; deadline: string; updatedBy: string | null; updatedAt: string }>(
      `SELECT d.area_code AS area, a.name, to_char(d.deadline, 'HH24:MI') AS deadline, d.updated_by AS "updatedBy", ${iso('d.updated_at')} AS "updatedAt"
         FROM report_deadlines d JOIN areas a ON a.code = d.area_code
        WHERE d.area_path <@ $1::ltree ORDER BY d.area_path`,
      [scopePath],
    ),
    db.query<{ code: string; name: string; kind: string; active: boolean; updatedBy: string | null; updatedAt: string }>(
      `SELECT u.code, COALESCE(a.name, s.name) AS name, COALESCE(a.level, 'site') AS kind, u.active,
              u.updated_by AS "updatedBy", ${iso('u.updated_at')} AS "updatedAt"
         FROM report_units u LEFT JOIN areas a ON a.code = u.area_code LEFT JOIN sites s ON s.id = u.site_id
        WHERE COALESCE(a.path, s.area_path) <@ $1::ltree ORDER BY u.code`,
      [scopePath],
    ),
  ]);
  return { deadlines: deadlines.rows, units: units.rows };
}

// ---- ledgers ----

export interface LedgerFilter {
  kind: LedgerKind;
  scopePath: string;
  from: string | null;
  to: string | null;
  limit: number;
  offset: number;
  timeZone: string;
}

type StoredLedgerEntry = Omit<LedgerEntry, 'masked'>;

/** People of one ledger category in an area, by day (arrival, or registration) then name; with the total. */
export async function ledgerEntries(db: Queryable, f: LedgerFilter): Promise<{ total: number; items: StoredLedgerEntry[] }> {
  const where = `p.category = $1 AND p.area_path <@ $2::ltree
     AND ($3::date IS NULL OR COALESCE(p.arrived_on, (p.created_at AT TIME ZONE $6)::date) >= $3::date)
     AND ($4::date IS NULL OR COALESCE(p.arrived_on, (p.created_at AT TIME ZONE $6)::date) <= $4::date)`;
  const params = [f.kind, f.scopePath, f.from, f.to];
  const [page, count] = await Promise.all([
    db.query<StoredLedgerEntry>(
      `SELECT p.id, p.name, p.id_type AS "idType", p.id_number AS "idNumber", p.phone, p.address, p.grid_code AS "gridCode",
              (SELECT string_agg(a.name, ' · ' ORDER BY nlevel(a.path)) FROM areas a
                WHERE a.path @> p.area_path AND a.level <> 'city') AS "areaName",
              to_char(COALESCE(p.arrived_on, (p.created_at AT TIME ZONE $6)::date), 'YYYY-MM-DD') AS day,
              p.origin, p.risk_area_level AS "riskAreaLevel", p.health_code AS "healthCode",
              c.kind AS measure, to_char(c.planned_end, 'YYYY-MM-DD') AS "plannedEnd"
         FROM people p
         LEFT JOIN quarantine_cases c ON c.person_id = p.id AND c.status = 'active'
        WHERE ${where}
        ORDER BY COALESCE(p.arrived_on, (p.created_at AT TIME ZONE $6)::date), p.area_path, p.name, p.id
        LIMIT $5 OFFSET $7`,
      [...params, f.limit, f.timeZone, f.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM people p WHERE ${where.replaceAll('$6', '$5')}`, [...params, f.timeZone]),
  ]);
  return { total: count.rows[0]!.total, items: page.rows };
}

/** An area's name and level, and its children (code, name, level, path), ordered by code. */
export async function areaWithChildren(db: Queryable, code: string): Promise<{ name: string; level: string; children: Array<{ code: string; name: string; level: string; path: string }> }> {
  const { rows } = await db.query<{ code: string; name: string; level: string; path: string; self: boolean }>(
    `SELECT code, name, level, path::text AS path, code = $1 AS self FROM areas WHERE code = $1 OR parent_code = $1 ORDER BY code`,
    [code],
  );
  const self = rows.find((r) => r.self)!;
  return { name: self.name, level: self.level, children: rows.filter((r) => !r.self) };
}
