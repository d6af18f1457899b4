// The inspection map as deck.gl layers over the command page's basemap (MapView): the round's sites
// coloured by status, areas coloured by coverage (coverage view: streets zoomed out, grids zoomed
// in), the teams' routes — base → stops in order → base — with numbered stops, and the positions
// the teams shared today. Stable ids; rebuilt only when data changes.
//
// Coverage fills are MVTLayers over our own area tiles (the basemap's, scoped to the jurisdiction by
// the server) joined by code to the coverage figures: 35 000 grids are never sent as GeoJSON, and a
// grid without a site in scope is in the tiles but not in the figures, so it is drawn neutral.
import { MVTLayer } from '@deck.gl/geo-layers';
// The parser itself (geo-layers' default is the worker-only loader); @deck.gl/geo-layers depends on it.
import { MVTLoader } from '@loaders.gl/mvt';
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { DayPlan, SiteStatus, Team, TileLayer } from '../../../../server/contracts/index.ts';
import { tileZoomRange } from '../../../../server/contracts/index.ts';
import { labelFontFamily } from '../areas/layers.ts';
import { coverageColor, coverageNeutral, rgb, statusColors, teamColor } from './colors.ts';
import { routePath } from './route-path.ts';

type LonLat = [number, number];

export interface StatusPoint {
  siteId: number;
  position: LonLat;
  status: SiteStatus;
}

interface StopPoint {
  siteId: number;
  seq: number;
  teamId: number;
  position: LonLat;
  status: SiteStatus;
  name: string;
}

interface Route {
  teamId: number;
  path: LonLat[];
}

export type CoverageLevel = 'district' | 'street' | 'grid';

/** Which area level is coloured at which zoom: districts far out, streets, then grids (served from z12). */
export const coverageLevels: ReadonlyArray<{ level: CoverageLevel; tiles: TileLayer; visibleMinZoom: number | null; visibleMaxZoom: number | null; maxZoom: number }> = [
  { level: 'district', tiles: 'districts', visibleMinZoom: null, visibleMaxZoom: 8, maxZoom: 8 },
  { level: 'street', tiles: 'streets', visibleMinZoom: 8, visibleMaxZoom: 12, maxZoom: 12 },
  { level: 'grid', tiles: 'grids', visibleMinZoom: 12, visibleMaxZoom: null, maxZoom: 14 },
];

export interface CoverageFill {
  level: CoverageLevel;
  /** the tile URL template ({z}/{x}/{y}, with the data version) */
  url: string;
  /** inspected ÷ in scope per area code; an area not listed has no site in scope */
  shares: ReadonlyMap<string, number>;
  /** changes when the figures do (redraws the fills without refetching tiles) */
  version: string;
}

export interface PositionPoint {
  teamId: number;
  position: LonLat;
  /** where the team has been today, oldest first, ending at position */
  track: LonLat[];
  label: string;
  stale: boolean;
}

export interface InspectionLayerInput {
  statuses: StatusPoint[];
  plans: DayPlan[];
  teams: ReadonlyMap<number, Team>;
  /** Coverage per level (coverage view only). */
  coverage: CoverageFill[] | null;
  positions: PositionPoint[];
  selectedSiteId: number | null;
  scale: number;
  onClickStop: (siteId: number, teamId: number) => void;
}

