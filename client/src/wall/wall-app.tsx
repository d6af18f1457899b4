import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQuery } from './api.ts';
import { LoginForm } from './login-form.tsx';
import { WallScreen } from './wall-screen.tsx';

export function WallApp() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  if (me.data === undefined) return <div className="wall-splash">{t('loading')}</div>;
  if (me.data === null) return <LoginForm />;
  return <WallScreen key={me.data.username} user={me.data} />;
}
