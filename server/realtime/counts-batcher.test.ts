import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChangeBatcher, type AreaDayKey } from './counts-batcher.ts';

afterEach(() => vi.useRealTimers());

describe('createChangeBatcher', () => {
  it('hands over each changed area-day once per tick, however often it changed', async () => {
    vi.useFakeTimers();
    const flushes: AreaDayKey[][] = [];
    const batcher = createChangeBatcher(async (keys) => {
      flushes.push(keys);
    }, 250);
    for (let i = 0; i < 100; i++) batcher.add([{ area: '310115', day: '2026-11-22' }, { area: '310000', day: '2026-11-22' }]);
    batcher.add([{ area: '310115', day: '2026-11-21' }]);
    expect(flushes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(250);
    expect(flushes).toEqual([[
      { area: '310115', day: '2026-11-22' },
      { area: '310000', day: '2026-11-22' },
      { area: '310115', day: '2026-11-21' },
    ]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(flushes).toHaveLength(1);
    await batcher.close();
  });

  it('does not start a flush before the previous one has finished', async () => {
    vi.useFakeTimers();
    let active = 0;
    let overlapped = false;
    const batcher = createChangeBatcher(async () => {
      active++;
      if (active > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 600));
      active--;
    }, 250);
    for (let i = 0; i < 5; i++) {
      batcher.add([{ area: `31011${i}`, day: '2026-11-22' }]);
      await vi.advanceTimersByTimeAsync(250);
    }
    await vi.advanceTimersByTimeAsync(5000);
    expect(overlapped).toBe(false);
    await batcher.close();
  });

  it('hands over what is pending when closed', async () => {
    const flushes: AreaDayKey[][] = [];
    const batcher = createChangeBatcher(async (keys) => {
      flushes.push(keys);
    }, 10_000);
    batcher.add([{ area: '310101', day: '2026-11-22' }]);
    await batcher.close();
    expect(flushes).toEqual([[{ area: '310101', day: '2026-11-22' }]]);
  });
});
