// The areas on the map filled by report status: deck.gl polygons over MapLibre's outlines.
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { UnitStatus } from '../../../../server/contracts/index.ts';
import { reportStatusColors } from './status.ts';

export interface StatusArea {
  code: string;
  geometry: GeoJSON.Geometry;
  status: UnitStatus | null;
}

const rgb = (hex: string): [number, number, number] => {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
};

export function buildReportLayers(areas: readonly StatusArea[], scale: number): Layer[] {
  const data: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: areas.map((a) => ({ type: 'Feature', geometry: a.geometry, properties: { code: a.code, status: a.status } })),
  };
  return [
    new GeoJsonLayer({
      id: 'report-status',
      data,
      filled: true,
      stroked: true,
      getFillColor: (f: GeoJSON.Feature) => {
        const status = f.properties?.status as UnitStatus | null;
        return status ? [...rgb(reportStatusColors[status]), 150] : [40, 52, 72, 60];
      },
      getLineColor: [230, 236, 245, 200],
      getLineWidth: 1.5 * scale,
      lineWidthUnits: 'pixels',
      updateTriggers: { getFillColor: areas.map((a) => a.status).join(',') },
    }),
  ];
}
