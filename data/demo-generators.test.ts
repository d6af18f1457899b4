// The JavaScript half of the demo generators must be deterministic for a seed and respect the
// rules the loader relies on (populations that add up, 3-8 grids per community, 14-digit codes).
import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { OpeningHours, siteCategories } from '../server/contracts/sites.ts';
import { planAreas } from './area-plan.ts';
import { apportion, randomFor } from './demo-random.ts';
import { DEFAULT_SEED, readDivisions } from './load-demo.ts';
import { describeSite } from './site-catalogue.ts';

describe('randomFor and apportion', () => {
  it('gives the same stream for the same key and seed, another for another seed', () => {
    const a = randomFor('key', 1);
    const b = randomFor('key', 1);
    const c = randomFor('key', 2);
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect([c.next(), c.next(), c.next()]).not.toEqual(seqA);
    expect(randomFor('key', 1).int(1, 6)).toBe(randomFor('key', 1).int(1, 6));
  });

  it('splits a total into shares that add up exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.5, 2.5])).toEqual([1, 6]);
    expect(apportion(1_000_003, [3, 1, 4, 1, 5, 9, 2, 6]).reduce((a, b) => a + b, 0)).toBe(1_000_003);
  });
});

// Planning 35,000 grids takes ~1 s; more on a busy machine.
describe('planAreas', { timeout: 20_000 }, async () => {
  const divisions = await readDivisions();
  const plan = planAreas(divisions, DEFAULT_SEED);

  it('is deterministic for a seed and differs for another', () => {
    expect(planAreas(divisions, DEFAULT_SEED)).toEqual(plan);
    const other = planAreas(divisions, DEFAULT_SEED + 1);
    expect(other.communities.map((c) => c.population)).not.toEqual(plan.communities.map((c) => c.population));
  });

  it('plans every division once, with populations that roll up to the census figures', () => {
    expect(plan.streets).toHaveLength(divisions.streets.length);
    expect(plan.communities).toHaveLength(divisions.communities.length);
    const sumBy = (items: ReadonlyArray<{ parent: string; population: number }>) => {
      const sums = new Map<string, number>();
      for (const item of items) sums.set(item.parent, (sums.get(item.parent) ?? 0) + item.population);
      return sums;
    };
    const streetSums = sumBy(plan.streets);
    for (const district of divisions.districts) expect(streetSums.get(district.code)).toBe(district.population);
    const communitySums = sumBy(plan.communities);
    for (const street of plan.streets) expect(communitySums.get(street.code)).toBe(street.population);
    const gridSums = sumBy(plan.grids);
    for (const community of plan.communities) expect(gridSums.get(community.code)).toBe(community.population);
  });

  it('cuts every community into 3-8 grids coded community + 2 digits, numbered 01..n', () => {
    // Plain loops and one assertion each: 35,000 expect() calls are slow on a busy machine.
    const byCommunity = new Map<string, string[]>();
    const badCodes = plan.grids.filter((grid) => !/^\d{14}$/.test(grid.code) || !grid.code.startsWith(grid.parent));
    for (const grid of plan.grids) {
      const codes = byCommunity.get(grid.parent);
      if (codes) codes.push(grid.code);
      else byCommunity.set(grid.parent, [grid.code]);
    }
    const badCounts = [...byCommunity.values()].filter((codes) => codes.length < 3 || codes.length > 8);
    const badNumbers = [...byCommunity.values()].filter((codes) => codes.some((code, i) => code.slice(12) !== String(i + 1).padStart(2, '0')));
    expect(badCodes).toEqual([]);
    expect(byCommunity.size).toBe(plan.communities.length);
    expect(badCounts).toEqual([]);
    expect(badNumbers).toEqual([]);
    expect(plan.grids.length).toBeGreaterThan(30_000);
  });

  it('ranks subdistricts before towns, so they take the cells nearest the centre', () => {
    const pudong = plan.streets.filter((s) => s.parent === '310115').sort((a, b) => a.rank - b.rank);
    const firstTown = pudong.findIndex((s) => s.name.endsWith('镇'));
    expect(pudong.slice(0, firstTown).every((s) => s.name.endsWith('街道'))).toBe(true);
    expect(firstTown).toBeGreaterThan(5);
  });
});

describe('describeSite', () => {
  const point = { ord: 42, category: 'school' as const, districtName: '浦东新区', streetName: '陆家嘴街道', communityName: '梅园一村居委会' };

  it('is deterministic for a point and seed', () => {
    expect(describeSite(point, DEFAULT_SEED)).toEqual(describeSite(point, DEFAULT_SEED));
    expect(describeSite(point, DEFAULT_SEED)).not.toEqual(describeSite(point, DEFAULT_SEED + 1));
  });

  it('gives every category a name, an address in its street and valid weekly hours', () => {
    for (const category of siteCategories) {
      for (let ord = 1; ord <= 20; ord += 1) {
        const site = describeSite({ ...point, ord, category }, DEFAULT_SEED);
        expect(site.name.length).toBeGreaterThan(2);
        expect(site.address.startsWith('上海市浦东新区陆家嘴街道')).toBe(true);
        expect(site.responsiblePerson).toMatch(/^\p{Script=Han}{2,3}$/u);
        expect(site.responsiblePhone).toMatch(/^1\d{10}$/);
        expect(Value.Check(OpeningHours, site.openingHours)).toBe(true);
        expect(Object.keys(site.openingHours)).toHaveLength(7);
      }
    }
  });

  it('closes schools at weekends and keeps fever clinics open round the clock', () => {
    const school = describeSite(point, DEFAULT_SEED).openingHours;
    expect(school.sat).toEqual([]);
    expect(school.mon).toEqual([['07:30', '17:00']]);
    const clinic = describeSite({ ...point, category: 'fever_clinic' }, DEFAULT_SEED).openingHours;
    expect(clinic.sun).toEqual([['00:00', '24:00']]);
  });
});
