// The city's calendar day and clock (Asia/Shanghai), whatever the wall computer's own time zone.
import { useEffect, useState } from 'react';

export const cityTimeZone = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of `date` in the city. */
export const cityDay = (date: Date): string => dayFormat.format(date);

/** The day before a YYYY-MM-DD day. */
export function previousDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Re-renders every `everyMs` with the current time. */
export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Today's date in the city; changes at the city's midnight. */
export function useCityDay(): string {
  return cityDay(useNow(15_000));
}
