import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let pudong: string;
beforeAll(async () => {
  t = await createTestApp();
  [command, pudong] = await Promise.all([t.login('command'), t.login('pudong')]);
});
afterAll(() => t.close());

/** The XYZ tile containing a WGS-84 point. */
function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const latRad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { z, x, y };
}

async function fetchTile(layer: string, tile: { z: number; x: number; y: number }, cookie: string) {
  const response = await t.app.inject({ url: `/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, headers: { cookie } });
  const decoded = response.statusCode === 200 ? new VectorTile(new PbfReader(response.rawPayload)) : undefined;
  const features = decoded?.layers[layer]
    ? Array.from({ length: decoded.layers[layer].length }, (_, i) => decoded.layers[layer]!.feature(i).properties)
    : [];
  return { response, features };
}

// People's Square, in Huangpu; the demo city's centre.
const centre = { lon: 121.4737, lat: 31.2304 };

describe('vector tiles', () => {
  it('serves district outlines carrying their code and names, built by PostGIS', async () => {
    const { response, features } = await fetchTile('districts', tileOf(centre.lon, centre.lat, 9), command);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/vnd.mapbox-vector-tile');
    expect(features.map((f) => f.code)).toContain('310101');
    expect(features.find((f) => f.code === '310101')).toMatchObject({ name: '黄浦区', level: 'district' });
  });

  it('serves grids from zoom 12 and nothing (204) below', async () => {
    const { features } = await fetchTile('grids', tileOf(centre.lon, centre.lat, 14), command);
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((f) => String(f.code).length === 14)).toBe(true);
    expect((await fetchTile('grids', tileOf(centre.lon, centre.lat, 11), command)).response.statusCode).toBe(204);
  });

  it('serves sites with id and category', async () => {
    const { features } = await fetchTile('sites', tileOf(centre.lon, centre.lat, 12), command);
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((f) => typeof f.id === 'number' && typeof f.category === 'string')).toBe(true);
  });

  it('limits tiles to the jurisdiction', async () => {
    const tile = tileOf(centre.lon, centre.lat, 9);
    const { features } = await fetchTile('districts', tile, pudong);
    expect(features.map((f) => f.code)).toEqual(['310115']);
    const streets = await fetchTile('streets', tileOf(centre.lon, centre.lat, 12), pudong);
    expect(streets.features.every((f) => String(f.code).startsWith('310115'))).toBe(true);
  });

  it('answers 304 to a matching ETag, and changes the ETag when the layer changes', async () => {
    const url = `/tiles/risk-areas/9/${tileOf(centre.lon, centre.lat, 9).x}/${tileOf(centre.lon, centre.lat, 9).y}.mvt`;
    const first = await t.app.inject({ url, headers: { cookie: command } });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"risk-areas-v\d+-310000"$/);
    const cached = await t.app.inject({ url, headers: { cookie: command, 'if-none-match': etag } });
    expect(cached.statusCode).toBe(304);
    await t.pool.query(`UPDATE layer_versions SET version = version + 1 WHERE layer = 'risk-areas'`);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // versions are re-read once a second
    const changed = await t.app.inject({ url, headers: { cookie: command, 'if-none-match': etag } });
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.statusCode).not.toBe(304);
  });

  it('refuses tiles that cannot exist and unknown layers with 400', async () => {
    for (const url of ['/tiles/districts/3/8/1.mvt', '/tiles/districts/23/0/0.mvt', '/tiles/roads/9/1/1.mvt', '/tiles/districts/9/1/1.png']) {
      const response = await t.app.inject({ url, headers: { cookie: command } });
      expect(response.statusCode, url).toBe(400);
    }
  });
});
