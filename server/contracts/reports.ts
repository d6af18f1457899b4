// API shapes of server/reports: daily reports (日报告 / 零报告), their compliance and roll-up,
// deadlines and reporting units, and the four ledgers (台账) over the people registry.
import { Type, type Static } from 'typebox';
import { AreaCode, AreaLevel, CityDay } from './common.ts';
import type { Role } from './auth.ts';

/** Who may sign reports off at each level (docs/reports.md, sign-off): the street office first, then the district. */
export const signOffRoles: Readonly<Record<'street' | 'district', readonly Role[]>> = {
  street: ['admin', 'command', 'street_official'],
  district: ['admin', 'command', 'district_official'],
};
/** Who may read the ledgers: everyone but the wall display, which shows counts and never a person. */
export const ledgerReaderRoles: readonly Role[] = ['admin', 'command', 'district_official', 'street_official', 'grid_worker', 'team_leader'];

export const DayString = CityDay;

/** An area code, or `site-<id>` for a key site made a reporting unit. */
export const UnitCode = Type.String({
  pattern: '^([0-9]{6,16}|site-[0-9]{1,12})$',
  description: 'the unit\'s area code (a community by default), or site-<id> for a site',
});

const Count = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });

/** The figure keys of a report, in the order of the template's columns. */
export const reportFigureKeys = [
  'arrivalsOverseas', 'arrivalsRiskArea', 'arrivalsOutOfProvince', 'bigDataChecks',
  'centralised', 'homeQuarantine', 'homeMonitoring', 'released', 'abnormal',
] as const;
export type ReportFigureKey = (typeof reportFigureKeys)[number];

export const ReportFigures = Type.Object(
  {
    arrivalsOverseas: Count('新增境外入境人员 new overseas arrivals that day'),
    arrivalsRiskArea: Count('新增国内中高风险地区来沪人员 new arrivals from domestic medium/high-risk areas'),
    arrivalsOutOfProvince: Count('新增外省返沪人员 new out-of-province returnees'),
    bigDataChecks: Count('新增大数据核查人员 new people on the big-data check list'),
    centralised: Count('集中隔离人数 people in centralised quarantine'),
    homeQuarantine: Count('居家隔离人数 people in home quarantine'),
    homeMonitoring: Count('居家健康监测人数 people under home health monitoring'),
    released: Count('当日解除人数 released that day'),
    abnormal: Count('异常情况（发热、红黄码、阳性等）人数 abnormal findings'),
    notes: Type.Optional(Type.String({ maxLength: 1000, description: '情况说明 notes' })),
  },
  { additionalProperties: false },
);
export type ReportFigures = Static<typeof ReportFigures>;

export const ReportParams = Type.Object({ unitCode: UnitCode, day: DayString });

export const ReportSubmission = Type.Object(
  {
    submissionId: Type.String({ format: 'uuid', description: 'client-generated; a retried submission changes nothing and answers duplicate: true' }),
    zero: Type.Optional(Type.Boolean({ description: 'true: 零报告, nothing to report (all figures zero); figures must then be absent' })),
    figures: Type.Optional(ReportFigures),
    notes: Type.Optional(Type.String({ maxLength: 1000, description: 'with a zero report: an optional note' })),
  },
  { additionalProperties: false },
);
export type ReportSubmission = Static<typeof ReportSubmission>;

export const UnitStatus = Type.Enum(['on_time', 'late', 'missing', 'pending'], {
  description: 'on_time / late: reported (first submission before / after the deadline); missing: nothing after the deadline; pending: nothing yet, deadline ahead',
});
export type UnitStatus = Static<typeof UnitStatus>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const SignOff = Nullable(Type.Object({ by: Type.String(), at: Type.String() }));

export const ReportVersion = Type.Object({
  version: Type.Integer(),
  zero: Type.Boolean(),
  figures: ReportFigures,
  channel: Type.Enum(['api', 'sheet']),
  submittedBy: Nullable(Type.String()),
  submittedAt: Type.String(),
});

export const DailyReport = Type.Object({
  unitCode: Type.String(),
  unitName: Type.String(),
  day: Type.String(),
  areaCode: Type.String(),
  siteId: Nullable(Type.Integer()),
  zero: Type.Boolean(),
  figures: ReportFigures,
  version: Type.Integer({ description: '1 for the first submission; each correction adds one' }),
  deadlineAt: Type.String({ description: 'the deadline in force at the first submission (ISO 8601, UTC)' }),
  status: Type.Enum(['on_time', 'late']),
  firstSubmittedAt: Type.String(),
  firstSubmittedBy: Nullable(Type.String()),
  updatedAt: Type.String(),
  updatedBy: Nullable(Type.String()),
  streetSignOff: SignOff,
  districtSignOff: SignOff,
  versions: Type.Optional(Type.Array(ReportVersion)),
  duplicate: Type.Optional(Type.Boolean({ description: 'this submission id was already stored: nothing changed' })),
});
export type DailyReport = Static<typeof DailyReport>;

