// The supervision-round API (server/inspection, server/routing) as TanStack Query options and
// mutations. Keys start with 'inspection' so one invalidation refreshes what a visit changes.
import { useEffect, useRef } from 'react';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  Coverage,
  DayPlans,
  NoticeList,
  Round,
  RoundList,
  RoundSites,
  SheetList,
  SiteStatusList,
  TeamList,
  TeamPosition,
  TeamPositionList,
  Visit,
  VisitInput,
  VisitList,
} from '../../../../server/contracts/index.ts';
import type { PlanChange, PlanResponse } from '../../../../server/routing/contracts.ts';
import { http, HttpError, withQuery } from '../../lib/http.ts';
import { useLiveHints } from '../live/use-live-hints.ts';

export type { PlanResponse };

/** JSON with a method lib/http does not offer (PUT, PATCH), failing with the same HttpError. */
async function send<T>(method: 'PUT' | 'PATCH', path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new HttpError(0, 'network', error instanceof Error ? error.message : 'Network error');
  }
  const parsed = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (!response.ok) {
    if (typeof parsed?.code === 'string' && typeof parsed.message === 'string') throw new HttpError(response.status, parsed.code, parsed.message, parsed.details);
    throw new HttpError(response.status, response.status >= 500 ? 'internal' : 'bad_request', response.statusText || `HTTP ${response.status}`);
  }
  return parsed as T;
}

export const roundsQuery = queryOptions({
  queryKey: ['inspection', 'rounds'],
  queryFn: ({ signal }) => http.get<RoundList>('/api/inspection/rounds', signal),
  staleTime: 5 * 60_000,
});

export const teamsQuery = queryOptions({
  queryKey: ['inspection', 'teams'],
  queryFn: ({ signal }) => http.get<TeamList>('/api/inspection/teams', signal),
  staleTime: 5 * 60_000,
});

export const plansQuery = (roundId: number, day: string) =>
  queryOptions({
    queryKey: ['inspection', 'plans', roundId, day],
    queryFn: ({ signal }) => http.get<DayPlans>(withQuery(`/api/inspection/rounds/${roundId}/plans`, { day }), signal),
    staleTime: 15_000,
  });

/** Every site of the round in scope with its score and reasons for the day (a few thousand at most). */
export const prioritiesQuery = (roundId: number, day: string) =>
  queryOptions({
    queryKey: ['inspection', 'priorities', roundId, day],
    queryFn: ({ signal }) => http.get<RoundSites>(withQuery(`/api/inspection/rounds/${roundId}/sites`, { day, limit: 5000 }), signal),
    staleTime: 60_000,
  });

export const siteStatusQuery = (category: string, day: string) =>
  queryOptions({
    queryKey: ['inspection', 'status', category, day],
    queryFn: ({ signal }) => http.get<SiteStatusList>(withQuery('/api/inspection/sites/status', { category, day, limit: 20000 }), signal),
    staleTime: 15_000,
  });

export const visitsQuery = (roundId: number, day: string, teamId: number | null) =>
  queryOptions({
    queryKey: ['inspection', 'visits', roundId, day, teamId],
    queryFn: ({ signal }) => http.get<VisitList>(withQuery('/api/inspection/visits', { round: roundId, day, team: teamId, limit: 1000 }), signal),
    staleTime: 15_000,
  });

export const sheetsQuery = (roundId: number, day: string) =>
  queryOptions({
    queryKey: ['inspection', 'sheets', roundId, day],
    queryFn: ({ signal }) => http.get<SheetList>(withQuery(`/api/inspection/rounds/${roundId}/sheets`, { day }), signal),
    staleTime: 15_000,
  });

export type CoverageBy = 'district' | 'street' | 'community' | 'grid' | 'category';

export const coverageQuery = (roundId: number, week: string, by: CoverageBy) =>
  queryOptions({
    queryKey: ['inspection', 'coverage', roundId, week, by],
    queryFn: ({ signal }) => http.get<Coverage>(withQuery(`/api/inspection/rounds/${roundId}/coverage`, { week, by }), signal),
    staleTime: 30_000,
  });

