import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Alert, AlertList } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';

export const alertsKey = ['alerts'] as const;

/** Active alerts (open or acknowledged) in an area, newest first; pushed alerts trigger a re-read. */
export const activeAlertsQuery = (area: string) =>
  queryOptions({
    queryKey: [...alertsKey, area, 'active'],
    queryFn: ({ signal }) => http.get<AlertList>(withQuery('/api/alerts', { area, status: 'active', limit: 100 }), signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });

export function useAlertAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, note }: { id: number; action: 'acknowledge' | 'close'; note?: string }) =>
      http.post<Alert>(`/api/alerts/${id}/${action}`, note ? { note } : {}),
    onSuccess: () => client.invalidateQueries({ queryKey: alertsKey }),
  });
}
