// Wall displays (大屏令牌): read-only tokens bound to one area. Creating one shows the token and the
// wall's address with it once; revoking (after a confirmation) ends the wall's session.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CreatedWallToken, WallToken } from '../../../../server/contracts/admin.ts';
import { areaName, useLanguage } from '../../lib/i18n.ts';
import { cityTimeZone } from '../../lib/city-time.ts';
import { useCreateWallToken, useRevokeWallToken, wallTokensQuery, wallUrl } from './api.ts';
import { AreaField } from './area-field.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { ConfirmDialog, errorText, SecretNotice } from './dialog.tsx';

const timeOf = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: cityTimeZone, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—';

function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateWallToken();
  const [label, setLabel] = useState('');
  const [area, setArea] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<CreatedWallToken | null>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      // The date is a day in the city (UTC+8 all year): the token works until that day's end there.
      { label: label.trim(), area: area.trim(), ...(expires ? { expiresAt: `${expires}T23:59:59+08:00` } : {}) },
      { onSuccess: setCreated },
    );
  };

  if (created) {
    return (
      <Dialog className="admin-dialog" title={t('admin.walls.createdTitle', { label: created.wallToken.label })} onClose={onClose} testId="wall-token-dialog">
        <SecretNotice
          note={t('admin.walls.shownOnce')}
          items={[
            { label: t('admin.walls.url'), value: wallUrl(created.token), testId: 'wall-token-url' },
            { label: t('admin.walls.token'), value: created.token, testId: 'wall-token-secret' },
          ]}
        />
        <div className="visit-footer admin-actions">
          <button type="button" className="button button-primary" onClick={onClose} autoFocus>{t('admin.done')}</button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog className="admin-dialog" title={t('admin.walls.createTitle')} onClose={onClose} testId="wall-token-dialog">
      <form className="admin-form" onSubmit={onSubmit}>
        <label className="field">
          {t('admin.walls.label')}
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={100} placeholder={t('admin.walls.labelPlaceholder')} name="label" />
        </label>
        <AreaField label={t('admin.walls.area')} value={area} onChange={setArea} testId="wall-token-area" />
        <label className="field">
          {t('admin.walls.expires')}
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} name="expires" />
          <span className="hint">{t('admin.walls.expiresHint')}</span>
        </label>
        {create.error ? <p className="form-error" role="alert">{errorText(create.error)}</p> : null}
        <div className="visit-footer admin-actions">
          <button type="button" className="button" onClick={onClose}>{t('admin.cancel')}</button>
          <button type="submit" className="button button-primary" disabled={create.isPending} data-testid="wall-token-save">{t('admin.walls.create')}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function WallTokensPanel() {
  const { t } = useTranslation();
  const language = useLanguage();
  const tokens = useQuery(wallTokensQuery);
  const revoke = useRevokeWallToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<WallToken | null>(null);
  const closeRevoke = () => {
    setRevoking(null);
    revoke.reset();
  };

  return (
    <section className="admin-section" aria-labelledby="admin-walls-title">
      <div className="admin-toolbar">
        <div>
          <h2 id="admin-walls-title">{t('admin.tab.walls')}</h2>
          <p className="hint">{t('admin.walls.intro')}</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="wall-token-new">{t('admin.walls.new')}</button>
      </div>
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="wall-tokens-table">
          <caption className="sr-only">{t('admin.tab.walls')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.walls.label')}</th>
              <th scope="col">{t('admin.walls.area')}</th>
              <th scope="col">{t('admin.walls.status')}</th>
              <th scope="col">{t('admin.walls.lastUsed')}</th>
              <th scope="col">{t('admin.walls.created')}</th>
              <th scope="col">{t('admin.walls.expires')}</th>
              <th scope="col"><span className="sr-only">{t('admin.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data?.items ?? []).map((token) => (
              <tr key={token.id} data-testid={`wall-token-row-${token.id}`} data-status={token.status} className={token.status === 'active' ? undefined : 'is-disabled'}>
                <th scope="row">{token.label}</th>
                <td>
                  {areaName(token.area, language)} <span className="muted mono">{token.area.code}</span>
                </td>
                <td data-testid="wall-token-status">
                  <span className={`admin-status admin-status-${token.status}`}>{t(`admin.walls.statuses.${token.status}`)}</span>
                </td>
                <td className="mono">{timeOf(token.lastUsedAt)}</td>
                <td>
                  <span className="mono">{timeOf(token.createdAt)}</span> <span className="muted">{token.createdBy ?? ''}</span>
                </td>
                <td className="mono">{timeOf(token.expiresAt)}</td>
                <td className="admin-row-actions">
                  {token.status === 'revoked' ? null : (
                    <button type="button" className="link-button" onClick={() => setRevoking(token)} data-testid="wall-token-revoke">{t('admin.walls.revoke')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tokens.data && tokens.data.items.length === 0 ? <p className="muted empty">{t('admin.walls.none')}</p> : null}
        {tokens.isError ? <p className="form-error" role="alert">{errorText(tokens.error)}</p> : null}
      </div>
      {creating ? <CreateTokenDialog onClose={() => setCreating(false)} /> : null}
      {revoking ? (
        <ConfirmDialog
          title={t('admin.walls.revokeTitle', { label: revoking.label })}
          message={t('admin.walls.revokeMessage', { area: areaName(revoking.area, language) })}
          confirmLabel={t('admin.walls.revoke')}
          pending={revoke.isPending}
          error={errorText(revoke.error)}
          onConfirm={() => revoke.mutate(revoking.id, { onSuccess: closeRevoke })}
          onClose={closeRevoke}
        />
      ) : null}
    </section>
  );
}
