// The versions of one unit's report for a day (the first submission and each correction): one
// column per version, one row per figure, a figure that a correction changed marked with what it was.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportFigureKeys } from '../../../../server/contracts/index.ts';
import { reportQuery } from './api.ts';

const timeOf = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export function ReportHistory({ unitCode, day }: { unitCode: string; day: string }) {
  const { t } = useTranslation();
  const report = useQuery(reportQuery(unitCode, day));
  const versions = report.data?.versions ?? [];
  if (versions.length === 0) return null;
  return (
    <details className="report-history" open={versions.length > 1} data-testid="report-history" data-versions={versions.length}>
      <summary>{t('reports.form.history', { count: versions.length })}</summary>
      <div className="table-scroll">
        <table className="reports-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.form.version')}</th>
              {versions.map((v) => <th key={v.version} scope="col" className="mono">v{v.version}</th>)}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('reports.form.when')}</th>
              {versions.map((v) => <td key={v.version} className="mono">{timeOf(v.submittedAt)}</td>)}
            </tr>
            <tr>
              <th scope="row">{t('reports.form.who')}</th>
              {versions.map((v) => <td key={v.version}>{v.submittedBy ?? '—'}</td>)}
            </tr>
            <tr>
              <th scope="row">{t('reports.form.channel')}</th>
              {versions.map((v) => <td key={v.version}>{t(`reports.channel.${v.channel}`)}{v.zero ? ` · ${t('reports.zeroReport')}` : ''}</td>)}
            </tr>
            {reportFigureKeys.map((key) => (
              <tr key={key} data-testid={`history-${key}`}>
                <th scope="row">{t(`reports.figure.${key}`)}</th>
                {versions.map((v, i) => {
                  const before = i > 0 ? versions[i - 1]!.figures[key] : undefined;
                  const changed = before !== undefined && before !== v.figures[key];
                  return (
                    <td
                      key={v.version}
                      className={changed ? 'mono changed' : 'mono'}
                      data-changed={changed ? 'true' : undefined}
                      title={changed ? t('reports.history.was', { value: before }) : undefined}
                    >
                      {v.figures[key]}
                    </td>
                  );
                })}
              </tr>
            ))}
            {versions.some((v) => v.figures.notes) ? (
              <tr>
                <th scope="row">{t('reports.figure.notes')}</th>
                {versions.map((v) => <td key={v.version} className="notes">{v.figures.notes ?? ''}</td>)}
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </details>
  );
}
