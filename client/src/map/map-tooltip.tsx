import { useTranslation } from 'react-i18next';
import { areaName, formatPeople, useLanguage } from '../lib/i18n.ts';
import { categoryColors } from '../features/sites/categories.ts';
import { useHover } from './hover-store.ts';

/** The hover card over the map: an area's names, level and figures, or a site's name and category. */
export function MapTooltip() {
  const { t } = useTranslation();
  const language = useLanguage();
  const hover = useHover();
  if (!hover || (hover.kind === 'area' && hover.source === 'list')) return null;
  const style = { transform: `translate(${Math.round(hover.x + 14)}px, ${Math.round(hover.y + 14)}px)` };
  if (hover.kind === 'site') {
    const { site } = hover;
    return (
      <div className="map-tooltip" style={style} role="tooltip">
        <div className="map-tooltip-title">{site.name}</div>
        <div className="map-tooltip-row">
          <span className="swatch-dot" style={{ background: categoryColors[site.category] }} />
          {t(`sites.category.${site.category}`)}
        </div>
      </div>
    );
  }
  const { area } = hover;
  const other = language === 'zh' ? area.nameEn : area.name;
  return (
    <div className="map-tooltip" style={style} role="tooltip" data-testid="map-tooltip">
      <div className="map-tooltip-title">
        {areaName(area, language)}
        <span className="level-tag">{t(`level.${area.level}`)}</span>
      </div>
      {other && other !== areaName(area, language) ? <div className="map-tooltip-sub">{other}</div> : null}
      <dl className="map-tooltip-figures">
        <dt>{t('tooltip.population')}</dt>
        <dd>{formatPeople(area.population, language)}</dd>
        <dt>{t('tooltip.sites')}</dt>
        <dd>{area.siteCount}</dd>
      </dl>
      <div className="map-tooltip-hint">{t('tooltip.clickToDrill')}</div>
    </div>
  );
}
