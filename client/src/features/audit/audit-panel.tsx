// 审计日志 Audit log (admins): who read unmasked personal data or exported a file, when, from where
// and why. Search by user, action, resource and time; page through; export what is found to Excel.
import { useDeferredValue, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AuditedDownload } from '../../components/access-reason.tsx';
import { cityTimeZone } from '../../lib/city-time.ts';
import { formatNumber, localeOf, useLanguage } from '../../lib/i18n.ts';
import { auditActions } from '../../../../server/contracts/audit.ts';
import { auditExportUrl, auditPageSize, auditQuery, type AuditSearch } from './api.ts';
import './audit-panel.css';

/** i18next reads dots in a key as nesting: personal_data.read → audit.actions.personal_data_read. */
const actionLabel = (action: string) => `audit.actions.${action.replaceAll('.', '_')}`;
const blank: AuditSearch = { user: '', action: '', resource: '', from: '', to: '' };

export function AuditPanel() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [search, setSearch] = useState<AuditSearch>(blank);
  const [page, setPage] = useState(0);
  const deferred = useDeferredValue(search);
  const log = useQuery(auditQuery(deferred, page));
  const total = log.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / auditPageSize));
  const time = new Intl.DateTimeFormat(localeOf(language), { timeZone: cityTimeZone, dateStyle: 'short', timeStyle: 'medium' });
  const set = (field: keyof AuditSearch) => (e: { target: { value: string } }) => {
    setSearch({ ...search, [field]: e.target.value });
    setPage(0);
  };

  return (
    <section className="admin-section audit-panel" aria-labelledby="audit-title" data-testid="audit-panel">
      <div className="admin-toolbar">
        <h2 id="audit-title">{t('audit.title')}</h2>
        <p className="muted hint">{t('audit.hint')}</p>
      </div>
      <div className="admin-toolbar">
        <label className="field">
          {t('audit.user')}
          <input value={search.user} onChange={set('user')} maxLength={64} placeholder="grid01" data-testid="audit-user" />
        </label>
        <label className="field">
          {t('audit.action')}
          <select value={search.action} onChange={set('action')} data-testid="audit-action">
            <option value="">{t('audit.allActions')}</option>
            {auditActions.map((action) => (
              <option key={action} value={action}>{t(actionLabel(action))}</option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('audit.resource')}
          <input value={search.resource} onChange={set('resource')} maxLength={100} placeholder="people" data-testid="audit-resource" />
        </label>
        <label className="field">
          {t('audit.from')}
          <input type="datetime-local" value={search.from} onChange={set('from')} data-testid="audit-from" />
        </label>
        <label className="field">
          {t('audit.to')}
          <input type="datetime-local" value={search.to} onChange={set('to')} data-testid="audit-to" />
        </label>
        <AuditedDownload href={auditExportUrl(deferred)} label={t('audit.export')} testId="audit-export" primary />
      </div>

      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="audit-table" aria-busy={log.isFetching}>
          <caption className="sr-only">{t('audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.user')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.resource')}</th>
              <th scope="col">{t('audit.detail')}</th>
              <th scope="col">{t('audit.ip')}</th>
              <th scope="col">{t('audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {(log.data?.items ?? []).map((entry) => (
              <tr key={entry.id} data-testid="audit-row">
                <td className="mono">{time.format(new Date(entry.at))}</td>
                <th scope="row">
                  <span className="mono">{entry.username}</span> <span className="muted">{t(`admin.role.${entry.role}`, { defaultValue: entry.role })} · {entry.jurisdictionCode}</span>
                </th>
                <td>{t(actionLabel(entry.action), { defaultValue: entry.action })}</td>
                <td>
                  <span className="mono">{entry.resource}</span>
                  {entry.resourceId ? <span className="muted mono"> {entry.resourceId}</span> : null}
                </td>
                <td className="audit-detail mono">{JSON.stringify(entry.detail)}</td>
                <td className="mono" title={entry.userAgent ?? undefined}>{entry.ip ?? '—'}</td>
                <td>{entry.reason ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.data && log.data.items.length === 0 ? <p className="muted empty">{t('audit.none')}</p> : null}
        {log.isError ? <p className="form-error" role="alert">{log.error instanceof Error ? log.error.message : String(log.error)}</p> : null}
      </div>

      <nav className="admin-pager" aria-label={t('audit.pager')}>
        <button type="button" className="button" onClick={() => setPage(page - 1)} disabled={page === 0}>{t('audit.previous')}</button>
        <span data-testid="audit-page">{t('audit.pageOf', { page: page + 1, pages, total: formatNumber(total, language) })}</span>
        <button type="button" className="button" onClick={() => setPage(page + 1)} disabled={page + 1 >= pages}>{t('audit.next')}</button>
      </nav>
    </section>
  );
}
