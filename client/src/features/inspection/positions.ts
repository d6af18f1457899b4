// Team positions on the map: how old a shared position is, when it is too old to be trusted (drawn
// faded), and the track of the day leading to it.
import type { TeamPosition } from '../../../../server/contracts/index.ts';

/** A position older than this is shown faded: the team may be far from it by now. */
export const staleAfterMinutes = 120;

export function ageMinutes(recordedAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(recordedAt)) / 60_000));
}

export interface ShownPosition {
  teamId: number;
  teamName: string;
  position: [number, number];
  ageMinutes: number;
  stale: boolean;
  /** the day's positions up to this one, oldest first (a single point draws no track) */
  track: Array<[number, number]>;
}

export function shownPositions(items: readonly TeamPosition[], now: Date): ShownPosition[] {
  return items.map((p) => {
    const age = ageMinutes(p.recordedAt, now);
    const position = p.position as [number, number];
    return { teamId: p.teamId, teamName: p.teamName, position, ageMinutes: age, stale: age > staleAfterMinutes, track: (p.track as Array<[number, number]> | undefined) ?? [position] };
  });
}

/** The i18n key and values that say how old a position is ("12 分钟前", "2 小时 5 分钟前"). */
export function ageText(minutes: number): { key: string; values: Record<string, number> } {
  if (minutes < 1) return { key: 'inspection.position.justNow', values: {} };
  if (minutes < 60) return { key: 'inspection.position.minutesAgo', values: { minutes } };
  return { key: 'inspection.position.hoursAgo', values: { hours: Math.floor(minutes / 60), minutes: minutes % 60 } };
}
