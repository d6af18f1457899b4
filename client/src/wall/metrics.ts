import type { AreaCounts, MetricName } from '../../../server/contracts/index.ts';

/** A figure that is a count (server/contracts/stats.ts metricNames). */
export type Metric = MetricName;

/** The figures of a day without events. */
export const zeroCounts: AreaCounts = {
  screened: 0, abnormalTemp: 0, yellowCode: 0, redCode: 0, referred: 0, denied: 0, itineraryFlagged: 0,
  testsSampled: 0, testsResulted: 0, testsPositive: 0, resultsOnTime: 0, resultOnTimeRate: null,
  centralised: 0, homeQuarantine: 0, homeMonitoring: 0, casesStarted: 0, released: 0, transferred: 0,
  releasesDue: 0, overdueReleases: 0, missedChecks: 0, riskAreaArrivals: 0,
};

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
