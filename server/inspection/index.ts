// Supervision rounds (督查): teams and rounds (admin, command), site priorities with their
// explanation, visits recorded by team leaders for their own team, rectifications, 回头看,
// coverage, the weekly notice list and cases filed. Officials read within their jurisdiction.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import type { Role } from '../contracts/auth.ts';
import {
  CaseCounts, CaseCountsQuery, CaseFiling, CaseFilingInput, Coverage, CoverageQuery, DayPlans, DayQuery, FollowupList,
  FollowupListQuery, IdParams, NoticeList, NoticeQuery, PhotoParams, PositionInput, Rectification, RectificationList, RectificationListQuery,
  RectificationReportInput, Round, RoundInput, RoundList, RoundSites, RoundSitesQuery, SheetList, SiteStatusList, SiteStatusQuery,
  StopLockInput, StopParams, Team, TeamInput, TeamList, TeamPosition, TeamPositionList, VerificationInput, Visit, VisitInput, VisitList, VisitListQuery,
} from '../contracts/inspection.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import { cityDay, dayOrToday } from '../infra/city-time.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { badRequest, conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { explainPriority } from './priority.ts';
import { decodePhotos } from './photos.ts';
import { noticeWorkbook } from './notice-sheet.ts';
import { routeSheetWorkbook } from './route-sheet-export.ts';
import { isRoundDay, weekOf } from './round-days.ts';
import * as repo from './inspection.repository.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
import { audit } from '../audit/index.ts';
import { ReasonQuery } from '../contracts/audit.ts';
import { announceInspection } from './live.ts';

const managers: ReadonlySet<Role> = new Set(['admin', 'command']);
/** Lists that name sites, people and findings: everyone but the wall display. */
const readers: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker', 'team_leader']);
const recorders: ReadonlySet<Role> = new Set(['admin', 'command', 'team_leader']);
const reporters: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'team_leader']);
const everyone: ReadonlySet<Role> = new Set([...readers, 'wall']);
/** A team's position comes from its leader's phone. */
const leaders: ReadonlySet<Role> = new Set(['team_leader']);

/** A visit may be recorded up to this far ahead of the server clock (clock skew of a phone). */
const futureToleranceMs = 10 * 60_000;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const writeErrors = { ...errors, 409: ErrorResponse, 422: ErrorResponse };
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const SheetParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  day: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'a city day, YYYY-MM-DD' }),
  teamId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
});

function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

