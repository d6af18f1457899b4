// SQL of quarantine: regimes, cases and their events, temperature checks, the sweeper's alerts.
// Every read of cases is scoped by `area_path <@ scope` (the case carries the person's home grid path).
import type { Queryable } from '../infra/db.ts';
import type {
  CaseEvent,
  CheckSlot,
  QuarantineCase,
  QuarantineKind,
  Regime,
  RegimePhase,
  Responsible,
  TemperatureCheck,
} from '../contracts/quarantine.ts';
import type { PersonalFields } from '../privacy/masking.ts';

// ---------------------------------------------------------------- regimes
const regimeJson = `json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'phases', r.phases,
  'totalDays', r.total_days, 'active', r.active, 'updatedBy', r.updated_by, 'updatedAt', r.updated_at)`;

export async function listRegimes(db: Queryable, includeInactive: boolean): Promise<Regime[]> {
  const { rows } = await db.query<{ regime: Regime }>(
    `SELECT ${regimeJson} AS regime FROM quarantine_regimes r WHERE $1 OR r.active ORDER BY r.active DESC, r.total_days, r.code`,
    [includeInactive],
  );
  return rows.map((row) => row.regime);
}

export async function findRegime(db: Queryable, code: string): Promise<Regime | undefined> {
  const { rows } = await db.query<{ regime: Regime }>(`SELECT ${regimeJson} AS regime FROM quarantine_regimes r WHERE r.code = $1`, [code]);
  return rows[0]?.regime;
}

export interface RegimeWrite {
  code: string;
  nameZh: string;
  nameEn: string;
  phases: RegimePhase[];
  totalDays: number;
  active: boolean;
}

/** Creates or replaces a regime; cases already started keep their own copy of its phases. */
export async function upsertRegime(db: Queryable, regime: RegimeWrite, by: string): Promise<{ regime: Regime; created: boolean }> {
  const { rows } = await db.query<{ regime: Regime; created: boolean }>(
    `WITH saved AS (
       INSERT INTO quarantine_regimes AS r (code, name_zh, name_en, phases, total_days, active, updated_by, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, now())
       ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, phases = excluded.phases,
         total_days = excluded.total_days, active = excluded.active, updated_by = excluded.updated_by, updated_at = now()
       RETURNING r.*, (xmax = 0) AS created
     )
     SELECT ${regimeJson} AS regime, r.created FROM saved r`,
    [regime.code, regime.nameZh, regime.nameEn, JSON.stringify(regime.phases), regime.totalDays, regime.active, by],
  );
  return rows[0]!;
}

export async function deactivateRegime(db: Queryable, code: string, by: string): Promise<Regime | undefined> {
  const { rows } = await db.query<{ regime: Regime }>(
    `UPDATE quarantine_regimes r SET active = false, updated_by = $2, updated_at = now() WHERE r.code = $1 RETURNING ${regimeJson} AS regime`,
    [code, by],
  );
  return rows[0]?.regime;
}

/** Risk levels whose arrival policy suggests this regime (it must stay active for them). */
export async function policiesUsingRegime(db: Queryable, code: string): Promise<string[]> {
  const { rows } = await db.query<{ level: string }>('SELECT risk_level AS level FROM arrival_policies WHERE regime_code = $1 ORDER BY 1', [code]);
  return rows.map((row) => row.level);
}

// ---------------------------------------------------------------- people and places
export async function findPersonInScope(db: Queryable, personId: string, scopePath: string): Promise<{ gridCode: string; areaPath: string } | undefined> {
  const { rows } = await db.query<{ gridCode: string; areaPath: string }>(
    `SELECT grid_code AS "gridCode", area_path::text AS "areaPath" FROM people WHERE id = $1 AND area_path <@ $2::ltree`,
    [personId, scopePath],
  );
  return rows[0];
}

