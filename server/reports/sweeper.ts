// Report deadlines: a reminder shortly before a unit's deadline, then escalation after it — an alert
// to the street office at the deadline, one to the district later, each naming the street's late units. Tests call these with a chosen
// `now`; the server runs them on a timer, one process at a time.
import type { FastifyInstance } from 'fastify';
import type { Pool, Queryable } from '../infra/db.ts';
import { cityDay } from '../infra/city-time.ts';
import type { ReportsUpdate } from '../contracts/reports.ts';
import { ancestorsOf, complianceOfAreas, raiseReportAlerts, type SweepTimes } from './reports.repository.ts';

export const defaultSweepTimes: SweepTimes = { reminderMinutesBefore: 30, districtMinutesAfter: 120, catchUpHours: 12 };

/**
 * Raises the reminders and escalations due at `now` for the city's today and yesterday (a late
 * deadline's escalation can fall after midnight). Returns the new alerts with their units' paths.
 */
export async function sweepReports(db: Queryable, now: Date, timeZone: string, times: SweepTimes = defaultSweepTimes, scopePath: string | null = null) {
  const today = cityDay(now, timeZone);
  const yesterday = cityDay(new Date(now.getTime() - 86_400_000), timeZone);
  return raiseReportAlerts(db, [yesterday, today], now, timeZone, times, scopePath);
}

/** Sends `reports:updated` with the compliance of every ancestor of the units changed, per day. */
export async function publishReportStatus(
  app: FastifyInstance, db: Pool | Queryable, changes: ReadonlyArray<{ areaPath: string; day: string }>, now: Date, timeZone: string,
): Promise<ReportsUpdate[]> {
  const byDay = new Map<string, Set<string>>();
  for (const c of changes) {
    const set = byDay.get(c.day) ?? new Set<string>();
    ancestorsOf(c.areaPath).forEach((code) => set.add(code));
    byDay.set(c.day, set);
  }
  const updates: ReportsUpdate[] = [];
  for (const [day, codes] of byDay) updates.push(...(await complianceOfAreas(db, [...codes], day, now, timeZone)));
  if (updates.length > 0) app.live.publishReports(updates);
  return updates;
}

/** One sweep (of the units under `scopePath`, all by default): the alerts raised, and `reports:updated` for the units that turned missing. */
export async function sweepAndPublish(app: FastifyInstance, db: Queryable, now: Date, timeZone: string, times: SweepTimes = defaultSweepTimes, scopePath: string | null = null) {
  const raised = await sweepReports(db, now, timeZone, times, scopePath);
  const turnedMissing = raised.filter((a) => a.kind === 'report_late').flatMap((a) => a.unitPaths.map((areaPath) => ({ areaPath, day: a.day })));
  const updates = turnedMissing.length > 0 ? await publishReportStatus(app, db, turnedMissing, now, timeZone) : [];
  return { alertIds: raised.map((a) => a.id), raised, updates };
}
