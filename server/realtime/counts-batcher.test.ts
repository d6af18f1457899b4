import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AreaDayCounts } from '../contracts/stats.ts';
import { zeroCounts } from '../stats/stats.repository.ts';
import { createCountsBatcher } from './counts-batcher.ts';

const row = (area: string, version: number, screened: number): AreaDayCounts => ({
  area,
  day: '2026-11-22',
  counts: { ...zeroCounts, screened },
  version,
});

afterEach(() => vi.useRealTimers());

describe('createCountsBatcher', () => {
  it('sends each area at most once per tick, with its newest figures', () => {
    vi.useFakeTimers();
    const sent: AreaDayCounts[] = [];
    const batcher = createCountsBatcher((r) => sent.push(r), 250);
    for (let i = 1; i <= 100; i++) batcher.publish([row('310115', i, i), row('310000', i, i * 2)]);
    batcher.publish([row('310115', 50, 50)]); // late, older figures must not win
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([row('310115', 100, 100), row('310000', 100, 200)]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    batcher.close();
  });

  it('flushes what is pending when closed', () => {
    const sent: AreaDayCounts[] = [];
    const batcher = createCountsBatcher((r) => sent.push(r), 10_000);
    batcher.publish([row('310101', 3, 7)]);
    batcher.close();
    expect(sent).toEqual([row('310101', 3, 7)]);
  });
});