export async function siteInScope(db: Queryable, siteId: number, scopePath: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM sites WHERE id = $1 AND area_path <@ $2::ltree', [siteId, scopePath]);
  return (rowCount ?? 0) > 0;
}

// ---------------------------------------------------------------- cases: writes
export interface NewCase {
  id: string;
  personId: string;
  regimeCode: string;
  phases: RegimePhase[];
  kind: QuarantineKind;
  startDay: string;
  phaseEnd: string;
  plannedEnd: string;
  placeSiteId: number | null;
  gridCode: string;
  areaPath: string;
  responsible: Responsible | null;
  createdBy: string;
}

/** Inserts the case; false when a case with this id already exists (a retried start). */
export async function insertCase(db: Queryable, c: NewCase): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO quarantine_cases (id, person_id, regime_code, phases, phase_index, kind, start_day, phase_end, planned_end,
                                   place_site_id, grid_code, area_path, responsible, created_by)
     VALUES ($1, $2, $3, $4::jsonb, 0, $5, $6, $7, $8, $9, $10, $11::ltree, COALESCE($12::jsonb, '{}'::jsonb), $13)
     ON CONFLICT (id) DO NOTHING`,
    [c.id, c.personId, c.regimeCode, JSON.stringify(c.phases), c.kind, c.startDay, c.phaseEnd, c.plannedEnd, c.placeSiteId,
      c.gridCode, c.areaPath, c.responsible === null ? null : JSON.stringify(c.responsible), c.createdBy],
  );
  return (rowCount ?? 0) > 0;
}

/** Who a case (by id, anywhere) is for: tells a retried start from a reused id. */
export async function findCasePerson(db: Queryable, caseId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ personId: string }>('SELECT person_id AS "personId" FROM quarantine_cases WHERE id = $1', [caseId]);
  return rows[0]?.personId;
}

export interface NewCaseEvent {
  id: string;
  caseId: string;
  seq: number;
  type: CaseEvent['type'];
  at: string;
  day: string;
  fromKind: QuarantineKind | null;
  toKind: QuarantineKind | null;
  plannedEndBefore: string | null;
  plannedEndAfter: string | null;
  details: Record<string, unknown>;
  recordedBy: string;
}

export async function insertCaseEvent(db: Queryable, e: NewCaseEvent): Promise<void> {
  await db.query(
    `INSERT INTO case_events (id, case_id, seq, type, at, day, from_kind, to_kind, planned_end_before, planned_end_after, details, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)`,
    [e.id, e.caseId, e.seq, e.type, e.at, e.day, e.fromKind, e.toKind, e.plannedEndBefore, e.plannedEndAfter, JSON.stringify(e.details), e.recordedBy],
  );
}

/** The case an event id was recorded for, if any (a retried event). */
export async function findCaseEvent(db: Queryable, eventId: string): Promise<{ caseId: string; type: string } | undefined> {
  const { rows } = await db.query<{ caseId: string; type: string }>('SELECT case_id AS "caseId", type FROM case_events WHERE id = $1', [eventId]);
  return rows[0];
}

export interface LockedCase {
  id: string;
  phases: RegimePhase[];
  status: 'active' | 'released' | 'transferred';
  phaseIndex: number;
  kind: QuarantineKind;
  startDay: string;
  phaseEnd: string;
  plannedEnd: string;
  placeSiteId: number | null;
  areaPath: string;
  lastSeq: number;
  lastAt: Date;
}

/**
 * The case inside the scope, locked for an event: events of one case are recorded one at a time.
 * Its last event is read by a second statement, after the lock: a statement that waited for the
 * lock still sees the events table as it was when it began.
 */
export async function lockCaseInScope(db: Queryable, caseId: string, scopePath: string): Promise<LockedCase | undefined> {
  const { rows } = await db.query<Omit<LockedCase, 'lastSeq' | 'lastAt'>>(
    `SELECT c.id, c.phases, c.status, c.phase_index AS "phaseIndex", c.kind,
            to_char(c.start_day, 'YYYY-MM-DD') AS "startDay", to_char(c.phase_end, 'YYYY-MM-DD') AS "phaseEnd",
            to_char(c.planned_end, 'YYYY-MM-DD') AS "plannedEnd", c.place_site_id AS "placeSiteId", c.area_path::text AS "areaPath"
       FROM quarantine_cases c
      WHERE c.id = $1 AND c.area_path <@ $2::ltree
        FOR UPDATE OF c`,
    [caseId, scopePath],
  );
  if (!rows[0]) return undefined;
  const last = await db.query<{ lastSeq: number; lastAt: Date }>(
    'SELECT seq AS "lastSeq", at AS "lastAt" FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1',
    [caseId],
  );
  return { ...rows[0], ...last.rows[0]! };
}

export interface CaseUpdate {
  phases: RegimePhase[];
  status: string;
  phaseIndex: number;
  kind: QuarantineKind;
  phaseEnd: string;
  plannedEnd: string;
  placeSiteId: number | null;
  endedAt: string | null;
  releaseNoticeNo: string | null;
}

export async function updateCase(db: Queryable, caseId: string, u: CaseUpdate): Promise<void> {
  await db.query(
    `UPDATE quarantine_cases SET phases = $2::jsonb, status = $3, phase_index = $4, kind = $5, phase_end = $6, planned_end = $7,
            place_site_id = COALESCE($8, place_site_id), ended_at = $9, release_notice_no = COALESCE($10, release_notice_no)
      WHERE id = $1`,
    [caseId, JSON.stringify(u.phases), u.status, u.phaseIndex, u.kind, u.phaseEnd, u.plannedEnd, u.placeSiteId, u.endedAt, u.releaseNoticeNo],
  );
}

// ---------------------------------------------------------------- cases: reads
/** A case row (alias c, joined to people p, regimes r, sites s) as the API shows it, person unmasked. */
const caseJson = `json_build_object(
  'id', c.id, 'person', json_build_object('id', p.id, 'name', p.name, 'idNumber', p.id_number, 'phone', p.phone, 'address', p.address),
  'regime', c.regime_code, 'regimeName', r.name_zh, 'kind', c.kind, 'status', c.status,
  'phaseIndex', c.phase_index, 'phaseCount', jsonb_array_length(c.phases),
  'startDay', to_char(c.start_day, 'YYYY-MM-DD'), 'phaseEnd', to_char(c.phase_end, 'YYYY-MM-DD'),
  'plannedEnd', to_char(c.planned_end, 'YYYY-MM-DD'),
  'dayNumber', CASE WHEN c.status = 'active' THEN ($today::date - c.start_day) + 1 END,
  'overdue', c.status = 'active' AND c.planned_end < $today::date,
  'gridCode', c.grid_code,
  'areaName', (SELECT string_agg(a.name, ' · ' ORDER BY nlevel(a.path)) FROM areas a WHERE a.path @> c.area_path AND a.level <> 'city'),
  'placeSite', CASE WHEN s.id IS NOT NULL THEN json_build_object('id', s.id, 'name', s.name) END,
  'endedAt', c.ended_at, 'releaseNoticeNo', c.release_notice_no, 'createdBy', c.created_by, 'createdAt', c.created_at)`;

const caseFrom = `quarantine_cases c JOIN people p ON p.id = c.person_id JOIN quarantine_regimes r ON r.code = c.regime_code
  LEFT JOIN sites s ON s.id = c.place_site_id`;

export type CaseRow = Omit<QuarantineCase, 'person'> & { person: PersonalFields & { id: string } };

export interface CaseFilter {
  scopePath: string;
  today: string;
  kind?: string;
  status: 'active' | 'released' | 'transferred' | 'all';
  dueOn?: string;
  overdue?: boolean;
  regime?: string;
  personId?: string;
  /** cases with an event of this type (start, release, transfer) on `eventDay`: the lists behind casesStarted, released, transferred */
  event?: 'start' | 'release' | 'transfer';
  eventDay?: string;
  limit: number;
  offset: number;
}

const caseFilterSql = `c.area_path <@ $1::ltree
  AND ($2::text IS NULL OR c.kind = $2)
  AND ($3 = 'all' OR c.status = $3)
  AND ($4::date IS NULL OR c.planned_end = $4::date)
  AND ($5::boolean IS NULL OR (c.status = 'active' AND c.planned_end < $6::date) = $5)
  AND ($7::text IS NULL OR c.regime_code = $7)
  AND ($8::uuid IS NULL OR c.person_id = $8)
  AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = $9 AND e.day = $10::date))`;

/** Cases in the scope matching the filter: active first, the earliest planned release first. */
export async function listCases(db: Queryable, f: CaseFilter): Promise<{ items: CaseRow[]; total: number }> {
  const params = [
    f.scopePath, f.kind ?? null, f.status, f.dueOn ?? null, f.overdue ?? null, f.today, f.regime ?? null, f.personId ?? null,
    f.event ?? null, f.eventDay ?? f.today,
  ];
  const [page, count] = await Promise.all([
    db.query<{ c: CaseRow }>(
      `SELECT ${caseJson.replaceAll('$today', '$6')} AS c FROM ${caseFrom}
        WHERE ${caseFilterSql}
        ORDER BY c.status <> 'active', c.planned_end, c.start_day, c.id
        LIMIT $11 OFFSET $12`,
      [...params, f.limit, f.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM quarantine_cases c WHERE ${caseFilterSql}`, params),
  ]);
  return { items: page.rows.map((row) => row.c), total: count.rows[0]?.total ?? 0 };
}

