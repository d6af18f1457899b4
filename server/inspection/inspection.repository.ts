// SQL of supervision rounds (督查). Named, parameterised queries; scoping is by the caller's
// jurisdiction path (`area_path <@ $scope`). The route planner (server/routing) reads teams, rounds,
// candidate sites and locked stops, and writes plans, through the functions marked "planner".
import type { Queryable } from '../infra/db.ts';
import type {
  CaseFiling, CheckResult, DayPlan, Followup, NoticeItem, Rectification, Round, Team, TeamInput, TeamPosition,
  RoundInput, SiteStatus as SiteStatusValue, Visit,
} from '../contracts/inspection.ts';
import type { PlanNotes, PlanWhy } from '../routing/contracts.ts';
import type { NearbyRiskArea, PriorityFacts } from './priority.ts';
import { nearRiskMetres } from './priority.ts';

// ---- teams -------------------------------------------------------------------------------

const teamJson = `json_build_object(
  'id', t.id, 'code', t.code, 'name', t.name, 'leaderName', t.leader_name, 'leaderPhone', t.leader_phone,
  'leaderUsername', t.leader_username, 'members', t.members, 'vehicle', t.vehicle,
  'baseName', t.base_name, 'basePosition', json_build_array(ST_X(t.base_geom), ST_Y(t.base_geom)),
  'scope', t.scope, 'areas', t.areas,
  'areaNames', ARRAY(SELECT a.name FROM areas a WHERE a.code = ANY (t.areas) ORDER BY array_position(t.areas, a.code)),
  'workStart', to_char(t.work_start, 'HH24:MI'), 'workEnd', to_char(t.work_end, 'HH24:MI'),
  'lunchRule', t.lunch_rule, 'lunchStart', to_char(t.lunch_start, 'HH24:MI'), 'lunchEnd', to_char(t.lunch_end, 'HH24:MI'),
  'lunchMinutes', t.lunch_minutes, 'active', t.active)`;

/** Areas listed by a team or round touch a jurisdiction when one contains the other. */
const touchesScope = (column: string, scopeParam: string) =>
  `EXISTS (SELECT 1 FROM areas x WHERE x.code = ANY (${column}) AND (x.path <@ ${scopeParam}::ltree OR x.path @> ${scopeParam}::ltree))`;

export async function listTeams(db: Queryable, scopePath: string): Promise<Team[]> {
  const { rows } = await db.query<{ team: Team }>(
    `SELECT ${teamJson} AS team FROM inspection_teams t WHERE ${touchesScope('t.areas', '$1')} ORDER BY t.code`,
    [scopePath],
  );
  return rows.map((r) => r.team);
}

export async function getTeam(db: Queryable, id: number, scopePath: string): Promise<Team | undefined> {
  const { rows } = await db.query<{ team: Team }>(
    `SELECT ${teamJson} AS team FROM inspection_teams t WHERE t.id = $1 AND ${touchesScope('t.areas', '$2')}`,
    [id, scopePath],
  );
  return rows[0]?.team;
}

/** The team a team leader leads, if any. */
export async function teamIdOfLeader(db: Queryable, username: string): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM inspection_teams WHERE leader_username = $1', [username]);
  return rows[0]?.id;
}

/** The codes among those given that name no area. */
export async function unknownAreaCodes(db: Queryable, codes: string[]): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT c AS code FROM unnest($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = c) ORDER BY c`,
    [codes],
  );
  return rows.map((r) => r.code);
}

/** Inside the city (the root area): a base in the sea or another city is a typing mistake. */
export async function pointInCity(db: Queryable, [lon, lat]: [number, number]): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM areas WHERE level = 'city' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
    [lon, lat],
  );
  return (rowCount ?? 0) > 0;
}

/** The instant of a wall-clock time on a city day, as ISO 8601. */
export async function cityInstant(db: Queryable, day: string, time: string, timeZone: string): Promise<string> {
  const { rows } = await db.query<{ at: Date }>(`SELECT ($1::date + $2::time) AT TIME ZONE $3 AS at`, [day, time, timeZone]);
  return rows[0]!.at.toISOString();
}

export async function userExists(db: Queryable, username: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
  return (rowCount ?? 0) > 0;
}

const teamParams = (input: TeamInput) => [
  input.code, input.name.trim(), input.leaderName.trim(), input.leaderPhone ?? '', input.leaderUsername ?? null,
  JSON.stringify(input.members), input.vehicle ?? '', input.baseName.trim(), input.basePosition[0], input.basePosition[1],
  input.scope ?? 'areas', input.areas, input.workStart, input.workEnd, input.lunchRule, input.lunchStart, input.lunchEnd,
  input.lunchMinutes, input.active ?? true,
];

export async function insertTeam(db: Queryable, input: TeamInput): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO inspection_teams (code, name, leader_name, leader_phone, leader_username, members, vehicle, base_name, base_geom,
                                   scope, areas, work_start, work_end, lunch_rule, lunch_start, lunch_end, lunch_minutes, active)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, ST_SetSRID(ST_MakePoint($9, $10), 4326),
             $11, $12, $13, $14, $15, $16, $17, $18, $19)
     RETURNING id`,
    teamParams(input),
  );
  return rows[0]!.id;
}

export async function updateTeam(db: Queryable, id: number, input: TeamInput): Promise<boolean> {
  const result = await db.query(
    `UPDATE inspection_teams
        SET code = $1, name = $2, leader_name = $3, leader_phone = $4, leader_username = $5, members = $6::jsonb, vehicle = $7,
            base_name = $8, base_geom = ST_SetSRID(ST_MakePoint($9, $10), 4326), scope = $11, areas = $12,
            work_start = $13, work_end = $14, lunch_rule = $15, lunch_start = $16, lunch_end = $17, lunch_minutes = $18,
            active = $19, updated_at = now()
      WHERE id = $20`,
    [...teamParams(input), id],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Teams that took part in a round are kept (their visits name them): they are deactivated instead. */
export async function deleteOrDeactivateTeam(db: Queryable, id: number): Promise<'deleted' | 'deactivated' | 'missing'> {
  const { rows } = await db.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM inspection_round_teams WHERE team_id = $1)
         OR EXISTS (SELECT 1 FROM inspection_visits WHERE team_id = $1) AS used
       FROM inspection_teams WHERE id = $1`,
    [id],
  );
  if (!rows[0]) return 'missing';
  if (rows[0].used) {
    await db.query('UPDATE inspection_teams SET active = false, updated_at = now() WHERE id = $1', [id]);
    return 'deactivated';
  }
  await db.query('DELETE FROM inspection_teams WHERE id = $1', [id]);
  return 'deleted';
}

// ---- rounds ------------------------------------------------------------------------------

const roundJson = `json_build_object(
  'id', r.id, 'name', r.name, 'dateFrom', to_char(r.date_from, 'YYYY-MM-DD'), 'dateTo', to_char(r.date_to, 'YYYY-MM-DD'),
  'weekdays', r.weekdays, 'categories', r.categories, 'areas', r.areas,
  'minSitesPerDay', r.min_sites_per_day, 'maxSitesPerDay', r.max_sites_per_day,
  'sheetDeadline', to_char(r.sheet_deadline, 'HH24:MI'), 'checklist', r.checklist,
  'teamIds', ARRAY(SELECT rt.team_id FROM inspection_round_teams rt WHERE rt.round_id = r.id ORDER BY rt.team_id),
  'status', r.status, 'createdBy', r.created_by)`;

export async function listRounds(db: Queryable, scopePath: string): Promise<Round[]> {
  const { rows } = await db.query<{ round: Round }>(
    `SELECT ${roundJson} AS round FROM inspection_rounds r WHERE ${touchesScope('r.areas', '$1')} ORDER BY r.date_from DESC, r.id DESC`,
    [scopePath],
  );
  return rows.map((r) => r.round);
}

export async function getRound(db: Queryable, id: number, scopePath: string): Promise<Round | undefined> {
  const { rows } = await db.query<{ round: Round }>(
    `SELECT ${roundJson} AS round FROM inspection_rounds r WHERE r.id = $1 AND ${touchesScope('r.areas', '$2')}`,
    [id, scopePath],
  );
  return rows[0]?.round;
}

/** Of the team ids given, those that do not exist. */
export async function unknownTeamIds(db: Queryable, ids: number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT i AS id FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM inspection_teams t WHERE t.id = i) ORDER BY i`,
    [ids],
  );
  return rows.map((r) => r.id);
}

