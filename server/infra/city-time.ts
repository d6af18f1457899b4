import { badRequest } from '../errors.ts';

// Calendar days in the city's time zone: a screening at 23:30 in Shanghai counts for that day,
// whatever time zone the server runs in.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of the instant in the given IANA time zone. */
export function cityDay(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

/** A YYYY-MM-DD query value checked to be a real calendar date (400 otherwise), or today in the city. */
export function dayOrToday(day: string | undefined, timeZone: string): string {
  if (day === undefined) return cityDay(new Date(), timeZone);
  const parsed = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw badRequest(`day ${day} is not a calendar date (YYYY-MM-DD) / 日期无效`);
  }
  return day;
}
