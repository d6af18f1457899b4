// The quarantine sweeper: missed temperature checks and overdue releases are found by time passing,
// not by an incoming event, so something has to look for them. Idempotent: every alert has a
// deterministic source id, and counters move only for alerts actually inserted.
import { withTransaction, type Pool, type PoolClient } from '../infra/db.ts';
import { cityDay } from '../infra/city-time.ts';
import { addAreaDayCounts, type CounterChange } from '../stats/stats.repository.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { sweptSlots } from './schedule.ts';
import { raiseMissedChecks, raiseOverdueReleases } from './quarantine.repository.ts';

export interface SweepResult {
  /** alerts raised by this sweep (missed checks, then overdue releases) */
  alertIds: number[];
  /** area-days whose figures changed, for the live feed */
  changed: AreaDayKey[];
  missedChecks: number;
  overdueReleases: number;
}

/**
 * Looks, as of `now`, for check slots (yesterday's and today's, city time) past their deadline
 * without a check, and for active cases past their planned release day; raises an alert for each
 * one not raised before and adds `missed_checks` on the slot's day, in one transaction. An
 * overdue release moves no counter (overdueReleases is read from the active cases) but gives
 * today a zero delta so that live figures refresh.
 */
export async function sweepQuarantine(db: Pool | PoolClient, now: Date, timeZone: string): Promise<SweepResult> {
  const today = cityDay(now, timeZone);
  return withTransaction(db, async (client) => {
    const missed = await raiseMissedChecks(client, sweptSlots(now, timeZone, today), now);
    const overdue = await raiseOverdueReleases(client, today, now);
    const changes: CounterChange[] = [
      ...missed.map((a) => ({ path: a.path, day: a.day, deltas: { missed_checks: 1 } })),
      ...overdue.map((a) => ({ path: a.path, day: today, deltas: { missed_checks: 0 } })),
    ];
    const changed = await addAreaDayCounts(client, changes);
    return {
      alertIds: [...missed, ...overdue].map((a) => a.id),
      changed,
      missedChecks: missed.length,
      overdueReleases: overdue.length,
    };
  });
}

