// Round planning over the inspection tables: POST plans a day or a week of a round, PATCH locks,
// frees or moves a stop and re-plans the rest. Inputs come from server/inspection's repository
// (teams, sites with their priority facts, locked stops) and plans are stored through its savePlan.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../contracts/auth.ts';
import { ErrorResponse } from '../contracts/common.ts';
import type { Round } from '../contracts/inspection.ts';
import { requireRole, type AuthUser } from '../auth/index.ts';
import type { Config } from '../config.ts';
import { AppError, badRequest, conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import * as inspection from '../inspection/inspection.repository.ts';
import { announceInspection } from '../inspection/live.ts';
import { explainPriority } from '../inspection/priority.ts';
import { isoWeekday, isRoundDay, weekOf, addDays } from '../inspection/round-days.ts';
import { selectCandidates } from './candidates.ts';
import { cityInstant } from './city-instant.ts';
import { PlanChange, PlanRequest, PlanResponse } from './contracts.ts';
import { clockSeconds, planRound, PlannerInputError, PlannerLockError, type PlannerLock, type PlannerMove, type PlannerSite, type PlanResult, type Weekday } from './planner.ts';
import { RoadNetworkError } from './road-network.repository.ts';
import { districtsOfPoints, districtsVisitedOn, roundDistricts, siteEligibleTeams } from './routing.repository.ts';
import { buildTravelMatrix } from './travel-matrix.ts';

const planners: ReadonlySet<Role> = new Set(['admin', 'command']);
/** Team leaders lock, free and move their own team's stops. */
const changers: ReadonlySet<Role> = new Set(['admin', 'command', 'team_leader']);

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse };

const defaults = { serviceMinutes: 60, maxTravelMinutes: 240, secondsPerDay: 2 };
const weekdayKeys: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface Options {
  seed?: number | undefined;
  timeLimitSeconds?: number | undefined;
  serviceMinutes?: number | undefined;
  maxTravelMinutes?: number | undefined;
}

interface Pins {
  /** A site whose stored lock is replaced by the change. */
  release?: number;
  locks: PlannerLock[];
  moves: PlannerMove[];
}

/** The round's days in the week (Monday–Sunday) of a day. */
function roundDaysOfWeek(round: Round, day: string): string[] {
  const { start } = weekOf(day);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i)).filter((d) => isRoundDay(round, d));
}

const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

function plannerError(error: unknown): never {
  if (error instanceof PlannerInputError) throw validationFailed(error.message, error.issues);
  if (error instanceof PlannerLockError) throw new AppError(409, 'conflict', error.message, error.sites.map((s) => ({ siteId: Number(s.siteId), reason: s.reason })));
  if (error instanceof RoadNetworkError) throw new AppError(503, 'unavailable', error.message, { code: error.code });
  throw error;
}

