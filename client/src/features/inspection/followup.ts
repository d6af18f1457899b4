// Pure helpers of the follow-up tab (整改与回头看): a rectification's status, the months the tab
// shows, and who may verify (as server/inspection decides it).
import type { Rectification, Role } from '../../../../server/contracts/index.ts';

export type RectificationStatus = 'reported' | 'rectified' | 'failed' | 'escalated';
export const rectificationStatuses: readonly RectificationStatus[] = ['reported', 'rectified', 'failed', 'escalated'];

/** Awaiting verification, confirmed, or failed — and escalated once the failure went up (整改不力). */
export function rectificationStatus(r: Pick<Rectification, 'outcome' | 'escalated'>): RectificationStatus {
  if (r.outcome === null) return 'reported';
  if (r.outcome === 'rectified') return 'rectified';
  return r.escalated ? 'escalated' : 'failed';
}

/** 'YYYY-MM' of a day 'YYYY-MM-DD'. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** The month `offset` months after `month` ('YYYY-MM'); negative goes back. */
export function addMonths(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 回头看 is due the month after the report: the tab shows this month's and next month's. */
export const followupMonths = (today: string): [string, string] => [monthOf(today), addMonths(monthOf(today), 1)];

/** The months of the case-filing counts: the last `count` months up to today's. */
export function caseMonths(today: string, count = 6): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(monthOf(today), i - count + 1));
}

/**
 * Who sees the verify buttons: admin and command for every team, a team leader for their own
 * team's visits (the server answers 403 for another team's).
 */
export const canVerify = (role: Role): boolean => role === 'admin' || role === 'command' || role === 'team_leader';