export default async function inspectionRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const tz = config.cityTimeZone;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  /** A team leader acts for their own team only. */
  async function ensureOwnTeam(user: AuthUser, teamId: number): Promise<void> {
    if (user.role !== 'team_leader') return;
    const own = await repo.teamIdOfLeader(pool, user.username);
    if (own !== teamId) throw forbidden(`You lead ${own === undefined ? 'no team' : `team ${own}`}, not team ${teamId} / 只能为本组操作`);
  }

  async function visibleRound(user: AuthUser, id: number): Promise<Round> {
    const round = await repo.getRound(pool, id, user.jurisdictionPath);
    if (!round) throw notFound(`No inspection round ${id} in your jurisdiction / 无此督查轮次`);
    return round;
  }

  async function visibleVisit(user: AuthUser, id: number): Promise<Visit> {
    const visit = await repo.getVisit(pool, id, user.jurisdictionPath);
    if (!visit) throw notFound(`No visit ${id} in your jurisdiction / 无此督查记录`);
    return visit;
  }

  /** The day's plans and what the planner said about them, as far as the user's jurisdiction goes. */
  async function dayPlansWithNotes(user: AuthUser, roundId: number, day: string) {
    const [plans, notes] = await Promise.all([
      repo.dayPlans(pool, roundId, day, user.jurisdictionPath),
      repo.planNotes(pool, roundId, day, user.jurisdictionPath),
    ]);
    return { roundId, day, plans, notes };
  }

  async function optionalAreaPath(user: AuthUser, area: string | undefined): Promise<string | null> {
    return area === undefined ? null : (await areaInScope(pool, user, area)).path;
  }

  // ---- teams -----------------------------------------------------------------------------

  async function checkTeam(input: TeamInput): Promise<void> {
    const problems: Array<{ field: string; message: string }> = [];
    if (minutes(input.workEnd) <= minutes(input.workStart)) problems.push({ field: 'workEnd', message: '须晚于 workStart / must be after workStart' });
    if (minutes(input.lunchEnd) <= minutes(input.lunchStart)) problems.push({ field: 'lunchEnd', message: '须晚于 lunchStart / must be after lunchStart' });
    else if (input.lunchMinutes > minutes(input.lunchEnd) - minutes(input.lunchStart)) {
      problems.push({ field: 'lunchMinutes', message: '超过午餐时段 / longer than the lunch window' });
    }
    const unknown = await repo.unknownAreaCodes(pool, input.areas);
    if (unknown.length > 0) problems.push({ field: 'areas', message: `无此区划 unknown area codes: ${unknown.join(', ')}` });
    if (input.leaderUsername && !(await repo.userExists(pool, input.leaderUsername))) {
      problems.push({ field: 'leaderUsername', message: `无此用户 no user ${input.leaderUsername}` });
    }
    if (!(await repo.pointInCity(pool, input.basePosition))) problems.push({ field: 'basePosition', message: '不在本市范围内 / outside the city' });
    if (problems.length > 0) throw validationFailed('The team is not usable / 督查组信息有误', problems);
  }

  function teamConflict(error: unknown): never {
    if (isUniqueViolation(error, 'inspection_teams_code_key')) throw conflict('A team with this code exists / 组别编号已存在');
    if (isUniqueViolation(error, 'inspection_teams_leader_idx')) throw conflict('This user already leads another team / 该用户已是其他组组长');
    throw error;
  }

  typed.get(
    '/api/inspection/teams',
    { schema: { tags: ['inspection'], summary: 'Inspection teams whose areas touch your jurisdiction', response: { 200: TeamList, ...errors } } },
    async (request) => ({ items: await repo.listTeams(pool, requireRole(request, readers, 'read inspection teams').jurisdictionPath) }),
  );

  typed.get(
    '/api/inspection/teams/:id',
    { schema: { tags: ['inspection'], summary: 'One inspection team', params: IdParams, response: { 200: Team, ...errors } } },
    async (request) => {
      const user = requireRole(request, readers, 'read inspection teams');
      const team = await repo.getTeam(pool, request.params.id, user.jurisdictionPath);
      if (!team) throw notFound(`No team ${request.params.id} / 无此督查组`);
      return team;
    },
  );

  typed.post(
    '/api/inspection/teams',
    { schema: { tags: ['inspection'], summary: 'Create an inspection team (admin, command)', body: TeamInput, response: { 201: Team, ...writeErrors } } },
    async (request, reply) => {
      const user = requireRole(request, managers, 'manage inspection teams');
      await checkTeam(request.body);
      const id = await repo.insertTeam(pool, request.body).catch(teamConflict);
      return reply.status(201).header('Location', `/api/inspection/teams/${id}`).send((await repo.getTeam(pool, id, user.jurisdictionPath))!);
    },
  );

  typed.put(
    '/api/inspection/teams/:id',
    { schema: { tags: ['inspection'], summary: 'Change an inspection team (admin, command)', params: IdParams, body: TeamInput, response: { 200: Team, ...writeErrors } } },
    async (request) => {
      const user = requireRole(request, managers, 'manage inspection teams');
      await checkTeam(request.body);
      const changed = await repo.updateTeam(pool, request.params.id, request.body).catch(teamConflict);
      if (!changed) throw notFound(`No team ${request.params.id} / 无此督查组`);
      return (await repo.getTeam(pool, request.params.id, user.jurisdictionPath))!;
    },
  );

  typed.delete(
    '/api/inspection/teams/:id',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Delete a team; a team that took part in a round is deactivated instead (its visits name it)',
        params: IdParams,
        response: { 200: Type.Object({ result: Type.Enum(['deleted', 'deactivated']) }), ...writeErrors },
      },
    },
    async (request) => {
      requireRole(request, managers, 'manage inspection teams');
      const result = await repo.deleteOrDeactivateTeam(pool, request.params.id);
      if (result === 'missing') throw notFound(`No team ${request.params.id} / 无此督查组`);
      return { result };
    },
  );

  // ---- rounds ----------------------------------------------------------------------------

  async function checkRound(input: RoundInput): Promise<void> {
    const problems: Array<{ field: string; message: string }> = [];
    const dates = [['dateFrom', input.dateFrom], ['dateTo', input.dateTo]] as const;
    for (const [field, day] of dates) {
      if (day) {
        try {
          dayOrToday(day, tz);
        } catch {
          problems.push({ field, message: '不是有效日期 / not a calendar date' });
        }
      }
    }
    if (input.dateTo && input.dateTo < input.dateFrom) problems.push({ field: 'dateTo', message: '早于开始日期 / before dateFrom' });
    if (input.maxSitesPerDay < input.minSitesPerDay) problems.push({ field: 'maxSitesPerDay', message: '小于每日最少工地数 / below minSitesPerDay' });
    const keys = input.checklist.map((c) => c.key);
    if (new Set(keys).size !== keys.length) problems.push({ field: 'checklist', message: '检查项 key 重复 / repeated keys' });
    const unknownAreas = await repo.unknownAreaCodes(pool, input.areas);
    if (unknownAreas.length > 0) problems.push({ field: 'areas', message: `无此区划 unknown area codes: ${unknownAreas.join(', ')}` });
    const unknownTeams = input.teamIds.length ? await repo.unknownTeamIds(pool, input.teamIds) : [];
    if (unknownTeams.length > 0) problems.push({ field: 'teamIds', message: `无此督查组 unknown teams: ${unknownTeams.join(', ')}` });
    if (problems.length > 0) throw validationFailed('The round is not usable / 督查轮次信息有误', problems);
  }

  function roundConflict(error: unknown): never {
    if (isUniqueViolation(error, 'inspection_rounds_name_idx')) throw conflict('A round with this name exists / 同名督查轮次已存在');
    throw error;
  }

  typed.get(
    '/api/inspection/rounds',
    { schema: { tags: ['inspection'], summary: 'Inspection rounds whose areas touch your jurisdiction', response: { 200: RoundList, ...errors } } },
    async (request) => ({ items: await repo.listRounds(pool, requireRole(request, everyone, 'read rounds').jurisdictionPath) }),
  );

  typed.get(
    '/api/inspection/rounds/:id',
    { schema: { tags: ['inspection'], summary: 'One inspection round', params: IdParams, response: { 200: Round, ...errors } } },
    async (request) => visibleRound(requireRole(request, everyone, 'read rounds'), request.params.id),
  );

  typed.post(
    '/api/inspection/rounds',
    { schema: { tags: ['inspection'], summary: 'Create an inspection round (admin, command)', body: RoundInput, response: { 201: Round, ...writeErrors } } },
    async (request, reply) => {
      const user = requireRole(request, managers, 'manage inspection rounds');
      await checkRound(request.body);
      const id = await withTransaction(pool, (client) => repo.insertRound(client, request.body, user.username)).catch(roundConflict);
      return reply.status(201).header('Location', `/api/inspection/rounds/${id}`).send(await visibleRound(user, id));
    },
  );

  typed.put(
    '/api/inspection/rounds/:id',
    { schema: { tags: ['inspection'], summary: 'Change an inspection round (admin, command)', params: IdParams, body: RoundInput, response: { 200: Round, ...writeErrors } } },
    async (request) => {
      const user = requireRole(request, managers, 'manage inspection rounds');
      await checkRound(request.body);
      const changed = await withTransaction(pool, (client) => repo.updateRound(client, request.params.id, request.body)).catch(roundConflict);
      if (!changed) throw notFound(`No inspection round ${request.params.id} / 无此督查轮次`);
      return visibleRound(user, request.params.id);
    },
  );

  typed.delete(
    '/api/inspection/rounds/:id',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Delete a round without visits or cases; a round with them is closed instead',
        params: IdParams,
        response: { 200: Type.Object({ result: Type.Enum(['deleted', 'closed']) }), ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, managers, 'manage inspection rounds');
      await visibleRound(user, request.params.id);
      if (await repo.roundHasRecords(pool, request.params.id)) {
        await repo.closeRound(pool, request.params.id);
        return { result: 'closed' as const };
      }
      await repo.deleteRound(pool, request.params.id);
      return { result: 'deleted' as const };
    },
  );

  // ---- priorities, plans, sheets -----------------------------------------------------------

  typed.get(
    '/api/inspection/rounds/:id/sites',
    {
      schema: {
        tags: ['inspection'],
        summary: "The round's sites in your jurisdiction by priority for the day, each with the reasons that make up its score",
        params: IdParams,
        querystring: RoundSitesQuery,
        response: { 200: RoundSites, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readers, 'read inspection priorities');
      const round = await visibleRound(user, request.params.id);
      const { team, area, limit = 200, offset = 0 } = request.query;
      const day = dayOrToday(request.query.day, tz);
      if (team !== undefined && !round.teamIds.includes(team)) throw notFound(`Team ${team} is not in round ${round.id} / 该组不在本轮督查中`);
      const sites = await repo.sitePriorityFacts(pool, {
        roundId: round.id, day, scopePath: user.jurisdictionPath, areaPath: await optionalAreaPath(user, area), teamId: team ?? null, timeZone: tz,
      });
      const ranked = sites
        .map(({ facts, ...site }) => ({ ...site, ...explainPriority(facts) }))
        .sort((a, b) => b.score - a.score || a.siteId - b.siteId);
      return { roundId: round.id, day, isRoundDay: isRoundDay(round, day), total: ranked.length, limit, offset, items: ranked.slice(offset, offset + limit) };
    },
  );

  typed.get(
    '/api/inspection/rounds/:id/plans',
    { schema: { tags: ['inspection'], summary: "The teams' plans for a day (route sheets)", params: IdParams, querystring: DayQuery, response: { 200: DayPlans, ...errors } } },
    async (request) => {
      const user = requireRole(request, readers, 'read plans');
      const round = await visibleRound(user, request.params.id);
      const day = dayOrToday(request.query.day, tz);
      return dayPlansWithNotes(user, round.id, day);
    },
  );

  typed.get(
    '/api/inspection/rounds/:id/plans/:day/teams/:teamId/sheet.xlsx',
    {
      schema: {
        tags: ['inspection'],
        summary: "A team's route sheet for the day as an Excel workbook (A4 landscape), with checklist columns to fill in on paper",
        params: SheetParams,
        querystring: ReasonQuery,
        produces: [xlsxType],
      },
    },
    async (request, reply) => {
      const user = requireRole(request, readers, 'read plans');
      const { id, day, teamId } = request.params;
      const round = await visibleRound(user, id);
      await ensureOwnTeam(user, teamId);
      const [team, plans, visits] = await Promise.all([
        repo.getTeam(pool, teamId, user.jurisdictionPath),
        repo.dayPlans(pool, round.id, day, user.jurisdictionPath),
        repo.listVisits(pool, { scopePath: user.jurisdictionPath, roundId: round.id, teamId, day, limit: 100, offset: 0 }),
      ]);
      const plan = plans.find((p) => p.teamId === teamId);
      if (!team || !plan) throw notFound(`No plan of team ${teamId} on ${day} in round ${round.id} / 该组当日无路线计划`);
      const [sites, facts] = await Promise.all([
        repo.sheetSites(pool, plan.stops.map((s) => s.siteId)),
        // the team's candidates with their facts, as the planner saw them: one query, no per-stop look-ups
        repo.sitePriorityFacts(pool, { roundId: round.id, day, scopePath: user.jurisdictionPath, teamId, timeZone: tz }),
      ]);
      const planned = new Set(plan.stops.map((s) => s.siteId));
      const scores = new Map(facts.filter((f) => planned.has(f.siteId)).map((f) => [f.siteId, explainPriority(f.facts).score]));
      const file = `督查路线单_${team.name}_${day}.xlsx`;
      await audit(request, { action: 'export', resource: 'inspection:route_sheet', resourceId: `${round.id}/${day}/${teamId}`, detail: { format: 'xlsx', stops: plan.stops.length } });
      return reply
        .type(xlsxType)
        .header('Content-Disposition', `attachment; filename="route-sheet-${team.code}-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`)
        .send(await routeSheetWorkbook({
          round, team, day, plan, sites, scores, visits: new Map(visits.items.map((v) => [v.siteId, v])), timeZone: tz,
        }));
    },
  );

  typed.put(
    '/api/inspection/plans/:planId/stops/:seq/lock',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Lock (or unlock) a planned stop: a re-plan keeps it where it is',
        params: StopParams,
        body: StopLockInput,
        response: { 200: DayPlans, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, recorders, 'lock planned stops');
      const { planId, seq } = request.params;
      const stop = await repo.stopInScope(pool, planId, seq, user.jurisdictionPath);
      if (!stop) throw notFound(`No stop ${seq} in plan ${planId} / 无此计划站点`);
      await ensureOwnTeam(user, stop.teamId);
      await repo.setStopLocked(pool, planId, seq, request.body.locked);
      await announceInspection(app, pool, { kind: 'plan', roundId: stop.roundId, day: stop.day, teamId: stop.teamId, siteId: stop.siteId }, { siteIds: [stop.siteId] });
      return dayPlansWithNotes(user, stop.roundId, stop.day);
    },
  );

  typed.get(
    '/api/inspection/rounds/:id/sheets',
    {
      schema: {
        tags: ['inspection'],
        summary: "The day's inspection sheets per team: visits recorded, submitted, submitted late (after the round's deadline)",
        params: IdParams,
        querystring: DayQuery,
        response: { 200: SheetList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readers, 'read sheets');
      const round = await visibleRound(user, request.params.id);
      const day = dayOrToday(request.query.day, tz);
      return {
        roundId: round.id, day, deadline: await repo.cityInstant(pool, day, round.sheetDeadline, tz),
        items: await repo.daySheets(pool, round.id, day, user.jurisdictionPath),
      };
    },
  );

  // ---- team positions ----------------------------------------------------------------------

  typed.post(
    '/api/inspection/teams/:id/position',
    {
      schema: {
        tags: ['inspection'],
        summary: "Share the team's position (its leader, on a day the team has a plan)",
        params: IdParams,
        body: PositionInput,
        response: { 201: TeamPosition, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, leaders, 'share team positions');
      const teamId = request.params.id;
      await ensureOwnTeam(user, teamId);
      const { lon, lat, accuracyMeters } = request.body;
      if (!(await repo.pointInCity(pool, [lon, lat]))) throw badRequest('The position is outside the city / 位置不在本市范围内');
      const day = cityDay(new Date(), tz);
      if (!(await repo.teamHasPlanOn(pool, teamId, day))) throw conflict(`Team ${teamId} has no plan today (${day}) / 本组今日无督查计划`);
      const position = await repo.insertTeamPosition(pool, { teamId, day, lon, lat, accuracyMeters: accuracyMeters ?? null, by: user.username });
      await announceInspection(app, pool, { kind: 'position', roundId: null, day, teamId, siteId: null }, { point: [lon, lat] });
      return reply.status(201).send(position);
    },
  );

  typed.get(
    '/api/inspection/positions',
    {
      schema: {
        tags: ['inspection'],
        summary: "Each team's latest shared position of the day (default today) within your jurisdiction; a team leader sees their own team's",
        querystring: DayQuery,
        response: { 200: TeamPositionList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readers, 'read team positions');
      const day = dayOrToday(request.query.day, tz);
      let teamId: number | null = null;
      if (user.role === 'team_leader') {
        const own = await repo.teamIdOfLeader(pool, user.username);
        if (own === undefined) return { day, items: [] };
        teamId = own;
      }
      return { day, items: await repo.latestTeamPositions(pool, { day, scopePath: user.jurisdictionPath, teamId }) };
    },
  );

  // ---- visits ------------------------------------------------------------------------------

  typed.post(
    '/api/inspection/visits',
    {
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags: ['inspection'],
        summary: 'Record a visit: arrival, departure, checklist, findings, photos, and the rectification notice when a check failed',
        description: 'Idempotent by clientId: the same clientId again answers 200 with the visit stored the first time. '
          + 'Team leaders record for their own team. A due 回头看 of the site is closed by the visit.',
        body: VisitInput,
        response: { 200: Visit, 201: Visit, ...writeErrors, 413: ErrorResponse },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, recorders, 'record inspection visits');
      const input = request.body;
      await ensureOwnTeam(user, input.teamId);
      const replay = async () => {
        const existing = await repo.visitByClientId(pool, input.clientId);
        if (!existing) return undefined;
        if (existing.teamId !== input.teamId || existing.siteId !== input.siteId) {
          throw conflict(`clientId ${input.clientId} was used for another visit / 该编号已用于其他记录`);
        }
        return visibleVisit(user, existing.id);
      };
      const earlier = await replay();
      if (earlier) return earlier;

      const round = await visibleRound(user, input.roundId);
      if (round.status === 'closed') throw conflict(`Round ${round.id} is closed / 本轮督查已结束`);
      const problems: Array<{ field: string; message: string }> = [];
      const arrived = new Date(input.arrivedAt);
      const departed = new Date(input.departedAt);
      const day = cityDay(arrived, tz);
      if (departed < arrived) problems.push({ field: 'departedAt', message: '早于到达时间 / before arrivedAt' });
      if (arrived.getTime() > Date.now() + futureToleranceMs) problems.push({ field: 'arrivedAt', message: '在将来 / in the future' });
      if (!isRoundDay(round, day)) problems.push({ field: 'arrivedAt', message: `${day} 不是本轮督查日 / not an inspection day of the round` });
      if (!(await repo.teamInRound(pool, round.id, input.teamId))) problems.push({ field: 'teamId', message: '该组不在本轮督查中 / the team is not in the round' });
      if (!(await repo.siteInRound(pool, round.id, input.siteId, user.jurisdictionPath))) {
        problems.push({ field: 'siteId', message: '该场所不在本轮督查范围 / the site is not in the round (category, areas)' });
      }
      const keys = round.checklist.map((c) => c.key);
      for (const key of keys) if (!(key in input.results)) problems.push({ field: `results/${key}`, message: '缺少检查项 / missing' });
      for (const key of Object.keys(input.results)) if (!keys.includes(key)) problems.push({ field: `results/${key}`, message: '不是本轮检查项 / not on the checklist' });
      const failed = Object.values(input.results).includes('fail');
      const notice = input.notice ?? null;
      if (failed && !notice) problems.push({ field: 'notice', message: '有不合格项，须开具整改通知 / a failed check needs a rectification notice' });
      if (!failed && notice) problems.push({ field: 'notice', message: '无不合格项，不应开具整改通知 / no check failed' });
      if (notice && notice.deadline < day) problems.push({ field: 'notice/deadline', message: '早于检查日期 / before the visit' });
      const photos = decodePhotos(input.photos ?? []);
      problems.push(...photos.errors);
      if (problems.length > 0) throw validationFailed('The visit is not usable / 督查记录有误', problems);

      let stored: { id: number; alertIds: number[] } | undefined;
      try {
        stored = await withTransaction(pool, (client) => repo.insertVisit(client, {
          clientId: input.clientId, roundId: round.id, teamId: input.teamId, siteId: input.siteId, day,
          arrivedAt: arrived.toISOString(), departedAt: departed.toISOString(), results: input.results,
          findings: input.findings?.trim() ?? '', photos: photos.photos, notice, by: user.username,
        }));
      } catch (error) {
        if (isUniqueViolation(error, 'inspection_visits_round_id_site_id_day_key')) {
          throw conflict(`Site ${input.siteId} already has a visit on ${day} in this round / 该工地当日已有督查记录`);
        }
        if (isUniqueViolation(error, 'inspection_visits_notice_number_key')) throw conflict(`Notice number ${notice?.number} is taken / 整改通知单编号已使用`);
        throw error;
      }
      // Another request with the same clientId won the race: answer its visit.
      if (stored === undefined) return (await replay())!;
      // A failed 回头看 escalated its rectification: announce the alert once the visit is committed.
      if (stored.alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, stored.alertIds));
      await announceInspection(app, pool, { kind: 'visit', roundId: round.id, day, teamId: input.teamId, siteId: input.siteId }, { siteIds: [input.siteId] });
      const id = stored.id;
      return reply.status(201).header('Location', `/api/inspection/visits/${id}`).send(await visibleVisit(user, id));
    },
  );

  typed.get(
    '/api/inspection/visits',
    { schema: { tags: ['inspection'], summary: 'Visits to sites in your jurisdiction, newest first', querystring: VisitListQuery, response: { 200: VisitList, ...errors } } },
    async (request) => {
      const user = requireRole(request, readers, 'read visits');
      const { round, team, site, limit = 100, offset = 0 } = request.query;
      const day = request.query.day === undefined ? undefined : dayOrToday(request.query.day, tz);
      return repo.listVisits(pool, { scopePath: user.jurisdictionPath, roundId: round, teamId: team, siteId: site, day, limit, offset });
    },
  );

  typed.get(
    '/api/inspection/visits/:id',
    { schema: { tags: ['inspection'], summary: 'One visit', params: IdParams, response: { 200: Visit, ...errors } } },
    async (request) => visibleVisit(requireRole(request, readers, 'read visits'), request.params.id),
  );

  typed.post(
    '/api/inspection/visits/:id/submit',
    {
      schema: {
        tags: ['inspection'],
        summary: "Submit the visit's sheet; after the round's deadline on the visit's day it is recorded as late. Submitting again changes nothing",
        params: IdParams,
        response: { 200: Visit, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, recorders, 'submit inspection sheets');
      const submitted = await withTransaction(pool, async (client) => {
        const visit = await repo.visitForUpdate(client, request.params.id, user.jurisdictionPath);
        if (!visit) throw notFound(`No visit ${request.params.id} in your jurisdiction / 无此督查记录`);
        await ensureOwnTeam(user, visit.teamId);
        if (visit.submittedAt !== null) return null;
        await repo.submitVisit(client, visit.id, user.username, tz);
        return visit;
      });
      if (submitted) {
        const { roundId, day, teamId, siteId } = submitted;
        await announceInspection(app, pool, { kind: 'visit', roundId, day, teamId, siteId }, { siteIds: [siteId] });
      }
      return visibleVisit(user, request.params.id);
    },
  );

  typed.get(
    '/api/inspection/photos/:sha256',
    { schema: { tags: ['inspection'], summary: 'A photo of a visit in your jurisdiction', params: PhotoParams, produces: ['image/jpeg', 'image/png', 'image/webp'] } },
    async (request, reply) => {
      const user = requireRole(request, readers, 'read visits');
      const found = await repo.photo(pool, request.params.sha256, user.jurisdictionPath);
      if (!found) throw notFound('No such photo / 无此照片');
      return reply.type(found.contentType).header('Cache-Control', 'private, max-age=31536000, immutable').send(found.bytes);
    },
  );

  // ---- rectifications and 回头看 -------------------------------------------------------------

  typed.post(
    '/api/inspection/visits/:id/rectification',
    {
      schema: {
        tags: ['inspection'],
        summary: "The site's rectification report for the visit's notice; puts the site on next month's must-check list (回头看)",
        params: IdParams,
        body: RectificationReportInput,
        response: { 201: Rectification, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, reporters, 'record rectification reports');
      const { id, visit } = await withTransaction(pool, async (client) => {
        const visit = await repo.visitForUpdate(client, request.params.id, user.jurisdictionPath);
        if (!visit) throw notFound(`No visit ${request.params.id} in your jurisdiction / 无此督查记录`);
        await ensureOwnTeam(user, visit.teamId);
        if (!visit.failed) throw conflict('Nothing failed at this visit: there is nothing to rectify / 该次督查无整改事项');
        if (visit.rectificationId !== null) throw conflict('The rectification was reported already / 已提交整改报告');
        const reportedAt = request.body.reportedAt ? new Date(request.body.reportedAt) : new Date();
        if (reportedAt < visit.arrivedAt || reportedAt.getTime() > Date.now() + futureToleranceMs) {
          throw validationFailed('The report cannot be dated before the visit or in the future / 报告时间无效', [
            { field: 'reportedAt', message: 'between the visit and now' },
          ]);
        }
        const id = await repo.insertRectification(client, {
          visitId: visit.id, siteId: visit.siteId, report: request.body.report.trim(), reportedAt: reportedAt.toISOString(),
          reportedDay: cityDay(reportedAt, tz), by: user.username,
        });
        return { id, visit };
      });
      await announceInspection(app, pool, { kind: 'rectification', roundId: visit.roundId, day: cityDay(new Date(), tz), teamId: visit.teamId, siteId: visit.siteId }, { siteIds: [visit.siteId] });
      return reply.status(201).send((await repo.getRectification(pool, id, user.jurisdictionPath))!);
    },
  );

  typed.post(
    '/api/inspection/rectifications/:id/verify',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Verify a reported rectification: rectified, or failed (整改不力), which escalates it',
        params: IdParams,
        body: VerificationInput,
        response: { 200: Rectification, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, recorders, 'verify rectifications');
      const today = cityDay(new Date(), tz);
      const { alertIds, found } = await withTransaction(pool, async (client) => {
        const found = await repo.rectificationForUpdate(client, request.params.id, user.jurisdictionPath);
        if (!found) throw notFound(`No rectification ${request.params.id} in your jurisdiction / 无此整改记录`);
        await ensureOwnTeam(user, found.teamId);
        if (found.outcome !== null) throw conflict(`The rectification was verified already (${found.outcome}) / 已核查`);
        return { alertIds: await repo.verifyRectification(client, found.id, request.body.outcome, request.body.note?.trim() ?? '', user.username, today), found };
      });
      if (alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, alertIds));
      await announceInspection(app, pool, { kind: 'rectification', roundId: found.roundId, day: today, teamId: found.teamId, siteId: found.siteId }, { siteIds: [found.siteId] });
      return (await repo.getRectification(pool, request.params.id, user.jurisdictionPath))!;
    },
  );

  typed.get(
    '/api/inspection/rectifications',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Rectification reports in your jurisdiction; status=escalated lists the failed ones',
        querystring: RectificationListQuery,
        response: { 200: RectificationList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readers, 'read rectifications');
      return { items: await repo.listRectifications(pool, { scopePath: user.jurisdictionPath, roundId: request.query.round, status: request.query.status ?? 'all' }) };
    },
  );

  typed.get(
    '/api/inspection/followups',
    {
      schema: {
        tags: ['inspection'],
        summary: '回头看: sites that must be checked again in a month, and how it went (due, overdue, passed, failed)',
        querystring: FollowupListQuery,
        response: { 200: FollowupList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readers, 'read follow-ups');
      return {
        items: await repo.listFollowups(pool, {
          scopePath: user.jurisdictionPath, month: request.query.month, status: request.query.status ?? 'all', today: cityDay(new Date(), tz),
        }),
      };
    },
  );

  // ---- cases filed -------------------------------------------------------------------------

  typed.post(
    '/api/inspection/case-filings',
    { schema: { tags: ['inspection'], summary: 'Record a case filed (立案) against a site', body: CaseFilingInput, response: { 201: CaseFiling, ...writeErrors } } },
    async (request, reply) => {
      const user = requireRole(request, recorders, 'file cases');
      const input = request.body;
      let teamId = input.teamId ?? null;
      if (user.role === 'team_leader') {
        teamId ??= (await repo.teamIdOfLeader(pool, user.username)) ?? null;
        await ensureOwnTeam(user, teamId ?? 0);
      }
      const filedOn = dayOrToday(input.filedOn, tz);
      if (!(await repo.siteInScope(pool, input.siteId, user.jurisdictionPath))) throw notFound(`No site ${input.siteId} in your jurisdiction / 无此场所`);
      if (input.visitId !== undefined) {
        const visit = await repo.getVisit(pool, input.visitId, user.jurisdictionPath);
        if (!visit || visit.siteId !== input.siteId) {
          throw validationFailed('The visit is not one of this site / 督查记录与场所不符', [{ field: 'visitId', message: 'not a visit of siteId' }]);
        }
      }
      if (input.roundId !== undefined) await visibleRound(user, input.roundId);
      try {
        const filing = await repo.insertCaseFiling(pool, {
          caseNumber: input.caseNumber.trim(), siteId: input.siteId, visitId: input.visitId ?? null, roundId: input.roundId ?? null,
          teamId, filedOn, reason: input.reason?.trim() ?? '', by: user.username,
        });
        await announceInspection(app, pool, { kind: 'case', roundId: input.roundId ?? null, day: filedOn, teamId, siteId: input.siteId }, { siteIds: [input.siteId] });
        return reply.status(201).send(filing);
      } catch (error) {
        if (isUniqueViolation(error, 'inspection_case_filings_case_number_key')) throw conflict(`Case ${input.caseNumber} exists / 案件编号已存在`);
        if ((error as { code?: string }).code === '23503') throw validationFailed('Unknown team / 无此督查组', [{ field: 'teamId', message: 'no such team' }]);
        throw error;
      }
    },
  );

  typed.get(
    '/api/inspection/case-filings/monthly',
    { schema: { tags: ['inspection'], summary: 'Cases filed (立案) per month, for sites in your jurisdiction', querystring: CaseCountsQuery, response: { 200: CaseCounts, ...errors } } },
    async (request) => {
      const user = requireRole(request, everyone, 'read case counts');
      const { round, from, to } = request.query;
      if (from && to && to < from) throw badRequest('to is before from / 结束月份早于开始月份');
      return { items: await repo.monthlyCaseCounts(pool, { scopePath: user.jurisdictionPath, roundId: round, from, to }) };
    },
  );

  // ---- coverage, notices, map --------------------------------------------------------------

  typed.get(
    '/api/inspection/rounds/:id/coverage',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Sites inspected against sites in scope by district, street, grid or category; districts not visited during the week',
        params: IdParams,
        querystring: CoverageQuery,
        response: { 200: Coverage, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, everyone, 'read coverage');
      const round = await visibleRound(user, request.params.id);
      const week = weekOf(dayOrToday(request.query.week, tz));
      const by = request.query.by ?? 'district';
      const figures = await repo.coverage(pool, {
        roundId: round.id, scopePath: user.jurisdictionPath, areaPath: await optionalAreaPath(user, request.query.area),
        weekStart: week.start, weekEnd: week.end, by,
      });
      const totals = figures.rows.reduce(
        (t, r) => ({ inScope: t.inScope + r.inScope, inspected: t.inspected + r.inspected, inspectedThisWeek: t.inspectedThisWeek + r.inspectedThisWeek }),
        { inScope: 0, inspected: 0, inspectedThisWeek: 0 },
      );
      return { roundId: round.id, weekStart: week.start, weekEnd: week.end, by, totals, rows: figures.rows, districtsNotVisitedThisWeek: figures.districtsNotVisited };
    },
  );

  async function notices(user: AuthUser, roundId: number, weekDay: string | undefined) {
    const round = await visibleRound(user, roundId);
    const week = weekOf(dayOrToday(weekDay, tz));
    const items = await repo.weeklyNotices(pool, { roundId: round.id, scopePath: user.jurisdictionPath, weekStart: week.start, weekEnd: week.end });
    return { round, week, items };
  }

  typed.get(
    '/api/inspection/rounds/:id/notices',
    {
      schema: {
        tags: ['inspection'],
        summary: "The week's sites to be named in the notice (通报), with the units and people responsible",
        params: IdParams,
        querystring: NoticeQuery,
        response: { 200: NoticeList, ...errors },
      },
    },
    async (request) => {
      const { round, week, items } = await notices(requireRole(request, readers, 'read notices'), request.params.id, request.query.week);
      return { roundId: round.id, weekStart: week.start, weekEnd: week.end, items };
    },
  );

  typed.get(
    '/api/inspection/rounds/:id/notices.xlsx',
    { schema: { tags: ['inspection'], summary: "The week's notice list as an Excel workbook", params: IdParams, querystring: NoticeQuery, produces: [xlsxType] } },
    async (request, reply) => {
      const { round, week, items } = await notices(requireRole(request, readers, 'read notices'), request.params.id, request.query.week);
      const title = `${round.name} 本周拟通报工地（${week.start} 至 ${week.end}）`;
      const file = `拟通报工地_${week.start}.xlsx`;
      await audit(request, { action: 'export', resource: 'inspection:notices', resourceId: String(round.id), detail: { format: 'xlsx', week: week.start, rows: items.length } });
      return reply
        .type(xlsxType)
        .header('Content-Disposition', `attachment; filename="notices-${week.start}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`)
        .send(await noticeWorkbook(title, items));
    },
  );

  typed.get(
    '/api/inspection/sites/status',
    {
      schema: {
        tags: ['inspection'],
        summary: "Sites' inspection status for the map (never, passed, notified, rectified, overdue) in a bbox or area of your jurisdiction",
        querystring: SiteStatusQuery,
        response: { 200: SiteStatusList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, everyone, 'read site status');
      const { bbox: bboxText, area, category, limit = 5000 } = request.query;
      const day = dayOrToday(request.query.day, tz);
      let bbox: [number, number, number, number] | null = null;
      if (bboxText) {
        const [minLon, minLat, maxLon, maxLat] = bboxText.split(',').map(Number) as [number, number, number, number];
        if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite) || minLon >= maxLon || minLat >= maxLat || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
          throw badRequest('bbox must be minLon,minLat,maxLon,maxLat with min < max / bbox 无效');
        }
        bbox = [minLon, minLat, maxLon, maxLat];
      }
      const result = await repo.siteStatuses(pool, {
        scopePath: user.jurisdictionPath, areaPath: await optionalAreaPath(user, area), bbox, category: category ?? null, day, limit,
      });
      return { day, ...result };
    },
  );
}

