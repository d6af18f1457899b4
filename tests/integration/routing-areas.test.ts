// Area types for the travel model from the demo's districts: by density they match the central list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../server/infra/db.ts';
import { districtDensities } from '../../server/routing/routing.repository.ts';
import { areaTypeOf, densityAreaTypeRule, shanghaiCentralDistricts } from '../../server/routing/travel-time.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let pool: Pool;
beforeAll(() => {
  pool = createPool(testDatabaseUrl(), 1);
});
afterAll(() => pool.end());

describe('district area types', () => {
  it('classifies the 16 districts by population density as the central-district list does', async () => {
    const codes = (await pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'district' ORDER BY code`)).rows.map((r) => r.code);
    const facts = await districtDensities(pool, codes);
    expect(facts).toHaveLength(16);
    const byDensity = Object.fromEntries(facts.map((f) => [f.code, areaTypeOf(f, densityAreaTypeRule)]));
    const expected = Object.fromEntries(codes.map((c) => [c, shanghaiCentralDistricts.includes(c) ? 'central' : c === '310151' ? 'rural' : 'suburban']));
    expect(byDensity).toEqual(expected);
    // Huangpu, the densest: about 32 000 residents per km².
    expect(Math.round((facts.find((f) => f.code === '310101')?.densityPerKm2 ?? 0) / 1000)).toBe(32);
  });
});
