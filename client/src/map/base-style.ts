// The map style, built in code so the map works without internet: no sprite, no glyphs (text is drawn
// by deck.gl's TextLayer with the system's CJK fonts), our own vector tiles as the basemap.
//
// Sites are drawn here as a MapLibre circle layer from the `sites` vector tiles rather than with a
// deck.gl MVTLayer: the tiles are cached by ETag and shared with the basemap's tile pipeline, and a
// category toggle is a `setFilter` on already-loaded tiles (no refetch, no layer rebuild), while the
// MVTLayer would pull in @deck.gl/geo-layers and a second tile cache for the same data.
import type { ExpressionSpecification, LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { TileLayer } from '../../../server/contracts/index.ts';
import { tileZoomRange } from '../../../server/contracts/index.ts';
import type { MapConfig } from '../features/config/api.ts';
import { categoryColors, siteCategories, type SiteCategory } from '../features/sites/categories.ts';
import { riskColors } from '../features/risk-areas/levels.ts';

export const palette = {
  background: '#060b16',
  land: '#0b1526',
  districtLine: '#3d6fa8',
  streetLine: '#24466e',
  communityLine: '#1b3553',
  gridLine: '#16304a',
};

/**
 * The selected area and its sub-areas are GeoJSON sources of their own (from /api/areas), drawn by
 * MapLibre between the basemap and the risk areas and sites, so sites stay on top of the fills.
 * MapLibre also does their hover (feature-state) and click picking; deck.gl only draws the labels.
 */
export const selection = {
  childrenSource: 'sel-children',
  maskSource: 'sel-mask',
  areaSource: 'sel-area',
  childrenFill: 'sel-children-fill',
  childrenLine: 'sel-children-line',
  mask: 'sel-mask-fill',
  outlineGlow: 'sel-outline-glow',
  outline: 'sel-outline',
} as const;
const emptyCollection: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export const siteLayerId = 'sites-circle';
/** Fill layers (visible or not) that answer "which area is under this point", by level. */
export const hitLayerIds = { district: 'districts-fill', street: 'streets-hit', community: 'communities-hit', grid: 'grids-hit' } as const;
const ourSourceIds: readonly TileLayer[] = ['districts', 'streets', 'communities', 'grids', 'risk-areas', 'sites'];

/** Absolute tile URL template with the data version, so a data change busts every cache. */
function tileUrl(config: MapConfig, layer: TileLayer): string {
  const info = config.tileLayers.find((entry) => entry.name === layer);
  const template = info?.url ?? `/tiles/${layer}/{z}/{x}/{y}.mvt`;
  // MapLibre fetches tiles from a web worker: relative URLs must be made absolute. Keep {z}/{x}/{y} unescaped.
  const absolute = /^https?:\/\//.test(template) ? template : `${window.location.origin}${template.startsWith('/') ? '' : '/'}${template}`;
  if (!info || /[?&]v=/.test(absolute)) return absolute;
  return `${absolute}${absolute.includes('?') ? '&' : '?'}v=${info.version}`;
}

function vectorSource(config: MapConfig, layer: TileLayer, attribution?: string): SourceSpecification {
  const info = config.tileLayers.find((entry) => entry.name === layer);
  const range = tileZoomRange[layer];
  return {
    type: 'vector',
    tiles: [tileUrl(config, layer)],
    minzoom: info?.minzoom ?? range.min,
    // Overzoom past the last level the server cuts: geometry is simplified for ~z14 anyway.
    maxzoom: Math.min(info?.maxzoom ?? range.max, 16),
    ...(attribution ? { attribution } : {}),
  };
}

/** The base style when no online basemap is configured: just a dark background. */
export function offlineBaseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'ecc-dark',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': palette.background } }],
  };
}

export interface OverlayOptions {
  /** true when our layers go over an online basemap: no land fill, lighter outlines. */
  overBasemap: boolean;
  attribution: string;
  /** UI scale (1 at 1920 px wide, 2 on a 4K wall). */
  scale: number;
}

const categoryColorExpression = (): ExpressionSpecification => {
  const pairs: string[] = [];
  for (const category of siteCategories) pairs.push(category, categoryColors[category]);
  return ['match', ['get', 'category'], ...pairs, '#94a3b8'] as unknown as ExpressionSpecification;
};

export function siteFilter(enabled: ReadonlySet<SiteCategory>): ExpressionSpecification {
  return ['in', ['get', 'category'], ['literal', [...enabled]]];
}

const riskColorExpression: ExpressionSpecification = [
  'match',
  ['get', 'level'],
  'high',
  riskColors.high,
  'medium',
  riskColors.medium,
  riskColors.low,
];
const isActive: ExpressionSpecification = ['==', ['to-boolean', ['get', 'active']], true];