export default async function routingRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const tz = config.cityTimeZone;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  async function openRound(user: AuthUser, id: number): Promise<Round> {
    const round = await inspection.getRound(pool, id, user.jurisdictionPath);
    if (!round) throw notFound(`No inspection round ${id} in your jurisdiction / 无此督查轮次`);
    if (round.status !== 'active') throw conflict(`Round ${id} is closed / 本轮督查已结束`);
    return round;
  }

  function roundDay(round: Round, day: string): string {
    if (!isRoundDay(round, day)) throw badRequest(`${day} is not an inspection day of round ${round.id} / 该日不是本轮督查日`);
    return day;
  }

  /** Plans `days` of the round, keeping the stored locks (and visited stops), stores and returns the plan. */
  async function planAndStore(user: AuthUser, round: Round, days: string[], pins: Pins, options: Options): Promise<PlanResponse> {
    const first = days[0] as string;
    const last = days[days.length - 1] as string;
    const teams = await inspection.planningTeams(pool, round.id);
    if (teams.length === 0) throw conflict(`Round ${round.id} has no active team / 本轮督查没有在岗的督查组`);
    // Priorities as of the first planned day.
    const facts = await inspection.sitePriorityFacts(pool, { roundId: round.id, day: first, scopePath: user.jurisdictionPath, timeZone: tz });
    const siteIds = facts.map((f) => f.siteId);
    const weekDays = roundDaysOfWeek(round, first);
    const otherDays = weekDays.filter((d) => !days.includes(d));
    const weekdays = [...new Set(days.map(isoWeekday))];
    const [eligibility, baseDistricts, scopeDistricts, stored, coveredBefore, ...opening] = await Promise.all([
      siteEligibleTeams(pool, round.id, siteIds),
      districtsOfPoints(pool, teams.map((t) => t.basePosition)),
      roundDistricts(pool, round.id, user.jurisdictionPath),
      inspection.lockedStops(pool, round.id, first, last),
      districtsVisitedOn(pool, round.id, otherDays),
      ...weekdays.map((w) => inspection.siteOpeningWindows(pool, siteIds, w)),
    ]);

    const serviceMinutes = options.serviceMinutes ?? defaults.serviceMinutes;
    const sites: PlannerSite[] = facts.map((f) => {
      const openingHours: PlannerSite['openingHours'] = {};
      weekdays.forEach((w, i) => {
        openingHours[weekdayKeys[w - 1] as Weekday] = opening[i]?.get(f.siteId) ?? [];
      });
      const site: PlannerSite = {
        id: String(f.siteId),
        position: { lon: f.position[0], lat: f.position[1] },
        district: f.districtCode,
        priority: explainPriority(f.facts).score,
        serviceMinutes,
        openingHours,
        teams: (eligibility.get(f.siteId) ?? []).map(String),
      };
      if (f.facts.followupDue) site.followUpDue = lastDayOfMonth(f.facts.followupDue.dueMonth);
      return site;
    });

    const locks: PlannerLock[] = stored
      .filter((s) => days.includes(s.day) && s.siteId !== pins.release)
      .map((s): PlannerLock => ({ site: String(s.siteId), team: String(s.teamId), day: s.day, position: s.seq }))
      .concat(pins.locks);
    const known = new Set(sites.map((s) => s.id));
    const outside = [...locks, ...pins.moves].filter((p) => !known.has(p.site)).map((p) => Number(p.site));
    if (outside.length > 0) throw conflict(`Locked or moved sites ${outside.join(', ')} are not among the round's sites in your jurisdiction / 锁定的站点不在本轮范围内`);

    // 回头看 due by the end of the horizon, locks and moves are always candidates.
    const keep = new Set([...locks.map((l) => l.site), ...pins.moves.map((m) => m.site), ...sites.filter((s) => s.followUpDue !== undefined && s.followUpDue <= last).map((s) => s.id)]);
    const candidates = selectCandidates(sites, keep, { visitsPerTeam: round.maxSitesPerDay * days.length });
    const enforce = days.includes(weekDays[weekDays.length - 1] as string);
    let travelSource: 'great-circle' | 'road-network' = 'great-circle';

    let result: PlanResult;
    try {
      result = await planRound(
        {
          days,
          teams: teams.map((t, i) => ({
            id: String(t.id),
            base: { lon: t.basePosition[0], lat: t.basePosition[1], district: baseDistricts[i] ?? '' },
            areas: t.areas,
            hours: { start: t.workStart, end: t.workEnd },
            // 'station' in the inspection schema: at the district station in the suburbs, else at the base.
            lunch: { windowStart: t.lunchStart, windowEnd: t.lunchEnd, minutes: t.lunchMinutes, place: t.lunchRule === 'station' ? 'by-area' : 'base' },
          })),
          sites: candidates,
          stations: [...new Map(teams.flatMap((t) => t.stations).map((s) => [s.districtCode, { district: s.districtCode, position: { lon: s.position[0], lat: s.position[1] } }])).values()],
          sitesPerTeamDay: { min: round.minSitesPerDay, max: round.maxSitesPerDay },
          maxTravelMinutesPerDay: options.maxTravelMinutes ?? defaults.maxTravelMinutes,
          locks,
          moves: pins.moves,
          coverage: { districts: scopeDistricts, alreadyCovered: coveredBefore, enforce },
        },
        {
          seed: options.seed ?? 1,
          timeLimitMs: Math.round((options.timeLimitSeconds ?? defaults.secondsPerDay * days.length) * 1000),
          travelMatrix: async (points) => {
            const built = await buildTravelMatrix(pool, points);
            travelSource = built.source;
            return built.matrix;
          },
        },
      );
    } catch (error) {
      plannerError(error);
    }

    const teamById = new Map(teams.map((t) => [String(t.id), t]));
    const position = new Map(candidates.map((s) => [s.id, [s.position.lon, s.position.lat] as [number, number]]));
    const lockedWhy = new Set(['locked', 'moved']);
    // What the planner says about the plan: answered now and stored with it for GET …/plans.
    const notes = {
      unassigned: result.unassigned.map((u) => ({ ...u, siteId: Number(u.siteId) })),
      coverage: { enforced: enforce, allCovered: result.coverage.allCovered, districts: result.coverage.districts },
      shortfalls: result.shortfalls.map((s) => ({ teamId: Number(s.team), day: s.day, planned: s.planned, min: s.min, reason: s.reason })),
      followUps: result.followUps.map((f) => ({ ...f, siteId: Number(f.siteId) })),
      summary: {
        sitesInScope: sites.length,
        candidates: candidates.length,
        sitesPlanned: result.summary.sitesPlanned,
        priorityCollected: result.summary.priorityCollected,
        travelSeconds: Math.round(result.summary.travelSeconds),
        travelSource,
        iterations: result.summary.iterations,
        ms: result.summary.ms,
      },
    };
    // The sites planned before as well as after: a watcher of a site dropped by the re-plan hears of it too.
    const plannedBefore = new Map(await Promise.all(result.days.map(async (d) => [d.day, (await inspection.plannedStops(pool, round.id, d.day)).map((s) => s.siteId)] as const)));
    const planIds = await withTransaction(pool, async (client) => {
      const ids = new Map<string, number>();
      for (const day of result.days) {
        const teamPlans = day.teams.map((plan) => {
          const team = teamById.get(plan.team)!;
          const lunch = plan.stops.find((s) => s.kind === 'lunch');
          const visits = plan.stops.filter((s) => s.kind === 'site');
          return {
            teamId: team.id,
            departAt: cityInstant(day.day, clockSeconds(plan.leaveBase), tz),
            returnAt: cityInstant(day.day, clockSeconds(plan.backAtBase), tz),
            lunch: lunch
              ? { start: cityInstant(day.day, lunch.startSeconds, tz), end: cityInstant(day.day, lunch.departureSeconds, tz), place: lunch.lunchPlace === 'district-station' ? ('station' as const) : ('base' as const) }
              : null,
            travelSeconds: Math.round(plan.travelSeconds),
            // The visiting order as a line (base → sites → base), not the streets driven.
            route: visits.length > 0 ? [team.basePosition, ...visits.map((s) => position.get(s.siteId as string)!), team.basePosition] : null,
            stops: visits.map((s) => ({
              siteId: Number(s.siteId),
              plannedArrival: cityInstant(day.day, s.arrivalSeconds, tz),
              plannedDeparture: cityInstant(day.day, s.departureSeconds, tz),
              locked: lockedWhy.has(s.why ?? ''),
              why: s.why ?? null,
            })),
          };
        });
        const saved = await inspection.savePlan(client, round.id, day.day, teamPlans, user.username);
        teamPlans.forEach((p, i) => ids.set(`${day.day}|${p.teamId}`, saved[i] as number));
      }
      await inspection.savePlanNotes(client, round.id, result.days.map((d) => d.day), notes, user.username);
      return ids;
    });
    for (const day of result.days) {
      const planned = day.teams.flatMap((plan) => plan.stops.flatMap((s) => (s.siteId === undefined ? [] : [Number(s.siteId)])));
      const siteIds = [...new Set([...(plannedBefore.get(day.day) ?? []), ...planned])];
      await announceInspection(app, pool, { kind: 'plan', roundId: round.id, day: day.day, teamId: null, siteId: null }, { siteIds });
    }

    return {
      roundId: round.id,
      days: result.days.map((day) => ({
        day: day.day,
        teams: day.teams.map((plan) => ({
          teamId: Number(plan.team),
          planId: planIds.get(`${day.day}|${plan.team}`) as number,
          sites: plan.sites,
          travelSeconds: Math.round(plan.travelSeconds),
          leaveBase: plan.leaveBase,
          backAtBase: plan.backAtBase,
          stops: plan.stops.map((s) => ({
            kind: s.kind,
            ...(s.siteId === undefined ? {} : { siteId: Number(s.siteId), district: s.district, order: s.order, why: s.why, priority: s.priority }),
            ...(s.lunchPlace === undefined ? {} : { lunchPlace: s.lunchPlace === 'district-station' ? ('station' as const) : ('base' as const) }),
            arrival: s.arrival,
            start: s.start,
            departure: s.departure,
            travelSecondsFromPrevious: Math.round(s.travelSecondsFromPrevious),
          })),
        })),
      })),
      ...notes,
    };
  }

  typed.post(
    '/api/inspection/rounds/:id/plan',
    {
      schema: {
        tags: ['inspection'],
        summary: "Plan a day or a week of a round: which sites each team visits, in what order and when; stored as the day's plans",
        description:
          'Keeps locked and visited stops; every district of the round is covered once a week when feasible (enforced on the last round day of the week), '
          + 'otherwise the reason is given. Unassigned sites and team-days under the minimum are reported with the reason.',
        params: IdParams,
        body: PlanRequest,
        response: { 200: PlanResponse, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, planners, 'plan inspection rounds');
      const round = await openRound(user, request.params.id);
      const { day, week } = request.body;
      if ((day === undefined) === (week === undefined)) throw badRequest('Give either day or week / 请指定日期或周');
      let days: string[];
      if (day !== undefined) days = [roundDay(round, day)];
      else {
        days = roundDaysOfWeek(round, week as string);
        if (days.length === 0) throw badRequest(`Round ${round.id} has no inspection day in the week of ${week} / 该周没有督查日`);
      }
      return planAndStore(user, round, days, { locks: [], moves: [] }, request.body);
    },
  );

  typed.patch(
    '/api/inspection/rounds/:id/plan',
    {
      schema: {
        tags: ['inspection'],
        summary: 'Lock, free or move a planned stop, then re-plan the rest of the day(s) it touches',
        params: IdParams,
        body: PlanChange,
        response: { 200: PlanResponse, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, changers, 'change plans');
      const round = await openRound(user, request.params.id);
      const { siteId, locked, moveTo } = request.body;
      const day = roundDay(round, request.body.day);
      if (locked === undefined && moveTo === undefined) throw badRequest('Give locked or moveTo / 请指定锁定或调整');
      if (moveTo !== undefined && moveTo.day === undefined && moveTo.teamId === undefined) throw badRequest('moveTo needs a day or a team / 请指定调整到的日期或组');
      const stop = (await inspection.plannedStops(pool, round.id, day)).find((s) => s.siteId === siteId);
      if (!stop) throw notFound(`Site ${siteId} is not planned on ${day} / 该站点当天未安排`);
      if (stop.status === 'visited' && (moveTo !== undefined || locked === false)) throw conflict(`Site ${siteId} was visited on ${day}: the visit stays / 已督查的站点不能调整`);
      const toDay = moveTo?.day === undefined ? day : roundDay(round, moveTo.day);
      const toTeam = moveTo?.teamId ?? stop.teamId;
      if (!round.teamIds.includes(toTeam)) throw notFound(`Team ${toTeam} is not in round ${round.id} / 该组不在本轮督查中`);
      if (user.role === 'team_leader') {
        const own = await inspection.teamIdOfLeader(pool, user.username);
        if (own !== stop.teamId || own !== toTeam) throw forbidden('Team leaders change their own team\'s stops only / 只能调整本组的安排');
      }
      const pins: Pins = { release: siteId, locks: [], moves: [] };
      if (moveTo !== undefined) pins.moves.push({ site: String(siteId), day: toDay, team: String(toTeam) });
      else if (locked) pins.locks.push({ site: String(siteId), team: String(stop.teamId), day, position: stop.seq });
      const days = [...new Set([day, toDay])].sort();
      return planAndStore(user, round, days, pins, request.body);
    },
  );
}
