import { describe, expect, it } from 'vitest';
import type { DayPlan } from '../../../../server/contracts/index.ts';
import { routePath } from './route-path.ts';

const stop = (seq: number, lon: number): DayPlan['stops'][number] => ({
  seq, siteId: seq, siteName: `site ${seq}`, position: [lon, 31], plannedArrival: '', plannedDeparture: '', locked: false, why: 'priority', status: 'planned', visitId: null,
});
const plan = (stops: DayPlan['stops']): DayPlan => ({
  planId: 1, teamId: 1, teamName: '第一组', departAt: null, returnAt: null, lunchStart: null, lunchEnd: null, lunchPlace: null, travelSeconds: null, distanceMeters: null, stops,
});

describe('route lines', () => {
  it('run from the base through the stops in visiting order and back', () => {
    expect(routePath(plan([stop(2, 121.2), stop(1, 121.1), stop(3, 121.3)]), [121.4, 31.2])).toEqual([
      [121.4, 31.2], [121.1, 31], [121.2, 31], [121.3, 31], [121.4, 31.2],
    ]);
  });

  it('are empty for a day without stops, and skip the base when it is unknown', () => {
    expect(routePath(plan([]), [121.4, 31.2])).toEqual([]);
    expect(routePath(plan([stop(1, 121.1), stop(2, 121.2)]), undefined)).toEqual([[121.1, 31], [121.2, 31]]);
  });
});
