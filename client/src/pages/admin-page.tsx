// Administration (/admin, admins only): users, wall-display tokens and the audit log. The tab is in the URL
// (?tab=walls) so a link opens it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../server/contracts/index.ts';
import { PageNav } from '../features/inspection/page-nav.tsx';
import { UsersPanel } from '../features/admin/users-panel.tsx';
import { WallTokensPanel } from '../features/admin/wall-tokens-panel.tsx';
import { AuditPanel } from '../features/audit/audit-panel.tsx';
import { Clock } from '../components/clock.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { PageBrand } from '../components/page-brand.tsx';
import { TabList } from '../components/tab-list.tsx';
import { UserMenu } from '../components/user-menu.tsx';
import { setLanguage } from '../lib/i18n.ts';
import '../features/admin/admin.css';

const tabs = ['users', 'walls', 'audit'] as const;
type Tab = (typeof tabs)[number];

const tabOfUrl = (): Tab => {
  const tab = new URLSearchParams(window.location.search).get('tab');
  return (tabs as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'users';
};

export function AdminPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const [tab, setTabState] = useState<Tab>(tabOfUrl);
  const setTab = (next: Tab) => {
    setTabState(next);
    window.history.replaceState(window.history.state, '', next === 'users' ? '/admin' : `/admin?tab=${next}`);
  };

  useEffect(() => {
    document.title = `${t('admin.title')} · ${t('app.title')}`;
  }, [t]);

  return (
    <div className="admin-page" data-testid="admin-page">
      <header className="top-bar admin-top">
        <PageBrand title={t('admin.title')} subtitle={t('app.title')} />
        <PageNav current="admin" />
        <div className="top-actions">
          <Clock />
          <LanguageSwitch setLanguage={setLanguage} />
          <UserMenu user={user} />
        </div>
      </header>
      {user.role !== 'admin' ? (
        <div className="page-message" data-testid="admin-forbidden">{t('admin.forbidden')}</div>
      ) : (
        <main className="admin-main">
          <TabList
            tabs={tabs}
            current={tab}
            onSelect={setTab}
            idPrefix="admin-tab-"
            panelId="admin-tabpanel"
            label={t('admin.title')}
            labelOf={(key) => t(`admin.tab.${key}`)}
            className="admin-tabs"
          />
          <div id="admin-tabpanel" role="tabpanel" aria-labelledby={`admin-tab-${tab}`} className="admin-tabpanel">
            {tab === 'users' ? <UsersPanel me={user} /> : tab === 'walls' ? <WallTokensPanel /> : <AuditPanel />}
          </div>
        </main>
      )}
    </div>
  );
}