function overlayLayers({ overBasemap, scale }: OverlayOptions): LayerSpecification[] {
  const s = scale;
  return [
    {
      id: 'districts-fill',
      type: 'fill',
      source: 'districts',
      'source-layer': 'districts',
      paint: { 'fill-color': palette.land, 'fill-opacity': overBasemap ? 0.15 : 1 },
    },
    // Invisible fills: let a click outside the current sub-areas find the neighbouring area under it.
    ...(['streets', 'communities', 'grids'] as const).map(
      (layer): LayerSpecification => ({
        id: `${layer}-hit`,
        type: 'fill',
        source: layer,
        'source-layer': layer,
        minzoom: tileZoomRange[layer].min,
        paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
      }),
    ),
    {
      id: selection.childrenFill,
      type: 'fill',
      source: selection.childrenSource,
      paint: {
        'fill-color': ['case', ['boolean', ['feature-state', 'hover'], false], '#3fb6e0', ['get', 'fillColor']],
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.8, 0.62],
      },
    },
    {
      id: 'grids-line',
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: 12,
      paint: { 'line-color': palette.gridLine, 'line-width': 0.6 * s, 'line-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.3, 14, 0.8] },
    },
    {
      id: 'communities-line',
      type: 'line',
      source: 'communities',
      'source-layer': 'communities',
      minzoom: 11,
      paint: { 'line-color': palette.communityLine, 'line-width': 0.7 * s, 'line-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.35, 13, 0.9] },
    },
    {
      id: 'streets-line',
      type: 'line',
      source: 'streets',
      'source-layer': 'streets',
      minzoom: 9,
      paint: {
        'line-color': palette.streetLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.5 * s, 13, 1.4 * s],
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.45, 11, 0.9],
      },
    },
    {
      id: 'districts-line',
      type: 'line',
      source: 'districts',
      'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': palette.districtLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.8 * s, 12, 2 * s],
        'line-opacity': 0.9,
      },
    },
    {
      id: selection.childrenLine,
      type: 'line',
      source: selection.childrenSource,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['boolean', ['feature-state', 'hover'], false], '#c8f3ff', '#5cc8ff'],
        'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.4 * s, 1.1 * s],
        'line-opacity': 0.85,
      },
    },
    {
      id: 'risk-fill',
      type: 'fill',
      source: 'risk-areas',
      'source-layer': 'risk-areas',
      paint: { 'fill-color': riskColorExpression, 'fill-opacity': ['case', isActive, 0.28, 0.07] },
    },
    {
      id: 'risk-line',
      type: 'line',
      source: 'risk-areas',
      'source-layer': 'risk-areas',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': riskColorExpression,
        'line-width': 1.8 * s,
        'line-dasharray': [3, 2],
        'line-opacity': ['case', isActive, 0.95, 0.35],
      },
    },
    {
      id: siteLayerId,
      type: 'circle',
      source: 'sites',
      'source-layer': 'sites',
      minzoom: 9,
      paint: {
        'circle-color': categoryColorExpression(),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 1.6 * s, 12, 3.2 * s, 15, 6 * s],
        'circle-stroke-color': '#050a14',
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0.3 * s, 13, 1 * s],
        'circle-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.75, 12, 0.95],
      },
    },
    // Dims everything outside the selected area, sites and risk areas included.
    {
      id: selection.mask,
      type: 'fill',
      source: selection.maskSource,
      paint: { 'fill-color': '#02050b', 'fill-opacity': ['coalesce', ['get', 'opacity'], 0.6] },
    },
    {
      id: selection.outlineGlow,
      type: 'line',
      source: selection.areaSource,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#38bdf8', 'line-width': 10 * s, 'line-blur': 8 * s, 'line-opacity': 0.55 },
    },
    {
      id: selection.outline,
      type: 'line',
      source: selection.areaSource,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#8be6ff', 'line-width': 2.2 * s },
    },
  ];
}

/** Adds our sources and layers to whatever style is loaded (our dark base or an online one). Idempotent. */
export function addOverlay(map: MapLibreMap, config: MapConfig, options: OverlayOptions): void {
  for (const id of ourSourceIds) {
    if (!map.getSource(id)) map.addSource(id, vectorSource(config, id, id === 'districts' ? options.attribution : undefined));
  }
  for (const id of [selection.childrenSource, selection.maskSource, selection.areaSource]) {
    // promoteId: feature-state (hover) is keyed by the area code.
    if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: emptyCollection, promoteId: 'code' });
  }
  for (const layer of overlayLayers(options)) {
    if (!map.getLayer(layer.id)) map.addLayer(layer);
  }
}

/** Re-applies the size-dependent paint properties when the UI scale changes (window resized, wall display). */
export function applyScale(map: MapLibreMap, options: OverlayOptions): void {
  for (const layer of overlayLayers(options)) {
    if (!map.getLayer(layer.id) || !('paint' in layer) || !layer.paint) continue;
    for (const [property, value] of Object.entries(layer.paint)) {
      if (/width|radius|blur/.test(property)) map.setPaintProperty(layer.id, property, value);
    }
  }
}
