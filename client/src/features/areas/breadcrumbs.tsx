import { useTranslation } from 'react-i18next';
import type { AreaFeature, SessionUser } from '../../../../server/contracts/index.ts';
import { areaName, useLanguage } from '../../lib/i18n.ts';
import { withinJurisdiction } from './levels.ts';

interface BreadcrumbsProps {
  area: AreaFeature | undefined;
  user: SessionUser;
  onSelect: (code: string) => void;
}

/** 市 → 区 → 街道 → 社区 → 网格: each ancestor the user may see is a link back up. */
export function Breadcrumbs({ area, user, onSelect }: BreadcrumbsProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!area) return <nav className="breadcrumbs" aria-label={t('breadcrumb.label')} data-testid="breadcrumbs" />;
  const trail = [...area.properties.ancestors, area.properties];
  const parent = area.properties.ancestors.at(-1);
  const canGoUp = parent !== undefined && withinJurisdiction(parent, user);
  return (
    <nav className="breadcrumbs" aria-label={t('breadcrumb.label')} data-testid="breadcrumbs">
      <button
        type="button"
        className="icon-button breadcrumb-up"
        disabled={!canGoUp}
        onClick={() => parent && onSelect(parent.code)}
        title={`${t('breadcrumb.up')} (${t('breadcrumb.upHint')})`}
        aria-label={t('breadcrumb.up')}
      >
        ←
      </button>
      <ol>
        {trail.map((crumb, index) => {
          const current = index === trail.length - 1;
          const enabled = !current && withinJurisdiction(crumb, user);
          const label = (
            <>
              <span className="crumb-level">{t(`level.${crumb.level}`)}</span>
              <span className="crumb-name">{areaName(crumb, language)}</span>
            </>
          );
          return (
            <li key={crumb.code} data-code={crumb.code}>
              {current ? (
                <span className="crumb crumb-current" aria-current="location">
                  {label}
                </span>
              ) : enabled ? (
                <button type="button" className="crumb" onClick={() => onSelect(crumb.code)}>
                  {label}
                </button>
              ) : (
                <span className="crumb crumb-disabled">{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
