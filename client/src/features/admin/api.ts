// User administration and wall-display tokens (server/admin) as TanStack Query options and mutations.
// Mutations show their errors in their own dialogs (meta.silent) and refresh the lists they change.
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AdminUser,
  AdminUserList,
  CreatedWallToken,
  CreateUserBody,
  CreateWallTokenBody,
  UpdateUserBody,
  UserWithPassword,
  WallToken,
  WallTokenList,
} from '../../../../server/contracts/admin.ts';
import type { Role } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';

export const pageSize = 20;

export const usersQuery = (q: string, role: Role | '', page: number) =>
  queryOptions({
    queryKey: ['admin', 'users', q, role, page],
    queryFn: ({ signal }) =>
      http.get<AdminUserList>(withQuery('/api/admin/users', { q: q.trim() || undefined, role: role || undefined, offset: page * pageSize, limit: pageSize }), signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

export const wallTokensQuery = queryOptions({
  queryKey: ['admin', 'wall-tokens'],
  queryFn: ({ signal }) => http.get<WallTokenList>('/api/admin/wall-tokens', signal),
  staleTime: 10_000,
});

function useAdminMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>, list: 'users' | 'wall-tokens') {
  const client = useQueryClient();
  return useMutation({
    meta: { silent: true },
    mutationFn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', list] }),
  });
}

export const useCreateUser = () => useAdminMutation((body: CreateUserBody) => http.post<UserWithPassword>('/api/admin/users', body), 'users');
export const useUpdateUser = () =>
  useAdminMutation(({ id, change }: { id: number; change: UpdateUserBody }) => http.patch<AdminUser>(`/api/admin/users/${id}`, change), 'users');
export const useSetDisabled = () =>
  useAdminMutation(({ id, disabled }: { id: number; disabled: boolean }) => http.post<AdminUser>(`/api/admin/users/${id}/${disabled ? 'disable' : 'enable'}`), 'users');
export const useResetPassword = () => useAdminMutation((id: number) => http.post<UserWithPassword>(`/api/admin/users/${id}/password`, {}), 'users');

export const useCreateWallToken = () =>
  useAdminMutation((body: CreateWallTokenBody) => http.post<CreatedWallToken>('/api/admin/wall-tokens', body), 'wall-tokens');
export const useRevokeWallToken = () => useAdminMutation((id: number) => http.post<WallToken>(`/api/admin/wall-tokens/${id}/revoke`), 'wall-tokens');

/** The wall's address with its token: in the fragment, which browsers never send to the server. */
export const wallUrl = (token: string) => `${window.location.origin}/wall#token=${encodeURIComponent(token)}`;