export const SignOffLevel = Type.Enum(['street', 'district'], { description: 'street office first, then the district' });
export const SignOffBody = Type.Object(
  {
    level: SignOffLevel,
    version: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The version the official read: a correction that arrived since is a 409, not signed unseen' }),
    ),
  },
  { additionalProperties: false },
);

export const BulkSignOffBody = Type.Object(
  {
    area: AreaCode,
    day: DayString,
    level: SignOffLevel,
    units: Type.Optional(Type.Array(UnitCode, {
      minItems: 1, maxItems: 10_000, uniqueItems: true,
      description: 'the units to sign; without it, every report of the area sent on time and not yet signed at this level (a district level: street-signed ones)',
    })),
  },
  { additionalProperties: false },
);
export const BulkSignOffResult = Type.Object({
  level: SignOffLevel,
  signed: Type.Array(Type.String(), { description: 'the units signed by this request' }),
  skipped: Type.Array(Type.Object({
    unitCode: Type.String(),
    reason: Type.Enum(['no_report', 'already', 'street_first', 'outside_area']),
  }), { description: 'units named in `units` that were not signed, and why' }),
});
export type BulkSignOffResult = Static<typeof BulkSignOffResult>;

export const ReportPrefill = Type.Object({
  unitCode: Type.String(),
  day: Type.String(),
  figures: ReportFigures,
  /** where the figures come from */
  sources: Type.Record(Type.String(), Type.String()),
});
export type ReportPrefill = Static<typeof ReportPrefill>;

const complianceCounts = {
  expected: Type.Integer(),
  reported: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  missing: Type.Integer(),
  pending: Type.Integer(),
  zero: Type.Integer({ description: 'reports that are zero reports (among on time and late)' }),
  streetSigned: Type.Integer({ description: 'reports signed off by the street office' }),
  districtSigned: Type.Integer({ description: 'reports signed off by the district' }),
};
export const ComplianceCounts = Type.Object(complianceCounts);
export type ComplianceCounts = Static<typeof ComplianceCounts>;

export const AreaQuery = Type.Object({ area: Type.Optional(AreaCode), day: Type.Optional(DayString) });
/** Why the file is taken, for the audit log (or the X-Access-Reason header): a download link cannot set headers. */
const AccessReason = Type.Optional(Type.String({ maxLength: 500, description: 'why: recorded in the audit log with the export or read' }));
export const ExportQuery = Type.Object({ area: Type.Optional(AreaCode), day: Type.Optional(DayString), reason: AccessReason });

export const ComplianceQuery = Type.Object({
  area: Type.Optional(AreaCode),
  day: Type.Optional(DayString),
  status: Type.Optional(Type.Enum(['all', 'on_time', 'late', 'missing', 'pending', 'unreported'], { default: 'all', description: 'which units to list (unreported = missing or pending)' })),
});

export const UnitStatusRow = Type.Object({
  unitCode: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'the area level, or site' }),
  areaCode: Type.String(),
  siteId: Nullable(Type.Integer()),
  deadlineAt: Type.String(),
  status: UnitStatus,
  zero: Nullable(Type.Boolean()),
  submittedAt: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
  streetSigned: Type.Boolean(),
  districtSigned: Type.Boolean(),
});
export type UnitStatusRow = Static<typeof UnitStatusRow>;

export const Compliance = Type.Object({
  area: Type.String(),
  name: Type.String(),
  day: Type.String(),
  at: Type.String({ description: 'the instant statuses were computed at' }),
  totals: ComplianceCounts,
  children: Type.Array(Type.Object({ area: Type.String(), name: Type.String(), level: Type.String(), ...complianceCounts })),
  units: Type.Array(UnitStatusRow),
});
export type Compliance = Static<typeof Compliance>;

export const OnTimeRateQuery = Type.Object({
  area: Type.Optional(AreaCode),
  from: DayString,
  to: DayString,
  level: Type.Optional(Type.Enum(['district', 'street', 'community'], { description: 'rows for every area of this level in the area (e.g. every street of the city); default: the child areas' })),
});
export const OnTimeRateRow = Type.Object({
  area: Type.String(),
  name: Type.String(),
  level: AreaLevel,
  expected: Type.Integer({ description: 'units × days' }),
  reported: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  reportingRate: Nullable(Type.Number({ description: 'reported / expected, 4 decimals (DHIS2 reporting rate)' })),
  onTimeRate: Nullable(Type.Number({ description: 'on time / expected, 4 decimals (DHIS2 reporting rate on time)' })),
});
export const OnTimeRate = Type.Object({
  area: Type.String(),
  from: Type.String(),
  to: Type.String({ description: 'the last day counted: the day asked, or today when that is later' }),
  days: Type.Integer(),
  total: OnTimeRateRow,
  rows: Type.Array(OnTimeRateRow, { description: 'one per child area (districts of the city, streets of a district, ...), or per area of the level asked' }),
});
export type OnTimeRate = Static<typeof OnTimeRate>;

