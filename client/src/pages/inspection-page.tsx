// Supervision rounds (督查): choose the round, the day and the team; the day's plan over the map
// (numbered stops, routes in visiting order, sites coloured by status), each team's route sheet
// with the visit form, and the week's coverage with the notice list. Team leaders open on their
// own team; the command centre plans the day for every team.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BBox, DayPlan, PrioritySite, SessionUser, SiteStatus, SiteStatusList, Team } from '../../../server/contracts/index.ts';
import { areaChildrenQuery, areaQuery } from '../features/areas/api.ts';
import { buildAreaLayers } from '../features/areas/layers.ts';
import { configQuery } from '../features/config/api.ts';
import {
  coverageQuery,
  plansQuery,
  positionsQuery,
  prioritiesQuery,
  roundsQuery,
  sheetsQuery,
  siteStatusQuery,
  teamsQuery,
  useInspectionLive,
  visitsQuery,
  type PlanResponse,
} from '../features/inspection/api.ts';
import { coverageNeutral, coverageRamp, siteStatuses, statusColors, teamColor } from '../features/inspection/colors.ts';
import { CoveragePanel } from '../features/inspection/coverage-panel.tsx';
import { FollowupPanel } from '../features/inspection/followup-panel.tsx';
import { defaultRoundDay, isRoundDay, stepRoundDay, weekOf } from '../features/inspection/days.ts';
import { buildInspectionLayers, coverageLevels, type CoverageFill, type StatusPoint } from '../features/inspection/layers.ts';
import { PageNav } from '../features/inspection/page-nav.tsx';
import { abilities as abilitiesOf } from '../features/inspection/permissions.ts';
import { PlanPanel, type PlanStop } from '../features/inspection/plan-panel.tsx';
import { ageText, shownPositions } from '../features/inspection/positions.ts';
import { RouteSheet } from '../features/inspection/route-sheet.tsx';
import { useInspectionUrl, type InspectionTab } from '../features/inspection/use-inspection-url.ts';
import { VisitForm, type VisitTarget } from '../features/inspection/visit-form.tsx';
import { Clock } from '../components/clock.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { UserMenu } from '../components/user-menu.tsx';
import { formatNumber, setLanguage, useLanguage } from '../lib/i18n.ts';
import { useCityDay, useNow } from '../lib/city-time.ts';
import { useUiScale } from '../lib/ui-scale.ts';
import { OverlayMap } from '../map/overlay-map.tsx';
import { PageBrand } from '../components/page-brand.tsx';

const tabs: readonly InspectionTab[] = ['plan', 'sheet', 'coverage', 'followup'];

/** The status queries of the round's categories as one list (combined only when a query changes). */
function combineStatuses(results: Array<UseQueryResult<SiteStatusList>>) {
  const counts = new Map<string, number>();
  for (const r of results) for (const [status, n] of Object.entries(r.data?.counts ?? {})) counts.set(status, (counts.get(status) ?? 0) + n);
  return {
    statusPoints: results.flatMap((r): StatusPoint[] => r.data?.items ?? []),
    statusCounts: counts,
    // true once every category's statuses are in and none is being re-read (tests wait for it)
    statusReady: results.length > 0 && results.every((r) => r.isSuccess && !r.isFetching),
  };
}

