import { queryOptions } from '@tanstack/react-query';
import type { AreaChildren, AreaFeature, AreaSearchResult } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';

// Geometry is static: cache it hard, and keep it when drilling back up.
const geometryStaleTime = 30 * 60_000;

export const areaQuery = (code: string) =>
  queryOptions({
    queryKey: ['areas', code],
    queryFn: ({ signal }) => http.get<AreaFeature>(`/api/areas/${encodeURIComponent(code)}`, signal),
    staleTime: geometryStaleTime,
  });

export const areaChildrenQuery = (code: string) =>
  queryOptions({
    queryKey: ['areas', code, 'children'],
    queryFn: ({ signal }) => http.get<AreaChildren>(`/api/areas/${encodeURIComponent(code)}/children`, signal),
    staleTime: geometryStaleTime,
  });

export const areaSearchQuery = (q: string) =>
  queryOptions({
    queryKey: ['areas', 'search', q],
    queryFn: ({ signal }) => http.get<AreaSearchResult>(withQuery('/api/areas/search', { q, limit: 12 }), signal),
    enabled: q.trim().length > 0,
    staleTime: geometryStaleTime,
  });
