// Local times of a planned day as instants: the planner counts seconds from the city's midnight.

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

/** ISO instant of `seconds` after midnight of `day` (YYYY-MM-DD) in the time zone. */
export function cityInstant(day: string, seconds: number, timeZone: string): string {
  const local = Date.parse(`${day}T00:00:00Z`) + Math.round(seconds) * 1000;
  // Twice: the offset at the first guess may differ from the offset at the instant (DST changes).
  let instant = local - zoneOffsetMs(local, timeZone);
  instant = local - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}
