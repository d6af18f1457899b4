import { Type, type Static } from 'typebox';

/** Vector-tile layers served at /tiles/{layer}/{z}/{x}/{y}.mvt; the MVT layer inside each tile has the same name. */
export const tileLayers = ['districts', 'streets', 'communities', 'grids', 'sites', 'risk-areas'] as const;
export type TileLayer = (typeof tileLayers)[number];

/** Zoom ranges where each layer is served (outside them the tile is empty, 204). */
export const tileZoomRange: Record<TileLayer, { min: number; max: number }> = {
  districts: { min: 0, max: 22 },
  streets: { min: 8, max: 22 },
  communities: { min: 10, max: 22 },
  grids: { min: 12, max: 22 },
  sites: { min: 9, max: 22 },
  'risk-areas': { min: 0, max: 22 },
};

export const TileParams = Type.Object({
  layer: Type.Enum(tileLayers),
  z: Type.Integer({ minimum: 0, maximum: 22 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.String({ pattern: '^[0-9]+\\.mvt$' }),
});
export type TileParams = Static<typeof TileParams>;

export const TileInfo = Type.Object({
  tileLayers: Type.Array(
    Type.Object({ name: Type.String(), minzoom: Type.Integer(), maxzoom: Type.Integer(), version: Type.Integer(), url: Type.String() }),
  ),
});
export type TileInfo = Static<typeof TileInfo>;
