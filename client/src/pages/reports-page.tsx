// Daily reports (日报告 / 零报告): the day's compliance of the user's area by sub-area, with a
// drill-down to the units and their sign-off (审核); the map filled by status; the report form,
// sign-off and versions of the chosen unit; the roll-up against live data; on-time rates over a
// period; the four ledgers (台账); and the area's daily report as Excel. Live: every
// `reports:updated` pushed for the area refetches what it changed.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Compliance, SessionUser, UnitStatus } from '../../../server/contracts/index.ts';
import { areaChildrenQuery, areaQuery } from '../features/areas/api.ts';
import { configQuery } from '../features/config/api.ts';
import { PageNav } from '../features/inspection/page-nav.tsx';
import { useLiveHints } from '../features/live/use-live-hints.ts';
import { complianceQuery, exportUrl, ledgerRoles, reporterRoles } from '../features/reports/api.ts';
import { LedgersView } from '../features/reports/ledgers-view.tsx';
import { OnTimeRateView } from '../features/reports/on-time-rate.tsx';
import { ReportHistory } from '../features/reports/report-history.tsx';
import { RollupView } from '../features/reports/rollup-view.tsx';
import { AreaSignOff, UnitSignOff, maySignOff } from '../features/reports/sign-off.tsx';
import { buildReportLayers, type StatusArea } from '../features/reports/layers.ts';
import { ReportForm } from '../features/reports/report-form.tsx';
import { areaStatus, onTimeRate, reportStatusColors, unitStatuses } from '../features/reports/status.ts';
import { AuditedDownload } from '../components/access-reason.tsx';
import { Clock } from '../components/clock.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { TabList } from '../components/tab-list.tsx';
import { UserMenu } from '../components/user-menu.tsx';
import { formatNumber, setLanguage, useLanguage } from '../lib/i18n.ts';
import { useCityDay } from '../lib/city-time.ts';
import { useUiScale } from '../lib/ui-scale.ts';
import { OverlayMap } from '../map/overlay-map.tsx';
import { PageBrand } from '../components/page-brand.tsx';

const timeOf = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' }) : '—');

/** Refetches the area's compliance whenever the server pushes `reports:updated` for it. */
function useReportsLive(area: string) {
  const client = useQueryClient();
  // Compliance, sign-offs, roll-up, rates and the open report all follow from the reports.
  const refresh = () => void client.invalidateQueries({ queryKey: ['reports'] });
  useLiveHints(area, { onReportsUpdated: refresh, onReconnected: refresh });
}

type ReportsTab = 'compliance' | 'rollup' | 'rate' | 'ledgers';

