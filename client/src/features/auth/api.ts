import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, MeResponse, SessionUser } from '../../../../server/contracts/index.ts';
import { http, isUnauthenticated } from '../../lib/http.ts';
import { meQueryKey } from '../../lib/query-client.ts';

/** The signed-in user, or null when there is no session (the app then shows the login page). */
export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: async ({ signal }): Promise<SessionUser | null> => {
    try {
      const body = await http.get<MeResponse>('/api/auth/me', signal);
      return body.user;
    } catch (error) {
      if (isUnauthenticated(error)) return null;
      throw error;
    }
  },
  staleTime: 5 * 60_000,
  retry: false,
});

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    meta: { silent: true },
    mutationFn: (body: LoginBody) => http.post<MeResponse>('/api/auth/login', body),
    onSuccess: ({ user }) => {
      // Data cached for another user must not leak into this session. Keep the `me` query itself:
      // the app observes it (clear() would detach the observer from the cache).
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      client.setQueryData(meQueryKey, user);
    },
  });
}

/** Ends this session, or with `everywhere` every session of the user (a lost phone, a shared computer). */
export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (scope: 'here' | 'everywhere' = 'here') => http.post<unknown>(scope === 'everywhere' ? '/api/auth/logout-everywhere' : '/api/auth/logout'),
    onSettled: () => {
      client.setQueryData(meQueryKey, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
    },
  });
}
