import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaChildren, AreaFeature, ChildAreaProperties } from '../../../../server/contracts/index.ts';
import { areaName, formatNumber, formatPeople, useLanguage } from '../../lib/i18n.ts';
import { setAreaHover, useHoveredAreaCode } from '../../map/hover-store.ts';

type SortKey = 'code' | 'name' | 'population' | 'sites' | 'figure';
const sortKeys: readonly SortKey[] = ['code', 'name', 'population', 'sites'];

/** A live figure of every sub-area (today's), shown beside each and available as a sort key. */
export interface ChildFigure {
  label: string;
  values: ReadonlyMap<string, number>;
}

interface AreaFactsProps {
  area: AreaFeature | undefined;
  loading: boolean;
  error: boolean;
}

export function AreaFacts({ area, loading, error }: AreaFactsProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!area) {
    return (
      <section className="panel-section" aria-busy={loading}>
        <p className="muted">{error ? t('area.notFound') : t('area.loading')}</p>
      </section>
    );
  }
  const p = area.properties;
  const density = p.population !== null && p.areaKm2 > 0 ? p.population / p.areaKm2 : null;
  return (
    <section className="panel-section area-facts" aria-labelledby="area-title" aria-busy={loading}>
      <div className="area-heading">
        <span className="level-tag level-tag-lg">{t(`level.${p.level}`)}</span>
        <div>
          <h2 id="area-title" data-testid="area-title">
            {areaName(p, language)}
          </h2>
          <div className="area-subname">{language === 'zh' ? (p.nameEn ?? '') : p.name}</div>
        </div>
        {p.synthetic ? (
          <span className="badge badge-synthetic" title={t('area.syntheticHint')}>
            {t('area.synthetic')}
          </span>
        ) : null}
      </div>
      <dl className="facts-grid">
        <div className="fact fact-wide">
          <dt>{t('area.population')}</dt>
          <dd className="fact-big">{formatPeople(p.population, language)}</dd>
        </div>
        <div className="fact">
          <dt>{t('area.areaKm2')}</dt>
          <dd>{t('area.km2', { value: formatNumber(p.areaKm2, language, p.areaKm2 < 10 ? 2 : 0) })}</dd>
        </div>
        <div className="fact">
          <dt>{t('area.density')}</dt>
          <dd>{density === null ? '—' : t('area.densityValue', { value: formatNumber(density, language) })}</dd>
        </div>
        <div className="fact">
          <dt>{t('area.childCount')}</dt>
          <dd>{formatNumber(p.childCount, language)}</dd>
        </div>
        <div className="fact">
          <dt>{t('area.siteCount')}</dt>
          <dd>{formatNumber(p.siteCount, language)}</dd>
        </div>
        <div className="fact fact-wide">
          <dt>{t('area.code')}</dt>
          <dd className="mono">{p.code}</dd>
        </div>
      </dl>
    </section>
  );
}

interface ChildrenListProps {
  area: AreaFeature | undefined;
  children: AreaChildren | undefined;
  loading: boolean;
  onSelect: (code: string) => void;
  figure?: ChildFigure;
}

function compare(key: SortKey, language: 'zh' | 'en', figure: ChildFigure | undefined) {
  const collator = new Intl.Collator(language === 'zh' ? 'zh-CN' : 'en', { numeric: true });
  return (a: ChildAreaProperties, b: ChildAreaProperties): number => {
    switch (key) {
      case 'code':
        return a.code.localeCompare(b.code);
      case 'name':
        return collator.compare(areaName(a, language), areaName(b, language));
      case 'population':
        return (b.population ?? -1) - (a.population ?? -1);
      case 'sites':
        return b.siteCount - a.siteCount;
      case 'figure':
        return (figure?.values.get(b.code) ?? -1) - (figure?.values.get(a.code) ?? -1) || a.code.localeCompare(b.code);
    }
  };
}