export function ReportsPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const scale = useUiScale();
  const today = useCityDay();
  const [dayChoice, setDay] = useState<string | null>(() => new URLSearchParams(window.location.search).get('day'));
  const day = dayChoice ?? today;
  const home = user.jurisdiction.code;
  const [areaCode, setAreaCode] = useState(home);
  const [unitCode, setUnitCode] = useState<string | null>(null);
  const config = useQuery(configQuery);
  const area = useQuery(areaQuery(areaCode));
  const children = useQuery(areaChildrenQuery(areaCode));
  const compliance = useQuery(complianceQuery(areaCode, day));
  useReportsLive(home);
  const canReport = reporterRoles.has(user.role);
  const tabs: ReportsTab[] = ledgerRoles.has(user.role) ? ['compliance', 'rollup', 'rate', 'ledgers'] : ['compliance', 'rollup', 'rate'];
  const [tab, setTabState] = useState<ReportsTab>(() => {
    const asked = new URLSearchParams(window.location.search).get('tab') as ReportsTab | null;
    return asked && tabs.includes(asked) ? asked : 'compliance';
  });
  const setTab = (next: ReportsTab) => {
    setTabState(next);
    const url = new URL(window.location.href);
    url.searchParams.set('tab', next);
    window.history.replaceState(window.history.state, '', url);
  };
  const drill = (code: string) => {
    setAreaCode(code);
    setUnitCode(null);
  };

  useEffect(() => {
    document.title = `${t('reports.title')} · ${t('app.title')}`;
  }, [t]);

  const data: Compliance | undefined = compliance.data;
  const units = useMemo(() => data?.units ?? [], [data]);
  // A reporter opens on their first unit (a grid worker: their community).
  const selectedUnit = units.find((u) => u.unitCode === unitCode) ?? (units.length === 1 ? units[0] : undefined);
  const unitStatus = useMemo(() => new Map(units.map((u) => [u.unitCode, u.status])), [units]);

  // The map: the sub-areas by the status of their units; an area with no sub-areas (a community) itself.
  const statusAreas = useMemo((): StatusArea[] => {
    if (!data) return [];
    const childCounts = new Map(data.children.map((c) => [c.area, c]));
    const features = children.data?.features ?? [];
    if (features.length > 0 && data.children.some((c) => c.expected > 0))
      return features.map((f) => {
        const counts = childCounts.get(f.properties.code);
        return { code: f.properties.code, geometry: f.geometry as GeoJSON.Geometry, status: unitStatus.get(f.properties.code) ?? (counts ? areaStatus(counts) : null) };
      });
    return area.data ? [{ code: area.data.properties.code, geometry: area.data.geometry as GeoJSON.Geometry, status: unitStatus.get(areaCode) ?? areaStatus(data.totals) }] : [];
  }, [data, children.data, area.data, unitStatus, areaCode]);
  const layers = useMemo(() => buildReportLayers(statusAreas, scale), [statusAreas, scale]);
  const frame = useMemo(() => (area.data ? { key: area.data.properties.code, bbox: area.data.bbox } : null), [area.data]);
  const onClickChild = useMemo(() => (code: string) => setAreaCode(code), []);

  const statusLabel = (status: UnitStatus) => t(`reports.status.${status}`);
  // Sub-areas without units (the grids of a community) add nothing to the table.
  const rows = (data?.children ?? []).filter((c) => c.expected > 0);

  return (
    <div className="inspection-page reports-page" data-testid="reports-page">
      <header className="top-bar inspection-top">
        <PageBrand title={t('reports.title')} subtitle={t('app.title')} />
        <PageNav current="reports" />
        <div className="inspection-controls">
          <label className="control">
            <span>{t('reports.day')}</span>
            <input type="date" value={day} max={today} onChange={(e) => e.target.value && setDay(e.target.value)} data-testid="reports-day" />
          </label>
          <AuditedDownload href={exportUrl(areaCode, day)} label={t('reports.export')} testId="reports-export" />
        </div>
        <div className="top-actions">
          <Clock />
          <LanguageSwitch setLanguage={setLanguage} />
          <UserMenu user={user} />
        </div>
      </header>

      <main className="inspection-workspace">
        <div className="map-region inspection-map reports-map" data-ready={data && statusAreas.length > 0 ? 'true' : 'false'}>
          {config.data ? (
            <OverlayMap
              config={config.data}
              layers={layers}
              area={area.data}
              subAreas={children.data}
              frame={frame}
              scale={scale}
              onClickChild={onClickChild}
            />
          ) : (
            <div className="map-message">{t('map.loading')}</div>
          )}
          <aside className="status-legend" aria-label={t('reports.legend')} data-testid="reports-legend">
            <h3>{t('reports.legend')}</h3>
            <ul>
              {unitStatuses.map((status) => (
                <li key={status} data-status={status}>
                  <span className="swatch-dot" style={{ background: reportStatusColors[status] }} aria-hidden="true" />
                  <span>{statusLabel(status)}</span>
                </li>
              ))}
            </ul>
            {/* What the map draws, readable by tests and screen readers. */}
            <ul className="visually-hidden" data-testid="map-statuses">
              {statusAreas.map((a) => (
                <li key={a.code} data-testid={`map-status-${a.code}`} data-status={a.status ?? 'none'}>{a.code}: {a.status ? statusLabel(a.status) : '—'}</li>
              ))}
            </ul>
          </aside>
        </div>

        <aside className="side-panel inspection-panel reports-panel" aria-label={t('reports.title')}>
          <TabList
            tabs={tabs}
            current={tab}
            onSelect={setTab}
            idPrefix="reports-tab-"
            panelId="reports-tabpanel"
            label={t('reports.tabs')}
            labelOf={(key) => t(`reports.tab.${key}`)}
          />
          <div id="reports-tabpanel" role="tabpanel" aria-labelledby={`reports-tab-${tab}`} className="tab-body">
            <div className="reports-heading">
              <h2 data-testid="reports-area">{data ? (tab === 'rate' || tab === 'ledgers' ? data.name : `${data.name} · ${day}`) : t('area.loading')}</h2>
              {areaCode !== home ? (
                <button type="button" className="button" onClick={() => drill(home)} data-testid="reports-up">
                  {t('reports.back')}
                </button>
              ) : null}
            </div>
            {tab === 'rollup' ? (
              <RollupView area={areaCode} day={day} onDrill={drill} />
            ) : tab === 'rate' ? (
              <OnTimeRateView area={areaCode} areaLevel={area.data?.properties.level} today={today} scale={scale} />
            ) : tab === 'ledgers' ? (
              <LedgersView area={areaCode} areaName={data?.name ?? areaCode} />
            ) : compliance.isError ? (
              <p className="error-text" role="alert">{t('errors.load')}: {compliance.error.message}</p>
            ) : !data ? (
              <p className="muted empty">{t('area.loading')}</p>
            ) : (
              <>
                <table className="reports-table" data-testid="compliance-table">
                  <caption>{t('reports.compliance')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('reports.col.area')}</th>
                      <th scope="col">{t('reports.col.expected')}</th>
                      <th scope="col">{t('reports.status.on_time')}</th>
                      <th scope="col">{t('reports.status.late')}</th>
                      <th scope="col">{t('reports.status.missing')}</th>
                      <th scope="col">{t('reports.status.pending')}</th>
                      <th scope="col">{t('reports.col.zero')}</th>
                      <th scope="col">{t('reports.col.rate')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.area} data-testid={`compliance-${c.area}`}>
                        <th scope="row">
                          {c.expected > 0 ? (
                            <button type="button" className="link-button" onClick={() => drill(c.area)}>{c.name}</button>
                          ) : c.name}
                        </th>
                        <td className="mono">{formatNumber(c.expected, language)}</td>
                        <td className="mono">{formatNumber(c.onTime, language)}</td>
                        <td className="mono">{formatNumber(c.late, language)}</td>
                        <td className="mono">{formatNumber(c.missing, language)}</td>
                        <td className="mono">{formatNumber(c.pending, language)}</td>
                        <td className="mono">{formatNumber(c.zero, language)}</td>
                        <td className="mono">{onTimeRate(c)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr data-testid="compliance-total">
                      <th scope="row">{t('reports.col.total')}</th>
                      <td className="mono">{formatNumber(data.totals.expected, language)}</td>
                      <td className="mono">{formatNumber(data.totals.onTime, language)}</td>
                      <td className="mono">{formatNumber(data.totals.late, language)}</td>
                      <td className="mono">{formatNumber(data.totals.missing, language)}</td>
                      <td className="mono">{formatNumber(data.totals.pending, language)}</td>
                      <td className="mono">{formatNumber(data.totals.zero, language)}</td>
                      <td className="mono">{onTimeRate(data.totals)}</td>
                    </tr>
                  </tfoot>
                </table>

                {data.totals.reported > 0 && (maySignOff(user.role) || data.totals.streetSigned > 0) ? (
                  <AreaSignOff user={user} area={areaCode} day={day} totals={data.totals} />
                ) : null}

                <h3>{t('reports.units', { count: units.length })}</h3>
                {units.length === 0 ? (
                  <p className="muted empty" data-testid="units-empty">{t('reports.noUnits')}</p>
                ) : (
                  <ul className="reports-units" data-testid="units">
                    {units.slice(0, 500).map((u) => (
                      <li key={u.unitCode}>
                        <button
                          type="button"
                          className="unit-row"
                          aria-pressed={selectedUnit?.unitCode === u.unitCode}
                          onClick={() => setUnitCode(u.unitCode)}
                          data-testid={`unit-${u.unitCode}`}
                          data-status={u.status}
                          data-version={u.version ?? 0}
                          data-signed={u.districtSigned ? 'district' : u.streetSigned ? 'street' : 'none'}
                        >
                          <span className="swatch-dot" style={{ background: reportStatusColors[u.status] }} aria-hidden="true" />
                          <span className="unit-name">{u.name}</span>
                          <span className="unit-status">
                            {statusLabel(u.status)}{u.zero ? ` · ${t('reports.zeroShort')}` : ''}
                            {u.districtSigned ? ` · ${t('reports.signOff.districtShort')}` : u.streetSigned ? ` · ${t('reports.signOff.streetShort')}` : ''}
                          </span>
                          <span className="mono muted">{u.submittedAt ? timeOf(u.submittedAt) : t('reports.due', { time: timeOf(u.deadlineAt) })}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                {units.length > 500 ? <p className="hint">{t('reports.moreUnits', { count: units.length - 500 })}</p> : null}

                {selectedUnit ? (
                  <>
                    {canReport ? (
                      <ReportForm key={`${selectedUnit.unitCode}/${day}`} unitCode={selectedUnit.unitCode} unitName={selectedUnit.name} day={day} />
                    ) : (
                      <h3>{selectedUnit.name}</h3>
                    )}
                    {selectedUnit.version !== null && maySignOff(user.role) ? <UnitSignOff user={user} unitCode={selectedUnit.unitCode} day={day} /> : null}
                    {selectedUnit.version !== null ? <ReportHistory unitCode={selectedUnit.unitCode} day={day} /> : null}
                  </>
                ) : (
                  <p className="hint">{t(canReport ? 'reports.pickUnit' : 'reports.pickUnitToRead')}</p>
                )}
              </>
            )}
          </div>
        </aside>
      </main>
    </div>
  );
}