export function buildInspectionLayers(input: InspectionLayerInput): Layer[] {
  const { scale } = input;
  const statusOf = new Map(input.statuses.map((s) => [s.siteId, s.status]));
  const stops: StopPoint[] = input.plans.flatMap((plan) =>
    plan.stops.map((s) => ({ siteId: s.siteId, seq: s.seq, teamId: plan.teamId, position: s.position as LonLat, status: statusOf.get(s.siteId) ?? 'never', name: s.siteName })),
  );
  const routes: Route[] = input.plans
    .map((plan) => ({ teamId: plan.teamId, path: routePath(plan, input.teams.get(plan.teamId)?.basePosition as LonLat | undefined) }))
    .filter((r) => r.path.length > 1);
  const bases = [...new Map(input.plans.flatMap((p) => {
    const team = input.teams.get(p.teamId);
    return team && p.stops.length > 0 ? [[team.baseName, team.basePosition as LonLat] as const] : [];
  })).values()];
  const statusKey = input.statuses.map((s) => s.status[0]).join('');

  const layers: Layer[] = [];
  for (const fill of input.coverage ?? []) {
    const level = coverageLevels.find((l) => l.level === fill.level)!;
    layers.push(
      new MVTLayer({
        id: `inspection-coverage-${fill.level}`,
        data: fill.url,
        minZoom: tileZoomRange[level.tiles].min,
        maxZoom: level.maxZoom,
        visibleMinZoom: level.visibleMinZoom,
        visibleMaxZoom: level.visibleMaxZoom,
        // Features as GeoJSON (the accessor reads the code); parsed here, no worker from a CDN (offline).
        binary: false,
        loaders: [MVTLoader],
        loadOptions: { worker: false, fetch: { credentials: 'same-origin' } },
        filled: true,
        stroked: false,
        getFillColor: (f: GeoJSON.Feature) => {
          const share = fill.shares.get(String(f.properties?.code ?? ''));
          return share === undefined ? rgb(coverageNeutral, 45) : rgb(coverageColor(share), 150);
        },
        updateTriggers: { getFillColor: fill.version },
      }),
    );
  }
  layers.push(
    new ScatterplotLayer<StatusPoint>({
      id: 'inspection-site-status',
      data: input.statuses,
      getPosition: (d) => d.position,
      getFillColor: (d) => rgb(statusColors[d.status], d.status === 'never' ? 150 : 235),
      getRadius: (d) => (d.status === 'never' ? 2.2 : 3.4) * scale,
      radiusUnits: 'pixels',
      stroked: true,
      getLineColor: [5, 10, 20, 220],
      lineWidthUnits: 'pixels',
      getLineWidth: 0.6 * scale,
      updateTriggers: { getFillColor: statusKey, getRadius: `${statusKey}:${scale}`, getLineWidth: scale },
    }),
    new PathLayer<Route>({
      id: 'inspection-routes',
      data: routes,
      getPath: (d) => d.path,
      getColor: (d) => rgb(teamColor(d.teamId), 220),
      getWidth: 3 * scale,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      updateTriggers: { getWidth: scale },
    }),
    new ScatterplotLayer<LonLat>({
      id: 'inspection-bases',
      data: bases,
      getPosition: (d) => d,
      getFillColor: [8, 16, 30, 255],
      getLineColor: [255, 255, 255, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5 * scale,
      getRadius: 7 * scale,
      radiusUnits: 'pixels',
      updateTriggers: { getLineWidth: scale, getRadius: scale },
    }),
    // A stop: filled with its site's status colour, ringed in its team's colour; the number sits in
    // a badge beside it, so the status colour stays visible in the middle.
    new ScatterplotLayer<StopPoint>({
      id: 'inspection-stops',
      data: stops,
      pickable: true,
      getPosition: (d) => d.position,
      getFillColor: (d) => rgb(statusColors[d.status]),
      getLineColor: (d) => (d.siteId === input.selectedSiteId ? [255, 255, 255, 255] : rgb(teamColor(d.teamId))),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.siteId === input.selectedSiteId ? 4 : 3) * scale,
      getRadius: (d) => (d.siteId === input.selectedSiteId ? 11 : 9) * scale,
      radiusUnits: 'pixels',
      onClick: (info: PickingInfo<StopPoint>) => {
        if (info.object) input.onClickStop(info.object.siteId, info.object.teamId);
      },
      updateTriggers: {
        getFillColor: stops.map((s) => s.status[0]).join(''),
        getLineColor: input.selectedSiteId,
        getLineWidth: `${input.selectedSiteId}:${scale}`,
        getRadius: `${input.selectedSiteId}:${scale}`,
      },
    }),
    new TextLayer<StopPoint>({
      id: 'inspection-stop-numbers',
      data: stops,
      fontFamily: labelFontFamily,
      fontWeight: 700,
      getPosition: (d) => d.position,
      getText: (d) => String(d.seq),
      getSize: 12 * scale,
      sizeUnits: 'pixels',
      getColor: [5, 10, 20, 255],
      background: true,
      getBackgroundColor: (d) => rgb(teamColor(d.teamId)),
      backgroundPadding: [4 * scale, 1 * scale],
      getPixelOffset: [13 * scale, -13 * scale],
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      updateTriggers: { getSize: scale, getPixelOffset: scale, backgroundPadding: scale },
    }),
    // Where the team has been today: a thin, translucent line in its colour, under the marker.
    new PathLayer<PositionPoint>({
      id: 'inspection-team-tracks',
      data: input.positions.filter((p) => p.track.length > 1),
      getPath: (d) => d.track,
      getColor: (d) => rgb(teamColor(d.teamId), d.stale ? 70 : 150),
      getWidth: 2 * scale,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      updateTriggers: { getWidth: scale },
    }),
    // A team's shared position: its colour, ringed in white; faded with its label when it is old.
    new ScatterplotLayer<PositionPoint>({
      id: 'inspection-team-positions',
      data: input.positions,
      getPosition: (d) => d.position,
      getFillColor: (d) => rgb(teamColor(d.teamId), d.stale ? 90 : 255),
      getLineColor: (d) => [255, 255, 255, d.stale ? 110 : 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5 * scale,
      getRadius: 8 * scale,
      radiusUnits: 'pixels',
      updateTriggers: { getLineWidth: scale, getRadius: scale },
    }),
    new TextLayer<PositionPoint>({
      id: 'inspection-team-position-labels',
      data: input.positions,
      fontFamily: labelFontFamily,
      characterSet: 'auto',
      getPosition: (d) => d.position,
      getText: (d) => d.label,
      getSize: 12 * scale,
      sizeUnits: 'pixels',
      getColor: (d) => [255, 255, 255, d.stale ? 120 : 255],
      background: true,
      getBackgroundColor: (d) => [8, 16, 30, d.stale ? 110 : 210],
      backgroundPadding: [4 * scale, 2 * scale],
      getPixelOffset: [0, 18 * scale],
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'top',
      updateTriggers: { getSize: scale, getPixelOffset: scale, backgroundPadding: scale },
    }),
  );
  return layers;
}
