import { type Metric } from '../features/live/figures.ts';

export { zeroCounts, type Metric } from '../features/live/figures.ts';

/** The KPI cards, left to right. */
export const kpiMetrics: readonly Metric[] = ['screened', 'abnormalTemp', 'yellowCode', 'redCode', 'testsPositive', 'centralised', 'homeQuarantine', 'releasesDue'];
/** Metrics the map can be coloured by. */
export const mapMetrics: readonly Metric[] = [
  'screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied', 'itineraryFlagged',
  'testsPositive', 'centralised', 'homeQuarantine', 'homeMonitoring', 'overdueReleases', 'missedChecks', 'riskAreaArrivals',
];
/** For these a rise is bad news (drawn red); for `screened` a rise is just activity. */
const neutral: ReadonlySet<Metric> = new Set(['screened', 'testsSampled', 'testsResulted', 'resultsOnTime', 'released', 'releasesDue']);
export const isAdverse = (metric: Metric): boolean => !neutral.has(metric);

export function parseMetric(value: string | null): Metric | undefined {
  return mapMetrics.find((metric) => metric === value);
}

/** Change against yesterday as a fraction, or null when yesterday was zero. */
export function change(today: number, yesterday: number): number | null {
  if (yesterday === 0) return null;
  return (today - yesterday) / yesterday;
}
