import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { HttpError, isClientError, isUnauthenticated } from './http.ts';
import { pushToast } from './toasts.ts';

export const meQueryKey = ['auth', 'me'] as const;

function onError(error: unknown): void {
  if (isUnauthenticated(error)) {
    // The session ended (expired, logged out elsewhere): the app shows the login page.
    queryClient.setQueryData(meQueryKey, null);
    return;
  }
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const detail = error instanceof HttpError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
  pushToast({ kind: 'error', titleKey: 'errors.load', detail });
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => {
      // Mutations that show their own error (the login form) opt out with meta.silent.
      if (mutation.meta?.silent) return;
      onError(error);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      gcTime: 10 * 60_000,
      refetchOnWindowFocus: false,
      retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
    },
  },
});
