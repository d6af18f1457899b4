// A team's day as a line: kept apart from layers.ts (deck.gl, i18n) so it is testable in node.
import type { DayPlan } from '../../../../server/contracts/index.ts';

type LonLat = [number, number];

/** The line of a team's day in visiting order: from its base, through its stops, back to its base. */
export function routePath(plan: DayPlan, base: LonLat | undefined): LonLat[] {
  const stops = [...plan.stops].sort((a, b) => a.seq - b.seq).map((s) => s.position as LonLat);
  if (stops.length === 0) return [];
  return base ? [base, ...stops, base] : stops;
}
