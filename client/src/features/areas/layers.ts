// deck.gl layers for the selected area, as data: stable ids, rebuilt from new data arrays only when
// the inputs change (the command page memoises on them). Picking and hover run through deck.gl.
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { AreaChildren, AreaFeature } from '../../../../server/contracts/index.ts';
import { areaName, type Language } from '../../lib/i18n.ts';
import { beforeIds } from '../../map/base-style.ts';

type ChildFeature = AreaChildren['features'][number];
type Rgba = [number, number, number, number];
/** Interleaved MapboxOverlay props: where in MapLibre's layer stack a deck.gl layer is drawn. */
type OverlayPlacement = { beforeId?: string };

export const areaLayerIds = {
  mask: 'area-mask',
  children: 'area-children',
  outline: 'area-outline',
  labels: 'area-labels',
} as const;

/** A CJK-capable font stack: Noto CJK on Linux walls, YaHei on Windows, PingFang on macOS. */
export const labelFontFamily = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", sans-serif';

// Sequential ramp for sub-area population (dark navy -> cyan), drawn translucent over the dark land.
const ramp: Array<[number, number, number]> = [
  [22, 48, 84],
  [24, 74, 118],
  [28, 104, 150],
  [38, 138, 178],
  [62, 176, 204],
];
export const populationRamp = ramp.map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);

function populationColor(population: number | null, max: number): Rgba {
  if (population === null || max <= 0) return [40, 56, 80, 110];
  const t = Math.sqrt(Math.max(0, population) / max);
  const step = ramp[Math.min(ramp.length - 1, Math.floor(t * ramp.length))] ?? ramp[0]!;
  return [step[0], step[1], step[2], 150];
}

/** The world with the selected area cut out, to dim everything outside it. */
function maskOf(area: AreaFeature): GeoJSON.Feature<GeoJSON.Polygon> {
  const world: GeoJSON.Position[] = [
    [-179.9, -85],
    [179.9, -85],
    [179.9, 85],
    [-179.9, 85],
    [-179.9, -85],
  ];
  const holes = area.geometry.coordinates.map((polygon) => polygon[0]).filter((ring): ring is GeoJSON.Position[] => ring !== undefined);
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [world, ...holes] } };
}

export interface AreaLayerInput {
  area: AreaFeature | undefined;
  children: AreaChildren | undefined;
  language: Language;
  /** Index of the child highlighted from the side panel's list, or null (then the hovered one is). */
  highlightedIndex: number | null;
  /** UI scale: 1 at 1920 px wide, 2 on a 3840 px wall. */
  scale: number;
  onHoverChild: (feature: ChildFeature | null, info: PickingInfo) => void;
}

export function buildAreaLayers({ area, children, language, highlightedIndex, scale, onHoverChild }: AreaLayerInput): Layer[] {
  const layers: Layer[] = [];
  const features = children?.features ?? [];
  const maxPopulation = features.reduce((max, f) => Math.max(max, f.properties.population ?? 0), 0);

  if (area) {
    layers.push(
      new GeoJsonLayer<Record<string, never>, OverlayPlacement>({
        id: areaLayerIds.mask,
        beforeId: beforeIds.mask,
        data: [maskOf(area)],
        filled: true,
        stroked: false,
        getFillColor: [3, 6, 12, area.properties.level === 'city' ? 120 : 165],
        updateTriggers: { getFillColor: area.properties.code },
      }),
    );
  }

  layers.push(
    new GeoJsonLayer<ChildFeature['properties'], OverlayPlacement>({
      id: areaLayerIds.children,
      beforeId: beforeIds.areaFill,
      data: features as unknown as GeoJSON.Feature<GeoJSON.Geometry, ChildFeature['properties']>[],
      pickable: true,
      autoHighlight: true,
      highlightedObjectIndex: highlightedIndex,
      highlightColor: [120, 225, 255, 110],
      filled: true,
      stroked: true,
      getFillColor: (f) => populationColor(f.properties.population, maxPopulation),
      getLineColor: [92, 200, 255, 200],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.2 * scale,
      updateTriggers: { getFillColor: maxPopulation, getLineWidth: scale },
      onHover: (info: PickingInfo) => onHoverChild((info.object as ChildFeature | undefined) ?? null, info),
    }),
  );

  if (area) {
    // The selected area's outline, drawn twice: a wide faint glow and a crisp core line.
    layers.push(
      new GeoJsonLayer({
        id: `${areaLayerIds.outline}-glow`,
        data: [area as unknown as GeoJSON.Feature],
        filled: false,
        stroked: true,
        getLineColor: [56, 189, 248, 60],
        lineWidthUnits: 'pixels',
        getLineWidth: 9 * scale,
        lineJointRounded: true,
        updateTriggers: { getLineWidth: scale },
      }),
      new GeoJsonLayer({
        id: areaLayerIds.outline,
        data: [area as unknown as GeoJSON.Feature],
        filled: false,
        stroked: true,
        getLineColor: [125, 226, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 2.2 * scale,
        lineJointRounded: true,
        updateTriggers: { getLineWidth: scale },
      }),
    );
  }

  // Grids are small and many: label them only when there are few enough to read.
  const labelled = features.length <= 400 ? features : [];
  const childLevel = features[0]?.properties.level;
  const baseSize = childLevel === 'district' ? 15 : childLevel === 'grid' ? 11 : 12.5;
  layers.push(
    new TextLayer<ChildFeature>({
      id: areaLayerIds.labels,
      data: labelled,
      characterSet: 'auto',
      fontFamily: labelFontFamily,
      fontWeight: childLevel === 'district' ? 600 : 500,
      fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
      outlineWidth: 5,
      outlineColor: [4, 9, 18, 235],
      getPosition: (f) => f.properties.labelPoint,
      getText: (f) => areaName(f.properties, language),
      getSize: baseSize * scale,
      getColor: [226, 240, 255, 255],
      sizeUnits: 'pixels',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      updateTriggers: { getText: language, getSize: `${baseSize}:${scale}` },
    }),
  );
  return layers;
}
