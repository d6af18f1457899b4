// API shapes of the round planner (server/routing/index.ts).
import { Type, type Static } from 'typebox';
import { CityDay } from '../contracts/common.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Day = CityDay;
const Clock = Type.String({ description: 'local city time HH:MM' });

const PlanOptions = {
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'same seed, same inputs and budget: same plan (default 1)' })),
  timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 60, description: 'search budget (default 2 s per planned day)' })),
  serviceMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 480, description: 'time on site per inspection (default 60)' })),
  maxTravelMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 720, description: "a team's driving per day at most (default 240)" })),
};

export const PlanRequest = Type.Object(
  {
    day: Type.Optional(Day),
    week: Type.Optional(
      Type.String({ format: 'date', description: 'any day of the week (Monday–Sunday): plans every round day of it' }),
    ),
    ...PlanOptions,
  },
  { additionalProperties: false, description: 'give day or week' },
);
export type PlanRequest = Static<typeof PlanRequest>;

export const PlanChange = Type.Object(
  {
    day: Day,
    siteId: Id,
    locked: Type.Optional(Type.Boolean({ description: 'true: keep the stop (team, day, order) in this and later re-plans; false: free it' })),
    moveTo: Type.Optional(
      Type.Object({ day: Type.Optional(Day), teamId: Type.Optional(Id) }, { additionalProperties: false, description: 'another day and/or team; the moved stop is locked there' }),
    ),
    ...PlanOptions,
  },
  { additionalProperties: false },
);
export type PlanChange = Static<typeof PlanChange>;

export const UnassignedReason = Type.Enum([
  'no-team-for-area', 'closed-on-plan-days', 'not-open-in-team-hours', 'travel-time-too-long', 'not-selected', 'displaced-by-locked-order',
]);

/** Why the planner put a stop in the plan (stored with the stop). */
export const PlanWhy = Type.Enum(['locked', 'moved', 'follow-up', 'coverage', 'priority']);
export type PlanWhy = Static<typeof PlanWhy>;

export const PlannedStop = Type.Object({
  kind: Type.Enum(['site', 'lunch']),
  siteId: Type.Optional(Type.Integer()),
  district: Type.Optional(Type.String()),
  order: Type.Optional(Type.Integer()),
  why: Type.Optional(PlanWhy),
  priority: Type.Optional(Type.Number()),
  lunchPlace: Type.Optional(Type.Enum(['base', 'station'])),
  arrival: Clock,
  start: Clock,
  departure: Clock,
  travelSecondsFromPrevious: Type.Integer(),
});

export const TeamDayPlan = Type.Object({
  teamId: Type.Integer(),
  planId: Type.Integer(),
  sites: Type.Integer(),
  travelSeconds: Type.Integer(),
  leaveBase: Clock,
  backAtBase: Clock,
  stops: Type.Array(PlannedStop),
});

export const PlanCoverage = Type.Object({
  enforced: Type.Boolean(),
  allCovered: Type.Boolean(),
  districts: Type.Array(
    Type.Object({
      district: Type.String(),
      sitesInScope: Type.Integer(),
      sitesPlanned: Type.Integer(),
      alreadyCovered: Type.Boolean(),
      covered: Type.Boolean(),
      firstDay: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Optional(
        Type.Enum(['no-sites-in-scope', 'no-team-for-area', 'closed-on-plan-days', 'not-open-in-team-hours', 'travel-time-too-long', 'no-room', 'not-enforced']),
      ),
    }),
  ),
});
export const Unassigned = Type.Array(Type.Object({ siteId: Type.Integer(), district: Type.String(), reason: UnassignedReason, mandatory: Type.Boolean() }));
export const Shortfalls = Type.Array(
  Type.Object({ teamId: Type.Integer(), day: Type.String(), planned: Type.Integer(), min: Type.Integer(), reason: Type.Enum(['no-more-sites-available', 'hours-or-travel-limit']) }),
);
export const FollowUps = Type.Array(
  Type.Object({ siteId: Type.Integer(), due: Type.String(), plannedDay: Type.Union([Type.String(), Type.Null()]), overdue: Type.Boolean(), reason: Type.Optional(UnassignedReason) }),
);
export const PlanSummary = Type.Object({
  sitesInScope: Type.Integer(),
  candidates: Type.Integer(),
  sitesPlanned: Type.Integer(),
  priorityCollected: Type.Number(),
  travelSeconds: Type.Integer(),
  travelSource: Type.Enum(['great-circle', 'road-network']),
  iterations: Type.Integer(),
  ms: Type.Integer(),
});

export const PlanResponse = Type.Object({
  roundId: Type.Integer(),
  days: Type.Array(Type.Object({ day: Type.String(), teams: Type.Array(TeamDayPlan) })),
  unassigned: Unassigned,
  coverage: PlanCoverage,
  shortfalls: Shortfalls,
  followUps: FollowUps,
  summary: PlanSummary,
});
export type PlanResponse = Static<typeof PlanResponse>;

/**
 * What the planner said about the stored plan of a day (GET …/plans?day=), kept from the run that
 * planned it last; limited to the reader's jurisdiction (districts, sites, teams that touch it).
 */
export const PlanNotes = Type.Object({
  days: Type.Array(Type.String(), { description: 'the days planned together in that run' }),
  plannedAt: Type.String(),
  plannedBy: Type.Union([Type.String(), Type.Null()]),
  unassigned: Unassigned,
  coverage: PlanCoverage,
  shortfalls: Shortfalls,
  followUps: FollowUps,
  summary: PlanSummary,
});
export type PlanNotes = Static<typeof PlanNotes>;
