import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { siteCategoryCountsQuery } from './api.ts';
import { categoryColors, siteCategories, type SiteCategory } from './categories.ts';

interface SiteLegendProps {
  area: string;
  enabled: ReadonlySet<SiteCategory>;
  onChange: (enabled: ReadonlySet<SiteCategory>) => void;
  /** true below the zoom where site points are served: say so instead of showing an empty map. */
  pointsHidden?: boolean;
}

/** Key sites by category in the selected area: colour, toggle, count and a bar, in the legend's fixed order. */
export function SiteLegend({ area, enabled, onChange, pointsHidden = false }: SiteLegendProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const counts = useQuery(siteCategoryCountsQuery(area));
  const byCategory = new Map(counts.data?.counts.map((c) => [c.category, c.count]) ?? []);
  const total = [...byCategory.values()].reduce((sum, n) => sum + n, 0);
  const max = Math.max(1, ...byCategory.values());
  const toggle = (category: SiteCategory) => {
    const next = new Set(enabled);
    if (next.has(category)) next.delete(category);
    else next.add(category);
    onChange(next);
  };
  const allOn = enabled.size === siteCategories.length;
  return (
    <section className="legend-section" aria-labelledby="sites-legend-title" aria-busy={counts.isPending}>
      <header className="section-header">
        <h3 id="sites-legend-title">
          {t('sites.title')}
          <span className="count-pill">{counts.data ? formatNumber(total, language) : '…'}</span>
        </h3>
        <button type="button" className="link-button" onClick={() => onChange(allOn ? new Set() : new Set(siteCategories))}>
          {allOn ? t('sites.hideAll') : t('sites.showAll')}
        </button>
      </header>
      <ul className="category-list" data-testid="site-legend">
        {siteCategories.map((category) => {
          const count = byCategory.get(category) ?? 0;
          const on = enabled.has(category);
          const name = t(`sites.category.${category}`);
          return (
            <li key={category}>
              <button
                type="button"
                className={`category-toggle${on ? '' : ' is-off'}`}
                aria-pressed={on}
                title={t('sites.toggle', { name })}
                onClick={() => toggle(category)}
              >
                <span className="swatch-dot" style={{ background: on ? categoryColors[category] : 'transparent', borderColor: categoryColors[category] }} />
                <span className="category-name">{name}</span>
                <span className="category-bar" aria-hidden="true">
                  <span style={{ width: `${(count / max) * 100}%`, background: categoryColors[category] }} />
                </span>
                <span className="category-count">{counts.data ? formatNumber(count, language) : '…'}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {pointsHidden ? <p className="hint">{t('sites.zoomHint')}</p> : null}
    </section>
  );
}
