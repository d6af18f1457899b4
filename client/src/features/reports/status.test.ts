import { describe, expect, it } from 'vitest';
import type { ComplianceCounts } from '../../../../server/contracts/index.ts';
import { areaStatus, onTimeRate } from './status.ts';

const counts = (c: Partial<ComplianceCounts>): ComplianceCounts => ({
  expected: 0, reported: 0, onTime: 0, late: 0, missing: 0, pending: 0, zero: 0, streetSigned: 0, districtSigned: 0, ...c,
});

describe('report status', () => {
  it('gives an area the most urgent status of its units', () => {
    expect(areaStatus(counts({}))).toBeNull();
    expect(areaStatus(counts({ expected: 3, onTime: 1, late: 1, missing: 1 }))).toBe('missing');
    expect(areaStatus(counts({ expected: 3, onTime: 1, late: 1, pending: 1 }))).toBe('pending');
    expect(areaStatus(counts({ expected: 2, onTime: 1, late: 1 }))).toBe('late');
    expect(areaStatus(counts({ expected: 2, onTime: 2 }))).toBe('on_time');
  });
  it('computes the on-time rate over the expected units', () => {
    expect(onTimeRate(counts({ expected: 3, onTime: 1 }))).toBe('33.3%');
    expect(onTimeRate(counts({}))).toBe('—');
  });
});
