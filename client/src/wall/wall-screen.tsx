// The wall itself, for a signed-in user: live figures of the user's jurisdiction (the city), its
// sub-areas (districts) and theirs (streets), joined by code to geometry fetched once.
import { useEffect, useMemo, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AreaChildren, AreaCounts, SessionUser } from '../../../server/contracts/index.ts';
import { useUiScale } from '../lib/ui-scale.ts';
import { alertsQuery, areaQuery, childrenGeometryQuery, configQuery, dayStatsQuery, meKey, trendQuery, wallQueryClient } from './api.ts';
import { previousDay, useCityDay } from '../lib/city-time.ts';
import { classBreaks, classOf, colourOf, legendRows } from './classes.ts';
import { areaName, formatNumber, shortAreaName, useLanguage } from './i18n.ts';
import { KpiRow } from './kpi-row.tsx';
import { LiveStore, useLive } from '../features/live/live-store.ts';
import { mapMetrics, parseMetric, zeroCounts, type Metric } from './metrics.ts';
import { Ranking } from './ranking.tsx';
import { TitleBar } from './title-bar.tsx';
import { TrendChart, type TrendSeries } from './trend-chart.tsx';
import { AlertsTicker } from './alerts-ticker.tsx';
import { WallMap, type AreaLabel, type IntensityPoint } from './wall-map.tsx';
import { useKiosk } from './kiosk.ts';

const params = new URLSearchParams(window.location.search);
const rotateSeconds = Math.max(0, Math.min(3600, Number(params.get('rotate') ?? 0) || 0));
const rotateAt = rotateSeconds > 0 ? Math.max(10, rotateSeconds) : 0;

/** server/contracts/live.ts maxWatchedAreas (not imported: that module pulls TypeBox into the bundle). */
const maxWatchedAreas = 500;

