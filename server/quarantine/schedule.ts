// Pure date and phase logic of quarantine cases: no database, no clock (callers pass `today`/`now`).
//
// Day numbering: day 1 is the start day. A phase of n days that begins on day D ends on D + n, the
// day the next phase begins; a case's planned end (release day) is its start + the regime's total
// days. So a 14-day regime started on 2026-11-01 covers 11-01 … 11-14 and is released on 11-15.
import type { CheckSlot, PhaseSchedule, QuarantineKind, RegimePhase } from '../contracts/quarantine.ts';
import type { CounterColumn } from '../stats/stats.repository.ts';

export type Phase = RegimePhase;

/** Local city time before which a check belongs to the morning slot (13:00). */
export const afternoonFromHour = 13;
/** Deadlines of the two daily checks, city time: the morning check by 12:00, the afternoon one by 20:00. */
export const checkDeadlines: Readonly<Record<CheckSlot, string>> = { morning: '12:00', afternoon: '20:00' };
/** When each slot opens, city time: a home phase that began after a slot opened owes no check in it. */
export const slotOpens: Readonly<Record<CheckSlot, string>> = { morning: '00:00', afternoon: `${afternoonFromHour}:00` };

const dayMs = 86_400_000;

function utcOf(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

/** True when the string is a real calendar day YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) return false;
  return new Date(utcOf(day)).toISOString().slice(0, 10) === day;
}

export function addDays(day: string, n: number): string {
  return new Date(utcOf(day) + n * dayMs).toISOString().slice(0, 10);
}

/** `to` − `from`, in days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcOf(to) - utcOf(from)) / dayMs);
}

export const sumDays = (phases: readonly Phase[], from = 0): number => phases.slice(from).reduce((total, p) => total + p.days, 0);

export const isHomeKind = (kind: QuarantineKind): boolean => kind === 'home_quarantine' || kind === 'home_monitoring';

// ---------------------------------------------------------------- city-local time
const partFormatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: Date, timeZone: string): { day: string; hour: number; minute: number; offsetMs: number } {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const wall = utcOf(day) + hour * 3_600_000 + minute * 60_000 + Number(parts.second) * 1000;
  return { day, hour, minute, offsetMs: wall - Math.floor(instant.getTime() / 1000) * 1000 };
}

/** The instant of a wall-clock time (HH:MM) on a city day. */
export function cityInstant(day: string, time: string, timeZone: string): Date {
  const wall = utcOf(day) + Number(time.slice(0, 2)) * 3_600_000 + Number(time.slice(3, 5)) * 60_000;
  // The offset at the wall time read as UTC is right except within hours of a DST change; one
  // correction with the offset at the first guess settles those.
  let guess = wall - localParts(new Date(wall), timeZone).offsetMs;
  guess = wall - localParts(new Date(guess), timeZone).offsetMs;
  return new Date(guess);
}

/** morning before 13:00 city time, afternoon from then on. */
export function slotOf(instant: Date, timeZone: string): CheckSlot {
  return localParts(instant, timeZone).hour < afternoonFromHour ? 'morning' : 'afternoon';
}

export interface SlotWindow {
  day: string;
  slot: CheckSlot;
  opensAt: Date;
  dueAt: Date;
}

/**
 * The check slots a sweep at `now` looks at: yesterday's and today's (city days) whose deadline has
 * passed. Yesterday's are included so that a sweep that did not run for some hours still catches up.
 */
export function sweptSlots(now: Date, timeZone: string, today: string): SlotWindow[] {
  const windows: SlotWindow[] = [];
  for (const day of [addDays(today, -1), today]) {
    for (const slot of ['morning', 'afternoon'] as const) {
      const dueAt = cityInstant(day, checkDeadlines[slot], timeZone);
      if (dueAt.getTime() <= now.getTime()) windows.push({ day, slot, opensAt: cityInstant(day, slotOpens[slot], timeZone), dueAt });
    }
  }
  return windows;
}

// ---------------------------------------------------------------- transitions
export interface CaseState {
  phases: Phase[];
  phaseIndex: number;
  kind: QuarantineKind;
  status: 'active' | 'released' | 'transferred';
  startDay: string;
  phaseEnd: string;
  plannedEnd: string;
}

/** A new case's first phase and dates. */
export function startState(phases: Phase[], startDay: string): CaseState {
  const first = phases[0]!;
  return {
    phases,
    phaseIndex: 0,
    kind: first.kind,
    status: 'active',
    startDay,
    phaseEnd: addDays(startDay, first.days),
    plannedEnd: addDays(startDay, sumDays(phases)),
  };
}

export interface TransitionInput {
  type: 'next_phase' | 'extend' | 'release' | 'transfer';
  /** the event's city day */
  day: string;
  days?: number;
  early?: boolean;
}

export interface TransitionPlan {
  next: CaseState;
  fromKind: QuarantineKind | null;
  toKind: QuarantineKind | null;
  /** counter flows on the event day */
  flows: Partial<Record<CounterColumn, number>>;
}

export class TransitionRefused extends Error {
  constructor(readonly status: 409 | 422, message: string, readonly field?: string) {
    super(message);
  }
}

/**
 * What an event does to a case. next_phase: the next phase begins on the event day and runs its full
 * length (a late move pushes the planned end back; an early one needs `early`). extend: the current
 * phase and the planned end move by `days`. release: on or after the planned end (before it only with
 * `early`). transfer: any time. Throws TransitionRefused when the event does not apply.
 */
export function planTransition(state: CaseState, input: TransitionInput): TransitionPlan {
  if (state.status !== 'active') {
    throw new TransitionRefused(409, `The case is already ${state.status}; no further events / 该案例已${state.status === 'released' ? '解除' : '转院'}，不能再记录事件`);
  }
  const { kind } = state;
  switch (input.type) {
    case 'next_phase': {
      const index = state.phaseIndex + 1;
      const next = state.phases[index];
      if (!next) throw new TransitionRefused(409, 'This is the last phase: release the case instead / 已是最后阶段，请办理解除');
      if (input.day < state.phaseEnd && !input.early) {
        throw new TransitionRefused(409, `The current phase ends on ${state.phaseEnd}; to move on earlier, send early: true with a note / 当前阶段至 ${state.phaseEnd} 结束，提前转段须注明 early 和原因`);
      }
      return {
        next: {
          ...state,
          phaseIndex: index,
          kind: next.kind,
          phaseEnd: addDays(input.day, next.days),
          plannedEnd: addDays(input.day, sumDays(state.phases, index)),
        },
        fromKind: kind,
        toKind: next.kind,
        flows: { [`${kind}_out`]: 1, [`${next.kind}_in`]: 1 },
      };
    }
    case 'extend': {
      const days = input.days;
      if (days === undefined) throw new TransitionRefused(422, 'extend needs days / 延长须提供天数', 'days');
      const phases = state.phases.map((p, i) => (i === state.phaseIndex ? { ...p, days: p.days + days } : p));
      return {
        next: { ...state, phases, phaseEnd: addDays(state.phaseEnd, days), plannedEnd: addDays(state.plannedEnd, days) },
        fromKind: null,
        toKind: null,
        flows: {},
      };
    }
    case 'release': {
      if (input.day < state.plannedEnd && !input.early) {
        throw new TransitionRefused(409, `The planned release day is ${state.plannedEnd}; to release earlier, send early: true with a note / 计划解除日期为 ${state.plannedEnd}，提前解除须注明 early 和原因`);
      }
      return { next: { ...state, status: 'released' }, fromKind: kind, toKind: null, flows: { [`${kind}_out`]: 1, released: 1 } };
    }
    case 'transfer':
      return { next: { ...state, status: 'transferred' }, fromKind: kind, toKind: null, flows: { [`${kind}_out`]: 1, transferred: 1 } };
  }
}

// ---------------------------------------------------------------- schedule
/**
 * Each phase's dates: phases already entered begin on the days recorded by their events (`entered`,
 * in phase order: the start day, then each next_phase day); later ones follow the plan. `endedDay`
 * is the release or transfer day of a case that has ended.
 */
export function phaseSchedule(state: CaseState, entered: readonly string[], endedDay: string | null): PhaseSchedule[] {
  const schedule: PhaseSchedule[] = [];
  let cursor = state.startDay;
  state.phases.forEach((phase, index) => {
    const startDay = index <= state.phaseIndex ? (entered[index] ?? cursor) : cursor;
    let endDay: string;
    let status: PhaseSchedule['status'];
    if (index < state.phaseIndex) {
      endDay = entered[index + 1] ?? addDays(startDay, phase.days);
      status = 'done';
    } else if (index === state.phaseIndex) {
      endDay = endedDay ?? state.phaseEnd;
      status = endedDay === null ? 'current' : 'done';
    } else {
      endDay = addDays(startDay, phase.days);
      status = endedDay === null ? 'upcoming' : 'skipped';
    }
    const testDays = phase.testDays.map((n) => addDays(startDay, n - 1));
    schedule.push({ index, kind: phase.kind, days: phase.days, startDay, endDay, testDays, status });
    cursor = endDay;
  });
  return schedule;
}
