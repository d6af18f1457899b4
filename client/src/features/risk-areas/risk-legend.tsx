import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { riskAreasQuery } from './api.ts';
import { riskColors, riskLevels } from './levels.ts';

/** Risk areas by level: the dashed outline and fill the map uses, with how many are active now. */
export function RiskLegend() {
  const { t } = useTranslation();
  const risk = useQuery(riskAreasQuery);
  const active = new Map(riskLevels.map((level) => [level, 0]));
  let inactive = 0;
  for (const feature of risk.data?.features ?? []) {
    if (feature.properties.active) active.set(feature.properties.level, (active.get(feature.properties.level) ?? 0) + 1);
    else inactive += 1;
  }
  return (
    <section className="legend-section" aria-labelledby="risk-legend-title">
      <header className="section-header">
        <h3 id="risk-legend-title">{t('risk.title')}</h3>
      </header>
      <ul className="risk-list" data-testid="risk-legend">
        {riskLevels.map((level) => (
          <li key={level}>
            <span className="risk-swatch" style={{ borderColor: riskColors[level], background: `${riskColors[level]}40` }} />
            <span>{t(`risk.level.${level}`)}</span>
            <span className="category-count">{risk.data ? t('risk.count', { count: active.get(level) ?? 0 }) : '…'}</span>
          </li>
        ))}
        <li className="muted">
          <span className="risk-swatch risk-swatch-inactive" />
          <span>{t('risk.inactive')}</span>
          <span className="category-count">{risk.data ? t('risk.count', { count: inactive }) : '…'}</span>
        </li>
      </ul>
    </section>
  );
}
