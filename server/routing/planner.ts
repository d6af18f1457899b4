// The supervision-round planner: which sites each inspection team visits on each day, in what order.
// Pure over its inputs (the travel matrix comes from a function the caller passes); the search is the
// route optimiser (server/optimiser) in a worker thread. How each rule is enforced: docs/routing.md.
//
// The whole horizon (a day or a week) is one optimiser problem: a vehicle per (team, day) whose shift
// is that day's hours on a time axis of `dayIndex × 86 400 + seconds since midnight`, so a site is
// visited at most once over the horizon and the week's district coverage is decided in one search.
import { solveInWorker } from '../optimiser/solve-in-worker.ts';
import { InternalError, type Job, type Matrix, type PlannedRoute, type Problem, type Solution, type Stop, type TimeWindow, type Vehicle } from '../optimiser/problem.ts';
import { validateSolution } from '../optimiser/validator.ts';
import { scheduleRoute } from './schedule.ts';
import { areaTypeOf, defaultAreaTypeRule, travelTimeMatrix, type AreaType, type AreaTypeRule, type DistrictFacts, type TravelPoint } from './travel-time.ts';

const DAY = 86_400;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** 'HH:MM' local time, 00:00–24:00. */
export type Clock = string;

export interface Position {
  lon: number;
  lat: number;
}

/**
 * Where lunch is eaten: back at the base, at the station of the district being inspected, or (the
 * seed's rule) at the base when the team works in central districts and at the station in the suburbs.
 */
export type LunchPlace = 'base' | 'district-station' | 'by-area';

export interface PlannerTeam {
  id: string;
  /** The team's base, with the district it lies in (for the travel speed around it). */
  base: Position & { district: string };
  /** District codes the team may inspect (unless a site names its teams, see PlannerSite.teams). */
  areas: string[];
  hours: { start: Clock; end: Clock };
  lunch?: { windowStart: Clock; windowEnd: Clock; minutes: number; place: LunchPlace };
}

export interface PlannerSite {
  id: string;
  position: Position;
  district: string;
  /** The site's priority over the planned days (>= 0; higher = more worth a visit). */
  priority: number;
  /** Opening intervals per weekday ([['07:00','12:00'], ...]); a weekday missing = closed; undefined = always open. */
  openingHours?: Partial<Record<Weekday, Array<[Clock, Clock]>>>;
  serviceMinutes: number;
  /** 回头看: the last day (YYYY-MM-DD, inclusive) by which the follow-up visit is due. */
  followUpDue?: string;
  /**
   * The teams that may inspect this site, when the caller knows better than "its district is one of
   * the team's areas" (areas at street level, directly supervised sites).
   */
  teams?: string[];
}

/** A visit a leader fixed: this site, by this team, on this day (and at this place in the order). */
export interface PlannerLock {
  site: string;
  team: string;
  day: string;
  /** 1-based place among the team-day's sites. */
  position?: number;
}

/** A site a leader moved to another day and/or team; the planner places it there. */
export interface PlannerMove {
  site: string;
  day?: string;
  team?: string;
}

export interface PlannerInput {
  /** YYYY-MM-DD, in order: one day or the round's days of a week. */
  days: string[];
  teams: PlannerTeam[];
  sites: PlannerSite[];
  sitesPerTeamDay: { min: number; max: number };
  /** Upper bound on a team's driving per day (minutes). */
  maxTravelMinutesPerDay?: number;
  locks?: PlannerLock[];
  moves?: PlannerMove[];
  /** District stations (区站) where a team lunches when working in that suburban district. */
  stations?: Array<{ district: string; position: Position }>;
  coverage?: {
    /** Districts to visit at least once (default: the districts of the candidate sites). */
    districts?: string[];
    /** Districts already visited earlier in the week. */
    alreadyCovered?: string[];
    /** Make each uncovered district's best site mandatory (default true). A day plan early in the week may report only. */
    enforce?: boolean;
  };
}

export interface PlannerOptions {
  /** Seconds → matrix; default: the great-circle model. The API passes the road network when loaded. */
  travelMatrix?: (points: TravelPoint[]) => Matrix | Promise<Matrix>;
  areaTypeRule?: AreaTypeRule;
  /** District densities for a density rule (see routing.repository.ts districtDensities). */
  districts?: DistrictFacts[];
  /** Minutes from a site to its district station, each way, for districts without a known station (default 10). */
  stationAccessMinutes?: number;
  seed?: number;
  /** Search budget; default 2 s per day. */
  timeLimitMs?: number;
  /** Stop after this many search iterations: with it, the plan depends on the seed only. */
  maxIterations?: number;
}

