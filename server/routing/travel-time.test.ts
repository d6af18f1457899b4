import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../optimiser/matrix.ts';
import { areaTypeOf, defaultTravelModel, travelSeconds, travelTimeMatrix, type TravelPoint } from './travel-time.ts';

const xuhui: TravelPoint = { lon: 121.4368, lat: 31.1886, areaType: 'central' };
const jingan: TravelPoint = { lon: 121.4482, lat: 31.2286, areaType: 'central' };
const minhang: TravelPoint = { lon: 121.3817, lat: 31.1129, areaType: 'suburban' };
const chongming: TravelPoint = { lon: 121.3973, lat: 31.6230, areaType: 'rural' };

describe('great-circle travel model', () => {
  it('divides detoured distance by the area speed', () => {
    const metres = haversineMetres(xuhui, jingan) * 1.3;
    expect(metres).toBeLessThan(15_000);
    expect(travelSeconds(xuhui, jingan)).toBe(Math.round(metres / 5));
    // Centre to suburb: half the way at 5 m/s, half at 8.33 m/s, both directions alike.
    const toMinhang = haversineMetres(xuhui, minhang) * 1.3;
    expect(travelSeconds(xuhui, minhang)).toBe(Math.round(toMinhang * (0.5 / 5 + 0.5 / 8.33)));
    expect(travelSeconds(minhang, xuhui)).toBe(travelSeconds(xuhui, minhang));
  });

  it('drives a long trip beyond 15 km at expressway speed', () => {
    const metres = haversineMetres(xuhui, chongming) * 1.3;
    expect(metres).toBeGreaterThan(60_000);
    const expected = Math.round(15_000 * (0.5 / 5 + 0.5 / 12.5) + (metres - 15_000) / 16.67);
    expect(travelSeconds(xuhui, chongming)).toBe(expected);
    // About an hour and a half from Xuhui to the middle of Chongming.
    expect(expected).toBeGreaterThan(75 * 60);
    expect(expected).toBeLessThan(95 * 60);
  });

  it('builds a symmetric matrix with a zero diagonal and honours its parameters', () => {
    const m = travelTimeMatrix([xuhui, jingan, minhang]);
    expect(m.size).toBe(3);
    expect([m.durations[0], m.durations[4], m.durations[8]]).toEqual([0, 0, 0]);
    expect(m.durations[1]).toBe(m.durations[3]);
    const slower = travelTimeMatrix([xuhui, jingan], { ...defaultTravelModel, speedMps: { central: 2.5, suburban: 8.33, rural: 12.5 }, legOverheadSeconds: 120 });
    expect(slower.durations[1]).toBe(Math.round((haversineMetres(xuhui, jingan) * 1.3) / 2.5 + 120));
    expect(() => travelTimeMatrix([xuhui], { ...defaultTravelModel, detourFactor: 0.5 })).toThrow(/detourFactor/);
  });

  it('tells central, suburban and rural areas apart by district list or by density', () => {
    expect(areaTypeOf({ code: '310101' })).toBe('central');
    expect(areaTypeOf({ code: '310115' })).toBe('suburban');
    expect(areaTypeOf({ code: '310151' }, { kind: 'districts', central: ['310101'], rural: ['310151'] })).toBe('rural');
    const rule = { kind: 'density', centralMinPerKm2: 10_000, suburbanMinPerKm2: 1_000 } as const;
    expect(areaTypeOf({ code: 'x', densityPerKm2: 24_000 }, rule)).toBe('central');
    expect(areaTypeOf({ code: 'x', densityPerKm2: 2_500 }, rule)).toBe('suburban');
    expect(areaTypeOf({ code: 'x', densityPerKm2: 400 }, rule)).toBe('rural');
    expect(areaTypeOf({ code: 'x', densityPerKm2: null }, rule)).toBe('suburban');
  });
});
