import { useTranslation } from 'react-i18next';
import type { AreaCounts } from '../../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import type { ConnectionStatus } from './live-store.ts';
import { alarming, figureGroups } from './figure-groups.ts';
import type { Metric } from './figures.ts';

interface LiveFiguresProps {
  counts: AreaCounts | undefined;
  status: ConnectionStatus;
  selected: Metric;
  onSelect: (metric: Metric) => void;
  onOpenList: (metric: Metric) => void;
}

/**
 * The selected area's figures today, grouped as officials read them. A tile selects the figure
 * (sub-areas are then ranked by it); the list button opens the records or people behind it.
 */
export function LiveFigures({ counts, status, selected, onSelect, onOpenList }: LiveFiguresProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rate = counts?.resultOnTimeRate ?? null;
  return (
    <section className="panel-section live-figures" aria-labelledby="live-title" data-testid="live-figures">
      <header className="section-header">
        <h3 id="live-title">{t('live.title')}</h3>
        <span className={`live-status live-${status}`} data-testid="live-status">
          <span className="live-dot" aria-hidden="true" /> {t(`live.status.${status}`)}
        </span>
      </header>
      {figureGroups.map((group) => (
        <div key={group.id} className="figure-group">
          <div className="figure-group-title">
            {t(`live.group.${group.id}`)}
            {group.id === 'tests' ? (
              <span className="muted" title={t('live.onTimeHint')}>
                {t('live.onTime', { value: rate === null ? '—' : `${formatNumber(rate * 100, language, 1)}%` })}
              </span>
            ) : null}
          </div>
          <div className="figure-tiles">
            {group.metrics.map((metric) => {
              const value = counts?.[metric];
              return (
                <div key={metric} className={`figure-tile${metric === selected ? ' is-selected' : ''}${alarming.has(metric) && value ? ' is-alarming' : ''}`}>
                  <button
                    type="button"
                    className="figure-main"
                    aria-pressed={metric === selected}
                    onClick={() => onSelect(metric)}
                    title={t('live.rankBy', { metric: t(`metrics.${metric}`) })}
                    data-testid={`figure-${metric}`}
                  >
                    <span className="figure-label">{t(`metricShort.${metric}`)}</span>
                    <span className="figure-value" data-value={value ?? ''}>
                      {value === undefined ? '…' : formatNumber(value, language)}
                    </span>
                  </button>
                  <button
                    type="button"
                    className="figure-list-button"
                    onClick={() => onOpenList(metric)}
                    aria-label={t('live.openList', { metric: t(`metrics.${metric}`) })}
                    title={t('live.openList', { metric: t(`metrics.${metric}`) })}
                    data-testid={`figure-list-${metric}`}
                  >
                    ≡
                  </button>
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </section>
  );
}
