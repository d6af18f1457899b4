// Colours of the inspection page: a site's status (the seed's vocabulary: never inspected, passed,
// named in a notice, rectified, overdue) and one colour per team for its route and stops.
import type { SiteStatus } from '../../../../server/contracts/index.ts';

export const siteStatuses: readonly SiteStatus[] = ['never', 'passed', 'notified', 'rectified', 'overdue'];

export const statusColors: Record<SiteStatus, string> = {
  never: '#7b8ba3',
  passed: '#22c55e',
  notified: '#f59e0b',
  rectified: '#38bdf8',
  overdue: '#ef4444',
};

// Twelve teams in the seed: twelve hues that stay apart on the dark map (status colours are
// drawn inside the stops, team colours on their rings and routes).
const teamPalette = ['#f472b6', '#a78bfa', '#facc15', '#2dd4bf', '#fb923c', '#60a5fa', '#e879f9', '#a3e635', '#f87171', '#38bdf8', '#fbbf24', '#c084fc'];

export const teamColor = (teamId: number): string => teamPalette[(teamId - 1) % teamPalette.length] ?? '#ffffff';

export function rgb(hex: string, alpha = 255): [number, number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255, alpha];
}

/** Coverage share → fill colour: red (nothing inspected) through amber to green (all inspected). */
export function coverageColor(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '#ef4444';
  if (share < 0.1) return '#f97316';
  if (share < 0.25) return '#f59e0b';
  if (share < 0.5) return '#a3e635';
  return '#22c55e';
}
