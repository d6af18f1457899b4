import { describe, expect, it } from 'vitest';
import { addDays, defaultRoundDay, isoWeekday, isRoundDay, stepRoundDay, weekOf } from './days.ts';

// The demo round: from Tuesday 2026-03-10, Tue–Thu, no end.
const demo = { dateFrom: '2026-03-10', dateTo: null, weekdays: [2, 3, 4] };

describe('round days', () => {
  it('knows ISO weekdays and adds days across months', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('is a round day only on its weekdays within its dates', () => {
    expect(isRoundDay(demo, '2026-11-24')).toBe(true);
    expect(isRoundDay(demo, '2026-11-23')).toBe(false);
    expect(isRoundDay(demo, '2026-03-05')).toBe(false); // a Thursday before the round
    expect(isRoundDay({ ...demo, dateTo: '2026-11-24' }, '2026-11-25')).toBe(false);
  });

  it('opens on today, else the next round day, else the last day of an ended round', () => {
    expect(defaultRoundDay(demo, '2026-11-25')).toBe('2026-11-25');
    expect(defaultRoundDay(demo, '2026-11-23')).toBe('2026-11-24');
    expect(defaultRoundDay(demo, '2026-11-27')).toBe('2026-12-01');
    expect(defaultRoundDay(demo, '2026-01-01')).toBe('2026-03-10');
    expect(defaultRoundDay({ ...demo, dateTo: '2026-06-30' }, '2026-11-23')).toBe('2026-06-30');
    expect(defaultRoundDay({ ...demo, dateTo: '2026-06-28' }, '2026-11-23')).toBe('2026-06-25');
  });

  it('steps to the previous and next round day', () => {
    expect(stepRoundDay(demo, '2026-11-24', -1)).toBe('2026-11-19');
    expect(stepRoundDay(demo, '2026-11-26', 1)).toBe('2026-12-01');
    expect(stepRoundDay(demo, '2026-03-10', -1)).toBeNull();
  });

  it('gives the Monday–Sunday week of a day', () => {
    expect(weekOf('2026-11-26')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(weekOf('2026-11-29')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });
});
