// API shapes of server/people: the registry of people under management (人员登记) and the
// arrival policy (which regime to suggest for arrivals from medium/high-risk areas).
import { Type, type Static, type TSchema } from 'typebox';
import { AreaCode, CityDay, CoordinateSystem } from './common.ts';
import { CodeColour, RecordError } from './screening.ts';
import { AccessReason } from './audit.ts';

export const maxPeoplePerRequest = 1000;
export const maxTravelStops = 60;
/** Travel within this many days before arrival counts (DOMAIN.md: "in the last 14 days"). */
export const arrivalRiskWindowDays = 14;

export const PersonIdType = Type.Enum(['resident_id', 'passport', 'other'], {
  description: 'resident_id: 居民身份证 (18 characters, GB 11643 check digit); passport: 护照; other: 其他证件',
});
export type PersonIdType = Static<typeof PersonIdType>;

export const personCategories = [
  'big_data_check',
  'overseas_arrival',
  'risk_area_arrival',
  'out_of_province_returnee',
  'close_contact',
  'secondary_contact',
  'fever_clinic_referral',
  'other',
] as const;
export const PersonCategory = Type.Enum(personCategories, {
  description: '大数据核查, 境外入境, 中高风险地区来沪, 外省返沪, 密切接触者, 次密切接触者, 发热门诊转介, 其他',
});
export type PersonCategory = Static<typeof PersonCategory>;

export const PersonHealthCode = CodeColour;

export const PersonRiskLevel = Type.Enum(['medium', 'high']);
export type PersonRiskLevel = Static<typeof PersonRiskLevel>;

const Day = CityDay;
const Phone = Type.String({ pattern: '^[0-9+ -]{5,20}$', description: 'digits, +, space or -, 5–20 characters' });

export const PersonPosition = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Optional(CoordinateSystem),
  },
  { additionalProperties: false, description: 'a position; stored (and matched against risk areas) in WGS-84' },
);

export const PersonTravelStopInput = Type.Object(
  {
    fromDay: Day,
    toDay: Day,
    place: Type.String({ minLength: 1, maxLength: 200, description: 'where; equal to a risk area\'s name, it matches that area' }),
    position: Type.Optional(PersonPosition),
    riskAreaId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
  },
  { additionalProperties: false },
);
export type PersonTravelStopInput = Static<typeof PersonTravelStopInput>;

/** One person to register. Exactly one of grid or position gives the home grid. */
export const PersonInput = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; registering the same id again changes nothing' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    idType: Type.Optional(PersonIdType),
    idNumber: Type.String({ minLength: 4, maxLength: 32 }),
    phone: Type.Optional(Phone),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    grid: Type.Optional(AreaCode),
    position: Type.Optional(PersonPosition),
    category: PersonCategory,
    healthCode: Type.Optional(PersonHealthCode),
    arrivedOn: Type.Optional(Day),
    origin: Type.Optional(Type.String({ maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    travel: Type.Optional(Type.Array(PersonTravelStopInput, { maxItems: maxTravelStops })),
  },
  { additionalProperties: false },
);
export type PersonInput = Static<typeof PersonInput>;

export const PeopleBatch = Type.Object(
  {
    people: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: maxPeoplePerRequest,
      description: `1 to ${maxPeoplePerRequest} PersonInput objects; each is validated on its own`,
    }),
  },
  { additionalProperties: false },
);

export const PeopleAccepted = Type.Object({
  accepted: Type.Integer({ description: 'people registered by this request' }),
  duplicates: Type.Integer({ description: 'people already registered before (same id), ignored' }),
});
export type PeopleAccepted = Static<typeof PeopleAccepted>;

export const PeopleRejected = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Array(RecordError),
});

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A person as a list shows them. Personal fields are masked (and `masked` true) for roles without a duty. */
export const PersonSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idType: PersonIdType,
  idNumber: Type.String(),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  gridCode: Type.String(),
  gridName: Type.String(),
  category: PersonCategory,
  healthCode: PersonHealthCode,
  arrivedOn: Nullable(Type.String()),
  origin: Nullable(Type.String()),
  riskAreaLevel: Nullable(PersonRiskLevel),
  masked: Type.Boolean({ description: 'name, ID number, phone and address are masked (张* / 3101**********1234 / 138****5678); note is withheld' }),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type PersonSummary = Static<typeof PersonSummary>;

export const PersonTravelStop = Type.Object({
  seq: Type.Integer(),
  fromDay: Type.String(),
  toDay: Type.String(),
  place: Type.String(),
  position: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'WGS-84' })),
  riskAreaId: Nullable(Type.Integer()),
  riskAreaName: Nullable(Type.String()),
});
export type PersonTravelStop = Static<typeof PersonTravelStop>;

