// The follow-up tab (整改与回头看): the round's rectification reports with their status and, for
// those who may, the verify buttons (a failed verification escalates and raises an alert); the
// 回头看 list due this month and next; and the cases filed (立案) per month.
import { useState } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CaseCounts, FollowupList, Rectification, RectificationList, Round, SessionUser } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { canVerify, caseMonths, followupMonths, rectificationStatus, type RectificationStatus } from './followup.ts';

type StatusFilter = 'all' | 'reported' | 'rectified' | 'escalated';
const filters: readonly StatusFilter[] = ['all', 'reported', 'rectified', 'escalated'];

// Keys start with 'inspection' so a recorded visit (which may close a 回头看) refreshes them too.
const rectificationsQuery = (roundId: number, status: StatusFilter) =>
  queryOptions({
    queryKey: ['inspection', 'rectifications', roundId, status],
    queryFn: ({ signal }) => http.get<RectificationList>(withQuery('/api/inspection/rectifications', { round: roundId, status }), signal),
    staleTime: 30_000,
  });
const followupsQuery = (month: string) =>
  queryOptions({
    queryKey: ['inspection', 'followups', month],
    queryFn: ({ signal }) => http.get<FollowupList>(withQuery('/api/inspection/followups', { month, status: 'all' }), signal),
    staleTime: 30_000,
  });
const caseCountsQuery = (roundId: number, from: string, to: string) =>
  queryOptions({
    queryKey: ['inspection', 'case-counts', roundId, from, to],
    queryFn: ({ signal }) => http.get<CaseCounts>(withQuery('/api/inspection/case-filings/monthly', { round: roundId, from, to }), signal),
    staleTime: 60_000,
  });

function useVerify() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, outcome }: { id: number; outcome: 'rectified' | 'failed' }) =>
      http.post<Rectification>(`/api/inspection/rectifications/${id}/verify`, { outcome }),
    // Verification changes site status, priorities and the 回头看 list as well.
    onSuccess: () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'inspection' && q.queryKey[1] !== 'rounds' && q.queryKey[1] !== 'teams' }),
  });
}

const statusTag: Record<RectificationStatus, string> = { reported: 'tag', rectified: 'tag tag-ok', failed: 'tag tag-alarm', escalated: 'tag tag-alarm' };

