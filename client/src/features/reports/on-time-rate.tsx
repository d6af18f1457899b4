// Reporting and on-time rates over a period the user picks, the way DHIS2 reports them: per child
// area (or every street of the city), expected = units × days, on time, late, missing,
// the two rates; as a table and as bars of the lowest on-time rates.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import type { OnTimeRate } from '../../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { useEChart } from '../../lib/use-echart.ts';
import { onTimeRateQuery } from './api.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Grouping = 'children' | 'street';
const chartRows = 20;
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function option(rows: OnTimeRate['rows'], labels: { onTime: string; reporting: string }, scale: number): EChartsCoreOption {
  const font = (size: number) => Math.round(size * scale);
  const axisLabel = { color: '#8ea3c2', fontSize: font(11) };
  return {
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v.toFixed(1)}%` },
    legend: { top: 0, right: 0, itemWidth: font(14), itemHeight: font(8), textStyle: { color: '#c8d6ea', fontSize: font(11) } },
    grid: { left: font(4), right: font(16), top: font(26), bottom: font(4), containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine: { lineStyle: { color: '#15263f' } } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisTick: { show: false }, axisLine: { lineStyle: { color: '#2b4a78' } }, axisLabel: { ...axisLabel, color: '#c8d6ea' } },
    series: [
      { type: 'bar', name: labels.reporting, data: rows.map((r) => (r.reportingRate ?? 0) * 100), barGap: '-100%', barMaxWidth: font(12), itemStyle: { color: '#1d3152' }, z: 1 },
      { type: 'bar', name: labels.onTime, data: rows.map((r) => (r.onTimeRate ?? 0) * 100), barMaxWidth: font(12), itemStyle: { color: '#2fb36b' }, z: 2 },
    ],
  };
}

function RateChart({ rows, scale }: { rows: OnTimeRate['rows']; scale: number }) {
  const { t } = useTranslation();
  const labels = useMemo(() => ({ onTime: t('reports.rate.onTimeRate'), reporting: t('reports.rate.reportingRate') }), [t]);
  const ref = useEChart(useMemo(() => option(rows, labels, scale), [rows, labels, scale]));
  return <div ref={ref} className="rate-chart" style={{ height: `${Math.max(6, rows.length * 1.5 + 3)}rem` }} aria-hidden="true" />;
}

export function OnTimeRateView({ area, areaLevel, today, scale }: { area: string; areaLevel: string | undefined; today: string; scale: number }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [from, setFrom] = useState(() => addDays(today, -6));
  const [to, setTo] = useState(today);
  const [grouping, setGrouping] = useState<Grouping>('children');
  const valid = from <= to;
  const rate = useQuery({ ...onTimeRateQuery(area, from, to, grouping), enabled: valid });
  // Every street of the city, beside its districts; below the city the child areas are the streets already.
  const groupings: Grouping[] = areaLevel === 'city' ? ['children', 'street'] : ['children'];
  const data = rate.data;
  const lowest = useMemo(
    () => [...(data?.rows ?? [])].filter((r) => r.expected > 0).sort((a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0)).slice(0, chartRows),
    [data],
  );

  return (
    <div data-testid="on-time-rate">
      <div className="rate-controls">
        <label className="control">
          <span>{t('reports.rate.from')}</span>
          <input type="date" value={from} max={today} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="rate-from" />
        </label>
        <label className="control">
          <span>{t('reports.rate.to')}</span>
          <input type="date" value={to} max={today} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="rate-to" />
        </label>
        {groupings.length > 1 ? (
          <label className="control">
            <span>{t('reports.rate.by')}</span>
            <select value={grouping} onChange={(e) => setGrouping(e.target.value as Grouping)} data-testid="rate-grouping">
              {groupings.map((g) => <option key={g} value={g}>{t(`reports.rate.grouping.${g}`)}</option>)}
            </select>
          </label>
        ) : null}
      </div>
      {!valid ? (
        <p className="error-text" role="alert">{t('reports.rate.badRange')}</p>
      ) : rate.isError ? (
        <p className="error-text" role="alert">{t('errors.load')}: {rate.error.message}</p>
      ) : !data ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : (
        <>
          <p className="muted" data-testid="rate-period">{t('reports.rate.period', { from: data.from, to: data.to, days: data.days })}</p>
          <div className="table-scroll">
            <table className="reports-table" data-testid="rate-table">
              <caption>{t('reports.rate.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.col.area')}</th>
                  <th scope="col">{t('reports.col.expected')}</th>
                  <th scope="col">{t('reports.status.on_time')}</th>
                  <th scope="col">{t('reports.status.late')}</th>
                  <th scope="col">{t('reports.status.missing')}</th>
                  <th scope="col">{t('reports.rate.reportingRate')}</th>
                  <th scope="col">{t('reports.rate.onTimeRate')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.filter((r) => r.expected > 0).map((r) => (
                  <tr key={r.area} data-testid={`rate-${r.area}`}>
                    <th scope="row">{r.name}</th>
                    <td className="mono">{formatNumber(r.expected, language)}</td>
                    <td className="mono">{formatNumber(r.onTime, language)}</td>
                    <td className="mono">{formatNumber(r.late, language)}</td>
                    <td className="mono">{formatNumber(r.expected - r.reported, language)}</td>
                    <td className="mono">{percent(r.reportingRate)}</td>
                    <td className="mono">{percent(r.onTimeRate)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="rate-total">
                  <th scope="row">{t('reports.col.total')}</th>
                  <td className="mono">{formatNumber(data.total.expected, language)}</td>
                  <td className="mono">{formatNumber(data.total.onTime, language)}</td>
                  <td className="mono">{formatNumber(data.total.late, language)}</td>
                  <td className="mono">{formatNumber(data.total.expected - data.total.reported, language)}</td>
                  <td className="mono">{percent(data.total.reportingRate)}</td>
                  <td className="mono">{percent(data.total.onTimeRate)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          {lowest.length > 0 ? (
            <>
              <h3>{t('reports.rate.chart', { count: lowest.length })}</h3>
              <RateChart rows={lowest} scale={scale} />
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