const roundParams = (input: RoundInput) => [
  input.name.trim(), input.dateFrom, input.dateTo ?? null, [...input.weekdays].sort(), input.categories, input.areas,
  input.minSitesPerDay, input.maxSitesPerDay, input.sheetDeadline ?? '16:00', JSON.stringify(input.checklist), input.status ?? 'active',
];

export async function insertRound(db: Queryable, input: RoundInput, by: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO inspection_rounds (name, date_from, date_to, weekdays, categories, areas, min_sites_per_day, max_sites_per_day,
                                    sheet_deadline, checklist, status, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12) RETURNING id`,
    [...roundParams(input), by],
  );
  const id = rows[0]!.id;
  await setRoundTeams(db, id, input.teamIds);
  return id;
}

export async function updateRound(db: Queryable, id: number, input: RoundInput): Promise<boolean> {
  const result = await db.query(
    `UPDATE inspection_rounds
        SET name = $1, date_from = $2, date_to = $3, weekdays = $4, categories = $5, areas = $6, min_sites_per_day = $7,
            max_sites_per_day = $8, sheet_deadline = $9, checklist = $10::jsonb, status = $11, updated_at = now()
      WHERE id = $12`,
    [...roundParams(input), id],
  );
  if ((result.rowCount ?? 0) === 0) return false;
  await setRoundTeams(db, id, input.teamIds);
  return true;
}

/** A team leaving a round takes its plans with it (foreign key), not its visits. */
async function setRoundTeams(db: Queryable, roundId: number, teamIds: number[]): Promise<void> {
  await db.query('DELETE FROM inspection_round_teams WHERE round_id = $1 AND NOT (team_id = ANY ($2::bigint[]))', [roundId, teamIds]);
  await db.query(
    'INSERT INTO inspection_round_teams (round_id, team_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING',
    [roundId, teamIds],
  );
}

/** Visits or cases filed refer to the round: it is closed, not deleted. */
export async function roundHasRecords(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM inspection_visits WHERE round_id = $1)
         OR EXISTS (SELECT 1 FROM inspection_case_filings WHERE round_id = $1) AS used`,
    [id],
  );
  return rows[0]?.used ?? false;
}

export async function deleteRound(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM inspection_rounds WHERE id = $1', [id]);
}

