// The MapLibre map with a deck.gl overlay (MapboxOverlay as a map control) for the labels.
// Owns the map's lifecycle; everything else is passed in as props and applied in small effects.
//
// Why the overlay is not interleaved: in deck.gl 9.4 picking through an interleaved overlay came
// back empty here (Chromium/SwiftShader), and the labels belong on top anyway. Area fills, outlines,
// hover and click picking are MapLibre's (GeoJSON sources + feature-state), below risk areas and sites.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap, type MapGeoJSONFeature } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { AreaChildren, AreaFeature, AreaLevel, BBox, SiteCategory } from '../../../server/contracts/index.ts';
import type { MapConfig } from '../features/config/api.ts';
import { areaGeoJson, childrenGeoJson, maskGeoJson } from '../features/areas/layers.ts';
import { addOverlay, applyScale, hitLayerIds, offlineBaseStyle, selection, siteFilter, siteLayerId, type OverlayOptions } from './base-style.ts';
import { setAreaHover, setSiteHover } from './hover-store.ts';
import { pushToast } from '../lib/toasts.ts';
import { supportsWebgl2 } from './webgl.ts';

/** An area found under the pointer in the basemap tiles (for clicks outside the current sub-areas). */
export interface TileArea {
  code: string;
  level: AreaLevel;
}

export interface MapViewProps {
  config: MapConfig;
  /** deck.gl layers drawn over the map (labels). */
  layers: Layer[];
  /** The selected area (outline, mask) and its sub-areas (fills, hover, click to drill). */
  area: AreaFeature | undefined;
  subAreas: AreaChildren | undefined;
  /** A sub-area to highlight from outside the map (the side panel's list). */
  highlightCode: string | null;
  /** The area to frame; the map flies to `bbox` whenever `key` changes. */
  frame: { key: string; bbox: BBox } | null;
  enabledCategories: ReadonlySet<SiteCategory>;
  scale: number;
  attribution: string;
  /** Extra padding (px) on the left, where the floating legend covers the map. */
  paddingLeft: number;
  onClickChild: (code: string) => void;
  onClickTileAreas: (areas: TileArea[]) => void;
  /** The zoom after each move (the legend says when site points are not drawn yet). */
  onZoom?: (zoom: number) => void;
  /** Shown while the style loads. */
  loadingLabel: string;
  webglFailedLabel: string;
}

declare global {
  interface Window {
    /**
     * Test hook for tests/e2e only: the MapLibre map, so a test can project a known [lon, lat]
     * (an area's label point) to screen pixels. Not an API; nothing else may rely on it.
     */
    __ecc?: { map: MapLibreMap };
  }
}

const flyDurationMs = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 900);

function tileAreasAt(map: MapLibreMap, point: maplibregl.PointLike): TileArea[] {
  const layers = Object.values(hitLayerIds).filter((id) => map.getLayer(id));
  const features: MapGeoJSONFeature[] = map.queryRenderedFeatures(point, { layers });
  const seen = new Set<string>();
  const areas: TileArea[] = [];
  for (const feature of features) {
    const code = feature.properties.code;
    const level = feature.properties.level;
    if (typeof code !== 'string' || typeof level !== 'string' || seen.has(code)) continue;
    seen.add(code);
    areas.push({ code, level: level as AreaLevel });
  }
  return areas;
}

