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
