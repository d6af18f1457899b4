// The app's pages — the command map (/), supervision rounds (/inspection), daily reports (/reports)
// and, for admins, administration (/admin) — by path, so a
// link can be shared and reloaded (the server answers unknown non-API paths with index.html).
// Links are real <a href>: a middle click opens a tab; a plain click switches without a reload.
import { useSyncExternalStore, type MouseEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from '../auth/api.ts';

export type PageName = 'map' | 'inspection' | 'reports' | 'admin';

const paths: Record<PageName, string> = { map: '/', inspection: '/inspection', reports: '/reports', admin: '/admin' };
const listeners = new Set<() => void>();

export const pageOfPath = (pathname: string): PageName =>
  /^\/inspection(\/|$)/.test(pathname) ? 'inspection' : /^\/reports(\/|$)/.test(pathname) ? 'reports' : /^\/admin(\/|$)/.test(pathname) ? 'admin' : 'map';

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}
function notify(): void {
  listeners.forEach((listener) => listener());
}

export function usePage(): PageName {
  return useSyncExternalStore(subscribe, () => pageOfPath(window.location.pathname));
}

/** Opens a page (each page keeps its own query parameters, so they are dropped). */
export function navigate(page: PageName, search = ''): void {
  window.history.pushState({ page }, '', `${paths[page]}${search}`);
  notify();
}

/** The page links of the top bar. */
export function PageNav({ current }: { current: PageName }) {
  const { t } = useTranslation();
  // Administration is listed for admins only (the server refuses everyone else anyway).
  const isAdmin = useQuery(meQuery).data?.role === 'admin';
  const onClick = (page: PageName) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (page !== current) navigate(page);
  };
  return (
    <nav className="page-nav" aria-label={t('inspection.nav.label')}>
      {(['map', 'inspection', 'reports', ...(isAdmin ? (['admin'] as const) : [])] as const).map((page) => (
        <a
          key={page}
          href={paths[page]}
          aria-current={page === current ? 'page' : undefined}
          onClick={onClick(page)}
          data-testid={`nav-${page}`}
        >
          {page === 'reports' ? t('reports.nav') : page === 'admin' ? t('admin.nav') : t(`inspection.nav.${page}`)}
        </a>
      ))}
    </nav>
  );
}