export async function closeRound(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE inspection_rounds SET status = 'closed', updated_at = now() WHERE id = $1`, [id]);
}

// ---- sites in scope and their priority ---------------------------------------------------

/**
 * CTE `sc`: the sites of round $1 (its categories, inside its areas) inside the scope path $2,
 * optionally inside area path $3 and eligible for team $4 (its areas; direct works only for a
 * 'direct' team, the others only for an 'areas' team).
 */
const roundSitesCte = `
  rnd AS MATERIALIZED (SELECT r.*, ARRAY(SELECT a.path FROM areas a WHERE a.code = ANY (r.areas)) AS paths FROM inspection_rounds r WHERE r.id = $1),
  tm AS MATERIALIZED (SELECT t.scope, ARRAY(SELECT a.path FROM areas a WHERE a.code = ANY (t.areas)) AS paths FROM inspection_teams t WHERE t.id = $4),
  sc AS MATERIALIZED (
    SELECT s.id, s.name, s.category, s.geom, s.grid_code, s.area_path, s.address, s.responsible_unit,
           s.responsible_person, s.responsible_phone,
           EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id) AS direct
      FROM sites s, rnd
     WHERE s.category = ANY (rnd.categories) AND s.area_path <@ rnd.paths AND s.area_path <@ $2::ltree
       AND ($3::ltree IS NULL OR s.area_path <@ $3::ltree)
       AND ($4::bigint IS NULL OR EXISTS (
             SELECT 1 FROM tm WHERE s.area_path <@ tm.paths
                AND (tm.scope = 'direct') = EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id)))
  )`;

export interface SiteWithFacts {
  siteId: number;
  name: string;
  category: string;
  position: [number, number];
  districtCode: string;
  districtName: string;
  gridCode: string;
  direct: boolean;
  status: SiteStatusValue;
  lastInspectedOn: string | null;
  facts: PriorityFacts;
}

interface FactsRow extends Omit<SiteWithFacts, 'facts'> {
  categoryWeight: number;
  riskAreas: NearbyRiskArea[] | null;
  daysSince: number | null;
  noticeNumber: string | null;
  noticeDeadline: string | null;
  rectificationFailed: boolean | null;
  followupMonth: string | null;
}

/**
 * Planner: every site of a round in scope with what its priority on `day` is made of (see
 * explainPriority). `day` is a city day; risk areas count when active at any time of that day.
 */
export async function sitePriorityFacts(
  db: Queryable,
  q: { roundId: number; day: string; scopePath: string; areaPath?: string | null; teamId?: number | null; timeZone: string },
): Promise<SiteWithFacts[]> {
  const { rows } = await db.query<FactsRow>(
    `WITH ${roundSitesCte},
     bounds AS (SELECT ($5::date)::timestamp AT TIME ZONE $6 AS day_start, ($5::date + 1)::timestamp AT TIME ZONE $6 AS day_end)
     SELECT sc.id AS "siteId", sc.name, sc.category,
            json_build_array(ST_X(sc.geom), ST_Y(sc.geom)) AS position,
            ltree2text(subpath(sc.area_path, 1, 1)) AS "districtCode", d.name AS "districtName",
            sc.grid_code AS "gridCode", sc.direct,
            st.status, to_char(lv.day, 'YYYY-MM-DD') AS "lastInspectedOn",
            COALESCE(cd.weight, 0) AS "categoryWeight",
            risk.areas AS "riskAreas",
            ($5::date - lv.day) AS "daysSince",
            CASE WHEN sv.failed AND (r.id IS NULL OR r.outcome = 'failed') THEN sv.notice_number END AS "noticeNumber",
            r.outcome = 'failed' AS "rectificationFailed",
            to_char(sv.notice_deadline, 'YYYY-MM-DD') AS "noticeDeadline",
            to_char(fu.due_month, 'YYYY-MM') AS "followupMonth"
       FROM sc
       JOIN areas d ON d.path = subpath(sc.area_path, 0, 2)
       JOIN inspection_site_status($5::date) st ON st.site_id = sc.id
       LEFT JOIN inspection_visits sv ON sv.id = st.last_visit_id
       LEFT JOIN inspection_rectifications r ON r.visit_id = sv.id
       LEFT JOIN inspection_category_defaults cd ON cd.category = sc.category
       LEFT JOIN LATERAL (
         SELECT max(v.day) AS day FROM inspection_visits v WHERE v.site_id = sc.id AND v.day < $5::date
       ) lv ON true
       LEFT JOIN LATERAL (
         SELECT min(f.due_month) AS due_month FROM inspection_followups f
          WHERE f.site_id = sc.id AND f.status = 'due' AND f.due_month <= $5::date
       ) fu ON true
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object(
                  'name', ra.name, 'level', ra.level, 'inside', ST_Intersects(ra.geom, sc.geom),
                  'distanceM', ST_Distance(ra.geom::geography, sc.geom::geography))) AS areas
           FROM risk_areas ra, bounds b
          WHERE ra.retired_at IS NULL AND ra.valid_from < b.day_end AND (ra.valid_to IS NULL OR ra.valid_to > b.day_start)
            -- a box in degrees (wide enough east-west at the site's latitude) lets the index find
            -- candidates before the exact, slower distance on the spheroid
            AND ra.geom && ST_Expand(sc.geom, $7 / 111320.0 / cos(radians(ST_Y(sc.geom))))
            AND ST_DWithin(ra.geom::geography, sc.geom::geography, $7)
       ) risk ON true
      ORDER BY sc.id`,
    [q.roundId, q.scopePath, q.areaPath ?? null, q.teamId ?? null, q.day, q.timeZone, nearRiskMetres],
  );
  return rows.map((row) => ({
    siteId: row.siteId,
    name: row.name,
    category: row.category,
    position: row.position,
    districtCode: row.districtCode,
    districtName: row.districtName,
    gridCode: row.gridCode,
    direct: row.direct,
    status: row.status,
    lastInspectedOn: row.lastInspectedOn,
    facts: {
      category: row.category,
      categoryWeight: row.categoryWeight,
      riskAreas: row.riskAreas ?? [],
      daysSinceInspection: row.daysSince,
      openNotice: row.noticeNumber
        ? { number: row.noticeNumber, deadline: row.noticeDeadline ?? '', overdue: row.status === 'overdue', rectificationFailed: row.rectificationFailed === true }
        : null,
      followupDue: row.followupMonth
        ? { dueMonth: row.followupMonth, overdue: row.followupMonth < q.day.slice(0, 7) }
        : null,
    },
  }));
}

/** Planner: the opening hours of sites on an ISO weekday (1 = Monday): their own, else their category's. */
export async function siteOpeningWindows(db: Queryable, siteIds: number[], isoWeekday: number): Promise<Map<number, Array<[string, string]>>> {
  const key = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][isoWeekday - 1];
  const { rows } = await db.query<{ id: number; windows: Array<[string, string]> | null }>(
    `SELECT s.id, CASE WHEN s.opening_hours = '{}'::jsonb THEN cd.opening_hours -> $2 ELSE s.opening_hours -> $2 END AS windows
       FROM sites s LEFT JOIN inspection_category_defaults cd ON cd.category = s.category
      WHERE s.id = ANY ($1::bigint[])`,
    [siteIds, key],
  );
  return new Map(rows.map((r) => [r.id, r.windows ?? []]));
}

export interface PlanningTeam {
  id: number;
  code: string;
  name: string;
  basePosition: [number, number];
  scope: 'areas' | 'direct';
  areas: string[];
  workStart: string;
  workEnd: string;
  lunchRule: 'base' | 'station';
  lunchStart: string;
  lunchEnd: string;
  lunchMinutes: number;
  /** district stations (区站) inside the team's areas, for lunch when working in their district */
  stations: Array<{ districtCode: string; name: string; position: [number, number] }>;
}

/** Planner: the active teams of a round, with their bases, hours, lunch rule and district stations. */
export async function planningTeams(db: Queryable, roundId: number): Promise<PlanningTeam[]> {
  const { rows } = await db.query<PlanningTeam>(
    `SELECT t.id, t.code, t.name, json_build_array(ST_X(t.base_geom), ST_Y(t.base_geom)) AS "basePosition",
            t.scope, t.areas, to_char(t.work_start, 'HH24:MI') AS "workStart", to_char(t.work_end, 'HH24:MI') AS "workEnd",
            t.lunch_rule AS "lunchRule", to_char(t.lunch_start, 'HH24:MI') AS "lunchStart", to_char(t.lunch_end, 'HH24:MI') AS "lunchEnd",
            t.lunch_minutes AS "lunchMinutes",
            COALESCE((SELECT json_agg(json_build_object('districtCode', st.district_code, 'name', st.name,
                                                        'position', json_build_array(ST_X(st.geom), ST_Y(st.geom))) ORDER BY st.district_code)
                        FROM inspection_district_stations st JOIN areas d ON d.code = st.district_code
                       WHERE EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY (t.areas) AND (d.path <@ a.path OR a.path <@ d.path))),
                     '[]'::json) AS stations
       FROM inspection_round_teams rt JOIN inspection_teams t ON t.id = rt.team_id
      WHERE rt.round_id = $1 AND t.active
      ORDER BY t.code`,
    [roundId],
  );
  return rows;
}

// ---- plans (written by the planner) ------------------------------------------------------

export interface PlannedStopInput {
  siteId: number;
  plannedArrival: string;
  plannedDeparture: string;
  locked?: boolean;
  status?: 'planned' | 'skipped';
  why?: PlanWhy | null;
}

export interface TeamPlanInput {
  teamId: number;
  departAt?: string | null;
  returnAt?: string | null;
  lunch?: { start: string; end: string; place: 'base' | 'station' } | null;
  travelSeconds?: number | null;
  distanceMeters?: number | null;
  /** the road order as [lon, lat] positions, when known */
  route?: Array<[number, number]> | null;
  /** in visiting order; seq is the position (1-based) */
  stops: PlannedStopInput[];
}

/**
 * Planner: replaces the plans of the given teams for one day of a round (other teams' plans of
 * the day stay). Run it inside a transaction (withTransaction) so a failure leaves the old plans.
 * A site planned twice on the same day is a unique violation (409); a team not in the round is a
 * foreign-key violation (400).
 */
export async function savePlan(db: Queryable, roundId: number, day: string, teamPlans: TeamPlanInput[], by: string | null = null): Promise<number[]> {
  await db.query('DELETE FROM inspection_plans WHERE round_id = $1 AND day = $2 AND team_id = ANY ($3::bigint[])', [
    roundId, day, teamPlans.map((p) => p.teamId),
  ]);
  const ids: number[] = [];
  for (const plan of teamPlans) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO inspection_plans (round_id, day, team_id, depart_at, return_at, lunch_start, lunch_end, lunch_place,
                                     travel_seconds, distance_m, route, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
               CASE WHEN $11::text IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON($11), 4326) END, $12)
       RETURNING id`,
      [
        roundId, day, plan.teamId, plan.departAt ?? null, plan.returnAt ?? null, plan.lunch?.start ?? null, plan.lunch?.end ?? null,
        plan.lunch?.place ?? null, plan.travelSeconds ?? null, plan.distanceMeters ?? null,
        plan.route && plan.route.length >= 2 ? JSON.stringify({ type: 'LineString', coordinates: plan.route }) : null, by,
      ],
    );
    const planId = rows[0]!.id;
    ids.push(planId);
    if (plan.stops.length === 0) continue;
    await db.query(
      `INSERT INTO inspection_plan_stops (plan_id, round_id, day, seq, site_id, planned_arrival, planned_departure, locked, status, why)
       SELECT $1, $2, $3, u.ord, u.site_id, u.arrival, u.departure, u.locked, u.status, u.why
         FROM unnest($4::bigint[], $5::timestamptz[], $6::timestamptz[], $7::boolean[], $8::text[], $9::text[])
              WITH ORDINALITY AS u (site_id, arrival, departure, locked, status, why, ord)`,
      [
        planId, roundId, day, plan.stops.map((s) => s.siteId), plan.stops.map((s) => s.plannedArrival),
        plan.stops.map((s) => s.plannedDeparture), plan.stops.map((s) => s.locked ?? false), plan.stops.map((s) => s.status ?? 'planned'),
        plan.stops.map((s) => s.why ?? null),
      ],
    );
  }
  return ids;
}

export interface StoredStop {
  planId: number;
  teamId: number;
  day: string;
  seq: number;
  siteId: number;
  plannedArrival: string;
  plannedDeparture: string;
  locked: boolean;
  status: 'planned' | 'skipped' | 'visited';
  visitId: number | null;
}

const stopColumns = `p.id AS "planId", p.team_id AS "teamId", to_char(p.day, 'YYYY-MM-DD') AS day, ps.seq, ps.site_id AS "siteId",
  ps.planned_arrival AS "plannedArrival", ps.planned_departure AS "plannedDeparture", ps.locked,
  CASE WHEN v.id IS NOT NULL THEN 'visited' ELSE ps.status END AS status, v.id AS "visitId"`;
