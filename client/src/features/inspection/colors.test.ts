import { describe, expect, it } from 'vitest';
import { coverageColor, coverageRamp } from './colors.ts';

describe('coverageColor', () => {
  it('puts a share in its step of the ramp: none, under a quarter, …, three quarters and more', () => {
    const colors = coverageRamp.map((s) => s.color);
    expect([0, 0.01, 0.24, 0.25, 0.49, 0.5, 0.74, 0.75, 1].map(coverageColor)).toEqual([
      colors[0], colors[1], colors[1], colors[2], colors[2], colors[3], colors[3], colors[4], colors[4],
    ]);
    expect(new Set(colors).size).toBe(coverageRamp.length);
  });
});
