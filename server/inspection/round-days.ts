// Calendar arithmetic of rounds on city days (YYYY-MM-DD): weekdays, weeks (Monday–Sunday).
import type { Round } from '../contracts/inspection.ts';

const msPerDay = 86_400_000;
const asUtc = (day: string) => new Date(`${day}T00:00:00Z`);
const format = (date: Date) => date.toISOString().slice(0, 10);

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const weekday = asUtc(day).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function addDays(day: string, days: number): string {
  return format(new Date(asUtc(day).getTime() + days * msPerDay));
}

/** The Monday and Sunday of the week a day falls in. */
export function weekOf(day: string): { start: string; end: string } {
  const start = addDays(day, 1 - isoWeekday(day));
  return { start, end: addDays(start, 6) };
}

/** Within the round's dates and on one of its weekdays. */
export function isRoundDay(round: Pick<Round, 'dateFrom' | 'dateTo' | 'weekdays'>, day: string): boolean {
  return day >= round.dateFrom && (round.dateTo === null || day <= round.dateTo) && round.weekdays.includes(isoWeekday(day));
}
