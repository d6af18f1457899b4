// Background sweeps (missed temperature checks, overdue releases, late results): run on a timer by
// one server process at a time, their alerts and changed figures published like any other write.
import type { FastifyInstance } from 'fastify';
import type { Pool, PoolClient } from './db.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';

export interface SweepResult {
  alertIds: number[];
  changed?: AreaDayKey[];
}

/**
 * Runs `sweep` every `intervalSeconds` (0 = never) in whichever process holds the named advisory
 * lock, on the connection that holds it (a sweep takes no second connection from the pool), publishes what it raised, never stacks a slow sweep on itself, logs (never throws) a
 * failure, and waits for a sweep in flight when the app closes.
 */
export function schedulePeriodicSweep(
  app: FastifyInstance,
  pool: Pool,
  options: { name: string; intervalSeconds: number; sweep: (now: Date, client: PoolClient) => Promise<SweepResult> },
): void {
  if (options.intervalSeconds <= 0) return;
  const lockName = `ecc:sweep:${options.name}`;
  let inFlight: Promise<void> | undefined;

  async function sweepIfLeader(): Promise<void> {
    const client = await pool.connect();
    let result: SweepResult | undefined;
    let unlockFailed = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockName]);
      if (!rows[0]?.locked) return; // another process sweeps
      try {
        result = await options.sweep(new Date(), client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => {
          unlockFailed = true;
        });
      }
    } finally {
      // a connection that may still hold the lock is closed, which frees it
      client.release(unlockFailed);
    }
    if (result.changed?.length) app.live.publishCounts(result.changed);
    if (result.alertIds.length > 0) {
      app.live.publishAlerts(await alertsByIds(pool, result.alertIds));
      app.log.info({ sweep: options.name, alerts: result.alertIds.length }, 'sweep raised alerts');
    }
  }

  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = sweepIfLeader()
      .catch((error: unknown) => app.log.error({ err: error, sweep: options.name }, 'sweep failed'))
      .finally(() => {
        inFlight = undefined;
      });
  }, options.intervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await inFlight;
  });
}
