// Unit status colours (on time green, late amber, missing red, pending grey) and how an area's
// counts become one status for the map: the worst that still needs action wins.
import type { ComplianceCounts, UnitStatus } from '../../../../server/contracts/index.ts';

export const unitStatuses: readonly UnitStatus[] = ['on_time', 'late', 'missing', 'pending'];

export const reportStatusColors: Record<UnitStatus, string> = {
  on_time: '#2fb36b',
  late: '#e0a526',
  missing: '#e0463c',
  pending: '#8a94a6',
};

/** An area's status: missing if any unit is missing, else pending, else late, else on time; null when it has no units. */
export function areaStatus(counts: ComplianceCounts): UnitStatus | null {
  if (counts.expected === 0) return null;
  if (counts.missing > 0) return 'missing';
  if (counts.pending > 0) return 'pending';
  if (counts.late > 0) return 'late';
  return 'on_time';
}

/** reported on time / expected, as a percentage string, or '—' when nothing is expected. */
export function onTimeRate(counts: ComplianceCounts): string {
  return counts.expected === 0 ? '—' : `${((100 * counts.onTime) / counts.expected).toFixed(1)}%`;
}
