// Tells the live socket's watchers that a supervision round changed where they look, so open
// inspection pages re-read what changed instead of polling.
import type { FastifyInstance } from 'fastify';
import type { InspectionUpdate } from '../contracts/live.ts';
import type { Queryable } from '../infra/db.ts';
import { areaCodesHolding } from './inspection.repository.ts';

/**
 * Announces a committed change to the watchers of every area holding the sites (or the point). Best
 * effort: the change is stored already, so a failure here is logged and the answer still succeeds.
 */
export async function announceInspection(
  app: FastifyInstance, db: Queryable, update: InspectionUpdate, where: { siteIds?: readonly number[]; point?: readonly [number, number] },
): Promise<void> {
  try {
    app.live.publishInspection(update, await areaCodesHolding(db, where));
  } catch (error) {
    app.log.warn({ err: error, update }, 'announcing an inspection change failed; pages catch up on their next read');
  }
}
