// Collects which area-days changed and, on a fixed tick, hands them over once, so a busy area is
// sent at most once per tick (four times a second by default) whatever the rate of records.
export interface AreaDayKey {
  area: string;
  day: string;
}

export interface ChangeBatcher {
  add(keys: readonly AreaDayKey[]): void;
  /** Hands over what is pending now and stops the timer. */
  close(): Promise<void>;
}

/** `flush` receives each pending key once; a tick waits for the previous flush to finish. */
export function createChangeBatcher(flush: (keys: AreaDayKey[]) => Promise<void>, intervalMs = 250): ChangeBatcher {
  let pending = new Map<string, AreaDayKey>();
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (pending.size === 0) return running;
    const batch = [...pending.values()];
    pending = new Map();
    running = running.then(() => flush(batch)).catch(() => undefined);
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    add(keys) {
      for (const key of keys) pending.set(`${key.area}|${key.day}`, key);
    },
    close() {
      clearInterval(timer);
      return tick();
    },
  };
}