const stopJoins = `FROM inspection_plans p JOIN inspection_plan_stops ps ON ps.plan_id = p.id
  LEFT JOIN inspection_visits v ON v.round_id = p.round_id AND v.site_id = ps.site_id AND v.day = p.day`;

/** Planner: the stops planned for a day of a round (one team or all), in team and visiting order; 'visited' when a visit was recorded. */
export async function plannedStops(db: Queryable, roundId: number, day: string, teamId?: number): Promise<StoredStop[]> {
  const { rows } = await db.query<StoredStop>(
    `SELECT ${stopColumns} ${stopJoins}
      WHERE p.round_id = $1 AND p.day = $2 AND ($3::bigint IS NULL OR p.team_id = $3)
      ORDER BY p.team_id, ps.seq`,
    [roundId, day, teamId ?? null],
  );
  return rows.map(isoTimes);
}

/** Planner: the stops leaders locked (and those already visited) between two days inclusive: a re-plan keeps them. */
export async function lockedStops(db: Queryable, roundId: number, fromDay: string, toDay: string = fromDay): Promise<StoredStop[]> {
  const { rows } = await db.query<StoredStop>(
    `SELECT ${stopColumns} ${stopJoins}
      WHERE p.round_id = $1 AND p.day BETWEEN $2 AND $3 AND (ps.locked OR v.id IS NOT NULL)
      ORDER BY p.day, p.team_id, ps.seq`,
    [roundId, fromDay, toDay],
  );
  return rows.map(isoTimes);
}

function isoTimes(stop: StoredStop): StoredStop {
  return {
    ...stop,
    plannedArrival: new Date(stop.plannedArrival).toISOString(),
    plannedDeparture: new Date(stop.plannedDeparture).toISOString(),
  };
}

/** The plan of a stop whose site lies in the scope: its round, day and team. */
export async function stopInScope(db: Queryable, planId: number, seq: number, scopePath: string) {
  const { rows } = await db.query<{ roundId: number; day: string; teamId: number; siteId: number }>(
    `SELECT p.round_id AS "roundId", to_char(p.day, 'YYYY-MM-DD') AS day, p.team_id AS "teamId", ps.site_id AS "siteId"
       FROM inspection_plans p JOIN inspection_plan_stops ps ON ps.plan_id = p.id JOIN sites s ON s.id = ps.site_id
      WHERE p.id = $1 AND ps.seq = $2 AND s.area_path <@ $3::ltree`,
    [planId, seq, scopePath],
  );
  return rows[0];
}

/** Locks or unlocks one planned stop (a leader's decision); false when there is no such stop. */
export async function setStopLocked(db: Queryable, planId: number, seq: number, locked: boolean): Promise<boolean> {
  const result = await db.query('UPDATE inspection_plan_stops SET locked = $3 WHERE plan_id = $1 AND seq = $2', [planId, seq, locked]);
  return (result.rowCount ?? 0) > 0;
}

/** The day's plans as the route sheet shows them, with site names and positions. */
export async function dayPlans(db: Queryable, roundId: number, day: string, scopePath: string): Promise<DayPlan[]> {
  const { rows } = await db.query<{ plan: DayPlan }>(
    `SELECT json_build_object(
              'planId', p.id, 'teamId', p.team_id, 'teamName', t.name, 'departAt', p.depart_at, 'returnAt', p.return_at,
              'lunchStart', p.lunch_start, 'lunchEnd', p.lunch_end, 'lunchPlace', p.lunch_place,
              'travelSeconds', p.travel_seconds, 'distanceMeters', p.distance_m,
              'stops', COALESCE((
                SELECT json_agg(json_build_object(
                         'seq', ps.seq, 'siteId', ps.site_id, 'siteName', s.name,
                         'position', json_build_array(ST_X(s.geom), ST_Y(s.geom)),
                         'plannedArrival', ps.planned_arrival, 'plannedDeparture', ps.planned_departure, 'locked', ps.locked, 'why', ps.why,
                         'status', CASE WHEN v.id IS NOT NULL THEN 'visited' ELSE ps.status END, 'visitId', v.id) ORDER BY ps.seq)
                  FROM inspection_plan_stops ps JOIN sites s ON s.id = ps.site_id
                  LEFT JOIN inspection_visits v ON v.round_id = p.round_id AND v.site_id = ps.site_id AND v.day = p.day
                 WHERE ps.plan_id = p.id AND s.area_path <@ $3::ltree), '[]'::json)) AS plan
       FROM inspection_plans p JOIN inspection_teams t ON t.id = p.team_id
      WHERE p.round_id = $1 AND p.day = $2
      ORDER BY t.code`,
    [roundId, day, scopePath],
  );
  return rows.map((r) => r.plan);
}

/** Planner: what it said about a run, stored for each day the run planned (replacing the day's earlier notes). */
export async function savePlanNotes(
  db: Queryable, roundId: number, days: string[], notes: Omit<PlanNotes, 'days' | 'plannedAt' | 'plannedBy'>, by: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO inspection_plan_notes (round_id, day, days, notes, planned_by)
     SELECT $1, d, $2::date[], $3::jsonb, $4 FROM unnest($2::date[]) AS d
     ON CONFLICT (round_id, day) DO UPDATE SET days = EXCLUDED.days, notes = EXCLUDED.notes, planned_by = EXCLUDED.planned_by, planned_at = now()`,
    [roundId, days, JSON.stringify(notes), by],
  );
}

/**
 * The notes on a day's plan as a reader in `scopePath` may see them: districts that touch the scope
 * (allCovered recomputed over them), sites in it, team-days of teams whose areas touch it.
 */
export async function planNotes(db: Queryable, roundId: number, day: string, scopePath: string): Promise<PlanNotes | null> {
  const inScopeSites = (list: string) => `COALESCE((
      SELECT jsonb_agg(e.item ORDER BY e.ord) FROM jsonb_array_elements(n.notes -> '${list}') WITH ORDINALITY AS e (item, ord)
        JOIN sites s ON s.id = (e.item ->> 'siteId')::bigint WHERE s.area_path <@ $3::ltree), '[]'::jsonb)`;
  const { rows } = await db.query<{ notes: PlanNotes }>(
    `WITH n AS (SELECT * FROM inspection_plan_notes WHERE round_id = $1 AND day = $2),
     districts AS (
       SELECT COALESCE(jsonb_agg(e.item ORDER BY e.ord), '[]'::jsonb) AS list, bool_and((e.item ->> 'covered')::boolean) AS all_covered
         FROM n, jsonb_array_elements(n.notes -> 'coverage' -> 'districts') WITH ORDINALITY AS e (item, ord)
         JOIN areas a ON a.code = e.item ->> 'district'
        WHERE a.path <@ $3::ltree OR a.path @> $3::ltree
     )
     SELECT n.notes || jsonb_build_object(
              'days', (SELECT jsonb_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d) FROM unnest(n.days) AS d),
              'plannedAt', n.planned_at, 'plannedBy', n.planned_by,
              'coverage', (n.notes -> 'coverage') || jsonb_build_object('districts', districts.list, 'allCovered', COALESCE(districts.all_covered, true)),
              'unassigned', ${inScopeSites('unassigned')},
              'followUps', ${inScopeSites('followUps')},
              'shortfalls', COALESCE((
                SELECT jsonb_agg(e.item ORDER BY e.ord) FROM jsonb_array_elements(n.notes -> 'shortfalls') WITH ORDINALITY AS e (item, ord)
                  JOIN inspection_teams t ON t.id = (e.item ->> 'teamId')::bigint WHERE ${touchesScope('t.areas', '$3')}), '[]'::jsonb)
            ) AS notes
       FROM n, districts`,
    [roundId, day, scopePath],
  );
  return rows[0]?.notes ?? null;
}

// ---- visits ------------------------------------------------------------------------------

/** Whether the site is one of the round's (category and areas) and inside the scope. */
export async function siteInRound(db: Queryable, roundId: number, siteId: number, scopePath: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM sites s, inspection_rounds r
      WHERE s.id = $2 AND r.id = $1 AND s.category = ANY (r.categories) AND s.area_path <@ $3::ltree
        AND s.area_path <@ ARRAY(SELECT a.path FROM areas a WHERE a.code = ANY (r.areas))`,
    [roundId, siteId, scopePath],
  );
  return (rowCount ?? 0) > 0;
}

