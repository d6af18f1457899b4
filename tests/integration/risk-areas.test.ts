import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskAreaCollection, RiskAreaFeature, RiskAreaHistory } from '../../server/contracts/index.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let pudong: string;
let wall: string;
type Ring = number[][];

/** A small square well inside an area, found by PostGIS (WGS-84). */
async function squareInside(code: string, halfSide = 0.001): Promise<Ring> {
  const { rows } = await t.pool.query<{ ring: { coordinates: Ring[] } }>(
    `SELECT ST_AsGeoJSON(sq)::json AS ring FROM areas a,
            LATERAL (SELECT ST_Envelope(ST_Buffer(ST_PointOnSurface(a.geom), $2)) AS sq) s
      WHERE a.code = $1 AND ST_Within(ST_Buffer(sq, $2), a.geom)`,
    [code, halfSide],
  );
  const ring = rows[0]?.ring.coordinates[0];
  if (!ring) throw new Error(`no square fits inside ${code}`);
  return ring;
}

function feature(ring: Ring, properties: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [ring] },
    properties: { name: '测试风险区 test', level: 'medium', reason: '聚集性疫情', validFrom: '2026-11-20T00:00:00+08:00', ...properties },
  };
}

const post = (cookie: string, payload: unknown) => t.app.inject({ method: 'POST', url: '/api/risk-areas', headers: { cookie }, payload: payload as object });

beforeAll(async () => {
  t = await createTestApp();
  [command, pudong, wall] = await Promise.all([t.login('command'), t.login('pudong'), t.login('wall')]);
});
afterAll(() => t.close());

