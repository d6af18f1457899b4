// Users (用户): search by name, username or area, filter by role, page through; create and edit in a
// dialog; disable (their sessions end at once) or enable; reset a password (a new one shown once).
import { useDeferredValue, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AdminUser, UserWithPassword } from '../../../../server/contracts/admin.ts';
import { roles, type Role, type SessionUser } from '../../../../server/contracts/index.ts';
import { areaName, formatNumber, useLanguage } from '../../lib/i18n.ts';
import { pageSize, useResetPassword, usersQuery, useSetDisabled } from './api.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ConfirmDialog, errorText, SecretNotice } from './dialog.tsx';
import { UserDialog } from './user-dialog.tsx';

type Pending = { kind: 'edit'; user: AdminUser | null } | { kind: 'disable' | 'enable' | 'reset'; user: AdminUser };

export function UsersPanel({ me }: { me: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(0);
  const deferredQ = useDeferredValue(q);
  const users = useQuery(usersQuery(deferredQ, role, page));
  const [pending, setPending] = useState<Pending | null>(null);
  const [reset, setReset] = useState<UserWithPassword | null>(null);
  const setDisabled = useSetDisabled();
  const resetPassword = useResetPassword();
  const total = users.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));

  const close = () => {
    setPending(null);
    setDisabled.reset();
    resetPassword.reset();
  };

  return (
    <section className="admin-section" aria-labelledby="admin-users-title">
      <div className="admin-toolbar">
        <h2 id="admin-users-title" className="sr-only">{t('admin.tab.users')}</h2>
        <label className="field admin-search">
          {t('admin.users.search')}
          <input
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(0);
            }}
            placeholder={t('admin.users.searchPlaceholder')}
            maxLength={100}
            data-testid="user-search"
          />
        </label>
        <label className="field">
          {t('admin.users.role')}
          <select
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role | '');
              setPage(0);
            }}
            data-testid="user-role-filter"
          >
            <option value="">{t('admin.users.allRoles')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>{t(`admin.role.${r}`)}</option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-primary" onClick={() => setPending({ kind: 'edit', user: null })} data-testid="user-new">
          {t('admin.users.new')}
        </button>
      </div>

      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="users-table" aria-busy={users.isFetching}>
          <caption className="sr-only">{t('admin.tab.users')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.users.username')}</th>
              <th scope="col">{t('admin.users.displayName')}</th>
              <th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.users.jurisdiction')}</th>
              <th scope="col">{t('admin.users.exportRight')}</th>
              <th scope="col">{t('admin.users.status')}</th>
              <th scope="col">{t('admin.users.sessions')}</th>
              <th scope="col"><span className="sr-only">{t('admin.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.items ?? []).map((user) => (
              <tr key={user.id} data-testid={`user-row-${user.username}`} className={user.disabled ? 'is-disabled' : undefined}>
                <th scope="row" className="mono">{user.username}</th>
                <td>{user.displayName}</td>
                <td>{t(`admin.role.${user.role}`)}</td>
                <td>
                  {areaName(user.jurisdiction, language)} <span className="muted mono">{user.jurisdiction.code}</span>
                </td>
                <td>{user.mayExportPersonalData ? t('admin.yes') : t('admin.no')}</td>
                <td data-testid="user-status">{user.disabled ? t('admin.users.disabled') : t('admin.users.enabled')}</td>
                <td className="mono">{formatNumber(user.activeSessions, language)}</td>
                <td className="admin-row-actions">
                  <button type="button" className="link-button" onClick={() => setPending({ kind: 'edit', user })}>{t('admin.edit')}</button>
                  {user.username === me.username ? null : (
                    <button type="button" className="link-button" onClick={() => setPending({ kind: user.disabled ? 'enable' : 'disable', user })} data-testid="user-toggle">
                      {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                    </button>
                  )}
                  <button type="button" className="link-button" onClick={() => setPending({ kind: 'reset', user })}>{t('admin.users.resetPassword')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.data && users.data.items.length === 0 ? <p className="muted empty">{t('admin.users.none')}</p> : null}
        {users.isError ? <p className="form-error" role="alert">{errorText(users.error)}</p> : null}
      </div>

      <nav className="admin-pager" aria-label={t('admin.pager')}>
        <button type="button" className="button" onClick={() => setPage(page - 1)} disabled={page === 0}>{t('admin.previous')}</button>
        <span data-testid="users-page">{t('admin.pageOf', { page: page + 1, pages, total: formatNumber(total, language) })}</span>
        <button type="button" className="button" onClick={() => setPage(page + 1)} disabled={page + 1 >= pages}>{t('admin.next')}</button>
      </nav>

      {pending?.kind === 'edit' ? <UserDialog user={pending.user} selfUsername={me.username} onClose={close} /> : null}
      {pending?.kind === 'disable' || pending?.kind === 'enable' ? (
        <ConfirmDialog
          title={t(`admin.users.${pending.kind}Title`, { username: pending.user.username })}
          message={t(`admin.users.${pending.kind}Message`, { name: pending.user.displayName })}
          confirmLabel={t(`admin.users.${pending.kind}`)}
          pending={setDisabled.isPending}
          error={errorText(setDisabled.error)}
          onConfirm={() => setDisabled.mutate({ id: pending.user.id, disabled: pending.kind === 'disable' }, { onSuccess: close })}
          onClose={close}
        />
      ) : null}
      {pending?.kind === 'reset' ? (
        <ConfirmDialog
          title={t('admin.users.resetTitle', { username: pending.user.username })}
          message={t('admin.users.resetMessage', { name: pending.user.displayName })}
          confirmLabel={t('admin.users.resetPassword')}
          pending={resetPassword.isPending}
          error={errorText(resetPassword.error)}
          onConfirm={() =>
            resetPassword.mutate(pending.user.id, {
              onSuccess: (result) => {
                close();
                setReset(result);
              },
            })
          }
          onClose={close}
        />
      ) : null}
      {reset ? (
        <Dialog className="admin-dialog" title={t('admin.users.resetDone', { username: reset.user.username })} onClose={() => setReset(null)} testId="password-dialog">
          <SecretNotice note={t('admin.shownOnce')} items={[{ label: t('admin.users.password'), value: reset.generatedPassword ?? '', testId: 'generated-password' }]} />
          <div className="visit-footer admin-actions">
            <button type="button" className="button button-primary" onClick={() => setReset(null)}>{t('admin.done')}</button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
