import { describe, expect, it } from 'vitest';
import { addMonths, canVerify, caseMonths, followupMonths, rectificationStatus } from './followup.ts';

describe('follow-up helpers', () => {
  it('names a rectification reported, rectified, failed or escalated', () => {
    expect(rectificationStatus({ outcome: null, escalated: false })).toBe('reported');
    expect(rectificationStatus({ outcome: 'rectified', escalated: false })).toBe('rectified');
    expect(rectificationStatus({ outcome: 'failed', escalated: false })).toBe('failed');
    expect(rectificationStatus({ outcome: 'failed', escalated: true })).toBe('escalated');
  });

  it('steps months across the year', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', -13)).toBe('2025-10');
    expect(followupMonths('2026-12-31')).toEqual(['2026-12', '2027-01']);
    expect(caseMonths('2026-02-10', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('lets managers and team leaders verify, nobody else', () => {
    expect(['admin', 'command', 'team_leader'].every((role) => canVerify(role as never))).toBe(true);
    expect(['district_official', 'street_official', 'grid_worker', 'wall'].some((role) => canVerify(role as never))).toBe(false);
  });
});