export function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const lastFramed = useRef<string | undefined>(undefined);
  const [styleReady, setStyleReady] = useState(false);
  const [failed, setFailed] = useState(() => !supportsWebgl2());
  // Latest props for the map's event handlers, which are bound once.
  const latest = useRef(props);
  latest.current = props;

  // Create the map once per config (a changed basemap URL rebuilds it).
  useEffect(() => {
    const container = containerRef.current;
    if (!container || failed) return;
    const { config } = latest.current;
    const initialBounds = latest.current.frame?.bbox;
    let map: MapLibreMap;
    try {
      map = new maplibregl.Map({
        container,
        style: config.basemapStyleUrl ?? offlineBaseStyle(),
        ...(initialBounds
          ? { bounds: [initialBounds[0], initialBounds[1], initialBounds[2], initialBounds[3]] as [number, number, number, number] }
          : { center: [121.47, 31.23] as [number, number], zoom: 8.5 }),
        minZoom: 6,
        maxZoom: 18,
        maxPitch: 0,
        dragRotate: false,
        pitchWithRotate: false,
        attributionControl: false,
        fadeDuration: 0,
        // Keep the drawing buffer so screenshots (tests, "save image") see the map.
        canvasContextAttributes: { contextType: 'webgl2', preserveDrawingBuffer: true, antialias: true },
      });
    } catch (error) {
      console.error(error);
      setFailed(true);
      return;
    }
    mapRef.current = map;
    window.__ecc = { map };
    map.addControl(new maplibregl.AttributionControl({ compact: false }), 'bottom-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.touchZoomRotate.disableRotation();

    let usingFallback = config.basemapStyleUrl === null;
    let hovered: string | null = null;
    const setHovered = (code: string | null) => {
      if (hovered === code) return;
      if (hovered !== null) map.setFeatureState({ source: selection.childrenSource, id: hovered }, { hover: false });
      hovered = code;
      if (code !== null) map.setFeatureState({ source: selection.childrenSource, id: code }, { hover: true });
    };
    const childByCode = (code: unknown) =>
      typeof code === 'string' ? latest.current.subAreas?.features.find((f) => f.properties.code === code)?.properties : undefined;

    const onStyleLoad = () => {
      const options: OverlayOptions = {
        overBasemap: !usingFallback && config.basemapStyleUrl !== null,
        attribution: latest.current.attribution,
        scale: latest.current.scale,
      };
      addOverlay(map, config, options);
      map.setFilter(siteLayerId, siteFilter(latest.current.enabledCategories));
      if (!overlayRef.current) {
        const overlay = new MapboxOverlay({ interleaved: false, layers: latest.current.layers });
        overlayRef.current = overlay;
        map.addControl(overlay);
      }
      setStyleReady(true);
    };
    map.on('style.load', onStyleLoad);

    map.on('error', (event) => {
      // An online basemap that cannot be reached (no internet): fall back to our own dark basemap.
      if (!usingFallback && !map.isStyleLoaded()) {
        usingFallback = true;
        pushToast({ kind: 'info', titleKey: 'errors.load', detail: `basemap: ${event.error?.message ?? 'unreachable'}` });
        map.setStyle(offlineBaseStyle());
        return;
      }
      console.warn('map error', event.error?.message ?? event);
    });

    // Hover: sites first (they sit on top), then the current sub-areas.
    map.on('mousemove', (event) => {
      if (!map.getLayer(selection.childrenFill)) return;
      const [site] = map.queryRenderedFeatures(event.point, { layers: [siteLayerId] });
      if (site && typeof site.properties.category === 'string') {
        setSiteHover({
          kind: 'site',
          x: event.point.x,
          y: event.point.y,
          site: { id: Number(site.properties.id), name: String(site.properties.name ?? ''), category: site.properties.category as SiteCategory },
        });
      } else setSiteHover(null);
      const [child] = map.queryRenderedFeatures(event.point, { layers: [selection.childrenFill] });
      const properties = childByCode(child?.properties.code);
      setHovered(properties?.code ?? null);
      setAreaHover(properties ? { kind: 'area', source: 'map', x: event.point.x, y: event.point.y, area: properties } : null);
      map.getCanvas().style.cursor = site || properties ? 'pointer' : '';
    });
    map.on('mouseout', () => {
      setHovered(null);
      setSiteHover(null);
      setAreaHover(null);
    });
    map.on('click', (event) => {
      if (!map.getLayer(selection.childrenFill)) return;
      const [child] = map.queryRenderedFeatures(event.point, { layers: [selection.childrenFill] });
      const code = child?.properties.code;
      if (typeof code === 'string') latest.current.onClickChild(code);
      else latest.current.onClickTileAreas(tileAreasAt(map, event.point));
    });
    // A new set of sub-areas: forget the hover of the old ones.
    map.on('sourcedata', (event) => {
      if (event.sourceId === selection.childrenSource && event.sourceDataType === 'content') hovered = null;
    });

    // data-idle tells tests (and anyone watching) that tiles and transitions are done.
    const markBusy = () => container.setAttribute('data-idle', 'false');
    map.on('movestart', markBusy);
    map.on('dataloading', markBusy);
    map.on('idle', () => container.setAttribute('data-idle', 'true'));
    map.on('moveend', () => latest.current.onZoom?.(map.getZoom()));
    map.on('webglcontextlost', () => pushToast({ kind: 'error', titleKey: 'errors.load', detail: 'WebGL context lost' }));

    return () => {
      overlayRef.current?.finalize();
      overlayRef.current = null;
      map.remove();
      mapRef.current = null;
      if (window.__ecc?.map === map) delete window.__ecc;
      lastFramed.current = undefined;
      setStyleReady(false);
    };
  }, [props.config, failed]);

  // deck.gl layers: new data arrays in, same ids.
  useEffect(() => {
    overlayRef.current?.setProps({ layers: props.layers });
  }, [props.layers, styleReady]);

  // The selection's geometry into MapLibre's GeoJSON sources.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    map.getSource<GeoJSONSource>(selection.childrenSource)?.setData(childrenGeoJson(props.subAreas));
  }, [props.subAreas, styleReady]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    map.getSource<GeoJSONSource>(selection.areaSource)?.setData(areaGeoJson(props.area));
    map.getSource<GeoJSONSource>(selection.maskSource)?.setData(maskGeoJson(props.area));
  }, [props.area, styleReady]);

  // Highlight from the side panel's list.
  useEffect(() => {
    const map = mapRef.current;
    const code = props.highlightCode;
    if (!map || !styleReady || !code) return;
    map.setFeatureState({ source: selection.childrenSource, id: code }, { hover: true });
    return () => {
      if (map.getSource(selection.childrenSource)) map.setFeatureState({ source: selection.childrenSource, id: code }, { hover: false });
    };
  }, [props.highlightCode, styleReady]);

  // Category toggles filter the already-loaded site tiles.
  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady && map.getLayer(siteLayerId)) map.setFilter(siteLayerId, siteFilter(props.enabledCategories));
  }, [props.enabledCategories, styleReady]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady) {
      applyScale(map, { overBasemap: props.config.basemapStyleUrl !== null, attribution: props.attribution, scale: props.scale });
    }
  }, [props.scale, styleReady, props.config.basemapStyleUrl, props.attribution]);

  // Frame the selected area. A layout effect: the flight starts in the same task as the render that
  // shows the new area, so nothing (a test, a screenshot) can observe the new area before it.
  const frameKey = props.frame?.key;
  useLayoutEffect(() => {
    const map = mapRef.current;
    const frame = latest.current.frame;
    if (!map || !frame || lastFramed.current === frame.key) return;
    const first = lastFramed.current === undefined;
    lastFramed.current = frame.key;
    const pad = 48 * latest.current.scale;
    map.fitBounds([frame.bbox[0], frame.bbox[1], frame.bbox[2], frame.bbox[3]], {
      padding: { top: pad, bottom: pad, right: pad + 40 * latest.current.scale, left: pad + latest.current.paddingLeft },
      duration: first ? 0 : flyDurationMs(),
      maxZoom: 16,
    });
  }, [frameKey]);

  return (
    <div className="map-view">
      <div ref={containerRef} className="map-canvas" data-idle="false" data-testid="map" />
      {failed ? (
        <div className="map-message" role="alert">
          {props.webglFailedLabel}
        </div>
      ) : !styleReady ? (
        <div className="map-message">{props.loadingLabel}</div>
      ) : null}
    </div>
  );
}
