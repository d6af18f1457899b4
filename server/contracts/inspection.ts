// API shapes of server/inspection: supervision rounds (督查) — teams, rounds, site priorities,
// visits and their results, rectifications, 回头看 follow-ups, coverage, notices, cases filed.
import { Type, type Static } from 'typebox';
import { AccessReason } from './audit.ts';
import { AreaCode, CityDay } from './common.ts';
import { SiteCategory, siteCategories } from './sites.ts';
import { PlanNotes, PlanWhy } from '../routing/contracts.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Day = CityDay;
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local city time HH:MM' });
const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const LonLat = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], {
  description: '[longitude, latitude] in WGS-84',
});
const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength });

// ---- teams -------------------------------------------------------------------------------

/** A round's checklist, and so a visit's results, has at most this many items. */
const maxChecklistItems = 30;

export const TeamMember = Type.Object(
  { name: Text(50, 1), agency: Text(100), phone: Text(30) },
  { additionalProperties: false },
);
export type TeamMember = Static<typeof TeamMember>;

export const TeamScope = Type.Enum(['areas', 'direct'], {
  description: "areas: the sites of its areas that the authority does not supervise directly; direct: the directly supervised sites (总站直管工程) in its areas",
});
export type TeamScope = Static<typeof TeamScope>;

export const LunchRule = Type.Enum(['base', 'station'], {
  description: 'base: lunch back at the base; station: at the district station when working in a district that has one (suburbs), else at the base',
});
export type LunchRule = Static<typeof LunchRule>;

export const TeamInput = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
    name: Text(100, 1),
    leaderName: Text(50, 1),
    leaderPhone: Type.Optional(Text(30)),
    leaderUsername: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9_.-]{2,64}$' }), Type.Null()])),
    members: Type.Array(TeamMember, { maxItems: 10 }),
    vehicle: Type.Optional(Text(50)),
    baseName: Text(200, 1),
    basePosition: LonLat,
    scope: Type.Optional(TeamScope),
    areas: Type.Array(AreaCode, { minItems: 1, maxItems: 100, uniqueItems: true }),
    workStart: TimeOfDay,
    workEnd: TimeOfDay,
    lunchRule: LunchRule,
    lunchStart: TimeOfDay,
    lunchEnd: TimeOfDay,
    lunchMinutes: Type.Integer({ minimum: 0, maximum: 180 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TeamInput = Static<typeof TeamInput>;

export const Team = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  leaderName: Type.String(),
  leaderPhone: Type.String(),
  leaderUsername: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(TeamMember),
  vehicle: Type.String(),
  baseName: Type.String(),
  basePosition: LonLat,
  scope: TeamScope,
  areas: Type.Array(Type.String()),
  areaNames: Type.Array(Type.String()),
  workStart: Type.String(),
  workEnd: Type.String(),
  lunchRule: LunchRule,
  lunchStart: Type.String(),
  lunchEnd: Type.String(),
  lunchMinutes: Type.Integer(),
  active: Type.Boolean(),
});
export type Team = Static<typeof Team>;
export const TeamList = Type.Object({ items: Type.Array(Team) });
export type TeamList = Static<typeof TeamList>;

export const IdParams = Type.Object({ id: Id });

// ---- rounds ------------------------------------------------------------------------------

export const ChecklistItem = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    label_zh: Text(100, 1),
    label_en: Text(200, 1),
  },
  { additionalProperties: false },
);
export type ChecklistItem = Static<typeof ChecklistItem>;

