import { Type, type Static } from 'typebox';
import { AreaCode, CityDay, CoordinateSystem } from './common.ts';

export const maxRecordsPerRequest = 10_000;
/** ≥ 37.3 °C is an abnormal temperature (DOMAIN.md). */
export const abnormalTemperature = 37.3;

export const CodeColour = Type.Enum(['green', 'yellow', 'red'], { description: '健康码 health-code colour' });
export const ScreeningOutcome = Type.Enum(['pass', 'refer', 'deny'], { description: 'pass, refer to a fever clinic, deny entry' });

export const ScreeningPosition = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Optional(CoordinateSystem),
  },
  { additionalProperties: false, description: 'where the screening took place; its grid is found by PostGIS' },
);

/** One checkpoint or site screening record. Exactly one of siteId, grid or position locates it. */
export const ScreeningRecord = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'client-generated; a retried record with the same id changes nothing' }),
    at: Type.String({ format: 'date-time', description: 'when the person was screened (ISO 8601 with offset)' }),
    siteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    grid: Type.Optional(AreaCode),
    position: Type.Optional(ScreeningPosition),
    temperature: Type.Optional(Type.Number({ minimum: 30, maximum: 45, description: '°C, one decimal' })),
    codeColour: CodeColour,
    outcome: ScreeningOutcome,
    itineraryFlag: Type.Optional(Type.Boolean({ description: '行程卡 shows a medium/high-risk area in the last 14 days' })),
  },
  { additionalProperties: false },
);
export type ScreeningRecord = Static<typeof ScreeningRecord>;

export const ScreeningBatch = Type.Object(
  {
    records: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: maxRecordsPerRequest,
      description: `1 to ${maxRecordsPerRequest} ScreeningRecord objects; each is validated on its own`,
    }),
  },
  { additionalProperties: false },
);

export const ScreeningAccepted = Type.Object({
  accepted: Type.Integer({ description: 'records stored by this request' }),
  duplicates: Type.Integer({ description: 'records already stored before (same id), ignored' }),
});
export type ScreeningAccepted = Static<typeof ScreeningAccepted>;

export const RecordError = Type.Object({
  index: Type.Integer({ description: 'position of the record in `records`' }),
  id: Type.Union([Type.String(), Type.Null()]),
  field: Type.String(),
  message: Type.String(),
});
export type RecordError = Static<typeof RecordError>;

export const ScreeningRejected = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Array(RecordError),
});

/** The records behind a day's figures (no personal data: a screening record names no one). */
export const ScreeningListQuery = Type.Object({
  area: Type.Optional(AreaCode),
  day: Type.Optional(CityDay),
  filter: Type.Optional(Type.Enum(['all', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied', 'itineraryFlagged'], {
    default: 'all',
    description: 'the figure whose records to list (the metric names of /api/stats)',
  })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export const ScreeningListItem = Type.Object({
  id: Type.String(),
  at: Type.String(),
  gridCode: Type.String(),
  areaName: Type.String({ description: 'street · community · grid' }),
  siteId: Type.Union([Type.Integer(), Type.Null()]),
  siteName: Type.Union([Type.String(), Type.Null()]),
  temperature: Type.Union([Type.Number(), Type.Null()]),
  codeColour: CodeColour,
  outcome: ScreeningOutcome,
  itineraryFlag: Type.Boolean(),
});
export const ScreeningList = Type.Object({
  items: Type.Array(ScreeningListItem, { description: 'newest first' }),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type ScreeningList = Static<typeof ScreeningList>;
