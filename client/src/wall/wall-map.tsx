// The wall's map: MapLibre draws our own vector-tile basemap (district and street outlines) and the
// choropleth of the focused area's sub-areas from GeoJSON set ONCE per focus; a change of figures
// only sets feature-state (class index) on the features already there, never new geometry.
// deck.gl (MapboxOverlay) draws the screening-intensity bubbles (street totals, never people's
// positions) and the labels (TextLayer with the system's CJK fonts: no glyph downloads).
import { useEffect, useMemo, useRef, useState } from 'react';
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { AreaChildren, AreaFeature } from '../../../server/contracts/index.ts';
import type { MapConfig } from '../features/config/api.ts';
import { classColours, zeroColour } from './classes.ts';
import { supportsWebgl2 } from '../map/webgl.ts';

export interface IntensityPoint {
  code: string;
  position: [number, number];
  value: number;
}

export interface AreaLabel {
  code: string;
  position: [number, number];
  name: string;
  value: string;
  /** larger first when labels collide */
  priority: number;
}

export interface WallMapProps {
  config: MapConfig;
  focus: AreaFeature | undefined;
  subAreas: AreaChildren | undefined;
  /** class index (-1 = zero) by child code */
  classes: ReadonlyMap<string, number>;
  intensity: readonly IntensityPoint[];
  labels: readonly AreaLabel[];
  scale: number;
  loadingLabel: string;
  webglFailedLabel: string;
}

const fontFamily = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
const choroplethSource = 'wall-choropleth';
const focusSource = 'wall-focus';
const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function tileUrl(config: MapConfig, layer: string): string {
  const info = config.tileLayers.find((entry) => entry.name === layer);
  const template = info?.url ?? `/tiles/${layer}/{z}/{x}/{y}.mvt`;
  // MapLibre fetches tiles in a worker: make the URL absolute.
  return template.startsWith('/') ? `${window.location.origin}${template}` : template;
}

function wallStyle(config: MapConfig): StyleSpecification {
  const fillByClass = [
    'match',
    ['coalesce', ['feature-state', 'cls'], -2],
    -1,
    zeroColour,
    ...classColours.flatMap((colour, i) => [i, colour]),
    '#0c1728',
  ];
  return {
    version: 8,
    name: 'ecc-wall',
    sources: {
      districts: { type: 'vector', tiles: [tileUrl(config, 'districts')], minzoom: 0, maxzoom: 14 },
      streets: { type: 'vector', tiles: [tileUrl(config, 'streets')], minzoom: 8, maxzoom: 14 },
      [choroplethSource]: { type: 'geojson', data: empty, promoteId: 'code' },
      [focusSource]: { type: 'geojson', data: empty },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#040812' } },
      { id: 'land', type: 'fill', source: 'districts', 'source-layer': 'districts', paint: { 'fill-color': '#0a1322' } },
      {
        id: 'choropleth',
        type: 'fill',
        source: choroplethSource,
        paint: { 'fill-color': fillByClass as unknown as string, 'fill-opacity': 0.82, 'fill-color-transition': { duration: 600 } },
      },
      {
        id: 'street-lines',
        type: 'line',
        source: 'streets',
        'source-layer': 'streets',
        minzoom: 9.5,
        paint: { 'line-color': '#2a5680', 'line-width': 0.8, 'line-opacity': 0.7 },
      },
      {
        id: 'district-lines',
        type: 'line',
        source: 'districts',
        'source-layer': 'districts',
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#4a86c5', 'line-width': 1.2, 'line-opacity': 0.9 },
      },
      {
        id: 'choropleth-lines',
        type: 'line',
        source: choroplethSource,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#7cc8ff', 'line-width': 1, 'line-opacity': 0.55 },
      },
      {
        id: 'focus-glow',
        type: 'line',
        source: focusSource,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#38bdf8', 'line-width': 12, 'line-blur': 10, 'line-opacity': 0.5 },
      },
      { id: 'focus-line', type: 'line', source: focusSource, layout: { 'line-join': 'round' }, paint: { 'line-color': '#9be7ff', 'line-width': 2.4 } },
    ],
  };
}

/** Rough on-screen width of a label line: CJK characters are square, others about half as wide. */
function textWidth(text: string, size: number): number {
  let width = 0;
  for (const char of text) width += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(char) ? size : 0.58 * size;
  return width;
}

/**
 * Keeps the labels that fit without overlapping, most important first (greedy, in screen space).
 * Done here rather than with deck.gl's collision filter so the choice is stable between frames.
 */
