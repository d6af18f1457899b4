// The inspection map as deck.gl layers over the command page's basemap (MapView): the round's sites
// coloured by status, the districts coloured by coverage (coverage view), and the teams' routes —
// base → stops in order → base — with numbered stops. Stable ids; rebuilt only when data changes.
import { GeoJsonLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { AreaChildren, DayPlan, SiteStatus, Team } from '../../../../server/contracts/index.ts';
import { labelFontFamily } from '../areas/layers.ts';
import { coverageColor, rgb, statusColors, teamColor } from './colors.ts';
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

export interface InspectionLayerInput {
  statuses: StatusPoint[];
  plans: DayPlan[];
  teams: ReadonlyMap<number, Team>;
  /** Coverage share per district code, drawn as district fills (coverage view only). */
  coverage: ReadonlyMap<string, number> | null;
  districts: AreaChildren | undefined;
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
  if (input.coverage && input.districts) {
    const coverage = input.coverage;
    layers.push(
      new GeoJsonLayer({
        id: 'inspection-coverage',
        data: input.districts as unknown as GeoJSON.FeatureCollection,
        filled: true,
        stroked: false,
        getFillColor: (f: GeoJSON.Feature) => {
          const share = coverage.get(String(f.properties?.code ?? ''));
          return share === undefined ? [0, 0, 0, 0] : rgb(coverageColor(share), 70);
        },
        updateTriggers: { getFillColor: [...coverage.entries()].join(';') },
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
  );
  return layers;
}
