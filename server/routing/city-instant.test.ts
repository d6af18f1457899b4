import { describe, expect, it } from 'vitest';
import { cityInstant } from './city-instant.ts';

describe('city instants', () => {
  it('turns seconds after the local midnight into an instant', () => {
    expect(cityInstant('2026-03-10', 9 * 3600 + 30 * 60, 'Asia/Shanghai')).toBe('2026-03-10T01:30:00.000Z');
    expect(cityInstant('2026-03-10', 3600, 'Asia/Shanghai')).toBe('2026-03-09T17:00:00.000Z');
    // Across a daylight-saving change (Berlin, 29 March 2026: 02:00 → 03:00).
    expect(cityInstant('2026-03-29', 12 * 3600, 'Europe/Berlin')).toBe('2026-03-29T10:00:00.000Z');
    expect(cityInstant('2026-03-28', 12 * 3600, 'Europe/Berlin')).toBe('2026-03-28T11:00:00.000Z');
  });
});
