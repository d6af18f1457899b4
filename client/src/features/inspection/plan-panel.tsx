// The day's plan: "plan the day" (the route planner, all teams), what the planner said about it
// (coverage, sites it could not fit, teams under the minimum: stored with the plan, so they are
// there for every reader and after a reload), and per team the ordered stops with times, status,
// priority and why, lock / move (re-plans the rest), the visit form, and — for a team's own leader,
// today — sharing the team's position.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayPlan, DayPlans, PrioritySite, Round, SiteStatus, Team, Visit } from '../../../../server/contracts/index.ts';
import type { PlanNotes as StoredNotes } from '../../../../server/routing/contracts.ts';
import { HttpError } from '../../lib/http.ts';
import { cityDay } from '../../lib/city-time.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { useChangePlan, usePlanDay, useSharePosition, type PlanResponse } from './api.ts';
import { statusColors, teamColor } from './colors.ts';
import { addDays, isRoundDay, weekOf } from './days.ts';
import type { Abilities } from './permissions.ts';
import { PriorityWhy } from './priority-why.tsx';
import { clock, minutes } from './time.ts';
import { Timeline } from './timeline.tsx';

export type PlanStop = DayPlan['stops'][number];

export interface PlanPanelProps {
  round: Round;
  day: string;
  plans: DayPlans | undefined;
  plansError: boolean;
  teams: ReadonlyMap<number, Team>;
  /** null: every team */
  teamFilter: number | null;
  priorities: ReadonlyMap<number, PrioritySite>;
  statuses: ReadonlyMap<number, SiteStatus>;
  visits: Visit[];
  abilities: Abilities;
  /** false for a day still to come: a visit cannot be recorded before it happens */
  recordable: boolean;
  /** the day shown is the city's today (positions are shared for today only) */
  isToday: boolean;
  /** The planner's last answer for this round (its notes on coverage and what did not fit). */
  lastPlan: PlanResponse | null;
  onPlanned: (plan: PlanResponse) => void;
  selectedSiteId: number | null;
  onSelectSite: (siteId: number) => void;
  onRecord: (plan: DayPlan, stop: PlanStop) => void;
  onOpenSheet: (teamId: number) => void;
}

