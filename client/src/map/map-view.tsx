// The MapLibre map with deck.gl interleaved into it (MapboxOverlay as a map control).
// Owns the map's lifecycle; everything else is passed in as props and applied in small effects.
import { useEffect, useRef, useState } from 'react';
import maplibregl, { type Map as MapLibreMap, type MapGeoJSONFeature } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { AreaLevel, BBox, SiteCategory } from '../../../server/contracts/index.ts';
import type { MapConfig } from '../features/config/api.ts';
import { addOverlay, applyScale, hitLayerIds, offlineBaseStyle, siteFilter, siteLayerId, type OverlayOptions } from './base-style.ts';
import { setAreaHover, setSiteHover } from './hover-store.ts';
import { pushToast } from '../lib/toasts.ts';

/** An area found under the pointer in the basemap tiles (for clicks outside the current sub-areas). */
export interface TileArea {
  code: string;
  level: AreaLevel;
}

export interface MapViewProps {
  config: MapConfig;
  layers: Layer[];
  /** The area to frame; the map flies to `bbox` whenever `frameKey` changes. */
  frame: { key: string; bbox: BBox } | null;
  enabledCategories: ReadonlySet<SiteCategory>;
  scale: number;
  attribution: string;
  /** Extra padding (px) on the left, where the floating legend covers the map. */
  paddingLeft: number;
  onClickChild: (code: string) => void;
  onClickTileAreas: (areas: TileArea[]) => void;
  /** Shown while the style or the first tiles load. */
  loadingLabel: string;
  webglFailedLabel: string;
}

declare global {
  interface Window {
    /**
     * Test hook for tests/e2e only: the MapLibre map, so a test can project a known [lon, lat]
     * (an area's label point) to screen pixels and wait for the map to be idle. Not an API.
     */
    __ecc?: { map: MapLibreMap };
  }
}

const flyDurationMs = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 900);

function supportsWebgl2(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

function tileAreasAt(map: MapLibreMap, point: [number, number]): TileArea[] {
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
  const [failed, setFailed] = useState(!supportsWebgl2());
  // Latest props for the map's event handlers, which are bound once.
  const latest = useRef(props);
  latest.current = props;

  // Create the map once per config (a changed basemap URL rebuilds it).
  useEffect(() => {
    const container = containerRef.current;
    if (!container || failed) return;
    const { config } = latest.current;
    const overlayOptions = (): OverlayOptions => ({
      overBasemap: config.basemapStyleUrl !== null,
      attribution: latest.current.attribution,
      scale: latest.current.scale,
    });
    const initialBounds = latest.current.frame?.bbox;
    let map: MapLibreMap;
    try {
      map = new maplibregl.Map({
        container,
        style: config.basemapStyleUrl ?? offlineBaseStyle(),
        ...(initialBounds
          ? { bounds: [initialBounds[0], initialBounds[1], initialBounds[2], initialBounds[3]] as [number, number, number, number], fitBoundsOptions: { padding: 40 } }
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
    const onStyleLoad = () => {
      addOverlay(map, config, { ...overlayOptions(), overBasemap: !usingFallback && config.basemapStyleUrl !== null });
      map.setFilter(siteLayerId, siteFilter(latest.current.enabledCategories));
      if (!overlayRef.current) {
        const overlay = new MapboxOverlay({
          interleaved: true,
          layers: latest.current.layers,
          onClick: (info: PickingInfo) => {
            const code = (info.object as { properties?: { code?: unknown } } | undefined)?.properties?.code;
            if (info.layer?.id === 'area-children' && typeof code === 'string') {
              latest.current.onClickChild(code);
              return;
            }
            latest.current.onClickTileAreas(tileAreasAt(map, [info.x, info.y]));
          },
        });
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
      console.warn('map error', event.error);
    });

    // Hover on sites: MapLibre answers for its own layer; area hover comes from deck.gl picking.
    map.on('mousemove', siteLayerId, (event) => {
      const feature = event.features?.[0];
      const props = feature?.properties;
      if (!props || typeof props.category !== 'string') return;
      map.getCanvas().style.cursor = 'pointer';
      setSiteHover({
        kind: 'site',
        x: event.point.x,
        y: event.point.y,
        site: { id: Number(props.id), name: String(props.name ?? ''), category: props.category as SiteCategory },
      });
    });
    map.on('mouseleave', siteLayerId, () => {
      map.getCanvas().style.cursor = '';
      setSiteHover(null);
    });
    map.on('mouseout', () => {
      setSiteHover(null);
      setAreaHover(null);
    });

    // data-idle tells tests (and anyone watching) that tiles and transitions are done.
    const markBusy = () => container.setAttribute('data-idle', 'false');
    map.on('movestart', markBusy);
    map.on('dataloading', markBusy);
    map.on('idle', () => container.setAttribute('data-idle', 'true'));
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

  // Frame the selected area.
  const frameKey = props.frame?.key;
  useEffect(() => {
    const map = mapRef.current;
    const frame = latest.current.frame;
    if (!map || !frame || lastFramed.current === frame.key) return;
    const first = lastFramed.current === undefined;
    lastFramed.current = frame.key;
    const pad = 48 * latest.current.scale;
    map.fitBounds([frame.bbox[0], frame.bbox[1], frame.bbox[2], frame.bbox[3]], {
      padding: { top: pad, bottom: pad, right: pad, left: pad + latest.current.paddingLeft },
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
