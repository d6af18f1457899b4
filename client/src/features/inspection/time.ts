// Clock times of the city (Asia/Shanghai, UTC+8 all year: no daylight saving) for plans and visits.
import { cityTimeZone } from '../../lib/city-time.ts';

const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: cityTimeZone, hour: '2-digit', minute: '2-digit', hour12: false });

/** HH:MM in the city of an ISO instant; '—' for none. */
export const clock = (iso: string | null | undefined): string => (iso ? clockFormat.format(new Date(iso)) : '—');

/** Minutes since the city's midnight of an ISO instant, or of an HH:MM time. */
export function minutesOfDay(value: string): number {
  const hhmm = /^\d{2}:\d{2}$/.test(value) ? value : clock(value);
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The ISO instant of a city day and HH:MM (the city is UTC+8 all year). */
export const cityInstant = (day: string, hhmm: string): string => `${day}T${hhmm}:00+08:00`;

export const minutes = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined ? null : Math.round(seconds / 60));