export const RoundInput = Type.Object(
  {
    name: Text(200, 1),
    dateFrom: Day,
    dateTo: Type.Optional(Type.Union([Day, Type.Null()], { description: 'null: until further notice' })),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1, maxItems: 7, uniqueItems: true, description: 'ISO weekdays: 1 = Monday … 7 = Sunday',
    }),
    categories: Type.Array(SiteCategory, { minItems: 1, maxItems: siteCategories.length, uniqueItems: true }),
    areas: Type.Array(AreaCode, { minItems: 1, maxItems: 100, uniqueItems: true }),
    minSitesPerDay: Type.Integer({ minimum: 0, maximum: 20 }),
    maxSitesPerDay: Type.Integer({ minimum: 1, maximum: 20 }),
    sheetDeadline: Type.Optional(TimeOfDay),
    checklist: Type.Array(ChecklistItem, { minItems: 1, maxItems: maxChecklistItems }),
    teamIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
    status: Type.Optional(Type.Enum(['active', 'closed'])),
  },
  { additionalProperties: false },
);
export type RoundInput = Static<typeof RoundInput>;

export const Round = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  dateFrom: Type.String(),
  dateTo: Type.Union([Type.String(), Type.Null()]),
  weekdays: Type.Array(Type.Integer()),
  categories: Type.Array(Type.String()),
  areas: Type.Array(Type.String()),
  minSitesPerDay: Type.Integer(),
  maxSitesPerDay: Type.Integer(),
  sheetDeadline: Type.String(),
  checklist: Type.Array(ChecklistItem),
  teamIds: Type.Array(Type.Integer()),
  status: Type.Enum(['active', 'closed']),
  createdBy: Type.Union([Type.String(), Type.Null()]),
});
export type Round = Static<typeof Round>;
export const RoundList = Type.Object({ items: Type.Array(Round) });
export type RoundList = Static<typeof RoundList>;

// ---- priorities --------------------------------------------------------------------------

export const PriorityFactor = Type.Enum(['category', 'risk_area', 'days_since_inspection', 'open_findings', 'followup_due']);
export type PriorityFactor = Static<typeof PriorityFactor>;

export const PriorityReason = Type.Object({
  factor: PriorityFactor,
  points: Type.Integer(),
  reason_zh: Type.String(),
  reason_en: Type.String(),
});
export type PriorityReason = Static<typeof PriorityReason>;

export const SiteStatus = Type.Enum(['never', 'passed', 'notified', 'rectified', 'overdue'], {
  description: 'never inspected / passed / named in a notice / rectification reported / overdue (no report by the deadline, failed rectification or 回头看 missed)',
});
export type SiteStatus = Static<typeof SiteStatus>;

export const RoundSitesQuery = Type.Object({
  day: Type.Optional(Day),
  team: Type.Optional(Id),
  area: Type.Optional(AreaCode),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const PrioritySite = Type.Object({
  siteId: Type.Integer(),
  name: Type.String(),
  category: Type.String(),
  position: LonLat,
  districtCode: Type.String(),
  districtName: Type.String(),
  gridCode: Type.String(),
  direct: Type.Boolean({ description: 'supervised directly by the authority (总站直管工程)' }),
  status: SiteStatus,
  lastInspectedOn: Type.Union([Type.String(), Type.Null()]),
  score: Type.Integer(),
  reasons: Type.Array(PriorityReason, { description: 'the score is the sum of the points' }),
});
export type PrioritySite = Static<typeof PrioritySite>;

export const RoundSites = Type.Object({
  roundId: Type.Integer(),
  day: Type.String(),
  isRoundDay: Type.Boolean({ description: 'the day is within the dates and on one of the weekdays of the round' }),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(PrioritySite),
});
export type RoundSites = Static<typeof RoundSites>;

// ---- visits ------------------------------------------------------------------------------

export const CheckResult = Type.Enum(['pass', 'fail', 'na']);
export type CheckResult = Static<typeof CheckResult>;

/** Photos are sent inline, base64, at most this many and this large each. */
export const maxPhotosPerVisit = 4;
export const maxPhotoBytes = 2 * 1024 * 1024;

export const PhotoInput = Type.Object(
  {
    contentType: Type.Enum(['image/jpeg', 'image/png', 'image/webp']),
    dataBase64: Type.String({ minLength: 4, maxLength: Math.ceil(maxPhotoBytes / 3) * 4 + 4 }),
  },
  { additionalProperties: false },
);

export const NoticeInput = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 50, description: '整改通知单编号' }),
    deadline: Day,
  },
  { additionalProperties: false },
);

