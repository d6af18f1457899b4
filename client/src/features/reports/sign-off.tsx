// Sign-off (审核) of the day's reports: the street office first, then the district. One unit's
// report (who signed and when, and the button for the role whose turn it is), or every on-time
// report of the area at once; late reports are signed one by one, after a look.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ComplianceCounts, SessionUser } from '../../../../server/contracts/index.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { reportQuery, signerRoles, useBulkSignOff, useSignOff, type SignOffLevel } from './api.ts';

const levels: readonly SignOffLevel[] = ['street', 'district'];
const timeOf = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export const maySignOff = (role: string) => levels.some((level) => signerRoles[level].has(role));

/** The sign-offs of one unit's report, with a button for the level the user signs when it is its turn. */
export function UnitSignOff({ user, unitCode, day }: { user: SessionUser; unitCode: string; day: string }) {
  const { t } = useTranslation();
  const report = useQuery(reportQuery(unitCode, day));
  const sign = useSignOff(unitCode, day);
  if (!report.data) return null;
  const signed = { street: report.data.streetSignOff, district: report.data.districtSignOff };
  const version = report.data.version;
  return (
    <section className="report-sign-off" aria-label={t('reports.signOff.title')} data-testid="unit-sign-off">
      <h3>{t('reports.signOff.title')}</h3>
      <ul>
        {levels.map((level) => {
          const done = signed[level];
          const turn = level === 'street' || signed.street !== null;
          return (
            <li key={level} data-testid={`sign-off-${level}`} data-signed={done ? 'true' : 'false'}>
              <span>{t(`reports.signOff.${level}`)}：</span>
              {done ? (
                <span>{t('reports.signOff.signedBy', { by: done.by, time: timeOf(done.at) })}</span>
              ) : (
                <span className="muted">{turn ? t('reports.signOff.waiting') : t('reports.signOff.streetFirst')}</span>
              )}
              {!done && turn && signerRoles[level].has(user.role) ? (
                <button type="button" className="button button-primary" disabled={sign.isPending} onClick={() => sign.mutate({ level, version })} data-testid={`sign-${level}`}>
                  {t('reports.signOff.sign')}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {report.data.status === 'late' ? <p className="hint">{t('reports.signOff.lateHint')}</p> : null}
      {sign.error ? <p className="error-text" role="alert">{sign.error.message}</p> : null}
    </section>
  );
}

/** How many of the area's reports each level has signed, and "sign every on-time report" for the user's levels. */
export function AreaSignOff({ user, area, day, totals }: { user: SessionUser; area: string; day: string; totals: ComplianceCounts }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const bulk = useBulkSignOff(area, day);
  const counts = { street: totals.streetSigned, district: totals.districtSigned };
  return (
    <section className="report-sign-off" aria-label={t('reports.signOff.areaTitle')} data-testid="area-sign-off">
      <h3>{t('reports.signOff.areaTitle')}</h3>
      <ul>
        {levels.map((level) => (
          <li key={level}>
            <span data-testid={`signed-${level}`}>
              {t(`reports.signOff.${level}`)}：{t('reports.signOff.count', { signed: formatNumber(counts[level], language), reported: formatNumber(totals.reported, language) })}
            </span>
            {signerRoles[level].has(user.role) ? (
              <button
                type="button"
                className="button"
                disabled={bulk.isPending || counts[level] >= totals.reported || (level === 'district' && counts.street === 0)}
                onClick={() => bulk.mutate(level)}
                data-testid={`sign-all-${level}`}
              >
                {t('reports.signOff.signAll')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {bulk.data ? <p className="muted" role="status" data-testid="sign-all-result">{t('reports.signOff.signedCount', { count: bulk.data.signed.length })}</p> : null}
      {bulk.error ? <p className="error-text" role="alert">{bulk.error.message}</p> : null}
    </section>
  );
}
