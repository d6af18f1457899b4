import { lazy, Suspense, useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from './features/auth/api.ts';
import { LoginPage } from './pages/login-page.tsx';
import { Toasts } from './components/toasts.tsx';

// The map page carries MapLibre and deck.gl (most of the bundle): load it as its own chunk so the
// login page appears at once, and start fetching it while the user types.
const loadCommandPage = () => import('./pages/command-page.tsx');
const CommandPage = lazy(() => loadCommandPage().then((module) => ({ default: module.CommandPage })));

/** The session decides the page: no session (or a 401 anywhere) shows the login page. */
export function App() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
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
        <CommandPage key={me.data.username} user={me.data} />
      </Suspense>
    );
  return (
    <>
      {page}
      <Toasts />
    </>
  );
}