export async function teamInRound(db: Queryable, roundId: number, teamId: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM inspection_round_teams WHERE round_id = $1 AND team_id = $2', [roundId, teamId]);
  return (rowCount ?? 0) > 0;
}

const visitJson = `json_build_object(
  'id', v.id, 'clientId', v.client_id, 'roundId', v.round_id, 'teamId', v.team_id, 'teamName', t.name,
  'siteId', v.site_id, 'siteName', s.name, 'day', to_char(v.day, 'YYYY-MM-DD'),
  'arrivedAt', v.arrived_at, 'departedAt', v.departed_at, 'results', v.results, 'failed', v.failed, 'findings', v.findings,
  'photos', ARRAY(SELECT '/api/inspection/photos/' || p FROM unnest(v.photos) p),
  'notice', CASE WHEN v.notice_number IS NULL THEN NULL
                 ELSE json_build_object('number', v.notice_number, 'deadline', to_char(v.notice_deadline, 'YYYY-MM-DD')) END,
  'rectification', CASE WHEN NOT v.failed THEN 'none' WHEN rc.id IS NULL THEN 'awaiting_report'
                        WHEN rc.outcome IS NULL THEN 'reported' ELSE rc.outcome END,
  'recordedBy', v.recorded_by, 'recordedAt', v.recorded_at,
  'submittedAt', v.submitted_at, 'submittedBy', v.submitted_by, 'submittedLate', v.submitted_late)`;
const visitFrom = `FROM inspection_visits v JOIN sites s ON s.id = v.site_id JOIN inspection_teams t ON t.id = v.team_id
  LEFT JOIN inspection_rectifications rc ON rc.visit_id = v.id`;

export async function getVisit(db: Queryable, id: number, scopePath: string): Promise<Visit | undefined> {
  const { rows } = await db.query<{ visit: Visit }>(
    `SELECT ${visitJson} AS visit ${visitFrom} WHERE v.id = $1 AND s.area_path <@ $2::ltree`,
    [id, scopePath],
  );
  return rows[0]?.visit;
}

export async function visitByClientId(db: Queryable, clientId: string): Promise<{ id: number; teamId: number; siteId: number } | undefined> {
  const { rows } = await db.query<{ id: number; teamId: number; siteId: number }>(
    'SELECT id, team_id AS "teamId", site_id AS "siteId" FROM inspection_visits WHERE client_id = $1',
    [clientId],
  );
  return rows[0];
}

