import { describe, expect, it } from 'vitest';
import { checkSubmission, zeroFigures } from './report-checks.ts';
import { cityStamp, reportSheet } from './report-sheet.ts';

const figures = { arrivalsOverseas: 1, arrivalsRiskArea: 0, arrivalsOutOfProvince: 0, bigDataChecks: 0, centralised: 2, homeQuarantine: 0, homeMonitoring: 0, released: 0, abnormal: 0 };

describe('checkSubmission', () => {
  it('takes figures or a zero report', () => {
    expect(checkSubmission({ figures })).toEqual({ zero: false, figures });
    expect(checkSubmission({ zero: true, notes: '无' })).toEqual({ zero: true, figures: { ...zeroFigures(), notes: '无' } });
    expect(checkSubmission({ zero: true, figures: zeroFigures() })).toEqual({ zero: true, figures: zeroFigures() });
  });

  it('names every bad field', () => {
    expect(checkSubmission({})).toEqual({ errors: [expect.objectContaining({ field: 'figures' })] });
    expect(checkSubmission({ zero: true, figures })).toEqual({ errors: [
      expect.objectContaining({ field: 'figures.arrivalsOverseas' }), expect.objectContaining({ field: 'figures.centralised' })] });
    const bad = checkSubmission({ figures: { ...figures, centralised: -1, released: 1.5 } });
    expect('errors' in bad && bad.errors.map((e) => e.field).sort()).toEqual(['figures.centralised', 'figures.released']);
    const { abnormal: _a, ...missing } = figures;
    const lacking = checkSubmission({ figures: missing });
    expect('errors' in lacking && lacking.errors.map((e) => e.field)).toEqual(['figures.abnormal']);
  });
});

describe('report sheet rows', () => {
  const row = (values: Record<string, unknown>) => reportSheet.toRecord({ text: {} as never, values: values as never });

  it('reads a zero report with blank figures, and refuses figures in one', () => {
    expect(row({ unitCode: '310101001001', day: '2026-11-22', zero: true })).toEqual({ record: { unitCode: '310101001001', day: '2026-11-22', zero: true } });
    expect(row({ unitCode: 'x', day: '2026-11-22', zero: true, centralised: 3 })).toEqual({ errors: [expect.objectContaining({ key: 'centralised' })] });
  });

  it('needs every figure in a non-zero report, cell by cell', () => {
    const result = row({ unitCode: 'x', day: '2026-11-22', zero: false, ...figures, released: undefined, abnormal: undefined });
    expect('errors' in result && result.errors.map((e) => e.key)).toEqual(['released', 'abnormal']);
  });
});

describe('cityStamp', () => {
  it('writes instants in the city, whatever the server zone', () => {
    expect(cityStamp('2026-11-21T16:30:00Z', 'Asia/Shanghai')).toBe('2026-11-22 00:30');
  });
});
