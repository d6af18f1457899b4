// The command-centre screen: top bar (title, breadcrumbs, search, clock, language, user), the map
// with a floating legend, and the side panel with the selected area's facts and sub-areas.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../server/contracts/index.ts';
import { alertHandlerRoles, tileZoomRange } from '../../../server/contracts/index.ts';
import { areaChildrenQuery, areaQuery } from '../features/areas/api.ts';
import { AreaFacts, ChildrenList, type ChildFigure } from '../features/areas/area-panel.tsx';
import { AreaSearch } from '../features/areas/area-search.tsx';
import { Breadcrumbs } from '../features/areas/breadcrumbs.tsx';
import { buildAreaLayers, populationRamp } from '../features/areas/layers.ts';
import { levelIndex, withinJurisdiction } from '../features/areas/levels.ts';
import { replaceSelectedArea, useSelectedArea } from '../features/areas/use-selected-area.ts';
import { configQuery } from '../features/config/api.ts';
import { RiskLegend } from '../features/risk-areas/risk-legend.tsx';
import { siteCategories, type SiteCategory } from '../features/sites/categories.ts';
import { SiteLegend } from '../features/sites/site-legend.tsx';
import { Clock } from '../components/clock.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { UserMenu } from '../components/user-menu.tsx';
import { PageBrand } from '../components/page-brand.tsx';
import { isClientError } from '../lib/http.ts';
import { areaName, setLanguage, useLanguage } from '../lib/i18n.ts';
import { useUiScale } from '../lib/ui-scale.ts';
import { MapView, type TileArea } from '../map/map-view.tsx';
import { MapTooltip } from '../map/map-tooltip.tsx';
import { useListHoveredCode } from '../map/hover-store.ts';
import { useCityDay } from '../lib/city-time.ts';
import { useLiveFigures } from '../features/live/use-live-figures.ts';
import { LiveFigures } from '../features/live/live-figures.tsx';
import { FigureList } from '../features/live/figure-list.tsx';
import type { Metric } from '../features/live/figures.ts';
import { AlertsPanel } from '../features/alerts/alerts-panel.tsx';
import { activeAlertsQuery, alertsKey } from '../features/alerts/api.ts';
import { useQueryClient } from '@tanstack/react-query';
import { PageNav } from '../features/inspection/page-nav.tsx';

const categoriesKey = 'ecc.siteCategories';