export function FollowupPanel({ round, today, user }: { round: Round; today: string; user: SessionUser }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const rectifications = useQuery(rectificationsQuery(round.id, filter));
  const [thisMonth, nextMonth] = followupMonths(today);
  const dueNow = useQuery(followupsQuery(thisMonth));
  const dueNext = useQuery(followupsQuery(nextMonth));
  const months = caseMonths(today);
  const cases = useQuery(caseCountsQuery(round.id, months[0]!, months[months.length - 1]!));
  const verify = useVerify();
  const mayVerify = canVerify(user.role);
  const n = (value: number) => formatNumber(value, language);
  const caseByMonth = new Map((cases.data?.items ?? []).map((c) => [c.month, c]));

  return (
    <section className="panel-section followup-panel" aria-labelledby="rectifications-title" data-testid="followup-panel">
      <header className="section-header">
        <h3 id="rectifications-title">{t('inspection.followup.rectifications')}</h3>
        <div className="segmented segmented-sm" role="group" aria-label={t('inspection.followup.filter')}>
          {filters.map((key) => (
            <button key={key} type="button" aria-pressed={filter === key} onClick={() => setFilter(key)} data-testid={`rect-filter-${key}`}>
              {t(`inspection.followup.filterKey.${key}`)}
            </button>
          ))}
        </div>
      </header>
      {rectifications.isError ? (
        <p className="muted empty">{t('errors.load')}</p>
      ) : !rectifications.data ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : rectifications.data.items.length === 0 ? (
        <p className="muted empty">{t('inspection.followup.noRectifications')}</p>
      ) : (
        <div className="sheet-table-wrap">
          <table className="sheet-table">
            <thead>
              <tr>
                <th scope="col">{t('inspection.notices.col.site')}</th>
                <th scope="col">{t('inspection.notices.col.notice')}</th>
                <th scope="col">{t('inspection.followup.report')}</th>
                <th scope="col">{t('inspection.followup.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rectifications.data.items.map((r) => {
                const status = rectificationStatus(r);
                return (
                  <tr key={r.id} data-testid={`rectification-${r.id}`}>
                    <td><strong>{r.siteName}</strong><div className="muted">{r.responsibleUnit}</div></td>
                    <td className="mono">{r.noticeNumber}<div className="muted">{t('inspection.notices.by', { deadline: r.noticeDeadline })}</div></td>
                    <td>{r.report}<div className="muted mono">{r.reportedAt.slice(0, 10)}</div></td>
                    <td>
                      <span className={statusTag[status]} data-testid={`rectification-status-${r.id}`}>{t(`inspection.followup.rectStatus.${status}`)}</span>
                      {r.verificationNote ? <div className="muted">{r.verificationNote}</div> : null}
                      {status === 'reported' && mayVerify ? (
                        <div style={{ display: 'flex', gap: 4, marginTop: 4 }}>
                          <button type="button" className="button" disabled={verify.isPending} onClick={() => verify.mutate({ id: r.id, outcome: 'rectified' })} data-testid={`verify-ok-${r.id}`}>
                            {t('inspection.followup.verifyRectified')}
                          </button>
                          <button type="button" className="button" disabled={verify.isPending} onClick={() => verify.mutate({ id: r.id, outcome: 'failed' })} data-testid={`verify-failed-${r.id}`}>
                            {t('inspection.followup.verifyFailed')}
                          </button>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <section className="notice-section" aria-labelledby="followups-title" data-testid="followups">
        <header className="section-header">
          <h3 id="followups-title">{t('inspection.followup.followups', { from: thisMonth, to: nextMonth })}</h3>
        </header>
        {dueNow.isError || dueNext.isError ? (
          <p className="muted empty">{t('errors.load')}</p>
        ) : !dueNow.data || !dueNext.data ? (
          <p className="muted empty">{t('area.loading')}</p>
        ) : dueNow.data.items.length + dueNext.data.items.length === 0 ? (
          <p className="muted empty">{t('inspection.followup.noFollowups')}</p>
        ) : (
          <div className="sheet-table-wrap">
            <table className="sheet-table">
              <thead>
                <tr>
                  <th scope="col">{t('inspection.followup.dueBy')}</th>
                  <th scope="col">{t('inspection.notices.col.site')}</th>
                  <th scope="col">{t('inspection.notices.col.notice')}</th>
                  <th scope="col">{t('inspection.followup.status')}</th>
                </tr>
              </thead>
              <tbody>
                {[...dueNow.data.items, ...dueNext.data.items].map((f) => (
                  <tr key={f.id} data-testid={`followup-${f.id}`}>
                    <td className="mono">{f.dueBy}</td>
                    <td><strong>{f.siteName}</strong><div className="muted">{f.districtName} · {f.responsibleUnit}</div></td>
                    <td className="mono">{f.noticeNumber}</td>
                    <td>
                      <span className={f.status === 'passed' ? 'tag tag-ok' : f.status === 'due' ? 'tag' : 'tag tag-alarm'}>
                        {t(`inspection.followup.followupStatus.${f.status}`)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="notice-section" aria-labelledby="cases-title" data-testid="case-counts">
        <header className="section-header">
          <h3 id="cases-title">{t('inspection.followup.cases')}</h3>
        </header>
        {cases.isError ? (
          <p className="muted empty">{t('errors.load')}</p>
        ) : !cases.data ? (
          <p className="muted empty">{t('area.loading')}</p>
        ) : (
          <table className="sheet-table">
            <thead>
              <tr>
                <th scope="col">{t('inspection.followup.month')}</th>
                <th scope="col">{t('inspection.followup.caseCount')}</th>
                <th scope="col">{t('inspection.followup.caseSites')}</th>
              </tr>
            </thead>
            <tbody>
              {months.map((month) => (
                <tr key={month} data-testid={`cases-${month}`}>
                  <th scope="row" className="mono">{month}</th>
                  <td className="mono">{n(caseByMonth.get(month)?.cases ?? 0)}</td>
                  <td className="mono">{n(caseByMonth.get(month)?.sites ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
