// The four ledgers (台账) of the area: big-data check list, overseas arrivals, domestic risk-area
// arrivals, out-of-province returnees; filtered by day, paged, exported to Excel. Names, ID numbers
// and phones come masked from the server for roles without the duty to see them; an export is in
// clear only for users with the right to export personal data, and every export is audited.
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ledgerKinds, type LedgerKind } from '../../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { AuditedDownload } from '../../components/access-reason.tsx';
import { ledgerExportUrl, ledgerQuery, type LedgerFilter } from './api.ts';

const pageSize = 50;

export function LedgersView({ area, areaName }: { area: string; areaName: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [kind, setKind] = useState<LedgerKind>('overseas_arrival');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const filter: LedgerFilter = { kind, area, from, to };
  const ledger = useQuery({ ...ledgerQuery(filter, pageSize, offset), placeholderData: keepPreviousData });
  const data = ledger.data;
  const update = (change: () => void) => {
    change();
    setOffset(0);
  };
  const masked = data?.items.some((e) => e.masked) ?? false;

  return (
    <div data-testid="ledgers">
      <div className="rate-controls">
        <label className="control">
          <span>{t('ledgers.kind')}</span>
          <select value={kind} onChange={(e) => update(() => setKind(e.target.value as LedgerKind))} data-testid="ledger-kind">
            {ledgerKinds.map((k) => <option key={k} value={k}>{t(`ledgers.title.${k}`)}</option>)}
          </select>
        </label>
        <label className="control">
          <span>{t('reports.rate.from')}</span>
          <input type="date" value={from} onChange={(e) => update(() => setFrom(e.target.value))} data-testid="ledger-from" />
        </label>
        <label className="control">
          <span>{t('reports.rate.to')}</span>
          <input type="date" value={to} onChange={(e) => update(() => setTo(e.target.value))} data-testid="ledger-to" />
        </label>
      </div>
      {ledger.isError ? (
        <p className="error-text" role="alert">{t('errors.load')}: {ledger.error.message}</p>
      ) : !data ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : (
        <>
          <p className="muted" data-testid="ledger-total" data-total={data.total}>
            {t('ledgers.total', { area: areaName, count: data.total, total: formatNumber(data.total, language) })}
            {masked ? ` · ${t('ledgers.masked')}` : ''}
          </p>
          <div className="table-scroll">
            <table className="reports-table ledger-table" data-testid="ledger-table" data-masked={masked ? 'true' : 'false'}>
              <caption>{t(`ledgers.title.${kind}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ledgers.col.day')}</th>
                  <th scope="col">{t('ledgers.col.name')}</th>
                  <th scope="col">{t('ledgers.col.idNumber')}</th>
                  <th scope="col">{t('ledgers.col.phone')}</th>
                  <th scope="col">{t('ledgers.col.area')}</th>
                  <th scope="col">{t('ledgers.col.origin')}</th>
                  <th scope="col">{t('ledgers.col.healthCode')}</th>
                  <th scope="col">{t('ledgers.col.measure')}</th>
                  <th scope="col">{t('ledgers.col.plannedEnd')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.id} data-testid="ledger-row">
                    <td className="mono">{e.day}</td>
                    <th scope="row">{e.name}</th>
                    <td className="mono">{e.idNumber}</td>
                    <td className="mono">{e.phone ?? '—'}</td>
                    <td>{e.areaName}</td>
                    <td>{e.origin ?? '—'}{e.riskAreaLevel ? ` · ${t(`live.risk.${e.riskAreaLevel}`)}` : ''}</td>
                    <td>{t(`live.code.${e.healthCode}`)}</td>
                    <td>{e.measure ? t(`live.kind.${e.measure}`) : '—'}</td>
                    <td className="mono">{e.plannedEnd ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.items.length === 0 ? <p className="muted empty">{t('ledgers.empty')}</p> : null}
          <div className="ledger-pages">
            <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))} data-testid="ledger-prev">
              {t('ledgers.prev')}
            </button>
            <span className="mono" data-testid="ledger-page">
              {data.total === 0 ? '0' : `${offset + 1}–${Math.min(offset + pageSize, data.total)}`} / {formatNumber(data.total, language)}
            </span>
            <button type="button" className="button" disabled={offset + pageSize >= data.total} onClick={() => setOffset(offset + pageSize)} data-testid="ledger-next">
              {t('ledgers.next')}
            </button>
          </div>
          <div className="ledger-export">
            {data.exportUnmasked ? (
              <AuditedDownload href={ledgerExportUrl(filter, true)} label={t('ledgers.exportUnmasked')} testId="ledger-export-unmasked" primary personal />
            ) : null}
            <AuditedDownload href={ledgerExportUrl(filter, false)} label={t('ledgers.exportMasked')} testId="ledger-export-masked" />
            <p className="hint">{t('ledgers.audited')}</p>
          </div>
        </>
      )}
    </div>
  );
}