function storedCategories(): ReadonlySet<SiteCategory> {
  try {
    const raw = localStorage.getItem(categoriesKey);
    if (raw) {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return new Set(siteCategories.filter((c) => parsed.includes(c)));
    }
  } catch {
    // fall through to all
  }
  return new Set(siteCategories);
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function CommandPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const scale = useUiScale();
  const [code, select] = useSelectedArea(user.jurisdiction.code);
  const config = useQuery(configQuery);
  const area = useQuery({ ...areaQuery(code), placeholderData: keepPreviousData });
  const children = useQuery({ ...areaChildrenQuery(code), placeholderData: keepPreviousData });
  const [enabled, setEnabled] = useState<ReadonlySet<SiteCategory>>(storedCategories);
  const listHovered = useListHoveredCode();
  const [zoom, setZoom] = useState<number | null>(null);
  const day = useCityDay();
  const [metric, setMetric] = useState<Metric>('screened');
  const [listMetric, setListMetric] = useState<Metric | null>(null);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const alerts = useQuery(activeAlertsQuery(code));
  const client = useQueryClient();

  // An area the user may not open (an old link, another jurisdiction): go back to their own.
  useEffect(() => {
    if (area.isError && isClientError(area.error) && code !== user.jurisdiction.code) replaceSelectedArea(user.jurisdiction.code);
  }, [area.isError, area.error, code, user.jurisdiction.code]);

  const onCategories = useCallback((next: ReadonlySet<SiteCategory>) => {
    setEnabled(next);
    try {
      localStorage.setItem(categoriesKey, JSON.stringify([...next]));
    } catch {
      // not persisted
    }
  }, []);

  const current = area.data?.properties.code === code ? area.data : undefined;
  const shownArea = area.data;
  const shownChildren = children.data?.parent.code === code ? children.data : undefined;
  const parent = current?.properties.ancestors.at(-1);

  // Today's figures of the selected area and its sub-areas, live.
  const childCodes = useMemo(() => shownChildren?.features.map((f) => f.properties.code) ?? [], [shownChildren]);
  const live = useLiveFigures(useMemo(() => [code, ...childCodes], [code, childCodes]), day);
  const todayOf = (areaCode: string) => {
    const row = live.counts.get(areaCode);
    return row && row.day === day ? row.counts : undefined;
  };
  const figure = useMemo((): ChildFigure => {
    const values = new Map<string, number>();
    for (const childCode of childCodes) {
      const row = live.counts.get(childCode);
      if (row && row.day === day) values.set(childCode, row.counts[metric]);
    }
    return { label: t(`metricShort.${metric}`), values };
  }, [childCodes, live.counts, day, metric, t]);
  const closeList = useCallback(() => setListMetric(null), []);
  const closeAlerts = useCallback(() => setAlertsOpen(false), []);
  const openList = useCallback((metric: Metric) => {
    setAlertsOpen(false);
    setListMetric(metric);
  }, []);
  // A pushed alert: the active list (and its count) is read again.
  const newestPushed = live.alerts[0]?.id;
  useEffect(() => {
    if (newestPushed !== undefined) void client.invalidateQueries({ queryKey: alertsKey });
  }, [newestPushed, client]);

  const goUp = useCallback(() => {
    if (parent && withinJurisdiction(parent, user)) select(parent.code);
  }, [parent, user, select]);

  // Escape / Backspace: up one level (unless typing in a field).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (listMetric || alertsOpen) return; // Esc closes the open panel first
      if ((event.key === 'Escape' || event.key === 'Backspace') && !isTyping(event.target) && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        goUp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goUp, listMetric, alertsOpen]);

  // The page title follows the selection (useful in browser history and on a wall's task bar).
  useEffect(() => {
    document.title = current ? `${areaName(current.properties, language)} · ${t('app.title')}` : t('app.title');
  }, [current, language, t]);

  const layers = useMemo(() => buildAreaLayers({ children: children.data, language, scale }), [children.data, language, scale]);

  const onClickTileAreas = useCallback(
    (areas: TileArea[]) => {
      // A click outside the current sub-areas: open the neighbouring area at the current level (or the
      // nearest shallower one) under the pointer, if the user may see it.
      if (!current) return;
      const depth = levelIndex(current.properties.level);
      const candidates = areas
        .filter((a) => levelIndex(a.level) <= Math.max(depth, 1) && a.code !== current.properties.code && withinJurisdiction(a, user))
        .sort((a, b) => levelIndex(b.level) - levelIndex(a.level));
      const target = candidates[0];
      if (target) select(target.code);
    },
    [current, user, select],
  );

  const frame = useMemo(() => (current ? { key: current.properties.code, bbox: current.bbox } : null), [current]);
  const legendWidthPx = 22 * 15 * scale; // .legend-card: 21rem wide + 1rem margin

  if (config.isError) {
    return <div className="page-message">{t('errors.load')}</div>;
  }

  return (
    <div className="command-page">
      <header className="top-bar">
        <PageBrand title={t('app.title')} subtitle={t('app.subtitle')} />
        <Breadcrumbs area={current ?? shownArea} user={user} onSelect={select} />
        <div className="top-actions">
          <PageNav current="map" />
          <AreaSearch onSelect={select} />
          <button
            type="button"
            className={`button alerts-button${alerts.data?.items.some((a) => a.status === 'open') ? ' has-open' : ''}`}
            aria-pressed={alertsOpen}
            onClick={() => {
              setListMetric(null);
              setAlertsOpen(!alertsOpen);
            }}
            data-testid="alerts-button"
          >
            {t('alerts.button')}
            <span className="count-pill">{alerts.data?.total ?? '…'}</span>
          </button>
          <Clock />
          <LanguageSwitch setLanguage={setLanguage} />
          <UserMenu user={user} />
        </div>
      </header>
      <main className="workspace">
        <div className="map-region" data-area={shownChildren && current ? code : ''}>
          {config.data ? (
            <MapView
              config={config.data}
              layers={layers}
              // While the next area loads, the previous one stays on the map (placeholder data): no blank flash.
              area={shownArea}
              subAreas={children.data}
              highlightCode={listHovered}
              frame={frame}
              enabledCategories={enabled}
              scale={scale}
              attribution={t('map.attribution')}
              paddingLeft={legendWidthPx}
              onClickChild={select}
              onClickTileAreas={onClickTileAreas}
              onZoom={setZoom}
              loadingLabel={t('map.loading')}
              webglFailedLabel={t('map.webglFailed')}
            />
          ) : (
            <div className="map-message">{t('map.loading')}</div>
          )}
          <MapTooltip />
          {alertsOpen && current ? (
            <AlertsPanel
              area={{ code, name: areaName(current.properties, language) }}
              canHandle={(alertHandlerRoles as readonly string[]).includes(user.role)}
              onClose={closeAlerts}
            />
          ) : null}
          {listMetric && current ? (
            <FigureList metric={listMetric} area={{ code, name: areaName(current.properties, language) }} day={day} onClose={closeList} />
          ) : null}
          <aside className="legend-card" aria-label={t('legend.title')}>
            <SiteLegend area={code} enabled={enabled} onChange={onCategories} pointsHidden={zoom !== null && zoom < tileZoomRange.sites.min} />
            <RiskLegend />
            <section className="legend-section">
              <h3>{t('legend.population')}</h3>
              <div className="ramp" aria-hidden="true">
                {populationRamp.map((color) => (
                  <span key={color} style={{ background: color }} />
                ))}
              </div>
              <div className="ramp-labels">
                <span>{t('legend.less')}</span>
                <span className="ramp-selected">
                  <span className="selected-swatch" /> {t('legend.selected')}
                </span>
                <span>{t('legend.more')}</span>
              </div>
            </section>
          </aside>
        </div>
        <aside className="side-panel" aria-label={t('area.facts')} data-testid="side-panel">
          <AreaFacts area={current ?? shownArea} loading={area.isFetching} error={area.isError} />
          <LiveFigures counts={todayOf(code)} status={live.status} selected={metric} onSelect={setMetric} onOpenList={openList} />
          <ChildrenList area={current} children={shownChildren} loading={children.isFetching} onSelect={select} figure={figure} />
        </aside>
      </main>
    </div>
  );
}
