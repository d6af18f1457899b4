import { describe, expect, it } from 'vitest';
import {
  TransitionRefused,
  addDays,
  cityInstant,
  daysBetween,
  isCalendarDay,
  phaseSchedule,
  planTransition,
  slotOf,
  startState,
  sweptSlots,
  type Phase,
} from './schedule.ts';
import { checkRegimePhases } from './regimes.ts';

const sevenPlusSeven: Phase[] = [
  { kind: 'centralised', days: 7, testDays: [1, 4, 7] },
  { kind: 'home_quarantine', days: 7, testDays: [3, 7] },
];
const tz = 'Asia/Shanghai';

describe('days', () => {
  it('adds days across months and years, and knows real calendar days', () => {
    expect(addDays('2026-11-01', 14)).toBe('2026-11-15');
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-01', '2026-11-15')).toBe(14);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('2026-1-1')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
  });

  it('numbers day 1 as the start day: a 14-day regime from 11-01 is released on 11-15', () => {
    const state = startState(sevenPlusSeven, '2026-11-01');
    expect(state).toMatchObject({ kind: 'centralised', phaseIndex: 0, phaseEnd: '2026-11-08', plannedEnd: '2026-11-15', status: 'active' });
  });
});

describe('city time and slots', () => {
  it('finds the instant of a city wall-clock time whatever the server\'s zone', () => {
    expect(cityInstant('2026-11-22', '12:00', tz).toISOString()).toBe('2026-11-22T04:00:00.000Z');
    expect(cityInstant('2026-11-22', '00:00', tz).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(cityInstant('2026-03-08', '12:00', 'America/New_York').toISOString()).toBe('2026-03-08T16:00:00.000Z'); // after the DST change
    expect(cityInstant('2026-03-07', '12:00', 'America/New_York').toISOString()).toBe('2026-03-07T17:00:00.000Z');
  });

  it('puts checks before 13:00 city time in the morning slot', () => {
    expect(slotOf(new Date('2026-11-22T04:59:59Z'), tz)).toBe('morning'); // 12:59:59
    expect(slotOf(new Date('2026-11-22T05:00:00Z'), tz)).toBe('afternoon'); // 13:00
    expect(slotOf(new Date('2026-11-21T16:30:00Z'), tz)).toBe('morning'); // 00:30 the next day
    expect(slotOf(new Date('2026-11-22T15:59:00Z'), tz)).toBe('afternoon'); // 23:59
  });

  it('sweeps yesterday\'s and today\'s slots whose deadline (12:00, 20:00) has passed', () => {
    const at = (iso: string) => sweptSlots(new Date(iso), tz, '2026-11-22').map((s) => `${s.day} ${s.slot}`);
    expect(at('2026-11-22T03:59:00Z')).toEqual(['2026-11-21 morning', '2026-11-21 afternoon']); // 11:59
    expect(at('2026-11-22T04:00:00Z')).toEqual(['2026-11-21 morning', '2026-11-21 afternoon', '2026-11-22 morning']); // 12:00
    expect(at('2026-11-22T12:00:00Z')).toHaveLength(4); // 20:00
    const [first] = sweptSlots(new Date('2026-11-22T12:00:00Z'), tz, '2026-11-22');
    expect(first!.opensAt.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(first!.dueAt.toISOString()).toBe('2026-11-21T04:00:00.000Z');
  });
});

describe('transitions', () => {
  const start = startState(sevenPlusSeven, '2026-11-01');

  it('moves on to the next phase on its day, with flows out of one measure and into the next', () => {
    const plan = planTransition(start, { type: 'next_phase', day: '2026-11-08' });
    expect(plan.next).toMatchObject({ phaseIndex: 1, kind: 'home_quarantine', phaseEnd: '2026-11-15', plannedEnd: '2026-11-15' });
    expect(plan.flows).toEqual({ centralised_out: 1, home_quarantine_in: 1 });
    expect([plan.fromKind, plan.toKind]).toEqual(['centralised', 'home_quarantine']);
  });

  it('runs the next phase its full length when the move is late, and refuses an early move without early', () => {
    expect(planTransition(start, { type: 'next_phase', day: '2026-11-10' }).next.plannedEnd).toBe('2026-11-17');
    expect(() => planTransition(start, { type: 'next_phase', day: '2026-11-07' })).toThrow(TransitionRefused);
    expect(planTransition(start, { type: 'next_phase', day: '2026-11-07', early: true }).next.plannedEnd).toBe('2026-11-14');
  });

  it('refuses next_phase from the last phase and any event once ended', () => {
    const home = planTransition(start, { type: 'next_phase', day: '2026-11-08' }).next;
    expect(() => planTransition(home, { type: 'next_phase', day: '2026-11-15' })).toThrow(/last phase/);
    const released = planTransition(home, { type: 'release', day: '2026-11-15' }).next;
    expect(released.status).toBe('released');
    for (const type of ['next_phase', 'extend', 'release', 'transfer'] as const) {
      try {
        planTransition(released, { type, day: '2026-11-16', days: 1 });
        expect.unreachable();
      } catch (error) {
        expect((error as TransitionRefused).status).toBe(409);
      }
    }
  });

  it('extends the current phase and the planned end', () => {
    const plan = planTransition(start, { type: 'extend', day: '2026-11-03', days: 3 });
    expect(plan.next).toMatchObject({ phaseEnd: '2026-11-11', plannedEnd: '2026-11-18' });
    expect(plan.next.phases[0]!.days).toBe(10);
    expect(start.phases[0]!.days).toBe(7); // the input is not changed
    expect(plan.flows).toEqual({});
    expect([plan.fromKind, plan.toKind]).toEqual([null, null]);
  });

  it('releases on or after the planned day, earlier only with early; transfers any time', () => {
    expect(() => planTransition(start, { type: 'release', day: '2026-11-14' })).toThrow(/planned release day is 2026-11-15/);
    expect(planTransition(start, { type: 'release', day: '2026-11-03', early: true }).flows).toEqual({ centralised_out: 1, released: 1 });
    expect(planTransition(start, { type: 'transfer', day: '2026-11-02' }).flows).toEqual({ centralised_out: 1, transferred: 1 });
  });
});

describe('phaseSchedule', () => {
  it('plans the phases with their test days as dates', () => {
    const schedule = phaseSchedule(startState(sevenPlusSeven, '2026-11-01'), ['2026-11-01'], null);
    expect(schedule).toEqual([
      { index: 0, kind: 'centralised', days: 7, startDay: '2026-11-01', endDay: '2026-11-08', testDays: ['2026-11-01', '2026-11-04', '2026-11-07'], status: 'current' },
      { index: 1, kind: 'home_quarantine', days: 7, startDay: '2026-11-08', endDay: '2026-11-15', testDays: ['2026-11-10', '2026-11-14'], status: 'upcoming' },
    ]);
  });

  it('uses the days phases were actually entered, and marks the rest skipped once ended', () => {
    const start = startState(sevenPlusSeven, '2026-11-01');
    const home = planTransition(start, { type: 'next_phase', day: '2026-11-09' }).next;
    const schedule = phaseSchedule(home, ['2026-11-01', '2026-11-09'], null);
    expect(schedule.map((p) => [p.startDay, p.endDay, p.status])).toEqual([
      ['2026-11-01', '2026-11-09', 'done'],
      ['2026-11-09', '2026-11-16', 'current'],
    ]);
    const transferred = phaseSchedule(planTransition(start, { type: 'transfer', day: '2026-11-03' }).next, ['2026-11-01'], '2026-11-03');
    expect(transferred.map((p) => [p.startDay, p.endDay, p.status])).toEqual([
      ['2026-11-01', '2026-11-03', 'done'],
      ['2026-11-03', '2026-11-10', 'skipped'],
    ]);
  });
});

describe('checkRegimePhases', () => {
  it('accepts a usable regime, sorting test days, and totals its days', () => {
    const result = checkRegimePhases([{ kind: 'centralised', days: 7, testDays: [7, 1, 4] }, { kind: 'home_monitoring', days: 2, testDays: [2] }]);
    expect(result).toEqual({
      problems: [],
      totalDays: 9,
      phases: [{ kind: 'centralised', days: 7, testDays: [1, 4, 7] }, { kind: 'home_monitoring', days: 2, testDays: [2] }],
    });
  });

  it('names test days outside their phase, repeated ones and a total above 60 days', () => {
    const { problems } = checkRegimePhases([
      { kind: 'centralised', days: 30, testDays: [1, 31] },
      { kind: 'home_quarantine', days: 30, testDays: [2, 2] },
      { kind: 'home_monitoring', days: 5, testDays: [] },
    ]);
    expect(problems.map((p) => p.field)).toEqual(['phases.0.testDays', 'phases.1.testDays', 'phases']);
  });
});
