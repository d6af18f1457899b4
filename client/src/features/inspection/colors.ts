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

/**
 * Coverage share → a sequential ramp (viridis: dark violet for none inspected to yellow for three
 * quarters and more), bright enough on the dark map. Areas with no site in scope are neutral.
 */
export const coverageRamp: ReadonlyArray<{ from: number; color: string }> = [
  { from: 0, color: '#482878' },
  { from: Number.MIN_VALUE, color: '#3e4a89' },
  { from: 0.25, color: '#26828e' },
  { from: 0.5, color: '#35b779' },
  { from: 0.75, color: '#fde725' },
];
export const coverageNeutral = '#64748b';

export function coverageColor(share: number): string {
  let color = coverageRamp[0]!.color;
  for (const step of coverageRamp) if (share >= step.from) color = step.color;
  return color;
}
