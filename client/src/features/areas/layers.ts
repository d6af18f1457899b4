// The selected area on the map. Geometry goes to MapLibre GeoJSON sources (drawn under risk areas
// and sites, hover by feature-state, picking by queryRenderedFeatures); labels are a deck.gl
// TextLayer, because MapLibre text needs glyph PBFs from a URL and we run without internet.
// Layers as data: stable ids, rebuilt from new data arrays only when the inputs change.
import { TextLayer } from '@deck.gl/layers';
import { CollisionFilterExtension, type CollisionFilterExtensionProps } from '@deck.gl/extensions';
import type { Layer } from '@deck.gl/core';
import type { AreaChildren, AreaFeature } from '../../../../server/contracts/index.ts';
import { areaName, type Language } from '../../lib/i18n.ts';

type ChildFeature = AreaChildren['features'][number];

export const areaLabelLayerId = 'area-labels';
const collisionFilter = new CollisionFilterExtension();

/** A CJK-capable font stack: Noto CJK on Linux walls, YaHei on Windows, PingFang on macOS. */
export const labelFontFamily = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", sans-serif';

// Sequential ramp for sub-area population (dark navy -> cyan), drawn translucent over the dark land.
export const populationRamp = ['#163054', '#184a76', '#1c6896', '#268ab2', '#3eb0cc'];

function populationColor(population: number | null, max: number): string {
  if (population === null || max <= 0) return '#1f2c40';
  const t = Math.sqrt(Math.max(0, population) / max);
  return populationRamp[Math.min(populationRamp.length - 1, Math.floor(t * populationRamp.length))] ?? populationRamp[0]!;
}

/** The sub-areas with a precomputed fill colour (population, square-root scale). */
export function childrenGeoJson(children: AreaChildren | undefined): GeoJSON.FeatureCollection {
  const features = children?.features ?? [];
  const max = features.reduce((m, f) => Math.max(m, f.properties.population ?? 0), 0);
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      geometry: f.geometry as GeoJSON.MultiPolygon,
      properties: { code: f.properties.code, fillColor: populationColor(f.properties.population, max) },
    })),
  };
}

export function areaGeoJson(area: AreaFeature | undefined): GeoJSON.FeatureCollection {
  if (!area) return { type: 'FeatureCollection', features: [] };
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: area.geometry as GeoJSON.MultiPolygon, properties: { code: area.properties.code } }],
  };
}

/** Shoelace sum: positive for a counter-clockwise ring in lon/lat. */
function signedArea(ring: GeoJSON.Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0]! * b[1]!) - (b[0]! * a[1]!);
  }
  return sum / 2;
}

/** The world with the selected area cut out, to dim everything outside it. */
export function maskGeoJson(area: AreaFeature | undefined): GeoJSON.FeatureCollection {
  if (!area) return { type: 'FeatureCollection', features: [] };
  const world: GeoJSON.Position[] = [
    [-179.9, -85],
    [179.9, -85],
    [179.9, 85],
    [-179.9, 85],
    [-179.9, -85],
  ];
  // MapLibre tells holes by winding: make every hole clockwise, against the counter-clockwise world.
  const holes = area.geometry.coordinates
    .map((polygon) => polygon[0])
    .filter((ring): ring is GeoJSON.Position[] => ring !== undefined)
    .map((ring) => (signedArea(ring) > 0 ? [...ring].reverse() : ring));
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [world, ...holes] },
        properties: { code: `mask-${area.properties.code}`, opacity: area.properties.level === 'city' ? 0.45 : 0.62 },
      },
    ],
  };
}

/** Map labels drop the generic English suffix (the list keeps full names): "Tangqiao Subdistrict" → "Tangqiao". */
function mapLabel(properties: ChildFeature['properties'], language: Language): string {
  const name = areaName(properties, language);
  if (language !== 'en') return name;
  return name.replace(/\s+(Subdistrict|Sub-district|Street|Town|Township|Residential Community|Community|Village)$/i, '') || name;
}

export interface AreaLabelInput {
  children: AreaChildren | undefined;
  language: Language;
  /** UI scale: 1 at 1920 px wide, 2 on a 3840 px wall. */
  scale: number;
}

export function buildAreaLayers({ children, language, scale }: AreaLabelInput): Layer[] {
  const features = children?.features ?? [];
  // Grids are small and many: label them only when there are few enough to read.
  const labelled = features.length <= 400 ? features : [];
  const childLevel = features[0]?.properties.level;
  const maxPopulation = Math.max(1, ...features.map((f) => f.properties.population ?? 0));
  const baseSize = childLevel === 'district' ? 16 : childLevel === 'grid' ? 12 : 13.5;
  return [
    new TextLayer<ChildFeature, CollisionFilterExtensionProps<ChildFeature>>({
      id: areaLabelLayerId,
      data: labelled,
      characterSet: 'auto',
      fontFamily: labelFontFamily,
      fontWeight: childLevel === 'district' ? 600 : 500,
      fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
      outlineWidth: 5,
      outlineColor: [4, 9, 18, 235],
      getPosition: (f) => f.properties.labelPoint,
      getText: (f) => mapLabel(f.properties, language),
      getSize: baseSize * scale,
      getColor: [226, 240, 255, 255],
      sizeUnits: 'pixels',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      // Dense downtown streets: drop overlapping labels, keeping the most populous area's.
      extensions: [collisionFilter],
      collisionEnabled: true,
      // Priorities must lie in [-1000, 1000] (outside it a label is never drawn): scale to the largest.
      getCollisionPriority: (f) => Math.round(1000 * Math.sqrt((f.properties.population ?? 0) / maxPopulation)),
      collisionTestProps: { sizeScale: 1.4 },
      updateTriggers: { getText: language, getSize: `${baseSize}:${scale}`, getCollisionPriority: maxPopulation },
    }),
  ];
}