export interface CaseDetailRow {
  c: CaseRow;
  phases: RegimePhase[];
  responsible: Responsible | Record<string, never>;
}

export async function findCaseInScope(db: Queryable, caseId: string, scopePath: string, today: string): Promise<CaseDetailRow | undefined> {
  const { rows } = await db.query<CaseDetailRow>(
    `SELECT ${caseJson.replaceAll('$today', '$3')} AS c, c.phases, c.responsible
       FROM ${caseFrom} WHERE c.id = $1 AND c.area_path <@ $2::ltree`,
    [caseId, scopePath, today],
  );
  return rows[0];
}

export async function caseEvents(db: Queryable, caseId: string): Promise<CaseEvent[]> {
  const { rows } = await db.query<CaseEvent>(
    `SELECT id, seq, type, at, to_char(day, 'YYYY-MM-DD') AS day, from_kind AS "fromKind", to_kind AS "toKind",
            to_char(planned_end_before, 'YYYY-MM-DD') AS "plannedEndBefore", to_char(planned_end_after, 'YYYY-MM-DD') AS "plannedEndAfter",
            details, recorded_by AS "recordedBy"
       FROM case_events WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
}

export async function caseTemperatureChecks(db: Queryable, caseId: string): Promise<TemperatureCheck[]> {
  const { rows } = await db.query<TemperatureCheck>(
    `SELECT id, at, to_char(day, 'YYYY-MM-DD') AS day, slot, temperature::float8 AS temperature, symptoms, recorded_by AS "recordedBy"
       FROM temperature_checks WHERE case_id = $1 ORDER BY at, id`,
    [caseId],
  );
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
}

/** Releases due on a day and overdue before it, for the area and per grid below it (from the maintained counts). */
export async function releasesDueByGrid(db: Queryable, areaCode: string, areaPath: string, day: string) {
  const [totals, grids] = await Promise.all([
    db.query<{ due: number; overdue: number }>(
      `SELECT COALESCE(sum(active) FILTER (WHERE planned_end = $2::date), 0)::int AS due,
              COALESCE(sum(active) FILTER (WHERE planned_end < $2::date), 0)::int AS overdue
         FROM area_active_case_ends WHERE area_code = $1 AND planned_end <= $2::date`,
      [areaCode, day],
    ),
    db.query<{ grid: string; name: string; communityName: string; due: number; overdue: number }>(
      `SELECT g.code AS grid, g.name, cm.name AS "communityName",
              sum(e.active) FILTER (WHERE e.planned_end = $2::date)::int AS due,
              sum(e.active) FILTER (WHERE e.planned_end < $2::date)::int AS overdue
         FROM area_active_case_ends e
         JOIN areas g ON g.code = e.area_code AND g.level = 'grid'
         JOIN areas cm ON cm.code = g.parent_code
        WHERE g.path <@ $1::ltree AND e.planned_end <= $2::date AND e.active > 0
        GROUP BY g.code, g.name, cm.name
        ORDER BY 4 DESC NULLS LAST, 5 DESC NULLS LAST, g.code`,
      [areaPath, day],
    ),
  ]);
  return {
    due: totals.rows[0]?.due ?? 0,
    overdue: totals.rows[0]?.overdue ?? 0,
    grids: grids.rows.map((g) => ({ ...g, due: g.due ?? 0, overdue: g.overdue ?? 0 })),
  };
}

// ---------------------------------------------------------------- temperature checks
export async function existingCheckIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM temperature_checks WHERE id = ANY ($1::uuid[])', [ids]);
  return new Set(rows.map((row) => row.id));
}

export interface CheckedCase {
  id: string;
  status: string;
  kind: QuarantineKind;
  /** when the current phase began */
  phaseStartedAt: Date;
}

/**
 * The cases (inside the scope) that checks are for, share-locked in id order: a case cannot be
 * released or moved on while its checks are being stored, and concurrent batches cannot deadlock.
 */
export async function lockCasesForChecks(db: Queryable, caseIds: string[], scopePath: string): Promise<Map<string, CheckedCase>> {
  const locked = await db.query<{ id: string }>(
    `SELECT c.id::text FROM quarantine_cases c
      WHERE c.id = ANY ($1::uuid[]) AND c.area_path <@ $2::ltree
      ORDER BY c.id
        FOR SHARE OF c`,
    [caseIds, scopePath],
  );
  // Read after the locks are held (a new statement, a new snapshot): a phase change that committed
  // while we waited is seen.
  const { rows } = await db.query<CheckedCase>(
    `SELECT c.id::text, c.status, c.kind,
            (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.to_kind IS NOT NULL) AS "phaseStartedAt"
       FROM quarantine_cases c WHERE c.id = ANY ($1::uuid[])`,
    [locked.rows.map((row) => row.id)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

export interface NewCheck {
  id: string;
  caseId: string;
  at: string;
  day: string;
  slot: CheckSlot;
  temperature: number;
  symptoms: string | null;
}

/**
 * Stores the checks (known ids are skipped) and raises an abnormal_temperature alert for each new
 * one at or above the threshold, in one statement. Alerts carry the case and temperature, never the person.
 */
export async function insertTemperatureChecks(db: Queryable, checks: NewCheck[], by: string, threshold: number): Promise<{ accepted: number; alertIds: number[] }> {
  const { rows } = await db.query<{ accepted: number; alertIds: number[] }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::date[], $5::text[], $6::numeric[], $7::text[])
         AS t(id, case_id, at, day, slot, temperature, symptoms)
     ), inserted AS (
       INSERT INTO temperature_checks (id, case_id, at, day, slot, temperature, symptoms, recorded_by)
       SELECT id, case_id, at, day, slot, temperature, symptoms, $8 FROM input
       ON CONFLICT (id) DO NOTHING
       RETURNING id, case_id, at, day, temperature
     ), raised AS (
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT 'abnormal_temperature', c.grid_code, c.area_path, i.day, i.at, i.id,
              jsonb_build_object('caseId', i.case_id, 'temperature', i.temperature)
         FROM inserted i JOIN quarantine_cases c ON c.id = i.case_id
        WHERE i.temperature >= $9
       ON CONFLICT DO NOTHING
       RETURNING id
     )
     SELECT (SELECT count(*) FROM inserted)::int AS accepted,
            COALESCE((SELECT array_agg(id ORDER BY id) FROM raised), '{}') AS "alertIds"`,
    [
      checks.map((c) => c.id), checks.map((c) => c.caseId), checks.map((c) => c.at), checks.map((c) => c.day),
      checks.map((c) => c.slot), checks.map((c) => c.temperature), checks.map((c) => c.symptoms), by, threshold,
    ],
  );
  return rows[0] ?? { accepted: 0, alertIds: [] };
}