/** The teams' latest shared positions of the day; re-read when a leader shares one (useInspectionLive). */
export const positionsQuery = (day: string) =>
  queryOptions({
    queryKey: ['inspection', 'positions', day],
    queryFn: ({ signal }) => http.get<TeamPositionList>(withQuery('/api/inspection/positions', { day }), signal),
    staleTime: 30_000,
  });

export const noticesQuery = (roundId: number, week: string) =>
  queryOptions({
    queryKey: ['inspection', 'notices', roundId, week],
    queryFn: ({ signal }) => http.get<NoticeList>(withQuery(`/api/inspection/rounds/${roundId}/notices`, { week }), signal),
    staleTime: 30_000,
  });

export const noticesExcelUrl = (roundId: number, week: string) => withQuery(`/api/inspection/rounds/${roundId}/notices.xlsx`, { week });

/** What a plan, a visit or a submission changes: plans, statuses, visits, sheets, coverage, notices. */
function useRefreshInspection() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'inspection' && query.queryKey[1] !== 'rounds' && query.queryKey[1] !== 'teams' });
}

/** Pushes within this long of each other cost one re-read. */
const liveGatherMs = 400;

/**
 * Keeps the page current while it is open: each `inspection:updated` pushed for the user's area
 * re-reads the positions (a leader shared one) or what a plan, visit, rectification or case changes;
 * after the socket was down, everything (what was announced meanwhile is lost).
 */
export function useInspectionLive(area: string): void {
  const client = useQueryClient();
  const refresh = useRefreshInspection();
  const pending = useRef({ positions: false, rest: false, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  useEffect(() => () => clearTimeout(pending.current.timer), []);
  useLiveHints(area, {
    onInspectionUpdated: (update) => {
      const gathered = pending.current;
      if (update.kind === 'position') gathered.positions = true;
      else gathered.rest = true;
      gathered.timer ??= setTimeout(() => {
        if (gathered.rest) void refresh();
        else if (gathered.positions) void client.invalidateQueries({ queryKey: ['inspection', 'positions'] });
        Object.assign(gathered, { positions: false, rest: false, timer: undefined });
      }, liveGatherMs);
    },
    onReconnected: () => void refresh(),
  });
}

/** Plans the day (every team) with the route planner; locked and visited stops are kept. */
export function usePlanDay(roundId: number) {
  const refresh = useRefreshInspection();
  return useMutation({
    mutationFn: (day: string) => http.post<PlanResponse>(`/api/inspection/rounds/${roundId}/plan`, { day }),
    onSuccess: () => refresh(),
  });
}

/** Locks, frees or moves a planned stop and re-plans the rest of the day(s) it touches. */
export function useChangePlan(roundId: number) {
  const refresh = useRefreshInspection();
  return useMutation({
    mutationFn: (change: PlanChange) => send<PlanResponse>('PATCH', `/api/inspection/rounds/${roundId}/plan`, change),
    onSuccess: () => refresh(),
  });
}

export function useRecordVisit() {
  const refresh = useRefreshInspection();
  return useMutation({
    // The form shows the server's field errors itself.
    meta: { silent: true },
    mutationFn: (visit: VisitInput) => http.post<Visit>('/api/inspection/visits', visit),
    onSuccess: () => refresh(),
  });
}

/** Submits the day's sheet: every recorded visit not yet submitted, one by one (a handful a day). */
export function useSubmitSheet() {
  const refresh = useRefreshInspection();
  return useMutation({
    mutationFn: async (visitIds: number[]) => {
      const submitted: Visit[] = [];
      for (const id of visitIds) submitted.push(await http.post<Visit>(`/api/inspection/visits/${id}/submit`));
      return submitted;
    },
    onSettled: () => refresh(),
  });
}

/** A team leader shares the team's position (the browser's, WGS-84) on a day the team has a plan. */
export function useSharePosition(teamId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (position: { lon: number; lat: number; accuracyMeters?: number }) => http.post<TeamPosition>(`/api/inspection/teams/${teamId}/position`, position),
    onSuccess: () => client.invalidateQueries({ queryKey: ['inspection', 'positions'] }),
  });
}

export const activeRounds = (rounds: Round[]): Round[] => rounds.filter((r) => r.status === 'active');