export const PersonCase = Type.Object({
  id: Type.String(),
  regimeCode: Type.String(),
  kind: Type.Enum(['centralised', 'home_quarantine', 'home_monitoring']),
  status: Type.Enum(['active', 'released', 'transferred']),
  startDay: Type.String(),
  plannedEnd: Type.String(),
});
export type PersonCase = Static<typeof PersonCase>;

export const PersonDetail = Type.Object({
  ...PersonSummary.properties,
  note: Nullable(Type.String({ description: 'free text; withheld (null) when masked' })),
  updatedBy: Nullable(Type.String()),
  travel: Type.Array(PersonTravelStop),
  cases: Type.Array(PersonCase, { description: 'quarantine and monitoring cases, newest first' }),
});
export type PersonDetail = Static<typeof PersonDetail>;

export const PeopleQuery = Type.Object(
  {
    area: Type.Optional(AreaCode),
    category: Type.Optional(Type.String({ maxLength: 300, description: 'one category or several, comma-separated' })),
    healthCode: Type.Optional(PersonHealthCode),
    riskArea: Type.Optional(Type.Boolean({ description: 'true: travel touched a medium/high-risk area; false: it did not' })),
    arrivedFrom: Type.Optional(Day),
    arrivedTo: Type.Optional(Day),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'name or ID-number prefix (roles that see personal data only)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    reason: Type.Optional(AccessReason),
  },
  { additionalProperties: false },
);
export type PeopleQuery = Static<typeof PeopleQuery>;

export const PeopleList = Type.Object({
  total: Type.Integer({ description: 'people matching, before paging' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(PersonSummary),
});
export type PeopleList = Static<typeof PeopleList>;

export const PersonParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** What may change after registration: nothing that moves a counter (grid, arrival, travel, ID). */
export const PersonPatch = Type.Object(
  {
    phone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    healthCode: Type.Optional(PersonHealthCode),
    note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    category: Type.Optional(PersonCategory),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PersonPatch = Static<typeof PersonPatch>;

const RegimeKind = Type.Enum(['centralised', 'home_quarantine', 'home_monitoring']);
const RegimePhase = Type.Object({
  kind: RegimeKind,
  days: Type.Integer(),
  testDays: Type.Array(Type.Integer()),
});

export const PolicyRegime = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  phases: Type.Array(RegimePhase),
  totalDays: Type.Integer(),
  active: Type.Boolean(),
});
export type PolicyRegime = Static<typeof PolicyRegime>;

export const ArrivalPolicy = Type.Object({
  riskLevel: PersonRiskLevel,
  regime: PolicyRegime,
  updatedBy: Nullable(Type.String()),
  updatedAt: Type.String(),
});
export type ArrivalPolicy = Static<typeof ArrivalPolicy>;

export const ArrivalPolicies = Type.Object({ items: Type.Array(ArrivalPolicy) });
export type ArrivalPolicies = Static<typeof ArrivalPolicies>;

export const ArrivalPolicyParams = Type.Object({ riskLevel: PersonRiskLevel });
export const ArrivalPolicyInput = Type.Object({ regimeCode: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });

export const PersonRiskAreaMatch = Type.Object({
  stop: Type.Object({ seq: Type.Integer(), fromDay: Type.String(), toDay: Type.String(), place: Type.String() }),
  riskArea: Type.Object({ id: Type.Integer(), name: Type.String(), level: PersonRiskLevel }),
  matchedBy: Type.Enum(['id', 'position', 'name'], { description: 'the stop named the area, lay inside its polygon, or named its place' }),
});
export type PersonRiskAreaMatch = Static<typeof PersonRiskAreaMatch>;

export const RegimeSuggestionRule = Type.Enum(['risk_area', 'red_code', 'yellow_code', 'none']);
export type RegimeSuggestionRule = Static<typeof RegimeSuggestionRule>;

export const SuggestedRegime = Type.Object({
  personId: Type.String(),
  suggestion: Nullable(PolicyRegime),
  reason: Type.Object({
    rule: RegimeSuggestionRule,
    message: Type.String({ description: 'why, in Chinese and English' }),
    healthCode: PersonHealthCode,
    windowFrom: Type.String({ description: 'first day of the 14 days before arrival that were looked at' }),
    windowTo: Type.String({ description: 'the arrival day (or today when the person has none)' }),
    match: Nullable(PersonRiskAreaMatch),
  }),
  activeCaseId: Nullable(Type.String({ description: 'the person already has this active case' })),
});
export type SuggestedRegime = Static<typeof SuggestedRegime>;