export const FigureSums = Type.Object(Object.fromEntries(reportFigureKeys.map((k) => [k, Type.Integer()])) as Record<ReportFigureKey, ReturnType<typeof Type.Integer>>);
export type FigureSums = Record<ReportFigureKey, number>;

export const Inconsistency = Type.Object({
  unitCode: Type.String(),
  name: Type.String(),
  child: Nullable(Type.String({ description: 'the child area (of the roll-up) the unit lies in; null for a unit at the area itself' })),
  field: Type.String({ description: 'the figure, e.g. homeQuarantine' }),
  reported: Type.Integer(),
  registry: Type.Integer({ description: 'what the registry and the live figures hold for the unit on that day' }),
  message: Type.String(),
});
export type Inconsistency = Static<typeof Inconsistency>;

export const Rollup = Type.Object({
  area: Type.String(),
  name: Type.String(),
  level: Type.String(),
  day: Type.String(),
  reports: Type.Integer(),
  expected: Type.Integer(),
  sums: FigureSums,
  children: Type.Array(Type.Object({ area: Type.String(), name: Type.String(), level: Type.String(), reports: Type.Integer(), expected: Type.Integer(), sums: FigureSums })),
  inconsistencies: Type.Array(Inconsistency),
});
export type Rollup = Static<typeof Rollup>;

export const DeadlineBody = Type.Object(
  { deadline: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, city time, on the report\'s own day' }) },
  { additionalProperties: false },
);
export const DeadlineView = Type.Object({
  area: Type.String(),
  deadline: Type.String({ description: 'HH:MM in force' }),
  setOn: Nullable(Type.String({ description: 'the area whose setting holds (itself or the nearest ancestor); null = the 09:00 default' })),
});
export const DeadlineParams = Type.Object({ areaCode: AreaCode });

export const UnitBody = Type.Object(
  { active: Type.Boolean({ description: 'true: the area or site reports daily; false: it does not (a community taken off)' }) },
  { additionalProperties: false },
);
export const UnitParams = Type.Object({ code: UnitCode });
export const UnitView = Type.Object({ code: Type.String(), active: Type.Boolean(), name: Type.String(), kind: Type.String(), areaCode: Type.String(), deadline: Type.String() });

export const ReportSettings = Type.Object({
  area: Type.String(),
  deadline: DeadlineView,
  deadlines: Type.Array(Type.Object({ area: Type.String(), name: Type.String(), deadline: Type.String(), updatedBy: Nullable(Type.String()), updatedAt: Type.String() }), { description: 'deadlines set in the area (and on it)' }),
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String(), active: Type.Boolean(), updatedBy: Nullable(Type.String()), updatedAt: Type.String() }), { description: 'units set in the area: other levels and sites made units, communities taken off' }),
});
export const SettingsQuery = Type.Object({ area: Type.Optional(AreaCode) });

export const ledgerKinds = ['big_data_check', 'overseas_arrival', 'risk_area_arrival', 'out_of_province_returnee'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];
export const LedgerParams = Type.Object({
  kind: Type.Enum([...ledgerKinds, ...ledgerKinds.map((k) => `${k}.xlsx`)], { description: 'the ledger; with .xlsx the Excel export' }),
});
export const LedgerQuery = Type.Object({
  area: Type.Optional(AreaCode),
  from: Type.Optional(DayString),
  to: Type.Optional(DayString),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  reason: AccessReason,
  unmasked: Type.Optional(Type.Boolean({
    description: '.xlsx only: true asks for personal data in clear (needs the duty to see it and the right to export it: 403 without), false for a masked file. '
      + 'Default: in clear for a user with both, masked for everyone else',
  })),
});
export const LedgerEntry = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idType: Type.String(),
  idNumber: Type.String(),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  gridCode: Type.String(),
  areaName: Type.String({ description: 'district · street · community · grid' }),
  day: Type.String({ description: 'the arrival day (or the registration day when there is none)' }),
  origin: Nullable(Type.String()),
  riskAreaLevel: Nullable(Type.String()),
  healthCode: Type.String(),
  measure: Nullable(Type.String({ description: 'the active case\'s measure, if any' })),
  plannedEnd: Nullable(Type.String()),
  masked: Type.Boolean(),
});
export type LedgerEntry = Static<typeof LedgerEntry>;
export const Ledger = Type.Object({
  kind: Type.String(),
  area: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(LedgerEntry),
  exportUnmasked: Type.Boolean({ description: 'whether this user\'s .xlsx export carries unmasked personal data (duty to see it and the right to export it)' }),
});

/** `reports:updated` on the live socket: an area's compliance for a day after a change. */
export type ReportsUpdate = { area: string; day: string } & ComplianceCounts;