describe('risk areas', () => {
  it('creates, changes and retires a risk area, keeping every version', async () => {
    const ring = await squareInside('310115');
    const created = await post(command, feature(ring, { level: 'high' }));
    expect(created.statusCode, created.body).toBe(201);
    const area = json<RiskAreaFeature>(created);
    expect(area.properties).toMatchObject({ level: 'high', version: 1, active: true, sourceCrs: 'wgs84', createdBy: 'command' });
    expect(created.headers.location).toBe(`/api/risk-areas/${area.id}`);

    const changed = await t.app.inject({
      method: 'PUT',
      url: `/api/risk-areas/${area.id}`,
      headers: { cookie: command },
      payload: feature(ring, { level: 'low', name: '降级 downgraded' }),
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json<RiskAreaFeature>(changed).properties).toMatchObject({ level: 'low', version: 2 });

    const retired = await t.app.inject({ method: 'DELETE', url: `/api/risk-areas/${area.id}`, headers: { cookie: command } });
    expect(retired.statusCode).toBe(200);
    expect(json<RiskAreaFeature>(retired).properties).toMatchObject({ active: false, version: 3, retiredAt: expect.any(String) });

    const again = await t.app.inject({ method: 'DELETE', url: `/api/risk-areas/${area.id}`, headers: { cookie: command } });
    expect(again.statusCode).toBe(409);
    const edit = await t.app.inject({ method: 'PUT', url: `/api/risk-areas/${area.id}`, headers: { cookie: command }, payload: feature(ring) });
    expect(edit.statusCode).toBe(409);

    const history = json<RiskAreaHistory>(await t.app.inject({ url: `/api/risk-areas/${area.id}/history`, headers: { cookie: command } }));
    expect(history.versions.map((v) => [v.version, v.change, v.level])).toEqual([
      [1, 'created', 'high'],
      [2, 'updated', 'low'],
      [3, 'retired', 'low'],
    ]);

    const current = json<RiskAreaCollection>(await t.app.inject({ url: '/api/risk-areas', headers: { cookie: command } }));
    expect(current.features.some((f) => f.id === area.id)).toBe(false);
    const all = json<RiskAreaCollection>(await t.app.inject({ url: '/api/risk-areas?status=all', headers: { cookie: command } }));
    expect(all.features.some((f) => f.id === area.id)).toBe(true);
  });

  it('converts GCJ-02 and BD-09 coordinates to WGS-84', async () => {
    const wgs = await squareInside('310101', 0.0008);
    for (const crs of ['gcj02', 'bd09'] as const) {
      const from = crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
      const submitted = wgs.map((p) => gcoord.transform([p[0]!, p[1]!], gcoord.WGS84, from) as number[]);
      const response = await post(command, feature(submitted, { crs }));
      expect(response.statusCode, response.body).toBe(201);
      const stored = json<RiskAreaFeature>(response);
      expect(stored.properties.sourceCrs).toBe(crs);
      const storedRing = stored.geometry.coordinates[0]![0]!;
      // The offset between systems is hundreds of metres; the round trip is within a metre.
      expect(Math.abs(submitted[0]![0]! - storedRing[0]![0]!)).toBeGreaterThan(0.001);
      storedRing.forEach((position, i) => {
        expect(position[0]).toBeCloseTo(wgs[i]![0]!, 5);
        expect(position[1]).toBeCloseTo(wgs[i]![1]!, 5);
      });
    }
  });

  it('refuses unusable polygons with 422 and a reason, writing nothing', async () => {
    const before = (await t.pool.query<{ n: number }>('SELECT count(*) AS n FROM risk_areas')).rows[0]!.n;
    const ring = await squareInside('310115');
    const [a, b, c, d] = ring as [number[], number[], number[], number[]];
    const cases: Array<[string, unknown]> = [
      ['self-intersecting', feature([a, c, b, d, a])],
      ['ring not closed', feature([a, b, c, d])],
      ['latitude out of range', feature([[121.5, 95], b, c, [121.5, 95]])],
      ['outside the city', feature([[116.3, 39.9], [116.31, 39.9], [116.31, 39.91], [116.3, 39.91], [116.3, 39.9]])],
      ['too small', feature([a, [a[0]! + 0.00001, a[1]!], [a[0]! + 0.00001, a[1]! + 0.00001], [a[0]!, a[1]! + 0.00001], a])],
      ['ends before it starts', feature(ring, { validFrom: '2026-11-20T00:00:00+08:00', validTo: '2026-11-19T00:00:00+08:00' })],
    ];
    for (const [label, payload] of cases) {
      const response = await post(command, payload);
      expect(response.statusCode, `${label}: ${response.body}`).toBe(422);
      expect(json<{ code: string; message: string }>(response).code).toBe('validation_failed');
    }
    const after = (await t.pool.query<{ n: number }>('SELECT count(*) AS n FROM risk_areas')).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('refuses malformed bodies with 400', async () => {
    const ring = await squareInside('310115');
    const cases: unknown[] = [
      {},
      { type: 'Feature' },
      feature(ring, { level: 'extreme' }),
      feature(ring, { validFrom: 'yesterday' }),
      { ...feature(ring), geometry: { type: 'Point', coordinates: [121.5, 31.2] } },
      { ...feature(ring), geometry: { type: 'Polygon', coordinates: [[['a', 'b']]] } },
      feature(ring, { name: '' }),
      feature(ring, { crs: 'epsg:2000' }),
    ];
    for (const payload of cases) {
      const response = await post(command, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 120)).toBe(400);
    }
  });

  it('lets only writers write, and district officials only inside their district', async () => {
    const inPudong = await squareInside('310115');
    const inHuangpu = await squareInside('310101');
    expect((await post(wall, feature(inPudong))).statusCode).toBe(403);
    expect((await post(pudong, feature(inHuangpu))).statusCode).toBe(422);
    const own = await post(pudong, feature(inPudong));
    expect(own.statusCode).toBe(201);

    const huangpuArea = json<RiskAreaFeature>(await post(command, feature(inHuangpu)));
    const seenByPudong = json<RiskAreaCollection>(await t.app.inject({ url: '/api/risk-areas', headers: { cookie: pudong } }));
    expect(seenByPudong.features.some((f) => f.id === json<RiskAreaFeature>(own).id)).toBe(true);
    expect(seenByPudong.features.some((f) => f.id === huangpuArea.id)).toBe(false);
    expect((await t.app.inject({ url: `/api/risk-areas/${huangpuArea.id}`, headers: { cookie: pudong } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/risk-areas/${huangpuArea.id}`, headers: { cookie: pudong } })).statusCode).toBe(404);
  });
});