/** The selected area's children: sortable, arrow keys + Enter, hover highlights them on the map. */
export function ChildrenList({ area, children, loading, onSelect, figure }: ChildrenListProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const hoveredOnMap = useHoveredAreaCode();
  const [sortKey, setSortKey] = useState<SortKey>('code');
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const items = useMemo(
    () => (children?.features ?? []).map((f) => f.properties).sort(compare(sortKey, language, figure)),
    [children, sortKey, language, figure],
  );
  // With a live figure, the bars compare it; without, the population.
  const barOf = (item: ChildAreaProperties) => (figure ? (figure.values.get(item.code) ?? 0) : (item.population ?? 0));
  const maxBar = items.reduce((max, item) => Math.max(max, barOf(item)), 0);

  useEffect(() => setActive(0), [children]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const last = items.length - 1;
    let next = active;
    if (event.key === 'ArrowDown') next = Math.min(last, active + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, active - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'PageDown') next = Math.min(last, active + 10);
    else if (event.key === 'PageUp') next = Math.max(0, active - 10);
    else if (event.key === 'Enter' || event.key === ' ') {
      const item = items[active];
      if (item) onSelect(item.code);
      event.preventDefault();
      return;
    } else return;
    event.preventDefault();
    setActive(next);
    const item = items[next];
    if (item) setAreaHover({ kind: 'area', source: 'list', x: 0, y: 0, area: item });
  };

  const childLevel = area ? t(`childLevel.${area.properties.level}`) : t('area.children');
  return (
    <section className="panel-section children-section" aria-labelledby="children-title">
      <header className="section-header">
        <h3 id="children-title" data-testid="children-title">
          {childLevel}
          <span className="count-pill">{children?.features.length ?? '…'}</span>
        </h3>
        <div className="segmented segmented-sm" role="group" aria-label={t('area.sortBy')}>
          {sortKeys.map((key) => (
            <button key={key} type="button" aria-pressed={sortKey === key} onClick={() => setSortKey(key)}>
              {t(`area.sort.${key}`)}
            </button>
          ))}
          {figure ? (
            <button type="button" aria-pressed={sortKey === 'figure'} onClick={() => setSortKey('figure')} data-testid="sort-figure">
              {figure.label}
            </button>
          ) : null}
        </div>
      </header>
      {items.length === 0 ? (
        <p className="muted empty">{loading ? t('area.loading') : t('area.noChildren')}</p>
      ) : (
        <>
          <ul
            ref={listRef}
            className="children-list"
            role="listbox"
            tabIndex={0}
            aria-labelledby="children-title"
            aria-activedescendant={items[active] ? `child-${items[active].code}` : undefined}
            onKeyDown={onKeyDown}
            onBlur={() => setAreaHover(null)}
            data-testid="children-list"
          >
            {items.map((item, index) => (
              <li
                key={item.code}
                id={`child-${item.code}`}
                data-index={index}
                data-code={item.code}
                role="option"
                aria-selected={index === active}
                className={`child-item${index === active ? ' is-active' : ''}${hoveredOnMap === item.code ? ' is-hovered' : ''}`}
                onClick={() => onSelect(item.code)}
                onMouseEnter={() => setAreaHover({ kind: 'area', source: 'list', x: 0, y: 0, area: item })}
                onMouseLeave={() => setAreaHover(null)}
                title={t('area.drill', { name: areaName(item, language) })}
              >
                <span className="child-name">
                  {areaName(item, language)}
                  {item.synthetic ? <span className="synthetic-dot" aria-label={t('area.synthetic')} /> : null}
                </span>
                <span className="child-bar" aria-hidden="true">
                  <span style={{ width: `${maxBar > 0 ? (barOf(item) / maxBar) * 100 : 0}%` }} />
                </span>
                <span className="child-figure">{formatPeople(item.population, language)}</span>
                {figure ? (
                  <span className="child-figure child-live" data-testid={`child-figure-${item.code}`} title={figure.label}>
                    {formatNumber(figure.values.get(item.code) ?? 0, language)}
                  </span>
                ) : (
                  <span className="child-figure child-sites">{item.siteCount}</span>
                )}
              </li>
            ))}
          </ul>
          <p className="hint">{t('area.listHint')}</p>
        </>
      )}
    </section>
  );
}
