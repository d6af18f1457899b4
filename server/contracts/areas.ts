import { Type, type Static } from 'typebox';
import { AreaCode, AreaLevel, BBox, MultiPolygonGeometry, PointGeometry } from './common.ts';

export const AreaRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: AreaLevel,
});
export type AreaRef = Static<typeof AreaRef>;

export const AreaProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: AreaLevel,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()]),
  synthetic: Type.Boolean({ description: 'true when the geometry is generated, not surveyed' }),
  childCount: Type.Integer(),
  siteCount: Type.Integer(),
  areaKm2: Type.Number(),
  /** Root first: city, district, ... up to the parent. */
  ancestors: Type.Array(AreaRef),
  labelPoint: PointGeometry,
});
export type AreaProperties = Static<typeof AreaProperties>;

export const AreaFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  bbox: BBox,
  geometry: MultiPolygonGeometry,
  properties: AreaProperties,
});
export type AreaFeature = Static<typeof AreaFeature>;

export const ChildAreaProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: AreaLevel,
  parentCode: Type.String(),
  population: Type.Union([Type.Integer(), Type.Null()]),
  synthetic: Type.Boolean(),
  siteCount: Type.Integer(),
  /** [lon, lat] of a point inside the area, for its label */
  labelPoint: Type.Tuple([Type.Number(), Type.Number()]),
});
export type ChildAreaProperties = Static<typeof ChildAreaProperties>;

export const ChildAreaFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: MultiPolygonGeometry,
  properties: ChildAreaProperties,
});

export const AreaChildren = Type.Object({
  type: Type.Literal('FeatureCollection'),
  parent: AreaRef,
  features: Type.Array(ChildAreaFeature),
});
export type AreaChildren = Static<typeof AreaChildren>;

export const AreaParams = Type.Object({ code: AreaCode });

export const AreaSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 50 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});
export const AreaSearchResult = Type.Object({ items: Type.Array(Type.Intersect([AreaRef, Type.Object({ path: Type.Array(Type.String()) })])) });
export type AreaSearchResult = Static<typeof AreaSearchResult>;
