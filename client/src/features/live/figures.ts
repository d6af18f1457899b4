// The live figures as the client shows them: the metric names and the figures of a quiet day.
import type { AreaCounts, MetricName } from '../../../../server/contracts/index.ts';

/** A figure that is a count (server/contracts/stats.ts metricNames). */
export type Metric = MetricName;

/** The figures of a day without events. */
export const zeroCounts: AreaCounts = {
  screened: 0, abnormalTemp: 0, yellowCode: 0, redCode: 0, referred: 0, denied: 0, itineraryFlagged: 0,
  testsSampled: 0, testsResulted: 0, testsPositive: 0, resultsOnTime: 0, resultOnTimeRate: null,
  centralised: 0, homeQuarantine: 0, homeMonitoring: 0, casesStarted: 0, released: 0, transferred: 0,
  releasesDue: 0, overdueReleases: 0, missedChecks: 0, riskAreaArrivals: 0,
};