export function declutter(map: MapLibreMap, labels: readonly AreaLabel[], size: number): AreaLabel[] {
  const canvas = map.getCanvas();
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const placed: Array<[number, number, number, number]> = [];
  const kept: AreaLabel[] = [];
  const gap = 0.3 * size;
  for (const label of [...labels].sort((a, b) => b.priority - a.priority)) {
    const p = map.project(label.position);
    const w = Math.max(textWidth(label.name, size), textWidth(label.value, size)) / 2 + gap;
    const h = 1.15 * size + gap;
    const box: [number, number, number, number] = [p.x - w, p.y - h, p.x + w, p.y + h];
    if (box[2] < 0 || box[0] > width || box[3] < 0 || box[1] > height) continue;
    if (placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
    placed.push(box);
    kept.push(label);
  }
  return kept;
}

export function WallMap(props: WallMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [ready, setReady] = useState(false);
  /** Bumped when the view settles, to place the labels again. */
  const [viewKey, setViewKey] = useState(0);
  const [failed, setFailed] = useState(() => !supportsWebgl2());
  const { config } = props;

  useEffect(() => {
    const container = containerRef.current;
    if (!container || failed) return;
    let map: MapLibreMap;
    try {
      map = new maplibregl.Map({
        container,
        style: wallStyle(config),
        center: [121.47, 31.2],
        zoom: 8.4,
        interactive: false,
        attributionControl: false,
        fadeDuration: 0,
        maxTileCacheSize: 200,
        canvasContextAttributes: { contextType: 'webgl2', preserveDrawingBuffer: true, antialias: true },
      });
    } catch (error) {
      console.error(error);
      setFailed(true);
      return;
    }
    mapRef.current = map;
    const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    overlayRef.current = overlay;
    map.on('load', () => {
      map.addControl(overlay);
      setReady(true);
    });
    const markBusy = () => container.setAttribute('data-idle', 'false');
    map.on('movestart', markBusy);
    map.on('dataloading', markBusy);
    map.on('idle', () => container.setAttribute('data-idle', 'true'));
    map.on('moveend', () => setViewKey((k) => (k + 1) % 1_000_000));
    map.on('error', (event) => console.warn('map error', event.error?.message ?? event));
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(container);
    return () => {
      resize.disconnect();
      overlay.finalize();
      overlayRef.current = null;
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, [config, failed]);

  // Geometry: set once per focus (the children of the focused area and its outline).
  const childrenKey = props.subAreas?.parent.code ?? '';
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.removeFeatureState({ source: choroplethSource });
    map.getSource<GeoJSONSource>(choroplethSource)?.setData({
      type: 'FeatureCollection',
      features: (props.subAreas?.features ?? []).map((f) => ({
        type: 'Feature',
        geometry: f.geometry as GeoJSON.MultiPolygon,
        properties: { code: f.properties.code },
      })),
    });
  }, [childrenKey, ready]);

  const focusKey = props.focus?.properties.code ?? '';
  useEffect(() => {
    const map = mapRef.current;
    const focus = props.focus;
    if (!map || !ready || !focus) return;
    map.getSource<GeoJSONSource>(focusSource)?.setData({
      type: 'Feature',
      geometry: focus.geometry as GeoJSON.MultiPolygon,
      properties: {},
    });
    const [w, s, e, n] = focus.bbox;
    const pad = Math.round(24 * props.scale);
    map.fitBounds([w, s, e, n], { padding: pad, duration: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1200 });
  }, [focusKey, ready]);

  // Line widths follow the UI scale (1 at 1920 px wide, 2 on a 4K wall).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const widths: Record<string, number> = { 'street-lines': 0.8, 'district-lines': 1.2, 'choropleth-lines': 1, 'focus-glow': 12, 'focus-line': 2.4 };
    for (const [id, width] of Object.entries(widths)) map.setPaintProperty(id, 'line-width', width * props.scale);
  }, [props.scale, ready]);

  // Figures: feature-state only (geometry stays as it is).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    for (const [code, cls] of props.classes) map.setFeatureState({ source: choroplethSource, id: code }, { cls });
  }, [props.classes, ready, childrenKey]);

  const labelSize = 15 * props.scale;
  const shownLabels = useMemo(() => {
    const map = mapRef.current;
    return map && ready ? declutter(map, props.labels, labelSize) : [];
  }, [props.labels, labelSize, ready, viewKey]);

  const layers = useMemo(() => {
    const max = props.intensity.reduce((m, p) => Math.max(m, p.value), 0);
    const s = props.scale;
    return [
      new ScatterplotLayer<IntensityPoint>({
        id: 'intensity',
        data: props.intensity,
        getPosition: (p) => p.position,
        getRadius: (p) => (p.value > 0 && max > 0 ? 2 + 13 * Math.sqrt(p.value / max) : 0),
        radiusUnits: 'pixels',
        radiusScale: s,
        getFillColor: (p) => [255, 176, 32, p.value > 0 ? 95 : 0],
        stroked: true,
        getLineColor: [255, 214, 120, 170],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
        updateTriggers: { getRadius: max, getFillColor: max },
        transitions: { getRadius: 500 },
      }),
      new TextLayer<AreaLabel>({
        id: 'labels',
        data: shownLabels,
        characterSet: 'auto',
        fontFamily,
        fontWeight: 600,
        fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
        outlineWidth: 5,
        outlineColor: [3, 7, 15, 240],
        getPosition: (l) => l.position,
        getText: (l) => `${l.name}\n${l.value}`,
        lineHeight: 1.15,
        getSize: labelSize,
        sizeUnits: 'pixels',
        getColor: [232, 244, 255, 255],
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
      }),
    ];
  }, [props.intensity, shownLabels, props.scale, labelSize]);

  useEffect(() => {
    if (ready) overlayRef.current?.setProps({ layers });
  }, [layers, ready]);

  return (
    <div className="wall-map">
      <div ref={containerRef} className="wall-map-canvas" data-testid="wall-map" data-idle="false" />
      {failed ? (
        <div className="wall-map-message" role="alert">
          {props.webglFailedLabel}
        </div>
      ) : !ready ? (
        <div className="wall-map-message">{props.loadingLabel}</div>
      ) : null}
    </div>
  );
}
