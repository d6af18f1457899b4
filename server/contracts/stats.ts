import { Type, type Static } from 'typebox';
import { AreaCode } from './common.ts';

/** The live figures of one area for one day (camelCase; all counts of that local day in the city's time zone). */
export const AreaCounts = Type.Object({
  screened: Type.Integer({ description: 'people screened at checkpoints and sites' }),
  abnormalTemp: Type.Integer({ description: 'screenings with temperature ≥ 37.3 °C' }),
  yellowCode: Type.Integer({ description: 'screenings showing a yellow health code' }),
  redCode: Type.Integer({ description: 'screenings showing a red health code' }),
  referred: Type.Integer({ description: 'people referred to a fever clinic' }),
  denied: Type.Integer({ description: 'people denied entry' }),
  itineraryFlagged: Type.Integer({ description: 'itinerary card showing a medium/high-risk area' }),
});
export type AreaCounts = Static<typeof AreaCounts>;
export const metricNames = ['screened', 'abnormalTemp', 'yellowCode', 'redCode', 'referred', 'denied', 'itineraryFlagged'] as const;

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
  until: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'last day, default today' })),
});
export const AreaTrend = Type.Object({
  area: Type.String(),
  days: Type.Array(AreaDayCounts, { description: 'oldest first, one entry per day, zeros included' }),
});
export type AreaTrend = Static<typeof AreaTrend>;
export const StatsQuery = Type.Object({
  day: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD, the city\'s local day; default today' })),
});
