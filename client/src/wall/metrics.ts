import type { AreaCounts } from '../../../server/contracts/index.ts';

export type Metric = keyof AreaCounts;

/** The KPI cards, left to right. */
export const kpiMetrics: readonly Metric[] = ['screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied'];
/** Metrics the map can be coloured by. */
export const mapMetrics: readonly Metric[] = ['screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied', 'itineraryFlagged'];
/** For these a rise is bad news (drawn red); for `screened` a rise is just activity. */
export const isAdverse = (metric: Metric): boolean => metric !== 'screened';

export function parseMetric(value: string | null): Metric | undefined {
  return mapMetrics.find((metric) => metric === value);
}

/** Change against yesterday as a fraction, or null when yesterday was zero. */
export function change(today: number, yesterday: number): number | null {
  if (yesterday === 0) return null;
  return (today - yesterday) / yesterday;
}
