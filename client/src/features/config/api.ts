import { queryOptions } from '@tanstack/react-query';
import { http } from '../../lib/http.ts';

/** Public map settings from GET /api/config. */
export interface MapConfig {
  /** A MapLibre style URL (Tianditu, self-hosted...) used as the base under our layers; null = our own dark basemap only. */
  basemapStyleUrl: string | null;
  tileLayers: Array<{ name: string; minzoom: number; maxzoom: number; version: number; url: string }>;
}

export const configQuery = queryOptions({
  queryKey: ['config'],
  queryFn: ({ signal }) => http.get<MapConfig>('/api/config', signal),
  staleTime: Infinity,
});
