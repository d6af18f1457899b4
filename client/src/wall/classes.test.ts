import { describe, expect, it } from 'vitest';
import { classBreaks, classOf, legendRows } from './classes.ts';

describe('choropleth classes', () => {
  it('gives zero its own class and puts every positive value under a nice upper bound', () => {
    const values = [0, 0, 3, 12, 40, 95, 180, 420, 1210];
    const breaks = classBreaks(values);
    expect(breaks.length).toBeGreaterThan(1);
    expect([...breaks].sort((a, b) => a - b)).toEqual(breaks);
    expect(breaks[breaks.length - 1]).toBeGreaterThanOrEqual(1210);
    expect(classOf(0, breaks)).toBe(-1);
    expect(classOf(1210, breaks)).toBe(breaks.length - 1);
    for (const v of values.filter((x) => x > 0)) expect(v).toBeLessThanOrEqual(breaks[classOf(v, breaks)]!);
  });

  it('has no positive classes when everything is zero, and legend ranges join up', () => {
    expect(classBreaks([0, 0])).toEqual([]);
    const rows = legendRows([10, 50, 200], String);
    expect(rows.map((r) => r.label)).toEqual(['0', '1 – 10', '11 – 50', '51 – 200']);
  });
});
