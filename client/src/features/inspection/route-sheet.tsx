// A team's route sheet for the day (督查路线单): who, which vehicle, the stops in order with planned
// and recorded times and results, the timeline; printable (styles.css @media print) and the day's
// sheet submitted from here (late after the round's deadline, e.g. 16:00).
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { DayPlan, Round, SheetList, SiteStatus, Team, Visit } from '../../../../server/contracts/index.ts';
import { AuditedDownload } from '../../components/access-reason.tsx';
import { useLanguage } from '../../lib/i18n.ts';
import { useNow } from '../../lib/city-time.ts';
import { useSubmitSheet } from './api.ts';
import { statusColors, teamColor } from './colors.ts';
import type { PlanStop } from './plan-panel.tsx';
import { clock } from './time.ts';
import { Timeline } from './timeline.tsx';

/**
 * The map as it is on screen (basemap + deck.gl routes), as one PNG for the printed sheet: a live
 * WebGL canvas does not print reliably (it is scaled or blank on paper). Both canvases keep their
 * drawing buffer long enough to be read right after a frame; null if the map is not there.
 */
function snapshotMap(): string | null {
  const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.inspection-map .map-canvas canvas')];
  const first = canvases[0];
  if (!first || first.width === 0) return null;
  const out = document.createElement('canvas');
  out.width = first.width;
  out.height = first.height;
  const context = out.getContext('2d');
  if (!context) return null;
  for (const canvas of canvases) context.drawImage(canvas, 0, 0, out.width, out.height);
  try {
    return out.toDataURL('image/png');
  } catch {
    return null;
  }
}

export interface RouteSheetProps {
  round: Round;
  day: string;
  team: Team;
  plan: DayPlan | undefined;
  visits: Visit[];
  sheets: SheetList | undefined;
  statuses: ReadonlyMap<number, SiteStatus>;
  canAct: boolean;
  /** false for a day still to come */
  recordable: boolean;
  onRecord: (plan: DayPlan, stop: PlanStop) => void;
}

