import { useTranslation } from 'react-i18next';
import type { AreaCounts } from '../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from './i18n.ts';
import { change, isAdverse, kpiMetrics } from './metrics.ts';

export function KpiRow({ today, yesterday }: { today: AreaCounts | undefined; yesterday: AreaCounts | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <section className="kpi-row" aria-label="KPI">
      {kpiMetrics.map((metric) => {
        const value = today?.[metric];
        const before = yesterday?.[metric];
        const delta = value !== undefined && before !== undefined ? change(value, before) : null;
        const direction = delta === null ? 'none' : delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
        const tone = direction === 'up' ? (isAdverse(metric) ? 'bad' : 'up') : direction === 'down' ? (isAdverse(metric) ? 'good' : 'down') : 'flat';
        return (
          <div key={metric} className={`kpi kpi-${metric}`} data-testid={`kpi-${metric}`}>
            <div className="kpi-label">{t(`metrics.${metric}`)}</div>
            <div className="kpi-value" data-value={value ?? ''} data-testid={`kpi-${metric}-value`}>
              {formatNumber(value, language)}
            </div>
            <div className={`kpi-change kpi-${tone}`}>
              <span className="kpi-vs">{t('kpi.vsYesterday')}</span>{' '}
              {delta === null ? (
                <span>{value !== undefined && value > 0 && before === 0 ? t('kpi.new') : '—'}</span>
              ) : direction === 'same' ? (
                <span>{t('kpi.same')}</span>
              ) : (
                <span>
                  {direction === 'up' ? '▲' : '▼'} {formatNumber(Math.abs(delta) * 100, language, 1)}%
                </span>
              )}
              <span className="kpi-yesterday">{t('kpi.yesterday', { value: formatNumber(before, language) })}</span>
            </div>
          </div>
        );
      })}
    </section>
  );
}
