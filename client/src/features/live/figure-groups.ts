import type { Metric } from './figures.ts';

/** How the officials' panel groups the day's figures. */
export const figureGroups: ReadonlyArray<{ id: 'screening' | 'tests' | 'measures'; metrics: readonly Metric[] }> = [
  { id: 'screening', metrics: ['screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied'] },
  { id: 'tests', metrics: ['testsSampled', 'testsResulted', 'testsPositive'] },
  {
    id: 'measures',
    metrics: ['centralised', 'homeQuarantine', 'homeMonitoring', 'casesStarted', 'released', 'releasesDue', 'overdueReleases', 'missedChecks', 'riskAreaArrivals'],
  },
];

/** Figures that are bad news when not zero: drawn in the warning colour. */
export const alarming: ReadonlySet<Metric> = new Set(['abnormalTemp', 'redCode', 'testsPositive', 'overdueReleases', 'missedChecks']);
