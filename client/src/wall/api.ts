// The wall's HTTP reads. Geometry is fetched once per area and kept for the page's life (the set of
// areas is bounded: the city, its districts and their streets); figures come from the socket, with
// yesterday's totals, the 14-day trend and the alert list re-read on a timer.
import { QueryCache, QueryClient, queryOptions } from '@tanstack/react-query';
import type {
  AlertList,
  AreaChildren,
  AreaDayCounts,
  AreaFeature,
  AreaTrend,
  MeResponse,
  SessionUser,
} from '../../../server/contracts/index.ts';
import { http, isClientError, isUnauthenticated, withQuery } from '../lib/http.ts';
import type { MapConfig } from '../features/config/api.ts';

export const wallQueryClient: QueryClient = new QueryClient({
  // A 401 on any read means the session ended (expired, its token revoked): back to the sign-in,
  // which signs in again with the address's token if it still may.
  queryCache: new QueryCache({
    onError: (error) => {
      if (isUnauthenticated(error)) wallQueryClient.setQueryData(meKey, null);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      // Nothing stays in the cache long after it is no longer shown: memory must stay flat for days.
      gcTime: 5 * 60_000,
      refetchOnWindowFocus: false,
      // A kiosk keeps trying: network errors and 5xx are retried with backoff, 4xx are not.
      retry: (failureCount, error) => !isClientError(error) && failureCount < 5,
      retryDelay: (attempt) => Math.min(30_000, 1000 * 2 ** attempt),
    },
  },
});

export const meKey = ['wall', 'me'] as const;
export const meQuery = queryOptions({
  queryKey: meKey,
  queryFn: async ({ signal }): Promise<SessionUser | null> => {
    try {
      return (await http.get<MeResponse>('/api/auth/me', signal)).user;
    } catch (error) {
      if (isUnauthenticated(error)) return null;
      throw error;
    }
  },
  staleTime: 10 * 60_000,
  refetchInterval: 10 * 60_000,
});

export const login = (username: string, password: string): Promise<MeResponse> =>
  http.post<MeResponse>('/api/auth/login', { username, password });

/** Exchanges a wall-display token (from an admin) for a read-only session of its area. */
export const signInWithToken = (token: string): Promise<MeResponse> => http.post<MeResponse>('/api/wall/sign-in', { token });

/** The token in the page's fragment (wall.html#token=…): a fragment never reaches the server or its logs. */
export function tokenInUrl(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  return token && token.trim() ? token.trim() : null;
}

const forever = { staleTime: Infinity, gcTime: Infinity } as const;

export const configQuery = queryOptions({
  queryKey: ['wall', 'config'],
  queryFn: ({ signal }) => http.get<MapConfig>('/api/config', signal),
  ...forever,
});

export const areaQuery = (code: string) =>
  queryOptions({
    queryKey: ['wall', 'area', code],
    queryFn: ({ signal }) => http.get<AreaFeature>(`/api/areas/${encodeURIComponent(code)}`, signal),
    ...forever,
  });

export const childrenGeometryQuery = (code: string) =>
  queryOptions({
    queryKey: ['wall', 'area', code, 'children'],
    queryFn: ({ signal }) => http.get<AreaChildren>(`/api/areas/${encodeURIComponent(code)}/children`, signal),
    ...forever,
  });

export const dayStatsQuery = (code: string, day: string) =>
  queryOptions({
    queryKey: ['wall', 'stats', code, day],
    queryFn: ({ signal }) => http.get<AreaDayCounts>(withQuery(`/api/stats/${encodeURIComponent(code)}`, { day }), signal),
    // A past day can still change (late records): re-read it every few minutes.
    staleTime: 5 * 60_000,
    refetchInterval: 5 * 60_000,
  });

export const trendQuery = (code: string, until: string) =>
  queryOptions({
    queryKey: ['wall', 'trend', code, until],
    queryFn: ({ signal }) => http.get<AreaTrend>(withQuery(`/api/stats/${encodeURIComponent(code)}/trend`, { days: 14, until }), signal),
    staleTime: 2 * 60_000,
    refetchInterval: 2 * 60_000,
  });

/** Active alerts, newest first. Until the endpoint exists (404) the list is simply empty. */
export const alertsQuery = (code: string) =>
  queryOptions({
    queryKey: ['wall', 'alerts', code],
    queryFn: async ({ signal }): Promise<AlertList> => {
      try {
        return await http.get<AlertList>(withQuery('/api/alerts', { area: code, status: 'active', limit: 30 }), signal);
      } catch (error) {
        if (isClientError(error) && !isUnauthenticated(error)) return { items: [], total: 0 };
        throw error;
      }
    },
    staleTime: 30_000,
    refetchInterval: 30_000,
  });