export type UnassignedReason =
  | 'no-team-for-area'
  | 'closed-on-plan-days'
  | 'not-open-in-team-hours'
  | 'travel-time-too-long'
  | 'not-selected'
  | 'displaced-by-locked-order';

export type StopReason = 'locked' | 'moved' | 'follow-up' | 'coverage' | 'priority';

export interface PlannedStop {
  kind: 'site' | 'lunch';
  siteId?: string;
  district?: string;
  /** 1-based order among the day's sites. */
  order?: number;
  /** Why the site is in the plan. */
  why?: StopReason;
  priority?: number;
  lunchPlace?: 'base' | 'district-station';
  arrival: Clock;
  start: Clock;
  departure: Clock;
  /** Seconds since the day's midnight. */
  arrivalSeconds: number;
  startSeconds: number;
  departureSeconds: number;
  travelSecondsFromPrevious: number;
}

export interface TeamDayPlan {
  team: string;
  day: string;
  stops: PlannedStop[];
  sites: number;
  travelSeconds: number;
  /** Travel back to the base after the last stop (included in travelSeconds). */
  travelSecondsToBase: number;
  leaveBase: Clock;
  backAtBase: Clock;
}

export interface DayPlan {
  day: string;
  teams: TeamDayPlan[];
}

export type CoverageReason =
  | 'no-sites-in-scope'
  | 'no-team-for-area'
  | 'closed-on-plan-days'
  | 'not-open-in-team-hours'
  | 'travel-time-too-long'
  | 'no-room'
  | 'not-enforced';

export interface DistrictCoverage {
  district: string;
  sitesInScope: number;
  sitesPlanned: number;
  alreadyCovered: boolean;
  covered: boolean;
  firstDay: string | null;
  /** Why the district is not covered. */
  reason?: CoverageReason;
}

export interface Shortfall {
  team: string;
  day: string;
  planned: number;
  min: number;
  reason: 'no-more-sites-available' | 'hours-or-travel-limit';
}

export interface FollowUpStatus {
  siteId: string;
  due: string;
  plannedDay: string | null;
  overdue: boolean;
  reason?: UnassignedReason;
}

export interface PlanResult {
  days: DayPlan[];
  unassigned: Array<{ siteId: string; district: string; reason: UnassignedReason; mandatory: boolean }>;
  coverage: { districts: DistrictCoverage[]; allCovered: boolean };
  shortfalls: Shortfall[];
  followUps: FollowUpStatus[];
  summary: { sitesPlanned: number; priorityCollected: number; travelSeconds: number; iterations: number; ms: number };
}

