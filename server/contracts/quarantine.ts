// API shapes of server/quarantine: the regime catalogue, quarantine and monitoring cases (隔离/健康监测),
// their transitions, temperature checks and the releases due per grid.
import { Type, type Static } from 'typebox';
import { AreaCode } from './common.ts';
import { AccessReason } from './audit.ts';

export const quarantineKinds = ['centralised', 'home_quarantine', 'home_monitoring'] as const;
export type QuarantineKind = (typeof quarantineKinds)[number];
export const QuarantineKind = Type.Enum(quarantineKinds, {
  description: 'centralised = 集中隔离 (hotel), home_quarantine = 居家隔离, home_monitoring = 居家健康监测',
});
/** Home measures: temperature twice a day, 五包一. */
export const homeKinds: ReadonlySet<QuarantineKind> = new Set(['home_quarantine', 'home_monitoring']);

export const maxPhases = 5;
export const maxPhaseDays = 30;
/** quarantine_regimes.total_days is checked against this in the database too. */
export const maxRegimeDays = 60;
export const maxChecksPerRequest = 1000;
/** Days a case may be started in the past (a ledger catching up), counted back from today. */
export const maxStartDaysAgo = 60;
export const maxExtendDays = 30;

const dayPattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const CaseDay = Type.String({ pattern: dayPattern, description: 'YYYY-MM-DD, the city\'s local day' });
export const RegimeCode = Type.String({ pattern: '^[A-Za-z0-9+_.-]{1,40}$', description: 'e.g. 7+7, 14-home (URL-encode + as %2B if your client turns + into a space)' });

// ---------------------------------------------------------------- regimes
export const RegimePhase = Type.Object(
  {
    kind: QuarantineKind,
    days: Type.Integer({ minimum: 1, maximum: maxPhaseDays }),
    testDays: Type.Array(Type.Integer({ minimum: 1, maximum: maxPhaseDays }), {
      maxItems: maxPhaseDays,
      description: 'days of this phase (1 = its first day) with a nucleic-acid test',
    }),
  },
  { additionalProperties: false },
);
export type RegimePhase = Static<typeof RegimePhase>;

export const Regime = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  phases: Type.Array(RegimePhase),
  totalDays: Type.Integer({ description: 'sum of the phases\' days' }),
  active: Type.Boolean({ description: 'inactive regimes are kept for the cases that use them, but start no new case' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});
export type Regime = Static<typeof Regime>;

export const RegimeList = Type.Object({ items: Type.Array(Regime) });
export type RegimeList = Static<typeof RegimeList>;
export const RegimeParams = Type.Object({ code: RegimeCode });
export const RegimeListQuery = Type.Object({
  includeInactive: Type.Optional(Type.Boolean({ default: true, description: 'false lists only the regimes that can start a case' })),
});

export const RegimeBody = Type.Object(
  {
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 100 }),
    phases: Type.Array(RegimePhase, { minItems: 1, maxItems: maxPhases }),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type RegimeBody = Static<typeof RegimeBody>;

// ---------------------------------------------------------------- cases
const Phone = Type.String({ pattern: '^[0-9+ -]{5,20}$' });

export const ResponsiblePerson = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.Optional(Phone) },
  { additionalProperties: false },
);
/** 五包一: the five people who answer for a person under home measures. */
export const Responsible = Type.Object(
  {
    streetCadre: ResponsiblePerson,
    communityWorker: ResponsiblePerson,
    gridWorker: ResponsiblePerson,
    medic: ResponsiblePerson,
    police: ResponsiblePerson,
  },
  { additionalProperties: false, description: '五包一: street cadre 街道干部, community worker 社区工作者, grid worker 网格员, medic 医务人员, police 民警' },
);
export type Responsible = Static<typeof Responsible>;

export const StartCaseBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; a retried start with the same id changes nothing' }),
    personId: Type.String({ format: 'uuid' }),
    regime: RegimeCode,
    startDay: Type.Optional(CaseDay),
    startAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the measure began (ISO 8601); default now, or 00:00 of a past startDay' })),
    placeSiteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the hotel: required when the first phase is centralised' })),
    responsible: Type.Optional(Responsible),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type StartCaseBody = Static<typeof StartCaseBody>;

