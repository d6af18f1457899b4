import { describe, expect, it } from 'vitest';
import { explainPriority, type PriorityFacts } from './priority.ts';
import { isRoundDay, isoWeekday, weekOf } from './round-days.ts';

const base: PriorityFacts = {
  category: 'construction_site', categoryWeight: 10, riskAreas: [], daysSinceInspection: null, openNotice: null, followupDue: null,
};
const sum = (facts: PriorityFacts) => {
  const { score, reasons } = explainPriority(facts);
  expect(reasons.reduce((total, r) => total + r.points, 0)).toBe(score);
  return { score, factors: reasons.map((r) => [r.factor, r.points]) };
};

describe('explainPriority', () => {
  it('adds category, never inspected', () => {
    expect(sum(base)).toEqual({ score: 30, factors: [['category', 10], ['days_since_inspection', 20]] });
  });

  it('takes the strongest risk area: inside a low one beats near a medium one only by its points', () => {
    const near = { name: 'A', level: 'medium' as const, inside: false, distanceM: 420.4 };
    const inside = { name: 'B', level: 'low' as const, inside: true, distanceM: 0 };
    const result = explainPriority({ ...base, riskAreas: [inside, near] });
    expect(result.reasons[1]).toEqual({ factor: 'risk_area', points: 12, reason_zh: '距中风险区「A」420 米', reason_en: '420 m from the medium-risk area "A"' });
    expect(sum({ ...base, riskAreas: [{ ...near, level: 'high', inside: true }] }).factors[1]).toEqual(['risk_area', 40]);
  });

  it('gives a point per three days since the last inspection, up to the never-inspected points', () => {
    expect(sum({ ...base, daysSinceInspection: 1 }).factors[1]).toEqual(['days_since_inspection', 0]);
    expect(sum({ ...base, daysSinceInspection: 14 }).factors[1]).toEqual(['days_since_inspection', 4]);
    expect(sum({ ...base, daysSinceInspection: 400 }).factors[1]).toEqual(['days_since_inspection', 20]);
  });

  it('weighs open notices and follow-ups, more when overdue or failed', () => {
    const notice = { number: 'N1', deadline: '2026-11-30', overdue: false, rectificationFailed: false };
    expect(sum({ ...base, openNotice: notice }).score).toBe(45);
    expect(sum({ ...base, openNotice: { ...notice, overdue: true } }).score).toBe(55);
    expect(explainPriority({ ...base, openNotice: { ...notice, rectificationFailed: true } }).reasons[2]!.reason_en).toBe('rectification of notice N1 failed');
    expect(sum({ ...base, followupDue: { dueMonth: '2026-12', overdue: false } }).score).toBe(60);
    expect(sum({ ...base, followupDue: { dueMonth: '2026-12', overdue: true } }).score).toBe(70);
  });
});

describe('round days', () => {
  it('knows weekdays, weeks and round days', () => {
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('2026-11-17')).toBe(2);
    expect(weekOf('2026-11-22')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
    expect(weekOf('2026-12-31')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    const round = { dateFrom: '2026-03-10', dateTo: null, weekdays: [2, 3, 4] };
    expect(isRoundDay(round, '2026-11-17')).toBe(true);
    expect(isRoundDay(round, '2026-11-16')).toBe(false);
    expect(isRoundDay(round, '2026-03-05')).toBe(false);
    expect(isRoundDay({ ...round, dateTo: '2026-11-17' }, '2026-11-18')).toBe(false);
  });
});
