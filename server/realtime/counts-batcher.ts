// Coalesces count updates per area and flushes them on a fixed tick, so a busy area is sent at
// most once per tick (four times a second by default) with its latest full figures.
import type { AreaDayCounts } from '../contracts/stats.ts';

export interface CountsBatcher {
  publish(rows: readonly AreaDayCounts[]): void;
  /** Sends what is pending now and stops the timer. */
  close(): void;
}

export function createCountsBatcher(emit: (row: AreaDayCounts) => void, intervalMs = 250): CountsBatcher {
  let pending = new Map<string, AreaDayCounts>();
  const flush = () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    for (const row of batch.values()) emit(row);
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return {
    publish(rows) {
      for (const row of rows) {
        const key = `${row.area}|${row.day}`;
        const held = pending.get(key);
        // Figures can arrive out of order from concurrent batches: keep the newest.
        if (!held || held.version < row.version) pending.set(key, row);
      }
    },
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