export const caseEventTypes = ['next_phase', 'extend', 'release', 'transfer'] as const;
export type CaseEventType = (typeof caseEventTypes)[number] | 'start';

export const CaseEventBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; a retried event with the same id changes nothing' }),
    type: Type.Enum(caseEventTypes),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'when it happened; default now' })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: maxExtendDays, description: 'extend: days added to the current phase' })),
    releaseNoticeNo: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'release: 解除隔离通知书 number (required)' })),
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'transfer: the hospital (required)' })),
    placeSiteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'next_phase into a centralised phase: the hotel' })),
    early: Type.Optional(Type.Boolean({ description: 'next_phase before the phase ends, or release before the planned end: needs a note' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type CaseEventBody = Static<typeof CaseEventBody>;

export const CaseParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The person under the measure, masked unless the role has a duty to see them. */
export const CasePerson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumber: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  masked: Type.Boolean({ description: 'true when name, ID number, phone and address are masked for your role' }),
});

export const caseStatuses = ['active', 'released', 'transferred'] as const;
export const CaseStatus = Type.Enum(caseStatuses);

const caseProperties = {
  id: Type.String(),
  person: CasePerson,
  regime: Type.String(),
  regimeName: Type.String(),
  kind: QuarantineKind,
  status: CaseStatus,
  phaseIndex: Type.Integer({ description: '0-based index of the current (or last) phase' }),
  phaseCount: Type.Integer(),
  startDay: Type.String({ description: 'day 1 of the measure' }),
  phaseEnd: Type.String({ description: 'the day the current phase ends, i.e. the next phase begins' }),
  plannedEnd: Type.String({ description: 'the planned release day (the day after the last day under the measure)' }),
  dayNumber: Type.Union([Type.Integer(), Type.Null()], { description: 'today is day N of the measure (day 1 = start day); null once ended' }),
  overdue: Type.Boolean({ description: 'active and its planned release day has passed' }),
  gridCode: Type.String({ description: 'the person\'s home grid, where the case is counted' }),
  areaName: Type.String({ description: 'district · street · community · grid' }),
  placeSite: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  releaseNoticeNo: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
};
export const QuarantineCase = Type.Object(caseProperties);
export type QuarantineCase = Static<typeof QuarantineCase>;

export const CaseEvent = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  type: Type.Enum(['start', ...caseEventTypes]),
  at: Type.String(),
  day: Type.String(),
  fromKind: Type.Union([QuarantineKind, Type.Null()]),
  toKind: Type.Union([QuarantineKind, Type.Null()]),
  plannedEndBefore: Type.Union([Type.String(), Type.Null()]),
  plannedEndAfter: Type.Union([Type.String(), Type.Null()]),
  details: Type.Object({
    regime: Type.Optional(Type.String()),
    days: Type.Optional(Type.Integer()),
    releaseNoticeNo: Type.Optional(Type.String()),
    hospital: Type.Optional(Type.String()),
    placeSiteId: Type.Optional(Type.Integer()),
    early: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String()),
  }),
  recordedBy: Type.Union([Type.String(), Type.Null()]),
});
export type CaseEvent = Static<typeof CaseEvent>;

export const PhaseSchedule = Type.Object({
  index: Type.Integer(),
  kind: QuarantineKind,
  days: Type.Integer({ description: 'planned length, extensions included' }),
  startDay: Type.String(),
  endDay: Type.String({ description: 'the day it ends (the next phase\'s first day, or the release day)' }),
  testDays: Type.Array(Type.String(), { description: 'days with a nucleic-acid test' }),
  status: Type.Enum(['done', 'current', 'upcoming', 'skipped']),
});
export type PhaseSchedule = Static<typeof PhaseSchedule>;

export const checkSlots = ['morning', 'afternoon'] as const;
export type CheckSlot = (typeof checkSlots)[number];

