// Late results (结果超时): a sample whose result has not come by its due time raises one alert.
// Tests call sweepLateResults with a chosen `now`; the server runs it on a timer, one process at a time.
import type { FastifyInstance } from 'fastify';
import type { Pool, Queryable } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
import { maxAgeDays } from '../screening/screening-records.ts';
import { raiseLateResultAlerts } from './nucleic-tests.repository.ts';

/** Samples are at most this old when stored (plus the longest wait for a result): nothing older can fall late. */
const lookbackDays = maxAgeDays + 1;
/** One sweeper at a time across server processes (session-level advisory lock). */
const lockName = 'ecc:sweep:nucleic-late-results';

/** Raises a `late_result` alert for every test past its due time without a result; returns the new alerts' ids. */
export async function sweepLateResults(db: Queryable, now: Date, timeZone = 'Asia/Shanghai'): Promise<number[]> {
  return raiseLateResultAlerts(db, now, timeZone, lookbackDays);
}

/**
 * Runs the sweep every `config.sweepIntervalSeconds` (0 = never) on the process that holds the
 * advisory lock, publishes the alerts it raised, logs (never throws) a failure, and stops, waiting
 * for a sweep in flight, when the app closes.
 */
export function startLateResultSweeper(app: FastifyInstance, pool: Pool, config: Config): void {
  if (config.sweepIntervalSeconds <= 0) return;
  let inFlight: Promise<void> | undefined;

  async function sweepOnce(): Promise<void> {
    const client = await pool.connect();
    let alertIds: number[] = [];
    let unlockFailed = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockName]);
      if (!rows[0]?.locked) return; // another process sweeps
      try {
        alertIds = await sweepLateResults(client, new Date(), config.cityTimeZone);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => {
          unlockFailed = true;
        });
      }
    } finally {
      // a connection that may still hold the lock is closed, which frees it
      client.release(unlockFailed);
    }
    if (alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, alertIds));
  }

  const timer = setInterval(() => {
    if (inFlight) return; // a slow sweep is not stacked on
    inFlight = sweepOnce()
      .catch((error: unknown) => app.log.error({ err: error }, 'late-result sweep failed'))
      .finally(() => {
        inFlight = undefined;
      });
  }, config.sweepIntervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await inFlight;
  });
}