// ---------------------------------------------------------------- sweeper
export interface RaisedAlert {
  id: number;
  path: string;
  day: string;
}

/**
 * Raises a missed_check alert for every active case in a home phase that owes a check in one of
 * the given slots (its current phase began by the time the slot opened) and has none recorded in
 * that slot by its deadline. Returns only the alerts inserted now: a second sweep raises nothing.
 */
export async function raiseMissedChecks(
  db: Queryable,
  slots: ReadonlyArray<{ day: string; slot: CheckSlot; opensAt: Date; dueAt: Date }>,
  now: Date,
): Promise<RaisedAlert[]> {
  if (slots.length === 0) return [];
  const { rows } = await db.query<RaisedAlert>(
    `WITH slot AS (
       SELECT * FROM unnest($1::date[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS s(day, slot, opens_at, due_at)
     ), owed AS (
       SELECT c.id, c.grid_code, c.area_path, s.day, s.slot, s.due_at
         FROM quarantine_cases c
        CROSS JOIN slot s
        WHERE c.status = 'active' AND c.kind IN ('home_quarantine', 'home_monitoring')
          AND (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.to_kind IS NOT NULL) <= s.opens_at
          AND NOT EXISTS (SELECT 1 FROM temperature_checks t
                           WHERE t.case_id = c.id AND t.day = s.day AND t.slot = s.slot AND t.at <= s.due_at)
     ), raised AS (
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT 'missed_check', o.grid_code, o.area_path, o.day, $5, md5(o.id::text || o.day::text || o.slot)::uuid,
              jsonb_build_object('caseId', o.id, 'slot', o.slot, 'dueAt', o.due_at)
         FROM owed o
        ORDER BY o.id, o.day, o.slot
       ON CONFLICT DO NOTHING
       RETURNING id, area_path, day
     )
     SELECT id, area_path::text AS path, to_char(day, 'YYYY-MM-DD') AS day FROM raised ORDER BY id`,
    [slots.map((s) => s.day), slots.map((s) => s.slot), slots.map((s) => s.opensAt), slots.map((s) => s.dueAt), now],
  );
  return rows;
}

/** Raises an overdue_release alert once per active case and planned release day that has passed. */
export async function raiseOverdueReleases(db: Queryable, today: string, now: Date): Promise<RaisedAlert[]> {
  const { rows } = await db.query<RaisedAlert>(
    `WITH raised AS (
       INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
       SELECT 'overdue_release', c.grid_code, c.area_path, $1::date, $2, md5(c.id::text || 'overdue' || c.planned_end::text)::uuid,
              jsonb_build_object('caseId', c.id, 'plannedEnd', to_char(c.planned_end, 'YYYY-MM-DD'))
         FROM quarantine_cases c
        WHERE c.status = 'active' AND c.planned_end < $1::date
        ORDER BY c.id
       ON CONFLICT DO NOTHING
       RETURNING id, area_path, day
     )
     SELECT id, area_path::text AS path, to_char(day, 'YYYY-MM-DD') AS day FROM raised ORDER BY id`,
    [today, now],
  );
  return rows;
}
