import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteCategoryCounts, SiteCollection } from '../../server/contracts/index.ts';
import { siteCategories } from '../../server/contracts/sites.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let pudong: string;
beforeAll(async () => {
  t = await createTestApp();
  command = await t.login('command');
  pudong = await t.login('pudong');
});
afterAll(() => t.close());

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });

describe('GET /api/sites', () => {
  it('filters by area at any level: every site returned lies in that area\'s grids', async () => {
    const body = json<SiteCollection>(await get('/api/sites?area=310115&limit=5000', command));
    expect(body.total).toBeGreaterThan(100);
    expect(body.features.length).toBe(Math.min(body.total, 5000));
    expect(body.features.every((f) => f.properties.gridCode?.startsWith('310115'))).toBe(true);
  });

  it('filters by one or several categories', async () => {
    const schools = json<SiteCollection>(await get('/api/sites?category=school&limit=100', command));
    expect(schools.total).toBeGreaterThan(0);
    expect(schools.features.every((f) => f.properties.category === 'school')).toBe(true);
    const two = json<SiteCollection>(await get('/api/sites?category=school,construction_site&limit=1', command));
    const construction = json<SiteCollection>(await get('/api/sites?category=construction_site&limit=1', command));
    expect(two.total).toBe(schools.total + construction.total);
  });

  it('filters by bbox: every site returned is inside it', async () => {
    const bbox = [121.45, 31.2, 121.5, 31.25];
    const body = json<SiteCollection>(await get(`/api/sites?bbox=${bbox.join(',')}&limit=5000`, command));
    expect(body.total).toBeGreaterThan(0);
    for (const feature of body.features) {
      const [lon, lat] = feature.geometry.coordinates;
      expect(lon).toBeGreaterThanOrEqual(bbox[0]!);
      expect(lon).toBeLessThanOrEqual(bbox[2]!);
      expect(lat).toBeGreaterThanOrEqual(bbox[1]!);
      expect(lat).toBeLessThanOrEqual(bbox[3]!);
    }
  });

  it('pages with limit and offset over a stable order', async () => {
    const first = json<SiteCollection>(await get('/api/sites?limit=10&offset=0', command));
    const second = json<SiteCollection>(await get('/api/sites?limit=10&offset=10', command));
    const both = json<SiteCollection>(await get('/api/sites?limit=20&offset=0', command));
    expect([...first.features, ...second.features].map((f) => f.id)).toEqual(both.features.map((f) => f.id));
  });

  it('limits a district official to their district, even when asking for the city', async () => {
    const body = json<SiteCollection>(await get('/api/sites?limit=5000', pudong));
    expect(body.features.every((f) => f.properties.gridCode?.startsWith('310115'))).toBe(true);
    expect((await get('/api/sites?area=310101', pudong)).statusCode).toBe(403);
  });

  it('answers 400 with a clear message for bad filters', async () => {
    const cases = ['category=spaceport', 'bbox=1,2,3', 'bbox=122,31,121,32', 'bbox=0,0,200,10', 'limit=0', 'limit=100000', 'offset=-1', 'area=abc'];
    for (const query of cases) {
      const response = await get(`/api/sites?${query}`, command);
      expect(response.statusCode, query).toBe(400);
      expect(json<{ message: string }>(response).message.length, query).toBeGreaterThan(5);
    }
  });
});

describe('GET /api/sites/categories', () => {
  it('counts by category sum to the total, and every category of the demo is a known one', async () => {
    const counts = json<SiteCategoryCounts>(await get('/api/sites/categories?area=310115', command));
    const total = json<SiteCollection>(await get('/api/sites?area=310115&limit=1', command)).total;
    expect(counts.counts.reduce((sum, c) => sum + c.count, 0)).toBe(total);
    expect(counts.counts.every((c) => (siteCategories as readonly string[]).includes(c.category))).toBe(true);
  });
});