export function RouteSheet({ round, day, team, plan, visits, sheets, statuses, canAct, recordable, onRecord }: RouteSheetProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const submit = useSubmitSheet();
  const now = useNow(30_000);
  const [mapImage, setMapImage] = useState<string | null>(null);
  const mapImageRef = useRef<HTMLImageElement>(null);
  // Ctrl+P as well as the button: take the snapshot before the page is laid out for paper.
  useEffect(() => {
    const onBeforePrint = () => flushSync(() => setMapImage(snapshotMap()));
    window.addEventListener('beforeprint', onBeforePrint);
    return () => window.removeEventListener('beforeprint', onBeforePrint);
  }, []);
  const print = async () => {
    flushSync(() => setMapImage(snapshotMap()));
    await mapImageRef.current?.decode().catch(() => undefined);
    window.print();
  };
  const visitBySite = new Map(visits.map((v) => [v.siteId, v]));
  const unsubmitted = visits.filter((v) => v.submittedAt === null);
  const deadline = sheets?.deadline ? new Date(sheets.deadline) : null;
  const pastDeadline = deadline !== null && now > deadline;
  const late = visits.some((v) => v.submittedLate === true);
  const checkLabel = (key: string) => {
    const item = round.checklist.find((c) => c.key === key);
    return item ? (language === 'en' ? item.label_en : item.label_zh) : key;
  };

  return (
    <section className="panel-section route-sheet" aria-labelledby="sheet-title" data-testid="route-sheet" style={{ ['--team' as string]: teamColor(team.id) }}>
      <header className="section-header sheet-header">
        <div>
          <h3 id="sheet-title">{t('inspection.sheet.title', { team: team.name, day })}</h3>
          <div className="muted sheet-round">{round.name}</div>
        </div>
        <div className="sheet-tools no-print">
          <button type="button" className="button" onClick={() => void print()} data-testid="print-sheet">
            {t('inspection.sheet.print')}
          </button>
          {plan ? (
            <AuditedDownload
              href={`/api/inspection/rounds/${round.id}/plans/${day}/teams/${team.id}/sheet.xlsx`}
              label={t('inspection.sheet.excel')}
              testId="sheet-xlsx"
            />
          ) : null}
        </div>
      </header>

      <dl className="sheet-facts">
        <div><dt>{t('inspection.sheet.leader')}</dt><dd>{team.leaderName} {team.leaderPhone}</dd></div>
        <div><dt>{t('inspection.sheet.members')}</dt><dd>{team.members.map((m) => `${m.name}（${m.agency}）`).join('、') || '—'}</dd></div>
        <div><dt>{t('inspection.sheet.vehicle')}</dt><dd>{team.vehicle || '—'}</dd></div>
        <div><dt>{t('inspection.sheet.base')}</dt><dd>{team.baseName}</dd></div>
        <div><dt>{t('inspection.sheet.hours')}</dt><dd>{plan ? `${clock(plan.departAt)}–${clock(plan.returnAt)}` : `${team.workStart}–${team.workEnd}`}</dd></div>
        <div><dt>{t('inspection.sheet.deadline')}</dt><dd>{round.sheetDeadline}</dd></div>
      </dl>

      {mapImage && plan ? <img ref={mapImageRef} className="print-only sheet-map" src={mapImage} alt={t('inspection.sheet.mapAlt', { team: team.name })} /> : null}
      {!plan ? (
        <p className="muted empty" data-testid="sheet-empty">{t('inspection.sheet.noPlan')}</p>
      ) : (
        <>
          <Timeline plan={plan} team={team} visits={visits} />
          <div className="sheet-table-wrap">
            <table className="sheet-table">
              <thead>
                <tr>
                  <th scope="col">{t('inspection.sheet.col.seq')}</th>
                  <th scope="col">{t('inspection.sheet.col.site')}</th>
                  <th scope="col">{t('inspection.sheet.col.planned')}</th>
                  <th scope="col">{t('inspection.sheet.col.actual')}</th>
                  <th scope="col">{t('inspection.sheet.col.result')}</th>
                  <th scope="col" className="no-print">{t('inspection.sheet.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.stops.map((stop) => {
                  const visit = visitBySite.get(stop.siteId);
                  const status = statuses.get(stop.siteId) ?? 'never';
                  const failedChecks = visit ? Object.entries(visit.results).filter(([, r]) => r === 'fail').map(([k]) => checkLabel(k)) : [];
                  return (
                    <tr key={stop.siteId} data-testid={`sheet-stop-${stop.siteId}`} data-status={status}>
                      <td className="mono">{stop.seq}</td>
                      <td>
                        <strong>{stop.siteName}</strong>
                        {stop.locked ? <span className="tag">{t('inspection.stop.locked')}</span> : null}
                      </td>
                      <td className="mono">{clock(stop.plannedArrival)}–{clock(stop.plannedDeparture)}</td>
                      <td className="mono">{visit ? `${clock(visit.arrivedAt)}–${clock(visit.departedAt)}` : '—'}</td>
                      <td>
                        <span className="status-chip" style={{ ['--status' as string]: statusColors[status] }}>{t(`inspection.status.${status}`)}</span>
                        {visit && failedChecks.length > 0 ? <div className="sheet-failed">{t('inspection.sheet.failed', { checks: failedChecks.join('、') })}</div> : null}
                        {visit?.notice ? <div className="muted">{t('inspection.sheet.notice', { number: visit.notice.number, deadline: visit.notice.deadline })}</div> : null}
                        {visit?.findings ? <div className="muted">{visit.findings}</div> : null}
                        {visit && visit.photos.length > 0 ? (
                          <div className="sheet-photos">
                            {visit.photos.map((url) => (
                              <a key={url} href={url} target="_blank" rel="noreferrer"><img src={url} alt={t('inspection.sheet.photo')} /></a>
                            ))}
                          </div>
                        ) : null}
                      </td>
                      <td className="no-print">
                        {!visit && canAct && recordable ? (
                          <button type="button" className="button button-primary" onClick={() => onRecord(plan, stop)} data-testid={`sheet-record-${stop.siteId}`}>
                            {t('inspection.visit.record')}
                          </button>
                        ) : visit ? (
                          <span className="tag tag-ok">{visit.submittedAt ? (visit.submittedLate ? t('inspection.sheet.submittedLate') : t('inspection.sheet.submitted')) : t('inspection.sheet.recorded')}</span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      <footer className="sheet-submit" data-testid="sheet-submit">
        {visits.length === 0 ? (
          <p className="muted">{recordable ? t('inspection.sheet.nothingRecorded') : t('inspection.sheet.future')}</p>
        ) : unsubmitted.length === 0 ? (
          <p className={late ? 'late-note' : 'ok-note'} data-testid="sheet-state">
            {late ? t('inspection.sheet.allSubmittedLate') : t('inspection.sheet.allSubmitted')}
          </p>
        ) : (
          <p className={pastDeadline ? 'late-note' : 'muted'} data-testid="sheet-state">
            {pastDeadline
              ? t('inspection.sheet.overdue', { count: unsubmitted.length, deadline: round.sheetDeadline })
              : t('inspection.sheet.toSubmit', { count: unsubmitted.length, deadline: round.sheetDeadline })}
          </p>
        )}
        {canAct && unsubmitted.length > 0 ? (
          <button
            type="button"
            className="button button-primary no-print"
            disabled={submit.isPending}
            onClick={() => submit.mutate(unsubmitted.map((v) => v.id))}
            data-testid="submit-sheet"
          >
            {submit.isPending ? t('inspection.sheet.submitting') : pastDeadline ? t('inspection.sheet.submitLate') : t('inspection.sheet.submit')}
          </button>
        ) : null}
        <p className="print-only sheet-sign">{t('inspection.sheet.signature')}</p>
      </footer>
    </section>
  );
}
