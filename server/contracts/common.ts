// Shapes shared by every feature. The client imports types from server/contracts only.
import { Type, type Static } from 'typebox';

/** A calendar day in the city (YYYY-MM-DD): a real date (format 'date'), not just its shape, so 2026-02-30 is a 400. */
export const CityDay = Type.String({ format: 'date', description: 'a calendar day in the city (YYYY-MM-DD)' });

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable error code, e.g. validation_failed' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const AreaCode = Type.String({
  pattern: '^[0-9]{6,16}$',
  description: 'GB/T 2260-style area code: city 310000, district 310115, street 310115001, community 310115001001, grid 31011500100101',
});

export const AreaLevel = Type.Enum(['city', 'district', 'street', 'community', 'grid']);
export type AreaLevel = Static<typeof AreaLevel>;
export const areaLevels: readonly AreaLevel[] = ['city', 'district', 'street', 'community', 'grid'];

export const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
export const LinearRing = Type.Array(Position, { minItems: 4 });

export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(LinearRing, { minItems: 1 }),
});
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(LinearRing, { minItems: 1 }), { minItems: 1 }),
});
export const PointGeometry = Type.Object({
  type: Type.Literal('Point'),
  coordinates: Position,
});
export const AreaGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = Static<typeof AreaGeometry>;

// Submitted polygons are bounded by the schema: every number within ±180 (the handler checks
// latitude against ±90 and answers with the position), at most maxInputVertices per ring and
// maxInputParts rings or polygons, nothing but type and coordinates.
export const maxInputVertices = 20_000;
export const maxInputParts = 1_000;
const InputPosition = Type.Array(Type.Number({ minimum: -180, maximum: 180 }), { minItems: 2, maxItems: 3 });
const InputLinearRing = Type.Array(InputPosition, { minItems: 4, maxItems: maxInputVertices });
const InputPolygonRings = Type.Array(InputLinearRing, { minItems: 1, maxItems: maxInputParts });
export const AreaGeometryInput = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: InputPolygonRings }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('MultiPolygon'), coordinates: Type.Array(InputPolygonRings, { minItems: 1, maxItems: maxInputParts }) },
    { additionalProperties: false },
  ),
]);

export const BBox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[minLon, minLat, maxLon, maxLat] in WGS-84',
});
export type BBox = Static<typeof BBox>;

export const CoordinateSystem = Type.Enum(['wgs84', 'gcj02', 'bd09'], {
  description: 'Coordinate system of submitted positions; stored as WGS-84 (EPSG:4326)',
});
export type CoordinateSystem = Static<typeof CoordinateSystem>;

export const HealthResponse = Type.Object({ ok: Type.Boolean(), postgis: Type.String() });
export type HealthResponse = Static<typeof HealthResponse>;