export const TemperatureCheck = Type.Object({
  id: Type.String(),
  at: Type.String(),
  day: Type.String(),
  slot: Type.Enum(checkSlots),
  temperature: Type.Number(),
  symptoms: Type.Union([Type.String(), Type.Null()]),
  recordedBy: Type.Union([Type.String(), Type.Null()]),
});
export type TemperatureCheck = Static<typeof TemperatureCheck>;

export const QuarantineCaseDetail = Type.Object({
  ...caseProperties,
  responsible: Type.Union([Responsible, Type.Null()], { description: '五包一; null for a case without home phases when none was given' }),
  schedule: Type.Array(PhaseSchedule),
  events: Type.Array(CaseEvent, { description: 'oldest first' }),
  temperatureChecks: Type.Array(TemperatureCheck, { description: 'oldest first' }),
});
export type QuarantineCaseDetail = Static<typeof QuarantineCaseDetail>;

export const CaseWriteResult = Type.Object({
  duplicate: Type.Boolean({ description: 'true when this id was already recorded: nothing changed' }),
  case: QuarantineCaseDetail,
});
export type CaseWriteResult = Static<typeof CaseWriteResult>;

export const CaseListQuery = Type.Object({
  area: Type.Optional(AreaCode),
  kind: Type.Optional(QuarantineKind),
  status: Type.Optional(Type.Enum([...caseStatuses, 'all'], { default: 'active' })),
  dueOn: Type.Optional(Type.String({ pattern: dayPattern, description: 'planned release on this day ("releases due today")' })),
  overdue: Type.Optional(Type.Boolean({ description: 'active cases whose planned release day has passed' })),
  regime: Type.Optional(RegimeCode),
  personId: Type.Optional(Type.String({ format: 'uuid' })),
  event: Type.Optional(Type.Enum(['start', 'release', 'transfer'], { description: 'cases started, released or transferred on eventDay (the lists behind casesStarted, released, transferred)' })),
  eventDay: Type.Optional(Type.String({ pattern: dayPattern, description: 'the day of `event`; default today' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  reason: Type.Optional(AccessReason),
});
export type CaseListQuery = Static<typeof CaseListQuery>;
export const CaseList = Type.Object({
  items: Type.Array(QuarantineCase),
  total: Type.Integer({ description: 'every match before paging' }),
});
export type CaseList = Static<typeof CaseList>;

export const ReleasesDueQuery = Type.Object({
  area: Type.Optional(AreaCode),
  day: Type.Optional(CaseDay),
});
export const ReleasesDue = Type.Object({
  area: Type.String(),
  day: Type.String(),
  due: Type.Integer({ description: 'active cases of the area planned for release on the day' }),
  overdue: Type.Integer({ description: 'active cases of the area whose planned release was before the day' }),
  grids: Type.Array(
    Type.Object({
      grid: Type.String(),
      name: Type.String(),
      communityName: Type.String(),
      due: Type.Integer(),
      overdue: Type.Integer(),
    }),
    { description: 'grids with a release due or overdue, most due first' },
  ),
});
export type ReleasesDue = Static<typeof ReleasesDue>;

// ---------------------------------------------------------------- temperature checks
export const TemperatureCheckRecord = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; a retried check with the same id changes nothing' }),
    caseId: Type.String({ format: 'uuid' }),
    at: Type.String({ format: 'date-time' }),
    temperature: Type.Number({ minimum: 30, maximum: 45, description: '°C, one decimal' }),
    symptoms: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type TemperatureCheckRecord = Static<typeof TemperatureCheckRecord>;

export const TemperatureCheckBatch = Type.Object(
  {
    checks: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: maxChecksPerRequest,
      description: `1 to ${maxChecksPerRequest} TemperatureCheckRecord objects; each is validated on its own`,
    }),
  },
  { additionalProperties: false },
);

export const TemperatureChecksAccepted = Type.Object({
  accepted: Type.Integer({ description: 'checks stored by this request' }),
  duplicates: Type.Integer({ description: 'checks already stored before (same id), ignored' }),
  alerts: Type.Integer({ description: 'abnormal_temperature alerts raised (≥ 37.3 °C)' }),
});
export type TemperatureChecksAccepted = Static<typeof TemperatureChecksAccepted>;