/** The input contradicts itself (unknown site in a lock, lock outside a team's areas...). */
export class PlannerInputError extends Error {
  override readonly name = 'PlannerInputError';
  constructor(readonly issues: string[]) {
    super(`规划输入有误 / invalid planner input: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3})` : ''}`);
  }
}

/** A locked or moved visit cannot be kept (hours, travel, too many locks on a day). */
export class PlannerLockError extends Error {
  override readonly name = 'PlannerLockError';
  constructor(readonly sites: Array<{ siteId: string; reason: UnassignedReason | 'position-not-possible' }>) {
    super(
      `锁定或调整的走访无法安排 / locked or moved visit(s) cannot be kept: ${sites.map((s) => `${s.siteId} (${s.reason})`).join(', ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Times and dates

export function clockSeconds(clock: Clock): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(clock);
  const seconds = match ? Number(match[1]) * 3600 + Number(match[2]) * 60 : Number.NaN;
  if (!(seconds <= DAY)) throw new PlannerInputError([`time ${clock} is not HH:MM between 00:00 and 24:00`]);
  return seconds;
}

export function formatClock(seconds: number): Clock {
  const minutes = Math.round(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function isDate(day: string): boolean {
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

const weekdayOf = (day: string): Weekday => weekdays[new Date(`${day}T00:00:00Z`).getUTCDay()] as Weekday;

/** The teams that may inspect a site: its own list, else those with its district among their areas. */
function eligibleTeams(site: PlannerSite, teams: readonly PlannerTeam[]): string[] {
  if (site.teams) return site.teams.filter((id) => teams.some((t) => t.id === id));
  return teams.filter((t) => t.areas.includes(site.district)).map((t) => t.id);
}

// ---------------------------------------------------------------------------------------------
// Input checks

function checkInput(input: PlannerInput): void {
  const issues: string[] = [];
  if (input.days.length === 0) issues.push('at least one day is required');
  for (const day of input.days) if (!isDate(day)) issues.push(`day ${day} is not a calendar date (YYYY-MM-DD)`);
  if (new Set(input.days).size !== input.days.length) issues.push('days must be distinct');
  if ([...input.days].sort().join() !== input.days.join()) issues.push('days must be in order');
  if (input.teams.length === 0) issues.push('at least one team is required');
  const { min, max } = input.sitesPerTeamDay;
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max >= 1 && min <= max)) {
    issues.push('sitesPerTeamDay needs integers 0 <= min <= max, max >= 1');
  }
  if (input.maxTravelMinutesPerDay !== undefined && !(input.maxTravelMinutesPerDay > 0)) issues.push('maxTravelMinutesPerDay must be > 0');
  const teams = new Map<string, PlannerTeam>();
  for (const team of input.teams) {
    if (teams.has(team.id)) issues.push(`team ${team.id} is listed twice`);
    teams.set(team.id, team);
    const start = clockSeconds(team.hours.start);
    const end = clockSeconds(team.hours.end);
    if (start >= end) issues.push(`team ${team.id}: hours must end after they start`);
    if (team.lunch) {
      const ws = clockSeconds(team.lunch.windowStart);
      const we = clockSeconds(team.lunch.windowEnd);
      if (ws > we) issues.push(`team ${team.id}: lunch window must end after it starts`);
      if (!(team.lunch.minutes >= 0)) issues.push(`team ${team.id}: lunch minutes must be >= 0`);
      if (Math.max(ws, start) > we || Math.max(ws, start) + team.lunch.minutes * 60 > end) issues.push(`team ${team.id}: lunch does not fit in its hours`);
    }
  }
  const sites = new Map<string, PlannerSite>();
  for (const site of input.sites) {
    if (sites.has(site.id)) issues.push(`site ${site.id} is listed twice`);
    sites.set(site.id, site);
    if (!(site.priority >= 0)) issues.push(`site ${site.id}: priority must be >= 0`);
    if (!(site.serviceMinutes >= 0)) issues.push(`site ${site.id}: service minutes must be >= 0`);
    if (site.followUpDue !== undefined && !isDate(site.followUpDue)) issues.push(`site ${site.id}: follow-up due ${site.followUpDue} is not a date`);
    for (const [weekday, intervals] of Object.entries(site.openingHours ?? {})) {
      for (const [open, close] of intervals ?? []) {
        if (clockSeconds(open) >= clockSeconds(close)) issues.push(`site ${site.id}: opening interval ${weekday} ${open}-${close} is empty`);
      }
    }
  }
  const pinned = new Set<string>();
  const checkPin = (kind: string, siteId: string, teamId: string | undefined, day: string | undefined): void => {
    const site = sites.get(siteId);
    if (!site) return void issues.push(`${kind} of unknown site ${siteId}`);
    if (pinned.has(siteId)) issues.push(`site ${siteId} is locked or moved twice`);
    pinned.add(siteId);
    if (day !== undefined && !input.days.includes(day)) issues.push(`${kind} of site ${siteId}: day ${day} is not planned`);
    if (teamId !== undefined) {
      const team = teams.get(teamId);
      if (!team) issues.push(`${kind} of site ${siteId}: unknown team ${teamId}`);
      else if (!eligibleTeams(site, input.teams).includes(teamId)) issues.push(`${kind} of site ${siteId}: team ${teamId} may not inspect it (district ${site.district})`);
    }
  };
  const lockCount = new Map<string, number>();
  const lockPositions = new Set<string>();
  for (const lock of input.locks ?? []) {
    checkPin('lock', lock.site, lock.team, lock.day);
    const key = `${lock.team}|${lock.day}`;
    lockCount.set(key, (lockCount.get(key) ?? 0) + 1);
    if ((lockCount.get(key) ?? 0) > max) issues.push(`team ${lock.team} has more than ${max} locked visits on ${lock.day}`);
    if (lock.position !== undefined) {
      if (!(Number.isInteger(lock.position) && lock.position >= 1 && lock.position <= max)) issues.push(`lock of site ${lock.site}: position must be 1..${max}`);
      if (lockPositions.has(`${key}|${lock.position}`)) issues.push(`two locks at position ${lock.position} for team ${lock.team} on ${lock.day}`);
      lockPositions.add(`${key}|${lock.position}`);
    }
  }
  for (const move of input.moves ?? []) {
    if (move.day === undefined && move.team === undefined) issues.push(`move of site ${move.site} names neither a day nor a team`);
    checkPin('move', move.site, move.team, move.day);
  }
  if (issues.length > 0) throw new PlannerInputError(issues);
}

// ---------------------------------------------------------------------------------------------
// Building the optimiser problem

interface Built {
  problem: Problem;
  /** job index → site (or undefined if the site was left out before the search) */
  jobSite: PlannerSite[];
  jobWhy: StopReason[];
  /** Sites left out before the search, with the reason. */
  excluded: Map<string, UnassignedReason>;
  lunchPlaceOf: (team: PlannerTeam, district: string | undefined) => 'base' | 'district-station';
  eligible: Map<string, string[]>;
}

const teamSkill = (team: string): string => `team:${team}`;
const daySkill = (day: string): string => `day:${day}`;
/** A skill per set of teams that may inspect a site: a site needs its set's skill, each team in it has it. */
const eligibilitySkill = (teamIds: readonly string[]): string => `teams:${[...teamIds].sort().join('|')}`;

function siteWindows(site: PlannerSite, days: readonly string[], allowed: (dayIndex: number) => boolean): TimeWindow[] {
  const service = Math.round(site.serviceMinutes * 60);
  const windows: TimeWindow[] = [];
  days.forEach((day, d) => {
    if (!allowed(d)) return;
    // The whole inspection happens while the site is open: the last start is closing time − service.
    const intervals = site.openingHours === undefined ? [['00:00', '24:00'] as [Clock, Clock]] : (site.openingHours[weekdayOf(day)] ?? []);
    for (const [open, close] of [...intervals].sort((a, b) => clockSeconds(a[0]) - clockSeconds(b[0]))) {
      const start = clockSeconds(open);
      const end = clockSeconds(close) - service;
      if (end >= start) windows.push({ start: d * DAY + start, end: d * DAY + end });
    }
  });
  // Touching intervals (12:00 | 12:00) would break the optimiser's "disjoint" rule: merge them.
  const merged: TimeWindow[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

async function buildProblem(input: PlannerInput, options: PlannerOptions): Promise<Built> {
  const rule = options.areaTypeRule ?? defaultAreaTypeRule;
  const facts = new Map((options.districts ?? []).map((d) => [d.code, d]));
  const areaType = (district: string): AreaType => areaTypeOf(facts.get(district) ?? { code: district }, rule);
  const { days, teams, sites } = input;

  // Matrix places: team bases first, then sites.
  const stations = input.stations ?? [];
  const points: TravelPoint[] = [
    ...teams.map((t) => ({ lon: t.base.lon, lat: t.base.lat, areaType: areaType(t.base.district) })),
    ...sites.map((s) => ({ lon: s.position.lon, lat: s.position.lat, areaType: areaType(s.district) })),
    ...stations.map((st) => ({ lon: st.position.lon, lat: st.position.lat, areaType: areaType(st.district) })),
  ];
  const matrix = options.travelMatrix ? await options.travelMatrix(points) : travelTimeMatrix(points);
  if (matrix.size !== points.length) throw new InternalError(`travel matrix has ${matrix.size} places, expected ${points.length}`);
  const sitePoint = new Map(sites.map((s, i) => [s.id, teams.length + i]));
  const stationPoint = new Map(stations.map((st, i) => [st.district, teams.length + sites.length + i]));
  const eligible = new Map(sites.map((s) => [s.id, eligibleTeams(s, teams)]));
  const size = matrix.size;
  const dur = (a: number, b: number): number => Number(matrix.durations[a * size + b]);

  // Lunch place: modelled as a break where the team is, lengthened by the trip to the place and back.
  const defaultStationLeg = 60 * (options.stationAccessMinutes ?? 10);
  // From a suburban site to its district's station and back to the site.
  const stationTrip = (candidates: PlannerSite[]): number =>
    median(
      candidates.map((s) => {
        const station = stationPoint.get(s.district);
        const at = sitePoint.get(s.id) as number;
        return station === undefined ? 2 * defaultStationLeg : dur(at, station) + dur(station, at);
      }),
    );
  const lunchPlaceOf = (team: PlannerTeam, district: string | undefined): 'base' | 'district-station' => {
    const place = team.lunch?.place ?? 'base';
    if (place !== 'by-area') return place;
    return district !== undefined && areaType(district) !== 'central' ? 'district-station' : 'base';
  };
  const lunchAllowance = (team: PlannerTeam, index: number): number => {
    const place = team.lunch?.place ?? 'base';
    const teamSites = sites.filter((s) => eligible.get(s.id)?.includes(team.id));
    const baseTrip = (candidates: PlannerSite[]): number =>
      median(candidates.map((s) => dur(sitePoint.get(s.id) as number, index) + dur(index, sitePoint.get(s.id) as number)));
    if (place === 'base') return baseTrip(teamSites);
    if (place === 'district-station') return teamSites.length > 0 ? stationTrip(teamSites) : 2 * defaultStationLeg;
    const central = teamSites.filter((s) => areaType(s.district) === 'central');
    const suburban = teamSites.filter((s) => areaType(s.district) !== 'central');
    // A team with both kinds of district gets the longer of the two: the plan never under-allows lunch.
    return Math.max(central.length > 0 ? baseTrip(central) : 0, suburban.length > 0 ? stationTrip(suburban) : 0);
  };

  const classes = [...new Set([...eligible.values()].filter((ids) => ids.length > 0).map(eligibilitySkill))];
  const teamClasses = (teamId: string): string[] => classes.filter((c) => c.slice('teams:'.length).split('|').includes(teamId));
  const maxTravel = input.maxTravelMinutesPerDay === undefined ? undefined : input.maxTravelMinutesPerDay * 60;
  const vehicles: Vehicle[] = [];
  days.forEach((day, d) => {
    teams.forEach((team, t) => {
      const lunch = team.lunch;
      vehicles.push({
        id: `${team.id}@${day}`,
        start: t,
        end: t,
        shift: { start: d * DAY + clockSeconds(team.hours.start), end: d * DAY + clockSeconds(team.hours.end) },
        skills: [...teamClasses(team.id), teamSkill(team.id), daySkill(day)],
        maxStops: input.sitesPerTeamDay.max,
        ...(maxTravel === undefined ? {} : { maxTravelTime: maxTravel }),
        ...(lunch
          ? {
              lunch: {
                windows: [{ start: d * DAY + clockSeconds(lunch.windowStart), end: d * DAY + clockSeconds(lunch.windowEnd) }],
                duration: Math.round(lunch.minutes * 60) + lunchAllowance(team, t),
              },
            }
          : {}),
      });
    });
  });

  const locks = new Map((input.locks ?? []).map((l) => [l.site, l]));
  const moves = new Map((input.moves ?? []).map((m) => [m.site, m]));
  const firstDay = days[0] as string;
  const lastDay = days[days.length - 1] as string;
  const jobs: Job[] = [];
  const jobSite: PlannerSite[] = [];
  const jobWhy: StopReason[] = [];
  const excluded = new Map<string, UnassignedReason>();
  for (const site of sites) {
    const lock = locks.get(site.id);
    const move = moves.get(site.id);
    const pinDay = lock?.day ?? move?.day;
    const pinTeam = lock?.team ?? move?.team;
    // 回头看 due inside the horizon: mandatory, on a day up to the due date; overdue: mandatory, any day.
    const due = site.followUpDue;
    const followUp = due !== undefined && due <= lastDay;
    const allowed = (d: number): boolean =>
      (pinDay === undefined || days[d] === pinDay) && (!followUp || (due as string) < firstDay || (days[d] as string) <= (due as string));
    const siteTeams = eligible.get(site.id) ?? [];
    if (siteTeams.length === 0) {
      excluded.set(site.id, 'no-team-for-area');
      continue;
    }
    const windows = siteWindows(site, days, allowed);
    if (windows.length === 0) {
      excluded.set(site.id, 'closed-on-plan-days');
      continue;
    }
    const skills = [eligibilitySkill(siteTeams)];
    if (pinTeam !== undefined) skills.push(teamSkill(pinTeam));
    if (pinDay !== undefined) skills.push(daySkill(pinDay));
    jobs.push({
      id: site.id,
      location: sitePoint.get(site.id) as number,
      service: Math.round(site.serviceMinutes * 60),
      windows,
      // A small bonus per site: a priority-0 site is still worth a visit when it costs nothing in
      // priority, and the per-day minimum is easier to reach.
      priority: site.priority + 1e-3,
      skills,
      mandatory: lock !== undefined || move !== undefined || followUp,
    });
    jobSite.push(site);
    jobWhy.push(lock ? 'locked' : move ? 'moved' : followUp ? 'follow-up' : 'priority');
  }
  return {
    problem: { matrix, vehicles, jobs },
    eligible,
    jobSite,
    jobWhy,
    excluded,
    lunchPlaceOf,
  };
}

// ---------------------------------------------------------------------------------------------
// Screening: can a site be visited alone, by some team on some day?

type Screen = { servable: true } | { servable: false; reason: UnassignedReason };

function screenJob(built: Built, jobIndex: number): Screen {
  const { problem } = built;
  const job = problem.jobs[jobIndex] as Job;
  const size = problem.matrix.size;
  const dur = (a: number, b: number): number => Number(problem.matrix.durations[a * size + b]);
  const needs = job.skills ?? [];
  let withinReach = false;
  let anyTeam = false;
  for (const vehicle of problem.vehicles) {
    const skills = new Set(vehicle.skills);
    if (!needs.every((s) => skills.has(s))) continue;
    anyTeam = true;
    // A round trip beyond the day's travel limit is "too far", whatever the hours say.
    if (vehicle.maxTravelTime !== undefined && dur(vehicle.start, job.location) + dur(job.location, vehicle.end) > vehicle.maxTravelTime) continue;
    withinReach = true;
    if (scheduleRoute(problem, vehicle, [job]).ok) return { servable: true };
  }
  if (!anyTeam) return { servable: false, reason: 'no-team-for-area' };
  return { servable: false, reason: withinReach ? 'not-open-in-team-hours' : 'travel-time-too-long' };
}

// Closest to feasible first: the reason a district is reported with is the most actionable one.
const reasonRank: UnassignedReason[] = ['travel-time-too-long', 'not-open-in-team-hours', 'closed-on-plan-days', 'no-team-for-area'];

// ---------------------------------------------------------------------------------------------
// Fixed positions: a leader's "this site second" is kept by re-ordering the team-day's route.

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function applyPositions(built: Built, solution: Solution, locks: PlannerLock[]): { displaced: string[] } {
  const displaced: string[] = [];
  const jobsById = new Map(built.problem.jobs.map((j) => [j.id, j]));
  const priorityOf = (id: string): number => jobsById.get(id)?.priority ?? 0;
  const byVehicle = new Map<string, Map<string, number>>();
  for (const lock of locks) {
    if (lock.position === undefined) continue;
    const key = `${lock.team}@${lock.day}`;
    if (!byVehicle.has(key)) byVehicle.set(key, new Map());
    byVehicle.get(key)?.set(lock.site, lock.position);
  }
  for (const [vehicleId, positions] of byVehicle) {
    const route = solution.routes.find((r) => r.vehicle === vehicleId);
    const vehicle = built.problem.vehicles.find((v) => v.id === vehicleId) as Vehicle;
    const ids = route ? route.stops.filter((s) => s.kind === 'job').map((s) => s.job as string) : [];
    const satisfied = (order: string[]): boolean => [...positions].every(([site, position]) => order[position - 1] === site);
    if (satisfied(ids)) continue;
    // Drop the least valuable free sites until an order keeping every fixed position fits the day.
    let kept = [...ids];
    for (;;) {
      const fixedCount = [...positions.keys()].filter((s) => kept.includes(s)).length;
      let best: PlannedRoute | undefined;
      const maxPosition = Math.max(...positions.values());
      if (fixedCount === positions.size && kept.length >= maxPosition && kept.length <= 8) {
        for (const order of permutations(kept)) {
          if (!satisfied(order)) continue;
          const result = scheduleRoute(built.problem, vehicle, order.map((id) => jobsById.get(id) as Job));
          if (result.ok && (best === undefined || result.route.cost < best.cost)) best = result.route;
        }
      }
      if (best) {
        const index = solution.routes.findIndex((r) => r.vehicle === vehicleId);
        if (index >= 0) solution.routes[index] = best;
        else solution.routes.push(best);
        break;
      }
      const free = kept.filter((id) => !positions.has(id)).sort((a, b) => priorityOf(a) - priorityOf(b) || a.localeCompare(b));
      const drop = free[0];
      // Only the fixed sites left, or a position beyond the sites there are: it cannot be kept.
      if (drop === undefined || kept.length < Math.max(...positions.values())) {
        throw new PlannerLockError([...positions.keys()].map((siteId) => ({ siteId, reason: 'position-not-possible' as const })));
      }
      kept = kept.filter((id) => id !== drop);
      displaced.push(drop);
    }
  }
  if (displaced.length > 0) {
    solution.unassigned.push(...displaced.map((job) => ({ job, reason: 'no-room-in-plan' as const })));
  }
  // Totals the validator compares with the routes.
  solution.summary.cost = solution.routes.reduce((sum, r) => sum + r.cost, 0);
  solution.summary.travelTime = solution.routes.reduce((sum, r) => sum + r.travelTime, 0);
  return { displaced };
}

// ---------------------------------------------------------------------------------------------

export async function planRound(input: PlannerInput, options: PlannerOptions = {}): Promise<PlanResult> {
  checkInput(input);
  const started = performance.now();
  const built = await buildProblem(input, options);
  const { problem, jobSite, jobWhy } = built;

  // Coverage: districts in scope, minus those already visited this week or certain to be visited
  // (locked, moved and due 回头看 sites are mandatory).
  const scope = input.coverage?.districts ?? [...new Set(input.sites.map((s) => s.district))].sort();
  const already = new Set(input.coverage?.alreadyCovered ?? []);
  const enforce = input.coverage?.enforce ?? true;
  const screens = problem.jobs.map((_, j) => screenJob(built, j));
  const servedForSure = new Set<string>();
  problem.jobs.forEach((job, j) => {
    if (job.mandatory && screens[j]?.servable) servedForSure.add((jobSite[j] as PlannerSite).district);
  });
  if (enforce) {
    for (const district of scope) {
      if (already.has(district) || servedForSure.has(district)) continue;
      // The district's most valuable site that some team can visit becomes mandatory.
      let best = -1;
      problem.jobs.forEach((job, j) => {
        const site = jobSite[j] as PlannerSite;
        if (site.district !== district || !screens[j]?.servable || job.mandatory) return;
        const current = best < 0 ? undefined : (jobSite[best] as PlannerSite);
        if (!current || site.priority > current.priority || (site.priority === current.priority && site.id < current.id)) best = j;
      });
      if (best >= 0) {
        (problem.jobs[best] as Job).mandatory = true;
        jobWhy[best] = 'coverage';
      }
    }
  }

  const solution = await solveInWorker(problem, {
    timeLimitMs: options.timeLimitMs ?? 2000 * input.days.length,
    seed: options.seed ?? 1,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });

  // Locked or moved visits the search could not keep: the leader must change them.
  const pinned = new Set([...(input.locks ?? []).map((l) => l.site), ...(input.moves ?? []).map((m) => m.site)]);
  const lost = solution.unassigned.filter((u) => pinned.has(u.job));
  const excludedPins = [...pinned].filter((id) => built.excluded.has(id));
  if (lost.length > 0 || excludedPins.length > 0) {
    throw new PlannerLockError([
      ...excludedPins.map((siteId) => ({ siteId, reason: built.excluded.get(siteId) as UnassignedReason })),
      ...lost.map((u) => {
        const j = problem.jobs.findIndex((job) => job.id === u.job);
        const screen = screens[j];
        return { siteId: u.job, reason: screen && !screen.servable ? screen.reason : ('not-selected' as UnassignedReason) };
      }),
    ]);
  }

  const { displaced } = applyPositions(built, solution, input.locks ?? []);

  // Every plan returned passes the optimiser's independent validator.
  const report = validateSolution(problem, solution);
  if (!report.valid) throw new InternalError(`planner produced an invalid plan: ${report.violations.slice(0, 5).join('; ')}`);

  return describe(input, built, solution, screens, displaced, scope, already, enforce, started);
}

function describe(
  input: PlannerInput,
  built: Built,
  solution: Solution,
  screens: Screen[],
  displaced: string[],
  scope: string[],
  already: Set<string>,
  enforce: boolean,
  started: number,
): PlanResult {
  const { problem, jobSite, jobWhy } = built;
  const size = problem.matrix.size;
  const dur = (a: number, b: number): number => Number(problem.matrix.durations[a * size + b]);
  const jobIndex = new Map(problem.jobs.map((j, i) => [j.id, i]));
  const teams = new Map(input.teams.map((t) => [t.id, t]));
  const routes = new Map(solution.routes.map((r) => [r.vehicle, r]));
  const plannedDay = new Map<string, string>();
  let priorityCollected = 0;
  let travelTotal = 0;

  const days: DayPlan[] = input.days.map((day, d) => ({
    day,
    teams: input.teams.map((team) => {
      const vehicle = problem.vehicles.find((v) => v.id === `${team.id}@${day}`) as Vehicle;
      const offset = d * DAY;
      const route = routes.get(vehicle.id);
      const jobStops = route?.stops.filter((s) => s.kind === 'job') ?? [];
      const stops: PlannedStop[] = [];
      let place = vehicle.start;
      let order = 0;
      const visits = route?.stops.filter((s) => s.kind === 'job' || s.kind === 'break') ?? [];
      visits.forEach((stop: Stop, k) => {
        const timing = {
          arrival: formatClock(stop.arrival - offset),
          start: formatClock(stop.begin - offset),
          departure: formatClock(stop.departure - offset),
          arrivalSeconds: stop.arrival - offset,
          startSeconds: stop.begin - offset,
          departureSeconds: stop.departure - offset,
        };
        if (stop.kind === 'break') {
          // The lunch place follows where the team is working: the site before lunch, else after.
          const near = visits[k - 1]?.job ?? visits[k + 1]?.job;
          const district = near === undefined ? undefined : jobSite[jobIndex.get(near) as number]?.district;
          stops.push({ kind: 'lunch', lunchPlace: built.lunchPlaceOf(teams.get(team.id) as PlannerTeam, district), ...timing, travelSecondsFromPrevious: 0 });
          return;
        }
        const j = jobIndex.get(stop.job as string) as number;
        const site = jobSite[j] as PlannerSite;
        plannedDay.set(site.id, day);
        priorityCollected += site.priority;
        stops.push({
          kind: 'site',
          siteId: site.id,
          district: site.district,
          order: ++order,
          why: jobWhy[j] as StopReason,
          priority: site.priority,
          ...timing,
          travelSecondsFromPrevious: dur(place, stop.location),
        });
        place = stop.location;
      });
      const travelSeconds = route?.travelTime ?? 0;
      travelTotal += travelSeconds;
      const end = route?.stops.find((s) => s.kind === 'end');
      return {
        team: team.id,
        day,
        stops,
        sites: jobStops.length,
        travelSeconds,
        travelSecondsToBase: jobStops.length > 0 ? dur(place, vehicle.end) : 0,
        leaveBase: formatClock(vehicle.shift.start - offset),
        backAtBase: formatClock((jobStops.length > 0 && end ? end.arrival : vehicle.shift.start) - offset),
      };
    }),
  }));

  const unassigned: PlanResult['unassigned'] = [];
  const reasonOf = new Map<string, UnassignedReason>();
  for (const site of input.sites) {
    if (plannedDay.has(site.id)) continue;
    const j = jobIndex.get(site.id);
    const screen = j === undefined ? undefined : screens[j];
    const reason: UnassignedReason =
      built.excluded.get(site.id) ??
      (displaced.includes(site.id) ? 'displaced-by-locked-order' : screen && !screen.servable ? screen.reason : 'not-selected');
    reasonOf.set(site.id, reason);
    unassigned.push({ siteId: site.id, district: site.district, reason, mandatory: j !== undefined && problem.jobs[j]?.mandatory === true });
  }

  const districts: DistrictCoverage[] = scope.map((district) => {
    const inScope = input.sites.filter((s) => s.district === district);
    const planned = inScope.filter((s) => plannedDay.has(s.id));
    const firstDay = planned.map((s) => plannedDay.get(s.id) as string).sort()[0] ?? null;
    const covered = already.has(district) || planned.length > 0;
    const entry: DistrictCoverage = { district, sitesInScope: inScope.length, sitesPlanned: planned.length, alreadyCovered: already.has(district), covered, firstDay };
    if (!covered) {
      if (inScope.length === 0) entry.reason = 'no-sites-in-scope';
      else {
        const reasons = new Set(inScope.map((s) => reasonOf.get(s.id)));
        const hard = reasonRank.find((r) => reasons.has(r));
        // Some site could be visited but was not: the days were full (mandatory visits elsewhere),
        // or coverage was not enforced for this plan.
        entry.reason = reasons.has('not-selected') || reasons.has('displaced-by-locked-order') ? (enforce ? 'no-room' : 'not-enforced') : (hard as CoverageReason);
      }
    }
    return entry;
  });

  const shortfalls: Shortfall[] = [];
  const { min } = input.sitesPerTeamDay;
  for (const day of days) {
    for (const plan of day.teams) {
      if (plan.sites >= min) continue;
      const left = unassigned.some((u) => u.reason === 'not-selected' && built.eligible.get(u.siteId)?.includes(plan.team));
      shortfalls.push({ team: plan.team, day: day.day, planned: plan.sites, min, reason: left ? 'hours-or-travel-limit' : 'no-more-sites-available' });
    }
  }

  const lastDay = input.days[input.days.length - 1] as string;
  const followUps: FollowUpStatus[] = input.sites
    .filter((s) => s.followUpDue !== undefined && s.followUpDue <= lastDay)
    .map((s) => {
      const status: FollowUpStatus = { siteId: s.id, due: s.followUpDue as string, plannedDay: plannedDay.get(s.id) ?? null, overdue: (s.followUpDue as string) < (input.days[0] as string) };
      const reason = reasonOf.get(s.id);
      if (reason) status.reason = reason;
      return status;
    });

  return {
    days,
    unassigned,
    coverage: { districts, allCovered: districts.every((d) => d.covered) },
    shortfalls,
    followUps,
    summary: {
      sitesPlanned: plannedDay.size,
      priorityCollected: Math.round(priorityCollected * 1000) / 1000,
      travelSeconds: travelTotal,
      iterations: solution.iterations,
      ms: Math.round(performance.now() - started),
    },
  };
}