function errorText(error: unknown): string {
  if (error instanceof HttpError) {
    const details = Array.isArray(error.details)
      ? error.details.map((d: { siteId?: number; reason?: string; message?: string }) => [d.siteId, d.reason ?? d.message].filter(Boolean).join(': ')).join('; ')
      : '';
    return details ? `${error.message} (${details})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Seconds since `running` turned true (the planner takes a few seconds). */
function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    setElapsed(0);
    const timer = window.setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 250);
    return () => window.clearInterval(timer);
  }, [running]);
  return elapsed;
}

export function PlanPanel(props: PlanPanelProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { round, day, abilities } = props;
  const planDay = usePlanDay(round.id);
  const change = useChangePlan(round.id);
  const busy = planDay.isPending || change.isPending;
  const elapsed = useElapsed(busy);
  const roundDay = isRoundDay(round, day);

  const run = (work: Promise<PlanResponse>) => work.then(props.onPlanned, () => undefined);
  const onPlan = () => void run(planDay.mutateAsync(day));

  const districtName = useMemo(() => {
    const names = new Map<string, string>();
    for (const site of props.priorities.values()) names.set(site.districtCode, site.districtName);
    return names;
  }, [props.priorities]);

  const lastRun = props.lastPlan?.days.find((d) => d.day === day) ? props.lastPlan : null;
  const notes: NotesShown | null = props.plans?.notes ?? lastRun;

  const shown = (props.plans?.plans ?? []).filter((p) => props.teamFilter === null || p.teamId === props.teamFilter);
  const weekDays = useMemo(() => {
    const { start } = weekOf(day);
    return Array.from({ length: 7 }, (_, i) => addDays(start, i)).filter((d) => isRoundDay(round, d));
  }, [round, day]);
  const error = planDay.error ?? change.error;

  return (
    <section className="panel-section plan-panel" aria-labelledby="plan-title" data-testid="plan-panel">
      <header className="section-header">
        <h3 id="plan-title">{t('inspection.plan.title', { day })}</h3>
        {abilities.canPlan ? (
          <button type="button" className="button button-primary" onClick={onPlan} disabled={busy || !roundDay} data-testid="plan-day">
            {props.plans?.plans.length ? t('inspection.plan.replan') : t('inspection.plan.plan')}
          </button>
        ) : null}
      </header>
      {!roundDay ? <p className="hint" role="note">{t('inspection.plan.notRoundDay')}</p> : null}
      {busy ? (
        <div className="plan-progress" role="status" aria-live="polite" data-testid="plan-progress">
          <progress aria-label={t('inspection.plan.running')} />
          <span>{t('inspection.plan.running')} {t('inspection.plan.elapsed', { seconds: elapsed })}</span>
        </div>
      ) : null}
      {error && !busy ? <p className="form-error" role="alert">{errorText(error)}</p> : null}

      {notes ? <PlanNotes plan={notes} stored={props.plans?.notes ?? null} districtName={districtName} priorities={props.priorities} teams={props.teams} /> : null}

      {props.plansError ? (
        <p className="muted empty">{t('errors.load')}</p>
      ) : !props.plans ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted empty" data-testid="plan-empty">
          {props.plans.plans.length === 0
            ? abilities.canPlan ? t('inspection.plan.emptyPlanner') : t('inspection.plan.emptyReader')
            : t('inspection.plan.emptyTeam')}
        </p>
      ) : (
        shown.map((plan) => {
          const team = props.teams.get(plan.teamId);
          const canAct = abilities.canActFor(plan.teamId);
          return (
            <article key={plan.planId} className="team-plan" data-testid={`team-plan-${plan.teamId}`} style={{ ['--team' as string]: teamColor(plan.teamId) }}>
              <header className="team-plan-header">
                <h4>
                  <span className="team-dot" aria-hidden="true" /> {plan.teamName}
                </h4>
                <span className="muted">
                  {t('inspection.plan.hours', { leave: clock(plan.departAt), back: clock(plan.returnAt) })}
                  {plan.travelSeconds !== null ? ` · ${t('inspection.plan.travel', { minutes: formatNumber(minutes(plan.travelSeconds), language) })}` : ''}
                  {plan.lunchPlace ? ` · ${t(`inspection.lunch.${plan.lunchPlace}`)}` : ''}
                </span>
                <button type="button" className="link-button" onClick={() => props.onOpenSheet(plan.teamId)} data-testid={`open-sheet-${plan.teamId}`}>
                  {t('inspection.sheet.open')}
                </button>
                {props.isToday && abilities.ownTeamId === plan.teamId ? <SharePosition teamId={plan.teamId} /> : null}
              </header>
              <Timeline plan={plan} team={team} visits={props.visits.filter((v) => v.teamId === plan.teamId)} />
              {plan.stops.length === 0 ? <p className="muted empty">{t('inspection.plan.noStops')}</p> : null}
              <ol className="stop-list">
                {plan.stops.map((stop) => (
                  <StopRow
                    key={stop.siteId}
                    plan={plan}
                    stop={stop}
                    status={props.statuses.get(stop.siteId) ?? 'never'}
                    priority={props.priorities.get(stop.siteId)}
                    selected={props.selectedSiteId === stop.siteId}
                    canAct={canAct && roundDay}
                    canRecord={canAct && roundDay && props.recordable}
                    busy={busy}
                    teams={[...props.teams.values()].filter((tm) => round.teamIds.includes(tm.id) && (abilities.canPlan || tm.id === plan.teamId))}
                    days={weekDays}
                    day={day}
                    onSelect={() => props.onSelectSite(stop.siteId)}
                    onLock={(locked) => void run(change.mutateAsync({ day, siteId: stop.siteId, locked }))}
                    onMove={(moveTo) => void run(change.mutateAsync({ day, siteId: stop.siteId, moveTo }))}
                    onRecord={() => props.onRecord(plan, stop)}
                  />
                ))}
              </ol>
            </article>
          );
        })
      )}
    </section>
  );
}

interface StopRowProps {
  plan: DayPlan;
  stop: PlanStop;
  status: SiteStatus;
  priority: PrioritySite | undefined;
  selected: boolean;
  canAct: boolean;
  canRecord: boolean;
  busy: boolean;
  teams: Team[];
  days: string[];
  day: string;
  onSelect: () => void;
  onLock: (locked: boolean) => void;
  onMove: (moveTo: { teamId?: number; day?: string }) => void;
  onRecord: () => void;
}

function StopRow(props: StopRowProps) {
  const { t } = useTranslation();
  const { stop, plan } = props;
  const [moveTeam, setMoveTeam] = useState(plan.teamId);
  const [moveDay, setMoveDay] = useState(props.day);
  const visited = stop.status === 'visited';
  const moveChanged = moveTeam !== plan.teamId || moveDay !== props.day;
  return (
    <li
      className={`stop-row${props.selected ? ' is-selected' : ''}`}
      data-testid={`stop-${stop.siteId}`}
      data-status={props.status}
      data-seq={stop.seq}
      aria-current={props.selected ? 'true' : undefined}
    >
      <button type="button" className="stop-seq" onClick={props.onSelect} aria-label={t('inspection.stop.show', { seq: stop.seq, name: stop.siteName })}>
        {stop.seq}
      </button>
      <div className="stop-main">
        <div className="stop-title">
          <strong>{stop.siteName}</strong>
          {props.priority ? <span className="muted"> · {props.priority.districtName}</span> : null}
        </div>
        <div className="stop-meta">
          <span className="mono">{clock(stop.plannedArrival)}–{clock(stop.plannedDeparture)}</span>
          <span className="status-chip" style={{ ['--status' as string]: statusColors[props.status] }} data-testid={`status-${stop.siteId}`}>
            {t(`inspection.status.${props.status}`)}
          </span>
          {stop.locked ? <span className="tag">{t('inspection.stop.locked')}</span> : null}
          {stop.why && stop.why !== 'priority' && !(stop.why === 'locked' && stop.locked) ? <span className="tag">{t(`inspection.inPlan.${stop.why}`)}</span> : null}
          {visited ? <span className="tag tag-ok">{t('inspection.stop.visited')}</span> : null}
        </div>
        <PriorityWhy site={props.priority} />
        {props.canAct ? (
          <div className="stop-actions">
            {!visited && props.canRecord ? (
              <button type="button" className="button button-primary" onClick={props.onRecord} data-testid={`record-${stop.siteId}`}>
                {t('inspection.visit.record')}
              </button>
            ) : null}
            {!visited ? (
              <button type="button" className="button" disabled={props.busy} aria-pressed={stop.locked} onClick={() => props.onLock(!stop.locked)}>
                {stop.locked ? t('inspection.stop.unlock') : t('inspection.stop.lock')}
              </button>
            ) : null}
            {!visited ? (
              <details className="move-menu">
                <summary className="button">{t('inspection.stop.move')}</summary>
                <div className="move-body">
                  <label className="field">
                    {t('inspection.stop.moveTeam')}
                    <select value={moveTeam} onChange={(e) => setMoveTeam(Number(e.target.value))}>
                      {props.teams.map((team) => (
                        <option key={team.id} value={team.id}>{team.name}</option>
                      ))}
                    </select>
                  </label>
                  <label className="field">
                    {t('inspection.stop.moveDay')}
                    <select value={moveDay} onChange={(e) => setMoveDay(e.target.value)}>
                      {props.days.map((d) => (
                        <option key={d} value={d}>{d}</option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="button"
                    disabled={!moveChanged || props.busy}
                    onClick={() => props.onMove({ ...(moveTeam !== plan.teamId ? { teamId: moveTeam } : {}), ...(moveDay !== props.day ? { day: moveDay } : {}) })}
                  >
                    {t('inspection.stop.moveApply')}
                  </button>
                  <p className="hint">{t('inspection.stop.moveHint')}</p>
                </div>
              </details>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** The leader's phone shares where the team is (browser geolocation, WGS-84). */
function SharePosition({ teamId }: { teamId: number }) {
  const { t } = useTranslation();
  const share = useSharePosition(teamId);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!('geolocation' in navigator)) return null;
  const onShare = () => {
    setProblem(null);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (found) => {
        setLocating(false);
        share.mutate(
          { lon: found.coords.longitude, lat: found.coords.latitude, accuracyMeters: Math.min(100000, Math.round(found.coords.accuracy)) },
          { onError: (error) => setProblem(errorText(error)) },
        );
      },
      (error) => {
        setLocating(false);
        setProblem(`${t('inspection.position.unavailable')} (${error.message})`);
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };
  return (
    <span className="share-position">
      <button type="button" className="link-button" onClick={onShare} disabled={locating || share.isPending} data-testid={`share-position-${teamId}`}>
        {share.isSuccess ? t('inspection.position.shared') : t('inspection.position.share')}
      </button>
      {problem ? <span className="form-error" role="alert"> {problem}</span> : null}
    </span>
  );
}

/** What the notes need: the planner's answer right after a run, or the notes stored with the plan. */
type NotesShown = Pick<StoredNotes, 'coverage' | 'unassigned' | 'shortfalls' | 'summary'>;

function PlanNotes({ plan, stored, districtName, priorities, teams }: {
  plan: NotesShown;
  stored: StoredNotes | null;
  districtName: ReadonlyMap<string, string>;
  priorities: ReadonlyMap<number, PrioritySite>;
  teams: ReadonlyMap<number, Team>;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const uncovered = plan.coverage.districts.filter((d) => !d.covered && d.reason !== 'no-sites-in-scope');
  const mandatory = plan.unassigned.filter((u) => u.mandatory);
  return (
    <div className="plan-notes" data-testid="plan-notes">
      {stored ? (
        <p className="muted" data-testid="plan-notes-from">
          {t('inspection.plan.notesFrom', { at: `${cityDay(new Date(stored.plannedAt))} ${clock(stored.plannedAt)}`, by: stored.plannedBy ?? '—', days: stored.days.join('、') })}
        </p>
      ) : null}
      <p>
        {t('inspection.plan.summary', {
          sites: formatNumber(plan.summary.sitesPlanned, language),
          travel: formatNumber(minutes(plan.summary.travelSeconds), language),
          seconds: formatNumber(plan.summary.ms / 1000, language, 1),
        })}{' '}
        <span className="muted">{t(`inspection.plan.source.${plan.summary.travelSource}`)}</span>
      </p>
      <p>
        {plan.coverage.allCovered
          ? t('inspection.plan.allCovered')
          : t('inspection.plan.notCovered', { count: uncovered.length })}
        {!plan.coverage.enforced ? ` ${t('inspection.plan.coverageNotEnforced')}` : ''}
      </p>
      {uncovered.length > 0 ? (
        <ul className="note-list">
          {uncovered.map((d) => (
            <li key={d.district}>
              {districtName.get(d.district) ?? d.district}: {d.reason ? t(`inspection.reason.${d.reason}`) : '—'}
            </li>
          ))}
        </ul>
      ) : null}
      {mandatory.length > 0 ? (
        <ul className="note-list note-alarm">
          {mandatory.map((u) => (
            <li key={u.siteId}>{priorities.get(u.siteId)?.name ?? u.siteId}: {t(`inspection.reason.${u.reason}`)}</li>
          ))}
        </ul>
      ) : null}
      {plan.shortfalls.length > 0 ? (
        <ul className="note-list">
          {plan.shortfalls.map((s) => (
            <li key={`${s.teamId}-${s.day}`}>
              {t('inspection.plan.shortfall', { team: teams.get(s.teamId)?.name ?? s.teamId, planned: s.planned, min: s.min })}: {t(`inspection.reason.${s.reason}`)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