export const VisitInput = Type.Object(
  {
    clientId: Type.String({ format: 'uuid', description: 'client-generated; the same id again answers the visit already stored' }),
    roundId: Id,
    teamId: Id,
    siteId: Id,
    arrivedAt: IsoTime,
    departedAt: IsoTime,
    results: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), CheckResult, {
      additionalProperties: false,
      maxProperties: maxChecklistItems,
      description: 'one entry per checklist item of the round: {"prevention": "pass", ...}',
    }),
    findings: Type.Optional(Text(4000)),
    photos: Type.Optional(Type.Array(PhotoInput, { maxItems: maxPhotosPerVisit })),
    notice: Type.Optional(Type.Union([NoticeInput, Type.Null()], { description: 'required when a check failed, absent otherwise' })),
  },
  { additionalProperties: false },
);
export type VisitInput = Static<typeof VisitInput>;

export const RectificationState = Type.Enum(['none', 'awaiting_report', 'reported', 'rectified', 'failed'], {
  description: 'none: nothing failed; awaiting_report: notice issued; reported; verified rectified; failed (escalated)',
});

export const Visit = Type.Object({
  id: Type.Integer(),
  clientId: Type.String(),
  roundId: Type.Integer(),
  teamId: Type.Integer(),
  teamName: Type.String(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  day: Type.String(),
  arrivedAt: Type.String(),
  departedAt: Type.String(),
  results: Type.Record(Type.String(), CheckResult),
  failed: Type.Boolean(),
  findings: Type.String(),
  photos: Type.Array(Type.String({ description: 'URL of the photo' })),
  notice: Type.Union([Type.Object({ number: Type.String(), deadline: Type.String() }), Type.Null()]),
  rectification: RectificationState,
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  submittedBy: Type.Union([Type.String(), Type.Null()]),
  submittedLate: Type.Union([Type.Boolean(), Type.Null()]),
});
export type Visit = Static<typeof Visit>;

export const VisitListQuery = Type.Object({
  round: Type.Optional(Id),
  team: Type.Optional(Id),
  site: Type.Optional(Id),
  day: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const VisitList = Type.Object({ total: Type.Integer(), items: Type.Array(Visit) });
export type VisitList = Static<typeof VisitList>;

export const PhotoParams = Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) });

// ---- rectifications, follow-ups, cases ---------------------------------------------------

export const RectificationReportInput = Type.Object(
  {
    report: Text(8000, 1),
    reportedAt: Type.Optional(Type.String({
      format: 'date-time', description: 'when the site sent its report (a paper report entered later); default now. The 回头看 is due the month after',
    })),
  },
  { additionalProperties: false },
);
export const VerificationInput = Type.Object(
  { outcome: Type.Enum(['rectified', 'failed']), note: Type.Optional(Text(4000)) },
  { additionalProperties: false },
);

