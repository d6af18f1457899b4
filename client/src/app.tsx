import { lazy, Suspense, useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from './features/auth/api.ts';
import { LoginPage } from './pages/login-page.tsx';
import { Toasts } from './components/toasts.tsx';
import { usePage } from './features/inspection/page-nav.tsx';

// The map page carries MapLibre and deck.gl (most of the bundle): load it as its own chunk so the
// login page appears at once, and start fetching it while the user types.
const loadCommandPage = () => import('./pages/command-page.tsx');
const CommandPage = lazy(() => loadCommandPage().then((module) => ({ default: module.CommandPage })));
// The inspection page shares the map chunk's MapLibre and deck.gl; its own code is a small chunk.
const InspectionPage = lazy(() => import('./pages/inspection-page.tsx').then((module) => ({ default: module.InspectionPage })));
const ReportsPage = lazy(() => import('./pages/reports-page.tsx').then((module) => ({ default: module.ReportsPage })));
const AdminPage = lazy(() => import('./pages/admin-page.tsx').then((module) => ({ default: module.AdminPage })));

/**
 * The session decides the page: no session (or a 401 anywhere) shows the login page; signed in,
 * the path does: /inspection the supervision rounds, /reports the daily reports, /admin administration,
 * anything else the command map.
 */
export function App() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  const current = usePage();
  useEffect(() => {
    void loadCommandPage();
  }, []);
  let page;
  if (me.isPending) page = <div className="page-message">{t('auth.checking')}</div>;
  else if (me.isError) page = <div className="page-message">{t('errors.load')}: {me.error.message}</div>;
  else if (me.data === null) page = <LoginPage />;
  else
    page = (
      <Suspense fallback={<div className="page-message">{t('map.loading')}</div>}>
        {current === 'inspection' ? (
          <InspectionPage key={me.data.username} user={me.data} />
        ) : current === 'reports' ? (
          <ReportsPage key={me.data.username} user={me.data} />
        ) : current === 'admin' ? (
          <AdminPage key={me.data.username} user={me.data} />
        ) : (
          <CommandPage key={me.data.username} user={me.data} />
        )}
      </Suspense>
    );
  return (
    <>
      {page}
      <Toasts />
    </>
  );
}
