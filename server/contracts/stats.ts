import { Type, type Static } from 'typebox';
import { AreaCode, CityDay } from './common.ts';

/**
 * The live figures of one area for one day (camelCase). Flows count what happened on that local day
 * in the city's time zone; `centralised`, `homeQuarantine` and `homeMonitoring` are the people under
 * each measure at the end of that day (now, for today); `releasesDue` and `overdueReleases` count the
 * cases active now whose planned release is that day, or before it.
 */
export const AreaCounts = Type.Object({
  screened: Type.Integer({ description: 'people screened at checkpoints and sites' }),
  abnormalTemp: Type.Integer({ description: 'screenings with temperature ≥ 37.3 °C' }),
  yellowCode: Type.Integer({ description: 'screenings showing a yellow health code' }),
  redCode: Type.Integer({ description: 'screenings showing a red health code' }),
  referred: Type.Integer({ description: 'people referred to a fever clinic' }),
  denied: Type.Integer({ description: 'people denied entry' }),
  itineraryFlagged: Type.Integer({ description: 'itinerary card showing a medium/high-risk area' }),
  testsSampled: Type.Integer({ description: 'nucleic-acid samples taken' }),
  testsResulted: Type.Integer({ description: 'nucleic-acid results returned' }),
  testsPositive: Type.Integer({ description: 'positive results returned' }),
  resultsOnTime: Type.Integer({ description: 'results returned within 12 h of sampling (6 h for risk groups)' }),
  resultOnTimeRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'resultsOnTime ÷ testsResulted; null without results' }),
  centralised: Type.Integer({ description: 'people in centralised quarantine (集中隔离)' }),
  homeQuarantine: Type.Integer({ description: 'people in home quarantine (居家隔离)' }),
  homeMonitoring: Type.Integer({ description: 'people under home health monitoring (居家健康监测)' }),
  casesStarted: Type.Integer({ description: 'quarantine or monitoring cases started' }),
  released: Type.Integer({ description: 'people released (解除隔离)' }),
  transferred: Type.Integer({ description: 'people transferred to hospital' }),
  releasesDue: Type.Integer({ description: 'active cases whose planned release is this day' }),
  overdueReleases: Type.Integer({ description: 'active cases whose planned release was before this day' }),
  missedChecks: Type.Integer({ description: 'temperature checks missed by people under home measures' }),
  riskAreaArrivals: Type.Integer({ description: 'people arrived from a medium- or high-risk area' }),
});
export type AreaCounts = Static<typeof AreaCounts>;
/** Every figure that is a count (all but the rate): what a map can be coloured by. */
export const metricNames = [
  'screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied', 'itineraryFlagged',
  'testsSampled', 'testsResulted', 'testsPositive', 'resultsOnTime', 'centralised', 'homeQuarantine', 'homeMonitoring',
  'casesStarted', 'released', 'transferred', 'releasesDue', 'overdueReleases', 'missedChecks', 'riskAreaArrivals',
] as const satisfies ReadonlyArray<keyof AreaCounts>;
export type MetricName = (typeof metricNames)[number];

export const AreaDayCounts = Type.Object({
  area: Type.String(),
  day: Type.String({ format: 'date' }),
  counts: AreaCounts,
  version: Type.Integer({ description: 'grows with every change of this area-day; keep the highest' }),
});
export type AreaDayCounts = Static<typeof AreaDayCounts>;

export const StatsParams = Type.Object({ areaCode: AreaCode });

export const ChildrenCounts = Type.Object({
  area: Type.String(),
  day: Type.String(),
  children: Type.Array(AreaDayCounts, { description: 'one entry per child area, zeros included, ordered by code' }),
});
export type ChildrenCounts = Static<typeof ChildrenCounts>;

export const TrendQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 14 })),
  until: Type.Optional(CityDay),
});
export const AreaTrend = Type.Object({
  area: Type.String(),
  days: Type.Array(AreaDayCounts, { description: 'oldest first, one entry per day, zeros included' }),
});
export type AreaTrend = Static<typeof AreaTrend>;
export const StatsQuery = Type.Object({
  day: Type.Optional(CityDay),
});
