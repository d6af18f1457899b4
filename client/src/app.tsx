import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from './features/auth/api.ts';
import { CommandPage } from './pages/command-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { Toasts } from './components/toasts.tsx';

/** The session decides the page: no session (or a 401 anywhere) shows the login page. */
export function App() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  let page;
  if (me.isPending) page = <div className="page-message">{t('auth.checking')}</div>;
  else if (me.isError) page = <div className="page-message">{t('errors.load')}: {me.error.message}</div>;
  else if (me.data === null) page = <LoginPage />;
  else page = <CommandPage key={me.data.username} user={me.data} />;
  return (
    <>
      {page}
      <Toasts />
    </>
  );
}
