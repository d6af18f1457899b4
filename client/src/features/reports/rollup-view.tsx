// The area's report for the day as the sums of its units' reports, per child area, with every
// figure a unit reported below what the registry and live figures hold flagged: the cell is
// highlighted and its tooltip says which unit and by how much.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportFigureKeys, type Inconsistency, type ReportFigureKey } from '../../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { rollupQuery } from './api.ts';

export function RollupView({ area, day, onDrill }: { area: string; day: string; onDrill: (code: string) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rollup = useQuery(rollupQuery(area, day));
  const data = rollup.data;

  // child area (or the area itself) → figure → the inconsistencies behind it
  const flags = useMemo(() => {
    const byChild = new Map<string, Map<ReportFigureKey, Inconsistency[]>>();
    for (const i of data?.inconsistencies ?? []) {
      const key = i.child ?? area;
      const fields = byChild.get(key) ?? new Map<ReportFigureKey, Inconsistency[]>();
      fields.set(i.field as ReportFigureKey, [...(fields.get(i.field as ReportFigureKey) ?? []), i]);
      byChild.set(key, fields);
    }
    return byChild;
  }, [data, area]);
  const totalFlags = useMemo(() => {
    const fields = new Map<ReportFigureKey, Inconsistency[]>();
    for (const i of data?.inconsistencies ?? []) fields.set(i.field as ReportFigureKey, [...(fields.get(i.field as ReportFigureKey) ?? []), i]);
    return fields;
  }, [data]);

  if (rollup.isError) return <p className="error-text" role="alert">{t('errors.load')}: {rollup.error.message}</p>;
  if (!data) return <p className="muted empty">{t('area.loading')}</p>;

  const cell = (value: number, found: Inconsistency[] | undefined, testId?: string) => {
    const tip = found?.map((i) => `${i.name}：${t('reports.rollup.flag', { field: t(`reports.figure.${i.field}`), reported: i.reported, registry: i.registry })}`).join('\n');
    return (
      <td className={found ? 'mono flagged' : 'mono'} title={tip} data-flagged={found ? 'true' : undefined} data-testid={testId}>
        {formatNumber(value, language)}
        {found ? <span className="visually-hidden"> ({tip})</span> : null}
      </td>
    );
  };
  const rows = data.children.filter((c) => c.expected > 0);

  return (
    <div data-testid="rollup">
      <p className="muted">{t('reports.rollup.intro', { reports: formatNumber(data.reports, language), expected: formatNumber(data.expected, language) })}</p>
      <div className="table-scroll">
        <table className="reports-table rollup-table" data-testid="rollup-table">
          <caption>{t('reports.rollup.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.col.area')}</th>
              <th scope="col">{t('reports.rollup.reports')}</th>
              {reportFigureKeys.map((k) => <th key={k} scope="col">{t(`reports.figure.${k}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.area} data-testid={`rollup-${c.area}`}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onDrill(c.area)}>{c.name}</button>
                </th>
                <td className="mono">{c.reports}/{c.expected}</td>
                {reportFigureKeys.map((k) => cell(c.sums[k], flags.get(c.area)?.get(k), `rollup-${c.area}-${k}`))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="rollup-total">
              <th scope="row">{t('reports.col.total')}</th>
              <td className="mono">{data.reports}/{data.expected}</td>
              {reportFigureKeys.map((k) => cell(data.sums[k], totalFlags.get(k)))}
            </tr>
          </tfoot>
        </table>
      </div>
      <h3>{t('reports.rollup.checks', { count: data.inconsistencies.length })}</h3>
      {data.inconsistencies.length === 0 ? (
        <p className="muted empty" data-testid="rollup-consistent">{t('reports.rollup.none')}</p>
      ) : (
        <ul className="rollup-checks" data-testid="rollup-checks">
          {data.inconsistencies.slice(0, 200).map((i) => (
            <li key={`${i.unitCode}/${i.field}`}>
              <strong>{i.name}</strong> · {t('reports.rollup.flag', { field: t(`reports.figure.${i.field}`), reported: i.reported, registry: i.registry })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
