import { describe, expect, it } from 'vitest';
import { ageText, shownPositions, staleAfterMinutes } from './positions.ts';

const now = new Date('2026-11-24T06:00:00Z');
const at = (minutesBefore: number) => new Date(now.getTime() - minutesBefore * 60_000).toISOString();
const position = (teamId: number, minutesBefore: number) => ({
  teamId, teamName: `T${teamId}`, day: '2026-11-24', position: [121.4, 31.2] as [number, number], accuracyMeters: null, recordedAt: at(minutesBefore),
});

describe('team positions', () => {
  it('fades a position older than two hours', () => {
    const shown = shownPositions([position(1, 5), position(2, staleAfterMinutes), position(3, staleAfterMinutes + 1)], now);
    expect(shown.map((p) => [p.teamId, p.ageMinutes, p.stale])).toEqual([[1, 5, false], [2, 120, false], [3, 121, true]]);
  });

  it('says how old it is in minutes, then hours and minutes', () => {
    expect(ageText(0).key).toBe('inspection.position.justNow');
    expect(ageText(12)).toEqual({ key: 'inspection.position.minutesAgo', values: { minutes: 12 } });
    expect(ageText(125)).toEqual({ key: 'inspection.position.hoursAgo', values: { hours: 2, minutes: 5 } });
  });

  it("keeps the day's track, or the position alone when the server sent none", () => {
    const track: Array<[number, number]> = [[121.3, 31.1], [121.35, 31.15], [121.4, 31.2]];
    expect(shownPositions([{ ...position(1, 5), track }], now)[0]!.track).toEqual(track);
    expect(shownPositions([position(2, 5)], now)[0]!.track).toEqual([[121.4, 31.2]]);
  });

  it('never says a position lies in the future (a phone clock ahead)', () => {
    expect(shownPositions([position(1, -3)], now)[0]!.ageMinutes).toBe(0);
  });
});
