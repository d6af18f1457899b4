// Coverage of the round for the week of the selected day: sites inspected against sites in scope
// per district (or category), the districts nothing was inspected in this week, and the week's
// notice list (通报) with its Excel download. The chart is for the eye; the table carries the figures.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Coverage, Round } from '../../../../server/contracts/index.ts';
import { AuditedDownload } from '../../components/access-reason.tsx';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { coverageQuery, noticesExcelUrl, noticesQuery, type CoverageBy } from './api.ts';
import { CoverageChart } from './coverage-chart.tsx';
import { weekOf } from './days.ts';

export function CoveragePanel({ round, day, scale }: { round: Round; day: string; scale: number }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [by, setBy] = useState<CoverageBy>('district');
  const week = weekOf(day).start;
  const coverage = useQuery(coverageQuery(round.id, week, by));
  const notices = useQuery(noticesQuery(round.id, week));
  const data = coverage.data;
  const missed = new Set(data?.districtsNotVisitedThisWeek.map((d) => d.code) ?? []);
  const n = (value: number) => formatNumber(value, language);
  const categoryName = (key: string) => (by === 'category' ? t(`sites.category.${key}`, { defaultValue: key }) : key);
  const rowName = (row: Coverage['rows'][number]) => (by === 'category' ? categoryName(row.key) : row.name);

  return (
    <section className="panel-section coverage-panel" aria-labelledby="coverage-title" data-testid="coverage-panel">
      <header className="section-header">
        <h3 id="coverage-title">{t('inspection.coverage.title', { from: weekOf(day).start, to: weekOf(day).end })}</h3>
        <div className="segmented segmented-sm" role="group" aria-label={t('inspection.coverage.by')}>
          {(['district', 'street', 'category'] as const).map((key) => (
            <button key={key} type="button" aria-pressed={by === key} onClick={() => setBy(key)}>
              {t(`inspection.coverage.byKey.${key}`)}
            </button>
          ))}
        </div>
      </header>
      {coverage.isError ? (
        <p className="muted empty">{t('errors.load')}</p>
      ) : !data ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : (
        <>
          <p data-testid="coverage-totals">
            {t('inspection.coverage.totals', {
              inspected: n(data.totals.inspected),
              inScope: n(data.totals.inScope),
              thisWeek: n(data.totals.inspectedThisWeek),
            })}
          </p>
          <div className={missed.size > 0 ? 'missed-districts' : 'ok-note'} data-testid="districts-missed">
            {missed.size > 0
              ? t('inspection.coverage.missed', { count: missed.size, names: data.districtsNotVisitedThisWeek.map((d) => d.name).join('、') })
              : t('inspection.coverage.noneMissed')}
          </div>
          {by !== 'street' && data.rows.length > 0 ? (
            <CoverageChart
              names={data.rows.map(rowName)}
              inScope={data.rows.map((r) => r.inScope)}
              inspected={data.rows.map((r) => r.inspected)}
              thisWeek={data.rows.map((r) => r.inspectedThisWeek)}
              missed={data.rows.map((r) => by === 'district' && missed.has(r.key))}
              labels={{ inScope: t('inspection.coverage.inScope'), inspected: t('inspection.coverage.inspected'), thisWeek: t('inspection.coverage.thisWeek') }}
              scale={scale}
            />
          ) : null}
          {data.rows.length === 0 ? (
            <p className="muted empty">{t('inspection.coverage.empty')}</p>
          ) : (
            <div className="sheet-table-wrap coverage-table-wrap">
              <table className="sheet-table coverage-table">
                <thead>
                  <tr>
                    <th scope="col">{t(`inspection.coverage.byKey.${by}`)}</th>
                    <th scope="col">{t('inspection.coverage.inScope')}</th>
                    <th scope="col">{t('inspection.coverage.inspected')}</th>
                    <th scope="col">{t('inspection.coverage.thisWeek')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((row) => {
                    const share = row.inScope > 0 ? row.inspected / row.inScope : 0;
                    const isMissed = by === 'district' && missed.has(row.key);
                    return (
                      <tr key={row.key} className={isMissed ? 'is-missed' : undefined} data-testid={`coverage-row-${row.key}`}>
                        <th scope="row">{rowName(row)}{isMissed ? <span className="tag tag-alarm">{t('inspection.coverage.notThisWeek')}</span> : null}</th>
                        <td className="mono">{n(row.inScope)}</td>
                        <td>
                          <span className="share-bar" aria-hidden="true"><span style={{ width: `${Math.round(share * 100)}%` }} /></span>
                          <span className="mono">{n(row.inspected)} ({formatNumber(share * 100, language, 1)}%)</span>
                        </td>
                        <td className="mono">{n(row.inspectedThisWeek)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      <section className="notice-section" aria-labelledby="notices-title" data-testid="notices">
        <header className="section-header">
          <h3 id="notices-title">{t('inspection.notices.title')}</h3>
          <AuditedDownload href={noticesExcelUrl(round.id, week)} label={t('inspection.notices.excel')} testId="notices-xlsx" />
        </header>
        {notices.isError ? (
          <p className="muted empty">{t('errors.load')}</p>
        ) : !notices.data ? (
          <p className="muted empty">{t('area.loading')}</p>
        ) : notices.data.items.length === 0 ? (
          <p className="muted empty">{t('inspection.notices.empty')}</p>
        ) : (
          <div className="sheet-table-wrap">
            <table className="sheet-table">
              <thead>
                <tr>
                  <th scope="col">{t('inspection.notices.col.day')}</th>
                  <th scope="col">{t('inspection.notices.col.site')}</th>
                  <th scope="col">{t('inspection.notices.col.unit')}</th>
                  <th scope="col">{t('inspection.notices.col.failed')}</th>
                  <th scope="col">{t('inspection.notices.col.notice')}</th>
                </tr>
              </thead>
              <tbody>
                {notices.data.items.map((item) => (
                  <tr key={item.visitId}>
                    <td className="mono">{item.day}</td>
                    <td><strong>{item.siteName}</strong><div className="muted">{item.districtName} · {item.teamName}</div></td>
                    <td>{item.responsibleUnit}<div className="muted">{item.responsiblePerson} {item.responsiblePhone}</div></td>
                    <td>{item.failedChecks.join('、')}{item.findings ? <div className="muted">{item.findings}</div> : null}</td>
                    <td className="mono">{item.noticeNumber}<div className="muted">{t('inspection.notices.by', { deadline: item.noticeDeadline })}</div></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