export const Rectification = Type.Object({
  id: Type.Integer(),
  visitId: Type.Integer(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  responsibleUnit: Type.String(),
  noticeNumber: Type.String(),
  noticeDeadline: Type.String(),
  report: Type.String(),
  reportedAt: Type.String(),
  reportedBy: Type.String(),
  outcome: Type.Union([Type.Enum(['rectified', 'failed']), Type.Null()]),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  verifiedBy: Type.Union([Type.String(), Type.Null()]),
  verificationNote: Type.String(),
  escalated: Type.Boolean(),
  escalatedAt: Type.Union([Type.String(), Type.Null()]),
  followupId: Type.Union([Type.Integer(), Type.Null()]),
});
export type Rectification = Static<typeof Rectification>;

export const RectificationListQuery = Type.Object({
  round: Type.Optional(Id),
  status: Type.Optional(Type.Enum(['reported', 'rectified', 'failed', 'escalated', 'all'], {
    description: 'reported: awaiting verification; failed and escalated are the same list',
  })),
});
export const RectificationList = Type.Object({ items: Type.Array(Rectification) });
export type RectificationList = Static<typeof RectificationList>;

export const FollowupStatus = Type.Enum(['due', 'overdue', 'passed', 'failed']);
export const Followup = Type.Object({
  id: Type.Integer(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  districtName: Type.String(),
  responsibleUnit: Type.String(),
  sourceVisitId: Type.Integer(),
  noticeNumber: Type.String(),
  dueMonth: Type.String({ description: 'YYYY-MM' }),
  dueBy: Type.String({ description: 'the last day of the due month' }),
  status: FollowupStatus,
  visitId: Type.Union([Type.Integer(), Type.Null()]),
});
export type Followup = Static<typeof Followup>;
export const FollowupListQuery = Type.Object({
  month: Type.Optional(Month),
  status: Type.Optional(Type.Enum(['due', 'overdue', 'passed', 'failed', 'all'])),
});
export const FollowupList = Type.Object({ items: Type.Array(Followup) });
export type FollowupList = Static<typeof FollowupList>;

export const CaseFilingInput = Type.Object(
  {
    caseNumber: Text(50, 1),
    siteId: Id,
    visitId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    teamId: Type.Optional(Id),
    filedOn: Day,
    reason: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);
export type CaseFilingInput = Static<typeof CaseFilingInput>;
export const CaseFiling = Type.Object({
  id: Type.Integer(),
  caseNumber: Type.String(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  visitId: Type.Union([Type.Integer(), Type.Null()]),
  roundId: Type.Union([Type.Integer(), Type.Null()]),
  teamId: Type.Union([Type.Integer(), Type.Null()]),
  filedOn: Type.String(),
  reason: Type.String(),
});
export type CaseFiling = Static<typeof CaseFiling>;
export const CaseCountsQuery = Type.Object({ round: Type.Optional(Id), from: Type.Optional(Month), to: Type.Optional(Month) });
export const CaseCounts = Type.Object({
  items: Type.Array(Type.Object({ month: Type.String(), cases: Type.Integer(), sites: Type.Integer() })),
});
export type CaseCounts = Static<typeof CaseCounts>;

// ---- coverage, notices, map --------------------------------------------------------------

export const CoverageQuery = Type.Object({
  week: Type.Optional(Day),
  by: Type.Optional(Type.Enum(['district', 'street', 'community', 'grid', 'category'], { default: 'district' })),
  area: Type.Optional(AreaCode),
});
export const CoverageRow = Type.Object({
  key: Type.String({ description: 'area code or category' }),
  name: Type.String(),
  inScope: Type.Integer({ description: 'sites of the round in scope' }),
  inspected: Type.Integer({ description: 'of them, inspected at least once in the round up to the end of the week' }),
  inspectedThisWeek: Type.Integer(),
});
export const Coverage = Type.Object({
  roundId: Type.Integer(),
  weekStart: Type.String(),
  weekEnd: Type.String(),
  by: Type.String(),
  totals: Type.Object({ inScope: Type.Integer(), inspected: Type.Integer(), inspectedThisWeek: Type.Integer() }),
  rows: Type.Array(CoverageRow),
  districtsNotVisitedThisWeek: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
export type Coverage = Static<typeof Coverage>;

/** `reason` is kept in the audit log with the Excel export (notices.xlsx); a download link cannot set X-Access-Reason. */
export const NoticeQuery = Type.Object({ week: Type.Optional(Day), reason: Type.Optional(AccessReason) });
export const NoticeItem = Type.Object({
  visitId: Type.Integer(),
  day: Type.String(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  address: Type.String(),
  districtName: Type.String(),
  teamName: Type.String(),
  responsibleUnit: Type.String(),
  responsiblePerson: Type.String(),
  responsiblePhone: Type.String(),
  failedChecks: Type.Array(Type.String()),
  findings: Type.String(),
  noticeNumber: Type.String(),
  noticeDeadline: Type.String(),
});
export type NoticeItem = Static<typeof NoticeItem>;
export const NoticeList = Type.Object({
  roundId: Type.Integer(),
  weekStart: Type.String(),
  weekEnd: Type.String(),
  items: Type.Array(NoticeItem),
});
export type NoticeList = Static<typeof NoticeList>;

export const SiteStatusQuery = Type.Object({
  bbox: Type.Optional(Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat (WGS-84)' })),
  area: Type.Optional(AreaCode),
  category: Type.Optional(SiteCategory),
  day: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000, default: 5000 })),
});
export const SiteStatusList = Type.Object({
  day: Type.String(),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'sites per status' }),
  items: Type.Array(Type.Object({
    siteId: Type.Integer(),
    position: LonLat,
    status: SiteStatus,
    lastVisitDay: Type.Union([Type.String(), Type.Null()]),
  })),
});
export type SiteStatusList = Static<typeof SiteStatusList>;

export const DayQuery = Type.Object({ day: Type.Optional(Day) });

export const PlanStop = Type.Object({
  seq: Type.Integer(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  position: LonLat,
  plannedArrival: Type.String(),
  plannedDeparture: Type.String(),
  locked: Type.Boolean(),
  /** why the planner put it in the plan; null for plans stored before this was kept */
  why: Type.Union([PlanWhy, Type.Null()]),
  status: Type.Enum(['planned', 'skipped', 'visited']),
  visitId: Type.Union([Type.Integer(), Type.Null()]),
});
export const DayPlan = Type.Object({
  planId: Type.Integer(),
  teamId: Type.Integer(),
  teamName: Type.String(),
  departAt: Type.Union([Type.String(), Type.Null()]),
  returnAt: Type.Union([Type.String(), Type.Null()]),
  lunchStart: Type.Union([Type.String(), Type.Null()]),
  lunchEnd: Type.Union([Type.String(), Type.Null()]),
  lunchPlace: Type.Union([Type.Enum(['base', 'station']), Type.Null()]),
  travelSeconds: Type.Union([Type.Integer(), Type.Null()]),
  distanceMeters: Type.Union([Type.Integer(), Type.Null()]),
  stops: Type.Array(PlanStop),
});
export type DayPlan = Static<typeof DayPlan>;
export const DayPlans = Type.Object({
  roundId: Type.Integer(),
  day: Type.String(),
  plans: Type.Array(DayPlan),
  notes: Type.Union([PlanNotes, Type.Null()], { description: "the planner's notes on the day's plan; null when it was not planned through the planner" }),
});
export type DayPlans = Static<typeof DayPlans>;

export const SheetList = Type.Object({
  roundId: Type.Integer(),
  day: Type.String(),
  deadline: Type.String({ description: 'the instant the day\'s sheets are due' }),
  items: Type.Array(Type.Object({
    teamId: Type.Integer(),
    teamName: Type.String(),
    visits: Type.Integer(),
    submitted: Type.Integer(),
    late: Type.Integer(),
  })),
});
export type SheetList = Static<typeof SheetList>;

export const StopParams = Type.Object({ planId: Id, seq: Type.Integer({ minimum: 1, maximum: 100 }) });
export const StopLockInput = Type.Object(
  { locked: Type.Boolean({ description: 'true: the planner keeps this stop (team, day, order) when it re-plans the rest' }) },
  { additionalProperties: false },
);

// ---- team positions ----------------------------------------------------------------------

export const PositionInput = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    accuracyMeters: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false, description: "the team's position (WGS-84) from the leader's phone; must lie in the city" },
);
export type PositionInput = Static<typeof PositionInput>;

export const TeamPosition = Type.Object({
  teamId: Type.Integer(),
  teamName: Type.String(),
  day: Type.String(),
  position: LonLat,
  accuracyMeters: Type.Union([Type.Integer(), Type.Null()]),
  recordedAt: Type.String(),
  /** where the team has been that day, oldest first, ending at `position` (in a list only; the reader's jurisdiction, the last 200) */
  track: Type.Optional(Type.Array(LonLat)),
});
export type TeamPosition = Static<typeof TeamPosition>;
export const TeamPositionList = Type.Object({ day: Type.String(), items: Type.Array(TeamPosition) });
export type TeamPositionList = Static<typeof TeamPositionList>;
