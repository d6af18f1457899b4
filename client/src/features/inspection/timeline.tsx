// A team's day as a bar over its working hours: travel, each stop (planned, or as recorded), lunch.
import { useTranslation } from 'react-i18next';
import type { DayPlan, Team, Visit } from '../../../../server/contracts/index.ts';
import { clock, minutesOfDay } from './time.ts';
import { teamColor } from './colors.ts';

interface Segment {
  key: string;
  kind: 'stop' | 'lunch' | 'visit';
  from: number;
  to: number;
  label: string;
  title: string;
}

export function Timeline({ plan, team, visits }: { plan: DayPlan; team: Team | undefined; visits: Visit[] }) {
  const { t } = useTranslation();
  const start = minutesOfDay(plan.departAt ?? team?.workStart ?? '08:30');
  const end = Math.max(minutesOfDay(plan.returnAt ?? team?.workEnd ?? '17:00'), start + 60);
  const span = end - start;
  const visitBySite = new Map(visits.map((v) => [v.siteId, v]));
  const segments: Segment[] = plan.stops.map((stop) => {
    const visit = visitBySite.get(stop.siteId);
    const from = visit ? visit.arrivedAt : stop.plannedArrival;
    const to = visit ? visit.departedAt : stop.plannedDeparture;
    return {
      key: `s${stop.seq}`,
      kind: visit ? 'visit' : 'stop',
      from: minutesOfDay(from),
      to: minutesOfDay(to),
      label: String(stop.seq),
      title: `${stop.seq}. ${stop.siteName} ${clock(from)}–${clock(to)}${visit ? ` (${t('inspection.timeline.recorded')})` : ''}`,
    };
  });
  if (plan.lunchStart && plan.lunchEnd) {
    const place = plan.lunchPlace ? t(`inspection.lunch.${plan.lunchPlace}`) : '';
    segments.push({
      key: 'lunch',
      kind: 'lunch',
      from: minutesOfDay(plan.lunchStart),
      to: minutesOfDay(plan.lunchEnd),
      label: t('inspection.timeline.lunch'),
      title: `${t('inspection.timeline.lunch')} ${clock(plan.lunchStart)}–${clock(plan.lunchEnd)} ${place}`,
    });
  }
  const pct = (minute: number) => `${(Math.min(Math.max(minute - start, 0), span) / span) * 100}%`;
  return (
    <figure className="timeline" aria-label={t('inspection.timeline.label')}>
      <div className="timeline-track" style={{ ['--team' as string]: teamColor(plan.teamId) }}>
        {segments.map((s) => (
          <span
            key={s.key}
            className={`timeline-seg timeline-${s.kind}`}
            style={{ left: pct(s.from), width: `calc(${pct(s.to)} - ${pct(s.from)})` }}
            title={s.title}
          >
            {s.label}
          </span>
        ))}
      </div>
      <figcaption className="timeline-axis">
        <span>{clock(plan.departAt) === '—' ? team?.workStart : clock(plan.departAt)} {t('inspection.timeline.leave')}</span>
        <span>{t('inspection.timeline.back')} {clock(plan.returnAt) === '—' ? team?.workEnd : clock(plan.returnAt)}</span>
      </figcaption>
      <ol className="sr-only">
        {segments.map((s) => (
          <li key={s.key}>{s.title}</li>
        ))}
      </ol>
    </figure>
  );
}