/** The box around a team's day: its base and its stops, padded a little. */
function planBox(plans: DayPlan[], teams: ReadonlyMap<number, Team>): BBox | null {
  const points = plans.flatMap((p) => [...p.stops.map((s) => s.position), ...(teams.get(p.teamId) ? [teams.get(p.teamId)!.basePosition] : [])]);
  if (plans.every((p) => p.stops.length === 0) || points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const pad = 0.01;
  return [Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad];
}

export function InspectionPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const scale = useUiScale();
  const today = useCityDay();
  const [url, setUrl] = useInspectionUrl();
  const config = useQuery(configQuery);
  const area = useQuery(areaQuery(user.jurisdiction.code));
  const children = useQuery(areaChildrenQuery(user.jurisdiction.code));
  const rounds = useQuery(roundsQuery);
  const teamList = useQuery(teamsQuery);
  const [lastPlan, setLastPlan] = useState<PlanResponse | null>(null);
  const [selectedSiteId, setSelectedSiteId] = useState<number | null>(null);
  const [visit, setVisit] = useState<{ team: Team; target: VisitTarget } | null>(null);
  useInspectionLive(user.jurisdiction.code);

  const round = useMemo(() => {
    const items = rounds.data?.items ?? [];
    return items.find((r) => r.id === url.round) ?? items.find((r) => r.status === 'active') ?? items[0];
  }, [rounds.data, url.round]);
  const day = url.day ?? (round ? defaultRoundDay(round, today) : today);
  const teams = useMemo(() => new Map((teamList.data?.items ?? []).map((team) => [team.id, team])), [teamList.data]);
  const abilities = useMemo(() => abilitiesOf(user, teamList.data?.items ?? []), [user, teamList.data]);
  // A team leader opens on their own team; anyone may switch to "all teams" (null) afterwards.
  const [teamTouched, setTeamTouched] = useState(url.team !== null);
  const teamFilter = url.team ?? (teamTouched ? null : abilities.ownTeamId);
  const roundTeams = round ? [...teams.values()].filter((team) => round.teamIds.includes(team.id)) : [];
  const tab = url.tab;

  const roundId = round?.id ?? 0;
  const plans = useQuery({ ...plansQuery(roundId, day), enabled: round !== undefined });
  const priorities = useQuery({ ...prioritiesQuery(roundId, day), enabled: round !== undefined });
  const visits = useQuery({ ...visitsQuery(roundId, day, null), enabled: round !== undefined });
  const sheets = useQuery({ ...sheetsQuery(roundId, day), enabled: round !== undefined && tab === 'sheet' });
  // The map's coverage fills: one set of figures per level it colours (districts, streets, grids).
  const coverage = useQueries({
    queries: coverageLevels.map(({ level }) => ({ ...coverageQuery(roundId, weekOf(day).start, level), enabled: round !== undefined && tab === 'coverage' })),
  });
  const isToday = day === today;
  const now = useNow(60_000);
  const positions = useQuery({ ...positionsQuery(day), enabled: isToday && tab !== 'coverage' && user.role !== 'wall' });
  const { statusPoints, statusCounts, statusReady } = useQueries({
    queries: (round?.categories ?? []).map((category) => siteStatusQuery(category, day)),
    combine: combineStatuses,
  });
  const statuses = useMemo(() => new Map<number, SiteStatus>(statusPoints.map((s) => [s.siteId, s.status])), [statusPoints]);
  const priorityById = useMemo(() => new Map<number, PrioritySite>((priorities.data?.items ?? []).map((s) => [s.siteId, s])), [priorities.data]);
  const dayVisits = useMemo(() => visits.data?.items ?? [], [visits.data]);

  const shownPlans = useMemo(
    () => (plans.data?.plans ?? []).filter((p) => (tab === 'sheet' ? p.teamId === teamFilter : teamFilter === null || p.teamId === teamFilter)),
    [plans.data, tab, teamFilter],
  );
  const coverageVersions = coverage.map((q) => q.dataUpdatedAt).join(',');
  const coverageFills = useMemo((): CoverageFill[] | null => {
    if (tab !== 'coverage' || !config.data) return null;
    return coverageLevels.flatMap(({ level, tiles }, i): CoverageFill[] => {
      const data = coverage[i]?.data;
      const url = config.data.tileLayers.find((l) => l.name === tiles)?.url;
      if (!data || !url) return [];
      return [{ level, url, shares: new Map(data.rows.map((r) => [r.key, r.inScope > 0 ? r.inspected / r.inScope : 0])), version: String(coverage[i]?.dataUpdatedAt) }];
    });
  }, [tab, config.data, coverageVersions]); // eslint-disable-line react-hooks/exhaustive-deps -- the queries' array is new each render; their update times say when the figures changed
  const teamPositions = useMemo(
    () => (isToday && tab !== 'coverage' ? shownPositions(positions.data?.items ?? [], now).filter((p) => teamFilter === null || p.teamId === teamFilter) : []),
    [isToday, tab, positions.data, now, teamFilter],
  );
  const positionPoints = useMemo(
    () => teamPositions.map((p) => {
      const age = ageText(p.ageMinutes);
      return { teamId: p.teamId, position: p.position, track: p.track, stale: p.stale, label: `${p.teamName} · ${t(age.key, age.values)}` };
    }),
    [teamPositions, t],
  );

  const onClickStop = useCallback((siteId: number) => {
    setSelectedSiteId(siteId);
    window.requestAnimationFrame(() => document.querySelector(`[data-testid="stop-${siteId}"], [data-testid="sheet-stop-${siteId}"]`)?.scrollIntoView({ block: 'nearest' }));
  }, []);

  const layers = useMemo(
    () => [
      ...buildAreaLayers({ children: children.data, language, scale }),
      ...buildInspectionLayers({
        statuses: statusPoints,
        plans: tab === 'coverage' ? [] : shownPlans,
        teams,
        coverage: coverageFills,
        positions: positionPoints,
        selectedSiteId,
        scale,
        onClickStop,
      }),
    ],
    [children.data, language, scale, statusPoints, tab, shownPlans, teams, coverageFills, positionPoints, selectedSiteId, onClickStop],
  );

  // Frame the selected team's day when it has stops, else the jurisdiction; MapView flies on a new key.
  const teamBox = tab === 'coverage' || teamFilter === null ? null : planBox(shownPlans, teams);
  const teamBoxKey = teamBox ? teamBox.map((v) => v.toFixed(3)).join(',') : null;
  const frame = useMemo(() => {
    if (teamBox && teamBoxKey) return { key: `team-${teamBoxKey}`, bbox: teamBox };
    return area.data ? { key: area.data.properties.code, bbox: area.data.bbox } : null;
  }, [teamBoxKey, area.data]); // eslint-disable-line react-hooks/exhaustive-deps -- teamBox is new each render; its key says when it changed

  useEffect(() => {
    document.title = `${t('inspection.title')} · ${t('app.title')}`;
  }, [t]);

  const onRecord = useCallback(
    (plan: DayPlan, stop: PlanStop) => {
      const team = teams.get(plan.teamId);
      if (team) setVisit({ team, target: { siteId: stop.siteId, siteName: stop.siteName, seq: stop.seq, plannedArrival: stop.plannedArrival, plannedDeparture: stop.plannedDeparture } });
    },
    [teams],
  );

  if (rounds.isError || teamList.isError || config.isError) return <div className="page-message">{t('errors.load')}</div>;

  const sheetTeam = teamFilter !== null ? teams.get(teamFilter) : undefined;
  const previousDay = round ? stepRoundDay(round, day, -1) : null;
  const nextDay = round ? stepRoundDay(round, day, 1) : null;

  return (
    <div className="inspection-page" data-testid="inspection-page">
      <header className="top-bar inspection-top">
        <PageBrand title={t('inspection.title')} subtitle={t('app.title')} />
        <PageNav current="inspection" />
        <div className="inspection-controls">
          <label className="control">
            <span>{t('inspection.round')}</span>
            <select value={round?.id ?? ''} onChange={(e) => setUrl({ round: Number(e.target.value), day: null })} data-testid="round-select" disabled={!rounds.data}>
              {(rounds.data?.items ?? []).map((r) => (
                <option key={r.id} value={r.id}>{r.name}{r.status === 'closed' ? ` (${t('inspection.closed')})` : ''}</option>
              ))}
            </select>
          </label>
          <div className="control day-control">
            <span id="day-label">{t('inspection.day')}</span>
            <div className="day-stepper" role="group" aria-labelledby="day-label">
              <button type="button" className="icon-button" onClick={() => previousDay && setUrl({ day: previousDay })} disabled={!previousDay} aria-label={t('inspection.previousDay')}>‹</button>
              <input type="date" value={day} onChange={(e) => e.target.value && setUrl({ day: e.target.value })} data-testid="day-input" aria-label={t('inspection.day')} />
              <button type="button" className="icon-button" onClick={() => nextDay && setUrl({ day: nextDay })} disabled={!nextDay} aria-label={t('inspection.nextDay')}>›</button>
            </div>
          </div>
          <label className="control">
            <span>{t('inspection.team')}</span>
            <select
              value={teamFilter ?? ''}
              onChange={(e) => {
                setTeamTouched(true);
                setUrl({ team: e.target.value ? Number(e.target.value) : null });
              }}
              data-testid="team-select"
            >
              <option value="">{t('inspection.allTeams')}</option>
              {roundTeams.map((team) => (
                <option key={team.id} value={team.id}>{team.name}{team.id === abilities.ownTeamId ? ` (${t('inspection.ownTeam')})` : ''}</option>
              ))}
            </select>
          </label>
        </div>
        <div className="top-actions">
          <Clock />
          <LanguageSwitch setLanguage={setLanguage} />
          <UserMenu user={user} />
        </div>
      </header>

      <main className="inspection-workspace">
        <div className="map-region inspection-map" data-status-ready={statusReady ? 'true' : 'false'}>
          {config.data ? (
            <OverlayMap
              config={config.data}
              layers={layers}
              area={area.data}
              subAreas={undefined}
              frame={frame}
              scale={scale}
            />
          ) : (
            <div className="map-message">{t('map.loading')}</div>
          )}
          <aside className="status-legend" aria-label={t('inspection.status.legend')} data-testid="status-legend">
            <h3>{t('inspection.status.legend')}</h3>
            <ul>
              {siteStatuses.map((status) => (
                <li key={status} data-status={status} data-count={statusCounts.get(status) ?? 0}>
                  <span className="swatch-dot" style={{ background: statusColors[status] }} aria-hidden="true" />
                  <span>{t(`inspection.status.${status}`)}</span>
                  <span className="mono">{formatNumber(statusCounts.get(status) ?? 0, language)}</span>
                </li>
              ))}
            </ul>
            {tab !== 'coverage' && shownPlans.length > 0 ? (
              <ul className="team-legend">
                {shownPlans.map((p) => (
                  <li key={p.teamId}><span className="team-line" style={{ background: teamColor(p.teamId) }} aria-hidden="true" />{p.teamName}</li>
                ))}
              </ul>
            ) : null}
            {teamPositions.length > 0 ? (
              <ul className="team-legend" data-testid="team-positions">
                {teamPositions.map((p) => {
                  const age = ageText(p.ageMinutes);
                  return (
                    <li key={p.teamId} data-team={p.teamId} data-stale={p.stale ? 'true' : 'false'} style={p.stale ? { opacity: 0.5 } : undefined}>
                      <span className="swatch-dot" style={{ background: teamColor(p.teamId) }} aria-hidden="true" />
                      {t('inspection.position.legend', { team: p.teamName, age: t(age.key, age.values) })}
                      {p.stale ? ` (${t('inspection.position.stale')})` : ''}
                    </li>
                  );
                })}
              </ul>
            ) : null}
            {tab === 'coverage' ? (
              <div data-testid="coverage-legend">
                <h3>{t('inspection.coverage.legend')}</h3>
                <ul>
                  {coverageRamp.map((step, i) => (
                    <li key={step.color} data-share-from={step.from}>
                      <span className="swatch-dot" style={{ background: step.color }} aria-hidden="true" />
                      <span>{i === 0 ? t('inspection.coverage.noneInspected') : `${Math.round(step.from * 100)}–${Math.round((coverageRamp[i + 1]?.from ?? 1) * 100)}%`}</span>
                    </li>
                  ))}
                  <li>
                    <span className="swatch-dot" style={{ background: coverageNeutral, opacity: 0.5 }} aria-hidden="true" />
                    <span>{t('inspection.coverage.noSites')}</span>
                  </li>
                </ul>
                <p className="hint">{t('inspection.coverage.mapHint')}</p>
              </div>
            ) : null}
          </aside>
        </div>

        <aside className="side-panel inspection-panel" aria-label={t('inspection.title')}>
          <div className="tabs" role="tablist" aria-label={t('inspection.tabs')}>
            {tabs.map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                id={`tab-${key}`}
                aria-selected={tab === key}
                aria-controls="inspection-tabpanel"
                tabIndex={tab === key ? 0 : -1}
                onClick={() => setUrl({ tab: key })}
                onKeyDown={(e) => {
                  const i = tabs.indexOf(key);
                  const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : undefined;
                  if (next) {
                    e.preventDefault();
                    setUrl({ tab: next });
                    document.getElementById(`tab-${next}`)?.focus();
                  }
                }}
                data-testid={`tab-${key}`}
              >
                {t(`inspection.tab.${key}`)}
              </button>
            ))}
          </div>
          <div id="inspection-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-body">
            {!rounds.data || !teamList.data ? (
              <p className="muted empty">{t('area.loading')}</p>
            ) : !round ? (
              <p className="muted empty" data-testid="no-round">{t('inspection.noRound')}</p>
            ) : tab === 'plan' ? (
              <PlanPanel
                round={round}
                day={day}
                plans={plans.data}
                plansError={plans.isError}
                teams={teams}
                teamFilter={teamFilter}
                priorities={priorityById}
                statuses={statuses}
                visits={dayVisits}
                abilities={abilities}
                recordable={day <= today}
                isToday={isToday}
                lastPlan={lastPlan?.roundId === round.id ? lastPlan : null}
                onPlanned={setLastPlan}
                selectedSiteId={selectedSiteId}
                onSelectSite={setSelectedSiteId}
                onRecord={onRecord}
                onOpenSheet={(teamId) => {
                  setTeamTouched(true);
                  setUrl({ team: teamId, tab: 'sheet' });
                }}
              />
            ) : tab === 'sheet' ? (
              sheetTeam ? (
                <RouteSheet
                  round={round}
                  day={day}
                  team={sheetTeam}
                  plan={plans.data?.plans.find((p) => p.teamId === sheetTeam.id)}
                  visits={dayVisits.filter((v) => v.teamId === sheetTeam.id)}
                  sheets={sheets.data}
                  statuses={statuses}
                  canAct={abilities.canActFor(sheetTeam.id) && isRoundDay(round, day)}
                  recordable={day <= today}
                  onRecord={onRecord}
                />
              ) : (
                <p className="muted empty" data-testid="sheet-pick-team">{t('inspection.sheet.pickTeam')}</p>
              )
            ) : tab === 'followup' ? (
              <FollowupPanel round={round} today={today} user={user} />
            ) : (
              <CoveragePanel round={round} day={day} scale={scale} />
            )}
          </div>
        </aside>
      </main>

      {visit && round ? (
        <VisitForm
          round={round}
          team={visit.team}
          day={day}
          target={visit.target}
          onClose={() => setVisit(null)}
          onSaved={() => {
            setSelectedSiteId(visit.target.siteId);
            setVisit(null);
          }}
        />
      ) : null}
    </div>
  );
}
