// Round days on the client: which days a round inspects (its dates and ISO weekdays), the day the
// page opens on, and the week a day belongs to. Days are city days, YYYY-MM-DD, computed at noon
// UTC so no local time zone can move them.
import type { Round } from '../../../../server/contracts/index.ts';

type RoundDays = Pick<Round, 'dateFrom' | 'dateTo' | 'weekdays'>;

const noon = (day: string) => new Date(`${day}T12:00:00Z`);

export function addDays(day: string, days: number): string {
  const date = noon(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  return ((noon(day).getUTCDay() + 6) % 7) + 1;
}

export function isRoundDay(round: RoundDays, day: string): boolean {
  return day >= round.dateFrom && (round.dateTo === null || day <= round.dateTo) && round.weekdays.includes(isoWeekday(day));
}

/** The next (direction 1) or previous (-1) round day after `day`, within a year; null if none. */
export function stepRoundDay(round: RoundDays, day: string, direction: 1 | -1): string | null {
  for (let i = 1; i <= 366; i++) {
    const candidate = addDays(day, i * direction);
    if (isRoundDay(round, candidate)) return candidate;
  }
  return null;
}

/**
 * The day the page opens on: today when it is a round day, else the next round day; for a round
 * that has ended, its last day.
 */
export function defaultRoundDay(round: RoundDays, today: string): string {
  if (isRoundDay(round, today)) return today;
  const next = stepRoundDay(round, today, 1);
  if (next !== null) return next;
  return stepRoundDay(round, round.dateTo !== null && round.dateTo < today ? addDays(round.dateTo, 1) : today, -1) ?? today;
}

/** Monday and Sunday of the week of `day` (the server's coverage and notice weeks). */
export function weekOf(day: string): { start: string; end: string } {
  const start = addDays(day, 1 - isoWeekday(day));
  return { start, end: addDays(start, 6) };
}
