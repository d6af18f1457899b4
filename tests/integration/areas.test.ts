import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaChildren, AreaFeature, AreaSearchResult } from '../../server/contracts/index.ts';
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

describe('GET /api/areas/:code/children', () => {
  it('lists the 16 districts of the city with the contract properties and simplified geometry', async () => {
    const response = await get('/api/areas/310000/children', command);
    expect(response.statusCode).toBe(200);
    const body = json<AreaChildren>(response);
    expect(body.parent).toMatchObject({ code: '310000', level: 'city' });
    expect(body.features).toHaveLength(16);
    const pudongFeature = body.features.find((f) => f.properties.code === '310115');
    expect(pudongFeature?.properties).toMatchObject({ name: '浦东新区', level: 'district', parentCode: '310000', synthetic: false });
    expect(pudongFeature?.geometry.type).toBe('MultiPolygon');
    for (const feature of body.features) {
      const [lon, lat] = feature.properties.labelPoint;
      expect(lon).toBeGreaterThan(120.8);
      expect(lon).toBeLessThan(122.2);
      expect(lat).toBeGreaterThan(30.6);
      expect(lat).toBeLessThan(31.9);
    }
  });

  it('drills down city → district → street → community → grid, each level naming its ancestors', async () => {
    let code = '310000';
    const expectedLevels = ['district', 'street', 'community', 'grid'];
    for (const [depth, level] of expectedLevels.entries()) {
      const children = json<AreaChildren>(await get(`/api/areas/${code}/children`, command));
      expect(children.features.length, `children of ${code}`).toBeGreaterThan(0);
      const child = children.features[0]!;
      expect(child.properties.level).toBe(level);
      expect(child.properties.parentCode).toBe(code);
      const area = json<AreaFeature>(await get(`/api/areas/${child.properties.code}`, command));
      expect(area.properties.ancestors.map((a) => a.code)).toHaveLength(depth + 1);
      expect(area.properties.ancestors.at(-1)?.code).toBe(code);
      expect(area.properties.synthetic).toBe(level !== 'district');
      const [minLon, minLat, maxLon, maxLat] = area.bbox;
      expect(minLon).toBeLessThan(maxLon);
      expect(minLat).toBeLessThan(maxLat);
      code = child.properties.code;
    }
    const grid = json<AreaChildren>(await get(`/api/areas/${code}/children`, command));
    expect(grid.features).toHaveLength(0);
  });

  it('an area\'s site count equals the sum over its children', async () => {
    const district = json<AreaFeature>(await get('/api/areas/310115', command));
    const streets = json<AreaChildren>(await get('/api/areas/310115/children', command));
    const sum = streets.features.reduce((total, f) => total + f.properties.siteCount, 0);
    expect(district.properties.siteCount).toBeGreaterThan(0);
    expect(sum).toBe(district.properties.siteCount);
    expect(district.properties.childCount).toBe(streets.features.length);
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    const unknown = await get('/api/areas/999999', command);
    expect(unknown.statusCode).toBe(404);
    expect(json<{ code: string }>(unknown).code).toBe('not_found');
    for (const bad of ['abc', '31', '3100000000000000000', "310000' OR '1'='1"]) {
      const response = await get(`/api/areas/${encodeURIComponent(bad)}/children`, command);
      expect(response.statusCode, bad).toBe(400);
    }
  });

  it('keeps a district official inside their district', async () => {
    expect((await get('/api/areas/310115', pudong)).statusCode).toBe(200);
    expect((await get('/api/areas/310115/children', pudong)).statusCode).toBe(200);
    for (const outside of ['/api/areas/310000', '/api/areas/310101', '/api/areas/310000/children', '/api/areas/310101/children']) {
      const response = await get(outside, pudong);
      expect(response.statusCode, outside).toBe(403);
      expect(json<{ code: string }>(response).code).toBe('forbidden');
    }
  });
});

describe('GET /api/areas/search', () => {
  it('finds areas by Chinese name, English name and code, inside the jurisdiction only', async () => {
    const byName = json<AreaSearchResult>(await get(`/api/areas/search?q=${encodeURIComponent('浦东')}`, command));
    expect(byName.items[0]).toMatchObject({ code: '310115', level: 'district' });
    const byEnglish = json<AreaSearchResult>(await get('/api/areas/search?q=Huangpu', command));
    expect(byEnglish.items.map((item) => item.code)).toContain('310101');
    const scoped = json<AreaSearchResult>(await get('/api/areas/search?q=Huangpu', pudong));
    expect(scoped.items.every((item) => item.path.includes('310115'))).toBe(true);
    const { rows } = await t.pool.query<{ code: string }>(`SELECT min(code) AS code FROM areas WHERE parent_code = '310115'`);
    const street = rows[0]!.code;
    const byCode = json<AreaSearchResult>(await get(`/api/areas/search?q=${street}`, pudong));
    expect(byCode.items[0]?.code).toBe(street);
  });
});
