import { describe, expect, it } from 'vitest';
import { withReason } from './access-reason.tsx';

describe('withReason', () => {
  it('adds the trimmed reason to an address with or without a query, keeping its parameters', () => {
    expect(withReason('/api/admin/audit.xlsx', ' 核查 ')).toBe(`/api/admin/audit.xlsx?reason=${encodeURIComponent('核查')}`);
    const href = withReason('/api/ledgers/overseas_arrival.xlsx?area=310115&unmasked=true', '流调 50% & 周报');
    const params = new URL(href, 'http://x').searchParams;
    expect(params.get('area')).toBe('310115');
    expect(params.get('unmasked')).toBe('true');
    expect(params.get('reason')).toBe('流调 50% & 周报');
  });

  it('replaces a reason already there, and leaves the address alone when blank', () => {
    expect(new URL(withReason('/a.xlsx?reason=old', 'new'), 'http://x').searchParams.getAll('reason')).toEqual(['new']);
    expect(withReason('/a.xlsx?week=2026-11-16', '   ')).toBe('/a.xlsx?week=2026-11-16');
  });
});
