import { Type, type Static } from 'typebox';
import { AreaGeometryInput, CoordinateSystem, MultiPolygonGeometry } from './common.ts';

export const RiskLevel = Type.Enum(['low', 'medium', 'high']);
export type RiskLevel = Static<typeof RiskLevel>;

const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 time with offset, e.g. 2026-11-22T00:00:00+08:00' });

export const RiskAreaInputProperties = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    level: RiskLevel,
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    validFrom: IsoTime,
    validTo: Type.Optional(Type.Union([IsoTime, Type.Null()])),
    crs: Type.Optional(CoordinateSystem),
  },
  { additionalProperties: false },
);

/** A risk area as submitted: a GeoJSON Feature whose polygon is in `properties.crs` (default wgs84). */
export const RiskAreaInput = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: AreaGeometryInput,
    properties: RiskAreaInputProperties,
  },
  { additionalProperties: false },
);
export type RiskAreaInput = Static<typeof RiskAreaInput>;

export const RiskAreaProperties = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  level: RiskLevel,
  reason: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  sourceCrs: CoordinateSystem,
  version: Type.Integer(),
  active: Type.Boolean({ description: 'not retired and now within [validFrom, validTo)' }),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  areaKm2: Type.Number(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});
export type RiskAreaProperties = Static<typeof RiskAreaProperties>;

export const RiskAreaFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: MultiPolygonGeometry,
  properties: RiskAreaProperties,
});
export type RiskAreaFeature = Static<typeof RiskAreaFeature>;

export const RiskAreaCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(RiskAreaFeature),
});
export type RiskAreaCollection = Static<typeof RiskAreaCollection>;

export const RiskAreaListQuery = Type.Object({
  status: Type.Optional(
    Type.Enum(['active', 'current', 'all'], {
      default: 'current',
      description: 'active: valid now; current: not retired (default); all: retired too',
    }),
  ),
});

export const RiskAreaParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const RiskAreaVersion = Type.Object({
  version: Type.Integer(),
  change: Type.Enum(['created', 'updated', 'retired']),
  name: Type.String(),
  level: RiskLevel,
  reason: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  changedBy: Type.Union([Type.String(), Type.Null()]),
  changedAt: Type.String(),
  geometry: MultiPolygonGeometry,
});
export const RiskAreaHistory = Type.Object({ id: Type.Integer(), versions: Type.Array(RiskAreaVersion) });
export type RiskAreaHistory = Static<typeof RiskAreaHistory>;