export function WallScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const scale = useUiScale();
  const root = user.jurisdiction.code;
  const day = useCityDay();
  useKiosk();

  const [store] = useState(
    () =>
      new LiveStore({
        onUnauthenticated: () => void wallQueryClient.invalidateQueries({ queryKey: meKey }),
        onMoreAlerts: () => void wallQueryClient.invalidateQueries({ queryKey: alertsQuery(root).queryKey }),
      }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const live = useLive(store);

  // Geometry, once: the root, its sub-areas and theirs.
  const config = useQuery(configQuery);
  const rootArea = useQuery(areaQuery(root));
  const level1 = useQuery(childrenGeometryQuery(root));
  const level1Codes = useMemo(() => level1.data?.features.map((f) => f.properties.code) ?? [], [level1.data]);
  const level2Results = useQueries({ queries: level1Codes.map((code) => childrenGeometryQuery(code)) });
  const level2 = useMemo(() => {
    const byParent = new Map<string, AreaChildren>();
    for (const result of level2Results) if (result.data) byParent.set(result.data.parent.code, result.data);
    return byParent;
    // useQueries returns a new array each render; the data objects themselves are stable.
  }, [level2Results.map((r) => r.dataUpdatedAt).join(',')]);

  // What the socket watches: the root, level 1 and level 2 (city: 1 + 16 + 234), at most 500.
  const watched = useMemo(() => {
    const codes = [root, ...level1Codes];
    for (const code of level1Codes) for (const f of level2.get(code)?.features ?? []) codes.push(f.properties.code);
    return codes.slice(0, maxWatchedAreas);
  }, [root, level1Codes, level2]);
  useEffect(() => store.watch(watched), [store, watched]);

  // Midnight in the city: today's figures start again; ask for the new day's snapshot.
  useEffect(() => store.resync(), [store, day]);

  const alerts = useQuery(alertsQuery(root));
  useEffect(() => {
    if (alerts.data) store.setListedAlerts(alerts.data.items);
  }, [store, alerts.data]);

  // Focus: the root, or (with ?rotate=N) each level-1 area in turn.
  const [focusIndex, setFocusIndex] = useState(0);
  useEffect(() => {
    if (rotateAt === 0 || level1Codes.length === 0) return;
    const timer = window.setInterval(() => setFocusIndex((i) => (i + 1) % (level1Codes.length + 1)), rotateAt * 1000);
    return () => window.clearInterval(timer);
  }, [level1Codes.length]);
  const focusCode = focusIndex === 0 ? root : (level1Codes[focusIndex - 1] ?? root);
  const focusArea = useQuery(areaQuery(focusCode));
  const focusChildren = focusCode === root ? level1.data : level2.get(focusCode);

  const [metric, setMetric] = useState<Metric>(() => parseMetric(params.get('metric')) ?? 'screened');

  const todayOf = (code: string): AreaCounts | undefined => {
    const row = live.counts.get(code);
    return row && row.day === day ? row.counts : row ? zeroCounts : undefined;
  };
  const rootToday = todayOf(root);
  const yesterday = useQuery(dayStatsQuery(root, previousDay(day)));

  // Choropleth classes and labels for the focused area's sub-areas.
  const { classes, breaks, labels, ranking } = useMemo(() => {
    const features = focusChildren?.features ?? [];
    const values = new Map<string, number>();
    for (const f of features) {
      const row = live.counts.get(f.properties.code);
      values.set(f.properties.code, row && row.day === day ? row.counts[metric] : 0);
    }
    const breaks = classBreaks([...values.values()]);
    const classes = new Map<string, number>();
    for (const [code, value] of values) classes.set(code, classOf(value, breaks));
    const labels: AreaLabel[] = features.map((f) => ({
      code: f.properties.code,
      position: f.properties.labelPoint,
      name: shortAreaName(f.properties, language),
      value: formatNumber(values.get(f.properties.code) ?? 0, language),
      priority: values.get(f.properties.code) ?? 0,
    }));
    const ranking = features
      .map((f) => {
        const value = values.get(f.properties.code) ?? 0;
        return { code: f.properties.code, name: shortAreaName(f.properties, language), value, colour: colourOf(classOf(value, breaks)) };
      })
      .sort((a, b) => b.value - a.value || a.code.localeCompare(b.code))
      .slice(0, 10);
    return { classes, breaks, labels, ranking };
  }, [focusChildren, live.counts, metric, day, language]);

  // Screening intensity: street totals at their label points (aggregates only).
  const intensity = useMemo(() => {
    const points: IntensityPoint[] = [];
    const parents = focusCode === root ? level1Codes : [focusCode];
    for (const parent of parents) {
      for (const f of level2.get(parent)?.features ?? []) {
        const row = live.counts.get(f.properties.code);
        points.push({ code: f.properties.code, position: f.properties.labelPoint, value: row && row.day === day ? row.counts.screened : 0 });
      }
    }
    return points;
  }, [focusCode, root, level1Codes, level2, live.counts, day]);

  // Trend of the focused area: 14 days from the API, today's point from the socket.
  const trend = useQuery(trendQuery(focusCode, day));
  const focusToday = todayOf(focusCode);
  const trendDays = useMemo(() => trend.data?.days.map((d) => d.day) ?? [], [trend.data]);
  const trendSeries = useMemo((): TrendSeries[] => {
    const rows = trend.data?.days ?? [];
    const pick = (m: Metric) => rows.map((r) => (r.day === day && focusToday ? focusToday[m] : r.counts[m]));
    return [
      { name: t('metricShort.screened'), kind: 'bar', colour: '#38bdf8', values: pick('screened'), axis: 0 },
      { name: t('metricShort.abnormalTemp'), kind: 'line', colour: '#ffb020', values: pick('abnormalTemp'), axis: 1 },
      { name: t('metricShort.yellowCode'), kind: 'line', colour: '#f5e04a', values: pick('yellowCode'), axis: 1 },
      { name: t('metricShort.redCode'), kind: 'line', colour: '#ff5a5f', values: pick('redCode'), axis: 1 },
    ];
  }, [trend.data, focusToday, day, t]);

  const rootName = areaName(user.jurisdiction, language);
  const focusName = focusArea.data ? areaName(focusArea.data.properties, language) : rootName;
  const childLevel = focusChildren?.features[0]?.properties.level;
  const levelName = t(childLevel === 'district' ? 'map.districts' : 'map.streets');
  const legend = legendRows(breaks, (n) => formatNumber(n, language));

  return (
    <div className="wall" data-testid="wall">
      <TitleBar title={language === 'zh' ? `${user.jurisdiction.name}疫情防控指挥中心` : t('cityTitle', { city: rootName })} status={live.status} />
      <KpiRow today={rootToday} yesterday={yesterday.data?.counts} />
      <main className="wall-main">
        <section className="panel map-panel">
          <div className="map-head">
            <h2 data-testid="map-title">{t('map.title', { area: focusName, metric: t(`metricShort.${metric}`) })}</h2>
            <div className="metric-switch" role="group">
              {mapMetrics.map((m) => (
                <button key={m} type="button" aria-pressed={m === metric} onClick={() => setMetric(m)}>
                  {t(`metricShort.${m}`)}
                </button>
              ))}
            </div>
          </div>
          {config.data ? (
            <WallMap
              config={config.data}
              focus={focusArea.data ?? rootArea.data}
              subAreas={focusChildren}
              classes={classes}
              intensity={intensity}
              labels={labels}
              scale={scale}
              loadingLabel={t('map.loading')}
              webglFailedLabel={t('map.webgl')}
            />
          ) : (
            <div className="wall-map-message">{t('map.loading')}</div>
          )}
          <div className="map-legend" data-testid="map-legend">
            <div className="legend-title">{t(`metricShort.${metric}`)}</div>
            {legend.map((row) => (
              <div key={row.label} className="legend-row">
                <span className="legend-swatch" style={{ background: row.colour }} />
                {row.label}
              </div>
            ))}
            <div className="legend-row legend-intensity">
              <span className="legend-bubble" />
              {t('map.intensity')}
            </div>
          </div>
          {rotateAt > 0 ? <div className="map-rotate">{t('map.rotating', { seconds: rotateAt })}</div> : null}
          <div className="map-privacy">{t('privacy')}</div>
        </section>
        <aside className="wall-side">
          <Ranking title={t('ranking.title', { metric: t(`metricShort.${metric}`), level: levelName })} rows={ranking} />
          <section className="panel trend">
            <h2>{t('trend.title', { area: focusName })}</h2>
            <TrendChart days={trendDays} series={trendSeries} scale={scale} />
          </section>
          <AlertsTicker alerts={live.alerts} />
        </aside>
      </main>
    </div>
  );
}