export async function listVisits(
  db: Queryable,
  f: { scopePath: string; roundId?: number; teamId?: number; siteId?: number; day?: string; limit: number; offset: number },
): Promise<{ total: number; items: Visit[] }> {
  const where = `s.area_path <@ $1::ltree AND ($2::bigint IS NULL OR v.round_id = $2) AND ($3::bigint IS NULL OR v.team_id = $3)
    AND ($4::bigint IS NULL OR v.site_id = $4) AND ($5::date IS NULL OR v.day = $5)`;
  const params = [f.scopePath, f.roundId ?? null, f.teamId ?? null, f.siteId ?? null, f.day ?? null];
  const [page, count] = await Promise.all([
    db.query<{ visit: Visit }>(
      `SELECT ${visitJson} AS visit ${visitFrom} WHERE ${where} ORDER BY v.arrived_at DESC, v.id DESC LIMIT $6 OFFSET $7`,
      [...params, f.limit, f.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM inspection_visits v JOIN sites s ON s.id = v.site_id WHERE ${where}`, params),
  ]);
  return { total: count.rows[0]?.total ?? 0, items: page.rows.map((r) => r.visit) };
}

export interface NewVisit {
  clientId: string;
  roundId: number;
  teamId: number;
  siteId: number;
  day: string;
  arrivedAt: string;
  departedAt: string;
  results: Record<string, CheckResult>;
  findings: string;
  photos: Array<{ sha256: string; contentType: string; bytes: Buffer }>;
  notice: { number: string; deadline: string } | null;
  by: string;
}

/**
 * Stores a visit with its photos and closes the site's due 回头看 with it: a passed check-again
 * confirms the rectification, a failed one fails it (escalation). Undefined when a visit with the
 * same client id exists already (the caller answers that one). Run inside a transaction.
 */
export async function insertVisit(db: Queryable, visit: NewVisit): Promise<{ id: number; alertIds: number[] } | undefined> {
  if (visit.photos.length > 0) {
    await db.query(
      `INSERT INTO inspection_photos (sha256, content_type, size_bytes, bytes)
       SELECT u.sha256, u.content_type, octet_length(u.bytes), u.bytes
         FROM unnest($1::text[], $2::text[], $3::bytea[]) AS u (sha256, content_type, bytes)
       ON CONFLICT (sha256) DO NOTHING`,
      [visit.photos.map((p) => p.sha256), visit.photos.map((p) => p.contentType), visit.photos.map((p) => p.bytes)],
    );
  }
  const { rows } = await db.query<{ id: number; failed: boolean }>(
    `INSERT INTO inspection_visits (client_id, round_id, team_id, site_id, day, arrived_at, departed_at, results, findings, photos,
                                    notice_number, notice_deadline, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)
     ON CONFLICT (client_id) DO NOTHING
     RETURNING id, failed`,
    [
      visit.clientId, visit.roundId, visit.teamId, visit.siteId, visit.day, visit.arrivedAt, visit.departedAt,
      JSON.stringify(visit.results), visit.findings, [...new Set(visit.photos.map((p) => p.sha256))],
      visit.notice?.number ?? null, visit.notice?.deadline ?? null, visit.by,
    ],
  );
  const stored = rows[0];
  if (!stored) return undefined;
  // The check-again (回头看): a due follow-up of the site whose rectification was reported before this visit.
  const closed = await db.query<{ source_visit_id: number }>(
    `UPDATE inspection_followups f SET status = CASE WHEN $3 THEN 'failed' ELSE 'passed' END, visit_id = $2
       FROM inspection_rectifications rc
      WHERE f.site_id = $1 AND f.status = 'due' AND rc.visit_id = f.source_visit_id AND rc.reported_at < $4
      RETURNING f.source_visit_id`,
    [visit.siteId, stored.id, stored.failed, visit.arrivedAt],
  );
  const sources = closed.rows.map((r) => r.source_visit_id);
  let alertIds: number[] = [];
  if (sources.length > 0) {
    const updated = await db.query<{ id: number }>(
      stored.failed
        ? `UPDATE inspection_rectifications
              SET outcome = 'failed', verified_at = now(), verified_by = $2, escalated_at = now(),
                  verification_note = '回头看未通过 failed at the follow-up check (visit ' || $3 || ')'
            WHERE visit_id = ANY ($1::bigint[]) AND outcome IS DISTINCT FROM 'failed'
            RETURNING id`
        : `UPDATE inspection_rectifications
              SET outcome = 'rectified', verified_at = now(), verified_by = $2,
                  verification_note = '回头看通过 confirmed at the follow-up check (visit ' || $3 || ')'
            WHERE visit_id = ANY ($1::bigint[]) AND outcome IS NULL
            RETURNING id`,
      [sources, visit.by, String(stored.id)],
    );
    if (stored.failed) alertIds = await raiseEscalationAlerts(db, updated.rows.map((r) => r.id), visit.day);
  }
  return { id: stored.id, alertIds };
}

/**
 * A `rectification_escalated` alert per escalated rectification, at its site's grid, on `day`.
 * The source id is derived from the rectification, so an escalation never raises two alerts.
 * Details name the site only (alerts never name people). Returns the new alerts' ids.
 */
export async function raiseEscalationAlerts(db: Queryable, rectificationIds: number[], day: string): Promise<number[]> {
  if (rectificationIds.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alerts (kind, area_code, area_path, day, raised_at, source_id, details)
     SELECT 'rectification_escalated', s.grid_code, s.area_path, $2::date, rc.escalated_at,
            md5('rectification:' || rc.id)::uuid, jsonb_build_object('siteId', s.id)
       FROM inspection_rectifications rc JOIN inspection_visits v ON v.id = rc.visit_id JOIN sites s ON s.id = v.site_id
      WHERE rc.id = ANY ($1::bigint[]) AND rc.escalated_at IS NOT NULL AND s.grid_code IS NOT NULL
      ORDER BY rc.id
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [rectificationIds, day],
  );
  return rows.map((r) => Number(r.id));
}

export interface VisitForUpdate {
  id: number;
  roundId: number;
  teamId: number;
  siteId: number;
  day: string;
  arrivedAt: Date;
  failed: boolean;
  submittedAt: string | null;
  rectificationId: number | null;
}

/** The visit (inside the scope) locked for an update. */
export async function visitForUpdate(db: Queryable, id: number, scopePath: string): Promise<VisitForUpdate | undefined> {
  const { rows } = await db.query<VisitForUpdate>(
    `SELECT v.id, v.round_id AS "roundId", v.team_id AS "teamId", v.site_id AS "siteId", to_char(v.day, 'YYYY-MM-DD') AS day,
            v.arrived_at AS "arrivedAt", v.failed, v.submitted_at AS "submittedAt",
            (SELECT rc.id FROM inspection_rectifications rc WHERE rc.visit_id = v.id) AS "rectificationId"
       FROM inspection_visits v JOIN sites s ON s.id = v.site_id
      WHERE v.id = $1 AND s.area_path <@ $2::ltree
        FOR UPDATE OF v`,
    [id, scopePath],
  );
  return rows[0];
}

export async function submitVisit(db: Queryable, id: number, by: string, timeZone: string): Promise<void> {
  await db.query(
    `UPDATE inspection_visits v SET submitted_at = now(), submitted_by = $2,
            submitted_late = now() > (v.day + r.sheet_deadline) AT TIME ZONE $3
       FROM inspection_rounds r
      WHERE v.id = $1 AND r.id = v.round_id AND v.submitted_at IS NULL`,
    [id, by, timeZone],
  );
}

export async function photo(db: Queryable, sha256: string, scopePath: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const { rows } = await db.query<{ contentType: string; bytes: Buffer }>(
    `SELECT p.content_type AS "contentType", p.bytes FROM inspection_photos p
      WHERE p.sha256 = $1 AND EXISTS (
        SELECT 1 FROM inspection_visits v JOIN sites s ON s.id = v.site_id
         WHERE v.photos @> ARRAY[$1::text] AND s.area_path <@ $2::ltree)`,
    [sha256, scopePath],
  );
  return rows[0];
}

/** Per team of the round: the day's visits, how many were submitted, how many late. */
export async function daySheets(db: Queryable, roundId: number, day: string, scopePath: string) {
  const { rows } = await db.query<{ teamId: number; teamName: string; visits: number; submitted: number; late: number }>(
    `SELECT t.id AS "teamId", t.name AS "teamName", count(v.id)::int AS visits,
            count(v.submitted_at)::int AS submitted, count(*) FILTER (WHERE v.submitted_late)::int AS late
       FROM inspection_round_teams rt JOIN inspection_teams t ON t.id = rt.team_id
       LEFT JOIN (inspection_visits v JOIN sites s ON s.id = v.site_id AND s.area_path <@ $3::ltree)
              ON v.round_id = rt.round_id AND v.team_id = t.id AND v.day = $2
      WHERE rt.round_id = $1
      GROUP BY t.id, t.name, t.code ORDER BY t.code`,
    [roundId, day, scopePath],
  );
  return rows;
}

// ---- rectifications and follow-ups -------------------------------------------------------

/** Records a site's rectification report and puts the site on the next month's must-check list. */
export async function insertRectification(
  db: Queryable,
  r: { visitId: number; siteId: number; report: string; reportedAt: string; reportedDay: string; by: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO inspection_rectifications (visit_id, report, reported_at, reported_by) VALUES ($1, $2, $3, $4) RETURNING id`,
    [r.visitId, r.report, r.reportedAt, r.by],
  );
  await db.query(
    `INSERT INTO inspection_followups (site_id, source_visit_id, due_month)
     VALUES ($1, $2, (date_trunc('month', $3::date) + interval '1 month')::date)`,
    [r.siteId, r.visitId, r.reportedDay],
  );
  return rows[0]!.id;
}

export async function rectificationForUpdate(db: Queryable, id: number, scopePath: string) {
  const { rows } = await db.query<{ id: number; outcome: string | null; teamId: number; roundId: number; siteId: number }>(
    `SELECT rc.id, rc.outcome, v.team_id AS "teamId", v.round_id AS "roundId", v.site_id AS "siteId"
       FROM inspection_rectifications rc JOIN inspection_visits v ON v.id = rc.visit_id JOIN sites s ON s.id = v.site_id
      WHERE rc.id = $1 AND s.area_path <@ $2::ltree FOR UPDATE OF rc`,
    [id, scopePath],
  );
  return rows[0];
}

/** Records the verification; a failed one is escalated and raises its alert (ids returned) on `day`. */
export async function verifyRectification(
  db: Queryable, id: number, outcome: 'rectified' | 'failed', note: string, by: string, day: string,
): Promise<number[]> {
  await db.query(
    `UPDATE inspection_rectifications
        SET outcome = $2, verified_at = now(), verified_by = $3, verification_note = $4,
            escalated_at = CASE WHEN $2 = 'failed' THEN now() END
      WHERE id = $1`,
    [id, outcome, by, note],
  );
  return outcome === 'failed' ? raiseEscalationAlerts(db, [id], day) : [];
}

const rectificationJson = `json_build_object(
  'id', rc.id, 'visitId', v.id, 'siteId', s.id, 'siteName', s.name, 'responsibleUnit', s.responsible_unit,
  'noticeNumber', v.notice_number, 'noticeDeadline', to_char(v.notice_deadline, 'YYYY-MM-DD'),
  'report', rc.report, 'reportedAt', rc.reported_at, 'reportedBy', rc.reported_by, 'outcome', rc.outcome,
  'verifiedAt', rc.verified_at, 'verifiedBy', rc.verified_by, 'verificationNote', rc.verification_note,
  'escalated', rc.escalated_at IS NOT NULL, 'escalatedAt', rc.escalated_at,
  'followupId', (SELECT f.id FROM inspection_followups f WHERE f.source_visit_id = v.id))`;

export async function getRectification(db: Queryable, id: number, scopePath: string): Promise<Rectification | undefined> {
  const { rows } = await db.query<{ item: Rectification }>(
    `SELECT ${rectificationJson} AS item
       FROM inspection_rectifications rc JOIN inspection_visits v ON v.id = rc.visit_id JOIN sites s ON s.id = v.site_id
      WHERE rc.id = $1 AND s.area_path <@ $2::ltree`,
    [id, scopePath],
  );
  return rows[0]?.item;
}

export async function listRectifications(
  db: Queryable,
  f: { scopePath: string; roundId?: number; status: 'reported' | 'rectified' | 'failed' | 'escalated' | 'all' },
): Promise<Rectification[]> {
  const { rows } = await db.query<{ item: Rectification }>(
    `SELECT ${rectificationJson} AS item
       FROM inspection_rectifications rc JOIN inspection_visits v ON v.id = rc.visit_id JOIN sites s ON s.id = v.site_id
      WHERE s.area_path <@ $1::ltree AND ($2::bigint IS NULL OR v.round_id = $2)
        AND CASE $3 WHEN 'all' THEN true WHEN 'reported' THEN rc.outcome IS NULL
                    WHEN 'rectified' THEN rc.outcome = 'rectified' ELSE rc.outcome = 'failed' END
      ORDER BY rc.reported_at DESC, rc.id DESC`,
    [f.scopePath, f.roundId ?? null, f.status],
  );
  return rows.map((r) => r.item);
}

/** 回头看 list; `overdue` is a due follow-up whose month is over by `today`. */
export async function listFollowups(
  db: Queryable,
  f: { scopePath: string; month?: string; status: 'due' | 'overdue' | 'passed' | 'failed' | 'all'; today: string },
): Promise<Followup[]> {
  const { rows } = await db.query<{ item: Followup }>(
    `WITH fs AS (
       SELECT f.*, CASE WHEN f.status = 'due' AND (f.due_month + interval '1 month')::date <= $4::date THEN 'overdue' ELSE f.status END AS shown
         FROM inspection_followups f
     )
     SELECT json_build_object(
              'id', f.id, 'siteId', s.id, 'siteName', s.name, 'districtName', d.name, 'responsibleUnit', s.responsible_unit,
              'sourceVisitId', f.source_visit_id, 'noticeNumber', v.notice_number,
              'dueMonth', to_char(f.due_month, 'YYYY-MM'),
              'dueBy', to_char((f.due_month + interval '1 month - 1 day')::date, 'YYYY-MM-DD'),
              'status', f.shown, 'visitId', f.visit_id) AS item
       FROM fs f JOIN sites s ON s.id = f.site_id JOIN inspection_visits v ON v.id = f.source_visit_id
       JOIN areas d ON d.path = subpath(s.area_path, 0, 2)
      WHERE s.area_path <@ $1::ltree AND ($2::date IS NULL OR f.due_month = $2::date) AND ($3 = 'all' OR f.shown = $3)
      ORDER BY f.due_month, d.code, s.id`,
    [f.scopePath, f.month ? `${f.month}-01` : null, f.status, f.today],
  );
  return rows.map((r) => r.item);
}

// ---- cases filed -------------------------------------------------------------------------

export async function siteInScope(db: Queryable, siteId: number, scopePath: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM sites WHERE id = $1 AND area_path <@ $2::ltree', [siteId, scopePath]);
  return (rowCount ?? 0) > 0;
}

export async function insertCaseFiling(
  db: Queryable,
  c: { caseNumber: string; siteId: number; visitId: number | null; roundId: number | null; teamId: number | null; filedOn: string; reason: string; by: string },
): Promise<CaseFiling> {
  const { rows } = await db.query<{ item: CaseFiling }>(
    `WITH ins AS (
       INSERT INTO inspection_case_filings (case_number, site_id, visit_id, round_id, team_id, filed_on, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *
     )
     SELECT json_build_object('id', ins.id, 'caseNumber', ins.case_number, 'siteId', ins.site_id, 'siteName', s.name,
                              'visitId', ins.visit_id, 'roundId', ins.round_id, 'teamId', ins.team_id,
                              'filedOn', to_char(ins.filed_on, 'YYYY-MM-DD'), 'reason', ins.reason) AS item
       FROM ins JOIN sites s ON s.id = ins.site_id`,
    [c.caseNumber, c.siteId, c.visitId, c.roundId, c.teamId, c.filedOn, c.reason, c.by],
  );
  return rows[0]!.item;
}

export async function monthlyCaseCounts(db: Queryable, f: { scopePath: string; roundId?: number; from?: string; to?: string }) {
  const { rows } = await db.query<{ month: string; cases: number; sites: number }>(
    `SELECT to_char(date_trunc('month', c.filed_on), 'YYYY-MM') AS month, count(*)::int AS cases, count(DISTINCT c.site_id)::int AS sites
       FROM inspection_case_filings c JOIN sites s ON s.id = c.site_id
      WHERE s.area_path <@ $1::ltree AND ($2::bigint IS NULL OR c.round_id = $2)
        AND ($3::date IS NULL OR c.filed_on >= $3::date) AND ($4::date IS NULL OR c.filed_on < ($4::date + interval '1 month'))
      GROUP BY 1 ORDER BY 1`,
    [f.scopePath, f.roundId ?? null, f.from ? `${f.from}-01` : null, f.to ? `${f.to}-01` : null],
  );
  return rows;
}

// ---- coverage, notices, map --------------------------------------------------------------

export interface CoverageFigures {
  rows: Array<{ key: string; name: string; inScope: number; inspected: number; inspectedThisWeek: number }>;
  districtsNotVisited: Array<{ code: string; name: string }>;
}

const coverageKeys = {
  district: `ltree2text(subpath(cov.area_path, 1, 1))`,
  street: `ltree2text(subpath(cov.area_path, 2, 1))`,
  community: `ltree2text(subpath(cov.area_path, 3, 1))`,
  grid: `cov.grid_code`,
  category: `cov.category`,
} as const;

/**
 * Sites of the round in scope against those inspected in the round up to the end of the week and
 * during the week, grouped by district, street, grid or category; and the districts with sites in
 * scope where nothing was inspected during the week.
 */
export async function coverage(
  db: Queryable,
  q: { roundId: number; scopePath: string; areaPath: string | null; weekStart: string; weekEnd: string; by: keyof typeof coverageKeys },
): Promise<CoverageFigures> {
  const key = coverageKeys[q.by];
  const name = q.by === 'category' ? 'g.key' : '(SELECT a.name FROM areas a WHERE a.code = g.key)';
  const { rows } = await db.query<{ rows: CoverageFigures['rows'] | null; missing: CoverageFigures['districtsNotVisited'] | null }>(
    `WITH ${roundSitesCte},
     vis AS (
       SELECT v.site_id, bool_or(v.day >= $5::date) AS this_week
         FROM inspection_visits v WHERE v.round_id = $1 AND v.day <= $6::date GROUP BY v.site_id
     ),
     cov AS MATERIALIZED (
       SELECT sc.*, vis.site_id IS NOT NULL AS inspected, COALESCE(vis.this_week, false) AS this_week
         FROM sc LEFT JOIN vis ON vis.site_id = sc.id
     ),
     g AS (
       SELECT ${key} AS key, count(*)::int AS in_scope, count(*) FILTER (WHERE inspected)::int AS inspected,
              count(*) FILTER (WHERE this_week)::int AS this_week
         FROM cov GROUP BY 1
     ),
     d AS (
       SELECT ltree2text(subpath(cov.area_path, 1, 1)) AS code FROM cov GROUP BY 1 HAVING NOT bool_or(cov.this_week)
     )
     SELECT (SELECT json_agg(json_build_object('key', g.key, 'name', ${name}, 'inScope', g.in_scope, 'inspected', g.inspected,
                                               'inspectedThisWeek', g.this_week) ORDER BY g.key) FROM g) AS rows,
            (SELECT json_agg(json_build_object('code', a.code, 'name', a.name) ORDER BY a.code) FROM d JOIN areas a ON a.code = d.code) AS missing`,
    [q.roundId, q.scopePath, q.areaPath, null, q.weekStart, q.weekEnd],
  );
  return { rows: rows[0]?.rows ?? [], districtsNotVisited: rows[0]?.missing ?? [] };
}

/** The week's sites to be named in the notice (通报): visits of the round that failed a check. */
export async function weeklyNotices(db: Queryable, q: { roundId: number; scopePath: string; weekStart: string; weekEnd: string }): Promise<NoticeItem[]> {
  const { rows } = await db.query<NoticeItem>(
    `SELECT v.id AS "visitId", to_char(v.day, 'YYYY-MM-DD') AS day, s.id AS "siteId", s.name AS "siteName", s.address,
            d.name AS "districtName", t.name AS "teamName", s.responsible_unit AS "responsibleUnit",
            s.responsible_person AS "responsiblePerson", s.responsible_phone AS "responsiblePhone",
            ARRAY(SELECT c.item ->> 'label_zh' FROM jsonb_array_elements(r.checklist) WITH ORDINALITY AS c (item, ord)
                   WHERE v.results ->> (c.item ->> 'key') = 'fail' ORDER BY c.ord) AS "failedChecks",
            v.findings, v.notice_number AS "noticeNumber", to_char(v.notice_deadline, 'YYYY-MM-DD') AS "noticeDeadline"
       FROM inspection_visits v
       JOIN inspection_rounds r ON r.id = v.round_id
       JOIN sites s ON s.id = v.site_id
       JOIN areas d ON d.path = subpath(s.area_path, 0, 2)
       JOIN inspection_teams t ON t.id = v.team_id
      WHERE v.round_id = $1 AND v.failed AND v.day BETWEEN $3::date AND $4::date AND s.area_path <@ $2::ltree
      ORDER BY v.day, d.code, s.id`,
    [q.roundId, q.scopePath, q.weekStart, q.weekEnd],
  );
  return rows;
}

export async function siteStatuses(
  db: Queryable,
  q: { scopePath: string; areaPath: string | null; bbox: [number, number, number, number] | null; category: string | null; day: string; limit: number },
) {
  const where = `s.area_path <@ $1::ltree AND ($2::ltree IS NULL OR s.area_path <@ $2::ltree)
        AND ($3::float8 IS NULL OR s.geom && ST_MakeEnvelope($3, $4, $5, $6, 4326))
        AND ($7::text IS NULL OR s.category = $7)`;
  const params = [q.scopePath, q.areaPath, ...(q.bbox ?? [null, null, null, null]), q.category, q.day];
  const [page, counts] = await Promise.all([
    db.query<{ siteId: number; position: [number, number]; status: SiteStatusValue; lastVisitDay: string | null }>(
      `SELECT s.id AS "siteId", json_build_array(ST_X(s.geom), ST_Y(s.geom)) AS position, st.status,
              to_char(st.last_visit_day, 'YYYY-MM-DD') AS "lastVisitDay"
         FROM sites s JOIN inspection_site_status($8::date) st ON st.site_id = s.id
        WHERE ${where} ORDER BY s.id LIMIT $9`,
      [...params, q.limit],
    ),
    db.query<{ status: SiteStatusValue; n: number }>(
      `SELECT st.status, count(*)::int AS n
         FROM sites s JOIN inspection_site_status($8::date) st ON st.site_id = s.id
        WHERE ${where} GROUP BY 1`,
      params,
    ),
  ]);
  const byStatus: Record<SiteStatusValue, number> = { never: 0, passed: 0, notified: 0, rectified: 0, overdue: 0 };
  for (const row of counts.rows) byStatus[row.status] = row.n;
  return { total: Object.values(byStatus).reduce((a, b) => a + b, 0), counts: byStatus, items: page.rows };
}

/** Where a stop's site is: not part of DayPlan, so read for the sheet in one query. */
export interface SheetSite {
  siteId: number;
  address: string;
  districtName: string;
  streetName: string;
}

export async function sheetSites(db: Queryable, siteIds: readonly number[]): Promise<Map<number, SheetSite>> {
  if (siteIds.length === 0) return new Map();
  const { rows } = await db.query<SheetSite>(
    `SELECT s.id::int AS "siteId", COALESCE(s.address, '') AS address,
            COALESCE(d.name, '') AS "districtName", COALESCE(st.name, '') AS "streetName"
       FROM sites s
       LEFT JOIN areas d ON d.path = subpath(s.area_path, 0, 2)
       LEFT JOIN areas st ON nlevel(s.area_path) >= 3 AND st.path = subpath(s.area_path, 0, 3)
      WHERE s.id = ANY ($1::bigint[])`,
    [siteIds],
  );
  return new Map(rows.map((r) => [r.siteId, r]));
}

// ---- team positions ----------------------------------------------------------------------

/** Whether the team has a plan on the day in an active round (a leader shares positions only then). */
export async function teamHasPlanOn(db: Queryable, teamId: number, day: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM inspection_plans p JOIN inspection_rounds r ON r.id = p.round_id
      WHERE p.team_id = $1 AND p.day = $2 AND r.status = 'active' LIMIT 1`,
    [teamId, day],
  );
  return (rowCount ?? 0) > 0;
}

const positionColumns = `tp.team_id::int AS "teamId", t.name AS "teamName", to_char(tp.day, 'YYYY-MM-DD') AS day,
  json_build_array(ST_X(tp.geom), ST_Y(tp.geom)) AS position, tp.accuracy_m AS "accuracyMeters", tp.recorded_at AS "recordedAt"`;
const isoRecordedAt = (p: TeamPosition): TeamPosition => ({ ...p, recordedAt: new Date(p.recordedAt).toISOString() });

export async function insertTeamPosition(
  db: Queryable, p: { teamId: number; day: string; lon: number; lat: number; accuracyMeters: number | null; by: string },
): Promise<TeamPosition> {
  const { rows } = await db.query<TeamPosition>(
    `WITH tp AS (
       INSERT INTO inspection_team_positions (team_id, day, geom, accuracy_m, recorded_by)
       VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6) RETURNING *
     )
     SELECT ${positionColumns} FROM tp JOIN inspection_teams t ON t.id = tp.team_id`,
    [p.teamId, p.day, p.lon, p.lat, p.accuracyMeters, p.by],
  );
  return isoRecordedAt(rows[0]!);
}

/** The most positions of a team's day drawn as its track. */
export const maxTrackPoints = 200;

/**
 * Each team's latest position of the day, with its track (the day's positions up to it): teams whose
 * areas touch the scope, positions inside the scope's area (an official does not follow a team
 * outside their jurisdiction); one team when given.
 */
export async function latestTeamPositions(db: Queryable, q: { day: string; scopePath: string; teamId: number | null }): Promise<TeamPosition[]> {
  const { rows } = await db.query<TeamPosition>(
    `WITH seen AS (
       SELECT tp.*, row_number() OVER (PARTITION BY tp.team_id ORDER BY tp.recorded_at DESC, tp.id DESC) AS recency
         FROM inspection_team_positions tp
         JOIN inspection_teams t ON t.id = tp.team_id
         JOIN areas scope ON scope.path = $2::ltree
        WHERE tp.day = $1 AND ($3::bigint IS NULL OR tp.team_id = $3) AND ${touchesScope('t.areas', '$2')}
          AND (scope.level = 'city' OR ST_Intersects(scope.geom, tp.geom))
     )
     SELECT ${positionColumns},
            (SELECT json_agg(json_build_array(ST_X(s.geom), ST_Y(s.geom)) ORDER BY s.recency DESC)
               FROM seen s WHERE s.team_id = tp.team_id AND s.recency <= $4) AS track
       FROM seen tp JOIN inspection_teams t ON t.id = tp.team_id
      WHERE tp.recency = 1
      ORDER BY tp.team_id`,
    [q.day, q.scopePath, q.teamId, maxTrackPoints],
  );
  return rows.map(isoRecordedAt);
}

// ---- live announcements --------------------------------------------------------------------

/**
 * The codes of every area (city down to grid) holding one of the sites or the point: the rooms of
 * the live socket to tell about a change there.
 */
export async function areaCodesHolding(db: Queryable, where: { siteIds?: readonly number[]; point?: readonly [number, number] }): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT DISTINCT code FROM (
       SELECT unnest(string_to_array(area_path::text, '.')) AS code FROM sites WHERE id = ANY ($1::bigint[])
       UNION ALL
       SELECT code FROM areas WHERE $2::float8 IS NOT NULL AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326))
     ) AS holding`,
    [where.siteIds ?? [], where.point?.[0] ?? null, where.point?.[1] ?? null],
  );
  return rows.map((r) => r.code);
}
