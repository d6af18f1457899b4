import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../server/contracts/index.ts';
import { useLogout } from '../features/auth/api.ts';
import { areaName, useLanguage } from '../lib/i18n.ts';

/** The signed-in user in the top bar: who, which jurisdiction, and signing out. */
export function UserMenu({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const logout = useLogout();
  return (
    <details className="user-menu">
      <summary data-testid="user-menu">
        <span className="avatar" aria-hidden="true">
          {user.displayName.slice(0, 1)}
        </span>
        <span className="user-name">{user.username}</span>
      </summary>
      <div className="user-menu-body">
        <div className="user-display">{user.displayName}</div>
        <div className="muted">{t('auth.jurisdiction', { name: areaName(user.jurisdiction, language) })}</div>
        <button type="button" className="button" onClick={() => logout.mutate('here')} disabled={logout.isPending} data-testid="sign-out">
          {t('auth.signOut')}
        </button>
        <button type="button" className="button" onClick={() => logout.mutate('everywhere')} disabled={logout.isPending} data-testid="sign-out-everywhere" title={t('auth.signOutEverywhereHint')}>
          {t('auth.signOutEverywhere')}
        </button>
      </div>
    </details>
  );
}
