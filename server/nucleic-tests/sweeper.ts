// Late results (结果超时): a sample whose result has not come by its due time raises one alert.
// Tests call sweepLateResults with a chosen `now`; the server runs it on a timer, one process at a time.
import type { Queryable } from '../infra/db.ts';
import { maxAgeDays } from '../screening/screening-records.ts';
import { raiseLateResultAlerts } from './nucleic-tests.repository.ts';

/** Samples are at most this old when stored (plus the longest wait for a result): nothing older can fall late. */
const lookbackDays = maxAgeDays + 1;

/** Raises a `late_result` alert for every test past its due time without a result; returns the new alerts' ids. */
export async function sweepLateResults(db: Queryable, now: Date, timeZone = 'Asia/Shanghai'): Promise<number[]> {
  return raiseLateResultAlerts(db, now, timeZone, lookbackDays);
}

