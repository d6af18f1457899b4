import { describe, expect, it } from 'vitest';
import { cityDay } from './city-time.ts';

describe('cityDay', () => {
  it('puts an instant on the city\'s calendar day, not UTC\'s', () => {
    // 16:30 UTC is 00:30 the next day in Shanghai (UTC+8).
    expect(cityDay(new Date('2026-11-22T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(cityDay(new Date('2026-11-22T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-22');
    expect(cityDay(new Date('2026-11-22T16:30:00Z'), 'UTC')).toBe('2026-11-22');
  });

  it('crosses a year boundary in the city\'s zone', () => {
    expect(cityDay(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
  });
});
