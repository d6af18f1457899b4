// The quarantine sweeper: missed temperature checks and overdue releases are found by time passing,
// not by an incoming event, so something has to look for them. Idempotent: every alert has a
// deterministic source id, and counters move only for alerts actually inserted.
import type { FastifyInstance } from 'fastify';
import { withTransaction, type Pool } from '../infra/db.ts';
import { cityDay } from '../infra/city-time.ts';
import { addAreaDayCounts, type CounterChange } from '../stats/stats.repository.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
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
export async function sweepQuarantine(pool: Pool, now: Date, timeZone: string): Promise<SweepResult> {
  const today = cityDay(now, timeZone);
  return withTransaction(pool, async (client) => {
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

const sweepLockName = 'ecc:quarantine-sweeper';

/**
 * Runs the sweep every `intervalSeconds` (0 = never) in whichever server process holds the advisory
 * lock, publishes what it raised, and stops when the app closes. A failing sweep is logged, never thrown.
 */
export function scheduleQuarantineSweeps(app: FastifyInstance, pool: Pool, intervalSeconds: number, timeZone: string): void {
  if (intervalSeconds <= 0) return;
  let running: Promise<void> | undefined;

  async function sweepIfLeader(): Promise<void> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [sweepLockName]);
      if (!rows[0]?.locked) return;
      try {
        const result = await sweepQuarantine(pool, new Date(), timeZone);
        app.live.publishCounts(result.changed);
        if (result.alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, result.alertIds));
        if (result.alertIds.length > 0) app.log.info({ missedChecks: result.missedChecks, overdueReleases: result.overdueReleases }, 'quarantine sweep');
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [sweepLockName]);
      }
    } finally {
      client.release();
    }
  }

  const timer = setInterval(() => {
    if (running) return; // the previous sweep is still at work
    running = sweepIfLeader()
      .catch((error: unknown) => app.log.error({ err: error }, 'quarantine sweep failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
