// API shapes of server/nucleic-tests: nucleic-acid samples (核酸采样), their results, turnaround.
import { Type, type Static } from 'typebox';
import { AreaCode, CityDay } from './common.ts';
import { AccessReason } from './audit.ts';
import { RecordError, ScreeningPosition, maxRecordsPerRequest } from './screening.ts';

/** A result is due 12 h after sampling, 6 h for risk groups (DOMAIN.md). */
export const nucleicResultDueHours = 12;
export const riskGroupNucleicResultDueHours = 6;

export const NucleicResultValue = Type.Enum(['negative', 'positive', 'invalid'], { description: '阴性 / 阳性 / 无效' });
export type NucleicResultValue = Static<typeof NucleicResultValue>;

const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });

export const NucleicInlineResult = Type.Object(
  {
    resultedAt: IsoTime,
    result: NucleicResultValue,
  },
  { additionalProperties: false, description: 'the result, when it is already known at sampling time' },
);

/** One sample. Exactly one of siteId, grid or position locates it (as for screening records). */
export const NucleicTestRecord = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; a retried sample with the same id changes nothing' }),
    sampledAt: Type.String({ format: 'date-time', description: 'when the sample was taken (ISO 8601 with offset)' }),
    siteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the sampling site' })),
    grid: Type.Optional(AreaCode),
    position: Type.Optional(ScreeningPosition),
    personId: Type.Optional(Type.String({ format: 'uuid', description: 'a registered person in your jurisdiction' })),
    riskGroup: Type.Optional(Type.Boolean({ description: 'risk group: the result is due within 6 h instead of 12 h' })),
    result: Type.Optional(NucleicInlineResult),
  },
  { additionalProperties: false },
);
export type NucleicTestRecord = Static<typeof NucleicTestRecord>;

export const NucleicTestBatch = Type.Object(
  {
    tests: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: maxRecordsPerRequest,
      description: `1 to ${maxRecordsPerRequest} NucleicTestRecord objects; each is validated on its own`,
    }),
  },
  { additionalProperties: false },
);

export const NucleicResultRecord = Type.Object(
  {
    testId: Type.String({ format: 'uuid' }),
    resultedAt: IsoTime,
    result: NucleicResultValue,
  },
  { additionalProperties: false },
);
export type NucleicResultRecord = Static<typeof NucleicResultRecord>;

export const NucleicResultBatch = Type.Object(
  {
    results: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: maxRecordsPerRequest,
      description: `1 to ${maxRecordsPerRequest} NucleicResultRecord objects; each is validated on its own`,
    }),
  },
  { additionalProperties: false },
);

export const NucleicResultsAccepted = Type.Object({
  accepted: Type.Integer({ description: 'results stored by this request' }),
  duplicates: Type.Integer({ description: 'results already stored before (same test, same result and time), ignored' }),
});
export type NucleicResultsAccepted = Static<typeof NucleicResultsAccepted>;

export const NucleicTestsAccepted = Type.Object({
  accepted: Type.Integer({ description: 'samples stored by this request' }),
  duplicates: Type.Integer({ description: 'samples already stored before (same id), ignored' }),
  results: NucleicResultsAccepted,
});
export type NucleicTestsAccepted = Static<typeof NucleicTestsAccepted>;

/** 400 (any bad record) or 409 (only conflicting results): nothing was stored. */
export const NucleicRejected = Type.Object({
  code: Type.String({ description: 'validation_failed, or conflict when every problem is a result conflicting with a stored one' }),
  message: Type.String(),
  details: Type.Array(RecordError, { description: '{ index, id, field, message }; for results, id is the testId' }),
});

export const NucleicTestStatus = Type.Enum(['pending', 'late', 'positive', 'resulted']);
export type NucleicTestStatus = Static<typeof NucleicTestStatus>;

const Day = CityDay;

export const NucleicTestListQuery = Type.Object({
  area: Type.Optional(AreaCode),
  status: Type.Optional(NucleicTestStatus),
  day: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  reason: Type.Optional(AccessReason),
});

/** The linked person, masked unless the role has a duty to see them (server/privacy/masking.ts). */
export const NucleicTestPerson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumber: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  masked: Type.Boolean(),
});

export const NucleicTestItem = Type.Object({
  id: Type.String(),
  sampledAt: Type.String(),
  sampleDay: Type.String(),
  gridCode: Type.String(),
  areaName: Type.String({ description: 'district · street · community · grid' }),
  siteId: Type.Union([Type.Integer(), Type.Null()]),
  siteName: Type.Union([Type.String(), Type.Null()]),
  riskGroup: Type.Boolean(),
  dueAt: Type.String(),
  status: Type.Enum(['pending', 'late', 'resulted'], { description: 'late = no result and past its due time' }),
  result: Type.Union([
    Type.Object({
      resultedAt: Type.String(),
      resultDay: Type.String(),
      result: NucleicResultValue,
      onTime: Type.Boolean(),
      turnaroundHours: Type.Number(),
    }),
    Type.Null(),
  ]),
  person: Type.Union([NucleicTestPerson, Type.Null()]),
});
export type NucleicTestItem = Static<typeof NucleicTestItem>;

export const NucleicTestList = Type.Object({ items: Type.Array(NucleicTestItem), total: Type.Integer() });
export type NucleicTestList = Static<typeof NucleicTestList>;

export const maxNucleicTurnaroundDays = 92;

export const NucleicTurnaroundQuery = Type.Object({
  area: Type.Optional(AreaCode),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});

const turnaroundFigures = {
  sampled: Type.Integer({ description: 'samples taken (day of sampling)' }),
  resulted: Type.Integer({ description: 'results returned (day of the result)' }),
  positive: Type.Integer({ description: 'positive results returned' }),
  onTime: Type.Integer({ description: 'results returned by their due time' }),
  onTimeRate: Type.Union([Type.Number(), Type.Null()], { description: 'onTime ÷ resulted; null without results' }),
  medianHours: Type.Union([Type.Number(), Type.Null()], { description: 'median hours from sampling to result, over the results returned' }),
  p90Hours: Type.Union([Type.Number(), Type.Null()], { description: '90th percentile (interpolated) of the same' }),
  pending: Type.Integer({ description: 'samples of that day still without a result' }),
  pendingOverdue: Type.Integer({ description: 'of those, the ones past their due time now' }),
};
export const NucleicTurnaroundFigures = Type.Object(turnaroundFigures);

export const NucleicTurnaround = Type.Object({
  area: Type.String(),
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(Type.Object({ day: Type.String(), ...turnaroundFigures }), { description: 'one entry per day, oldest first, zeros included' }),
  total: NucleicTurnaroundFigures,
});
export type NucleicTurnaround = Static<typeof NucleicTurnaround>;
