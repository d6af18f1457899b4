import { randomInt, randomUUID } from 'node:crypto';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaDayCounts, ArrivalPolicies, ArrivalPolicy, PeopleAccepted, PeopleList, PersonDetail, RiskAreaFeature, SuggestedRegime } from '../../server/contracts/index.ts';
import { residentIdCheckChar } from '../../server/people/id-number.ts';
import { cityDay } from '../../server/infra/city-time.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
let command: string;
let pudong: string;
let grid01: string;
let wall: string;
let team01: string;
/** the grids of grid01's community 310115004001 */
let communityGrids: string[];
/** a Pudong grid outside grid01's community */
let otherPudongGrid: string;
let huangpuGrid: string;

const today = cityDay(new Date(), 'Asia/Shanghai');
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

// Resident IDs: a random birth date per run and a counter, so that no two tests of the file collide.
let idCounter = randomInt(0, 10_000);
function residentId(): string {
  idCounter += 1;
  const birth = new Date(Date.UTC(1940, 0, 1) + (idCounter % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `310115${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
/** A valid resident ID 3101…1234 (the masking example). */
function residentIdEnding1234(): string {
  for (let d = randomInt(0, 5000); ; d++) {
    const birth = new Date(Date.UTC(1960, 0, 1) + d * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `310101${birth}123`;
    if (residentIdCheckChar(first17) === '4') return `${first17}4`;
  }
}

function person(grid: string, overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), name: '李四', idNumber: residentId(), grid, category: 'risk_area_arrival', ...overrides };
}

const post = (cookie: string, people: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie }, payload: { people } as object });
const get = (cookie: string, url: string) => t.app.inject({ url, headers: { cookie } });
const detail = async (id: string, cookie = grid01) => json<PersonDetail>(await get(cookie, `/api/people/${id}`));
const suggestion = async (id: string, cookie = grid01) => json<SuggestedRegime>(await get(cookie, `/api/people/${id}/suggested-regime`));
const peopleCount = async () => (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM people')).rows[0]!.n;
const arrivals = async (code: string, day: string) =>
  json<AreaDayCounts>(await get(command, `/api/stats/${code}?day=${day}`)).counts.riskAreaArrivals;

/** A small square inside an area (WGS-84) that no existing risk area touches, and its centre. */
async function freeSquare(code: string, halfSide = 0.0003): Promise<{ ring: number[][]; centre: [number, number] }> {
  const { rows } = await t.pool.query<{ ring: { coordinates: number[][][] }; lon: number; lat: number; taken: boolean }>(
    `SELECT ST_AsGeoJSON(sq)::json AS ring, ST_X(ST_Centroid(sq)) AS lon, ST_Y(ST_Centroid(sq)) AS lat,
            EXISTS (SELECT 1 FROM risk_areas r WHERE ST_Intersects(r.geom, ST_Buffer(sq, 0.0005))) AS taken
       FROM areas a, LATERAL (SELECT ST_Envelope(ST_Buffer(ST_PointOnSurface(a.geom), $2)) AS sq) s
      WHERE a.code = $1`,
    [code, halfSide],
  );
  const row = rows[0]!;
  if (row.taken) throw new Error(`a risk area already lies near ${code}`);
  return { ring: row.ring.coordinates[0]!, centre: [row.lon, row.lat] };
}

async function createRiskArea(ring: number[][], properties: Record<string, unknown>): Promise<RiskAreaFeature> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/risk-areas',
    headers: { cookie: command },
    payload: {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { reason: '测试 people', validFrom: `${daysAgo(30)}T00:00:00+08:00`, ...properties },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return json<RiskAreaFeature>(response);
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, command, pudong, grid01, wall, team01] = (await Promise.all(
    ['admin', 'command', 'pudong', 'grid01', 'wall', 'team01'].map((u) => t.login(u)),
  )) as [string, string, string, string, string, string];
  communityGrids = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE parent_code = '310115004001' ORDER BY code`)).rows.map((r) => r.code);
  otherPudongGrid = (await t.pool.query<{ code: string }>(
    `SELECT min(code) AS code FROM areas WHERE level = 'grid' AND code LIKE '310115%' AND parent_code <> '310115004001'`,
  )).rows[0]!.code;
  huangpuGrid = (await t.pool.query<{ code: string }>(`SELECT min(code) AS code FROM areas WHERE level = 'grid' AND code LIKE '310101%'`)).rows[0]!.code;
  expect(communityGrids.length).toBeGreaterThanOrEqual(2);
});
afterAll(() => t.close());

describe('POST /api/people', () => {
  it('registers once: the same batch again is all duplicates; a grid is found from a GCJ-02 position', async () => {
    const { rows } = await t.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE code = $1) s`,
      [communityGrids[1]],
    );
    const [lon, lat] = gcoord.transform([rows[0]!.lon, rows[0]!.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    let first17 = residentId().slice(0, 17);
    while (residentIdCheckChar(first17) !== 'X') first17 = residentId().slice(0, 17);
    const a = person(communityGrids[0]!, { name: ' 王五 ', phone: '13900001111', address: '潍坊路1号', healthCode: 'green', note: '返沪' });
    const b = person('', { position: { lon, lat, crs: 'gcj02' }, idNumber: ` ${first17}x ` });
    delete (b as { grid?: string }).grid;
    const batch = [a, b];
    expect(json<PeopleAccepted>(await post(grid01, batch))).toEqual({ accepted: 2, duplicates: 0 });
    expect(json<PeopleAccepted>(await post(grid01, batch))).toEqual({ accepted: 0, duplicates: 2 });
    const c = person(communityGrids[0]!);
    expect(json<PeopleAccepted>(await post(grid01, [...batch, c, c]))).toEqual({ accepted: 1, duplicates: 3 });

    const stored = await detail(b.id);
    expect(stored.gridCode).toBe(communityGrids[1]);
    expect(stored.idNumber).toBe(`${first17}X`);
    expect(await detail(a.id)).toMatchObject({
      name: '王五', idType: 'resident_id', phone: '13900001111', address: '潍坊路1号', category: 'risk_area_arrival',
      healthCode: 'green', riskAreaLevel: null, arrivedOn: null, note: '返沪', createdBy: 'grid01', travel: [], cases: [], masked: false,
    });
  });

  it('answers 409 naming the record when an ID number is registered under another id, and stores nothing', async () => {
    const existing = person(communityGrids[0]!);
    expect((await post(grid01, [existing])).statusCode).toBe(200);
    const before = await peopleCount();
    const fresh = person(communityGrids[0]!);
    const copy = person(communityGrids[1]!, { idNumber: existing.idNumber });
    const response = await post(grid01, [fresh, copy]);
    expect(response.statusCode).toBe(409);
    const body = json<{ code: string; details: Array<{ index: number; id: string; field: string; message: string }> }>(response);
    expect(body.code).toBe('conflict');
    expect(body.details).toEqual([{ index: 1, id: copy.id, field: 'idNumber', message: expect.stringContaining(existing.id) }]);
    expect(await peopleCount()).toBe(before);

    // Two new records of one ID number in one batch: the second is the conflict.
    const twin = person(communityGrids[0]!, { idNumber: fresh.idNumber });
    const inBatch = await post(grid01, [fresh, twin]);
    expect(inBatch.statusCode).toBe(409);
    expect(json<{ details: Array<{ index: number; message: string }> }>(inBatch).details).toEqual([
      { index: 1, id: twin.id, field: 'idNumber', message: expect.stringContaining('record 0') },
    ]);
    expect(await peopleCount()).toBe(before);

    // Outside the writer's jurisdiction the holder is not named.
    const huangpu = person(huangpuGrid);
    expect((await post(command, [huangpu])).statusCode).toBe(200);
    const hidden = await post(grid01, [person(communityGrids[0]!, { idNumber: huangpu.idNumber })]);
    expect(hidden.statusCode).toBe(409);
    const message = json<{ details: Array<{ message: string }> }>(hidden).details[0]!.message;
    expect(message).toContain('outside your jurisdiction');
    expect(message).not.toContain(huangpu.id);
  });

  it('lets one of two concurrent registrations of an ID number win; the other is a conflict or, for the same id, a duplicate', async () => {
    const idNumber = residentId();
    const [one, two] = await Promise.all([
      post(grid01, [person(communityGrids[0]!, { idNumber })]),
      post(pudong, [person(communityGrids[1]!, { idNumber })]),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 409]);
    const same = person(communityGrids[0]!);
    const results = await Promise.all([post(grid01, [same]), post(grid01, [same]), post(pudong, [same])]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.map((r) => json<PeopleAccepted>(r).accepted).sort()).toEqual([0, 0, 1]);
    expect((await t.pool.query('SELECT 1 FROM people WHERE id_number = ANY ($1)', [[idNumber, same.idNumber]])).rowCount).toBe(2);
  });

  it('rejects the whole batch with every bad record named (ID checksum, birth date, fields), and stores nothing', async () => {
    const before = await peopleCount();
    const good = residentId();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const feb30 = '31011519900230123';
    const grid = communityGrids[0]!;
    const batch = [
      person(grid),
      person(grid, { idNumber: wrongCheck }),
      person(grid, { idNumber: feb30 + residentIdCheckChar(feb30) }),
      person(grid, { idNumber: good.slice(0, 17) }),
      person(grid, { name: '' }),
      person(grid, { position: { lon: 121.5, lat: 31.2 } }),
      { ...person(grid), grid: undefined },
      person(grid, { category: 'tourist' }),
      person(grid, { arrivedOn: '2099-01-01' }),
      person(grid, { travel: [{ fromDay: daysAgo(3), toDay: daysAgo(5), place: '武汉' }] }),
      person(grid, { travel: [{ fromDay: daysAgo(5), toDay: daysAgo(3), place: '某地', riskAreaId: 999_999_999 }] }),
      person(grid, { extra: 'field' }),
      'not even an object',
      { ...person(grid), id: 'not-a-uuid' },
      person(grid, { arrivedOn: '2026-02-30' }),
      person(grid, { phone: 'call me' }),
    ];
    const response = await post(grid01, batch);
    expect(response.statusCode).toBe(400);
    const body = json<{ code: string; details: Array<{ index: number; field: string; message: string }> }>(response);
    expect(body.code).toBe('validation_failed');
    expect([...new Set(body.details.map((d) => d.index))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const field = (index: number) => body.details.filter((d) => d.index === index).map((d) => d.field);
    expect(field(1)).toEqual(['idNumber']);
    expect(body.details.find((d) => d.index === 1)!.message).toMatch(/check digit/);
    expect(body.details.find((d) => d.index === 2)!.message).toMatch(/birth date 1990-02-30/);
    expect(field(3)).toEqual(['idNumber']);
    expect(field(4)).toContain('name');
    expect(field(5)).toEqual(['grid']);
    expect(field(6)).toEqual(['grid']);
    expect(field(7)).toContain('category');
    expect(field(8)).toEqual(['arrivedOn']);
    expect(field(9)).toEqual(['travel.0.toDay']);
    expect(field(10)).toEqual(['travel.0.riskAreaId']);
    expect(field(14)).toContain('arrivedOn');
    expect(field(15)).toContain('phone');
    expect(await peopleCount()).toBe(before);
  });

  it('answers malformed requests with 400, never 500', async () => {
    const bodies = ['{}', '{"people":[]}', '{"people":"x"}', '[]', 'null', '{"people":[{}]}', '{"people":[null]}', '{"people":[1],"x":1}'];
    for (const body of bodies) {
      const response = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: grid01, 'content-type': 'application/json' }, payload: body });
      expect(response.statusCode, body).toBe(400);
    }
    expect((await post(grid01, Array.from({ length: 1001 }, () => ({})))).statusCode).toBe(400);
  });

  it('keeps writers inside their jurisdiction and read-only roles out', async () => {
    const outside = await post(pudong, [person(huangpuGrid)]);
    expect(outside.statusCode).toBe(400);
    expect(json<{ details: Array<{ field: string }> }>(outside).details.map((d) => d.field)).toEqual(['grid']);
    const otherCommunity = await post(grid01, [person(otherPudongGrid)]);
    expect(otherCommunity.statusCode).toBe(400);
    expect(json<{ details: Array<{ field: string }> }>(otherCommunity).details.map((d) => d.field)).toEqual(['grid']);
    expect((await post(pudong, [person(otherPudongGrid)])).statusCode).toBe(200);
    expect((await post(wall, [person(communityGrids[0]!)])).statusCode).toBe(403);
    expect((await post(team01, [person(communityGrids[0]!)])).statusCode).toBe(403);
  });
});

describe('reading people', () => {
  let zhang: { id: string; idNumber: string };
  let huangpuPerson: string;
  const prefix = `测${randomInt(100_000, 999_999)}`;

  beforeAll(async () => {
    zhang = { id: randomUUID(), idNumber: residentIdEnding1234() };
    const batch = [
      { ...zhang, name: '张三', phone: '13812345678', address: '浦东新区潍坊路500号3楼', grid: communityGrids[0], category: 'close_contact', note: '同住人：李四', healthCode: 'yellow' },
      person(communityGrids[0]!, { name: `${prefix}甲`, category: 'overseas_arrival', arrivedOn: daysAgo(40), healthCode: 'red' }),
      person(communityGrids[1]!, { name: `${prefix}乙`, category: 'overseas_arrival', arrivedOn: daysAgo(41) }),
      person(communityGrids[1]!, { name: `${prefix}丙`, category: 'out_of_province_returnee', arrivedOn: daysAgo(42) }),
    ];
    expect(json<PeopleAccepted>(await post(grid01, batch))).toEqual({ accepted: 4, duplicates: 0 });
    const huangpu = person(huangpuGrid, { name: `${prefix}丁`, arrivedOn: daysAgo(40) });
    huangpuPerson = huangpu.id;
    expect((await post(command, [huangpu])).statusCode).toBe(200);
  });

  it('shows personal data to roles with a duty and masks it for the others; the wall gets nothing', async () => {
    const full = await detail(zhang.id, grid01);
    expect(full).toMatchObject({ name: '张三', idNumber: zhang.idNumber, phone: '13812345678', address: '浦东新区潍坊路500号3楼', note: '同住人：李四', masked: false });
    expect(await detail(zhang.id, pudong)).toMatchObject({ name: '张三', masked: false });

    const masked = await detail(zhang.id, command);
    expect(masked).toMatchObject({ name: '张*', idNumber: '3101**********1234', phone: '138****5678', address: '浦东新区潍坊****', note: null, masked: true });
    expect(zhang.idNumber).toMatch(/^3101\d{10}1234$/);
    expect(await detail(zhang.id, team01)).toMatchObject({ name: '张*', masked: true });

    const list = json<PeopleList>(await get(command, `/api/people?area=${communityGrids[0]}&category=close_contact&healthCode=yellow`));
    const item = list.items.find((i) => i.id === zhang.id)!;
    expect(item).toMatchObject({ name: '张*', idNumber: '3101**********1234', phone: '138****5678', masked: true });
    expect(JSON.stringify(list)).not.toContain('张三');

    for (const url of ['/api/people', `/api/people/${zhang.id}`, `/api/people/${zhang.id}/suggested-regime`]) {
      expect((await get(wall, url)).statusCode, url).toBe(403);
    }
  });

  it('searches by name or ID-number prefix only for roles that see personal data', async () => {
    const byName = json<PeopleList>(await get(grid01, `/api/people?q=${encodeURIComponent(prefix)}`));
    expect(byName.total).toBe(3);
    expect(byName.items.map((i) => i.name).sort()).toEqual([`${prefix}丙`, `${prefix}乙`, `${prefix}甲`].sort());
    const byId = json<PeopleList>(await get(grid01, `/api/people?q=${zhang.idNumber.slice(0, 12)}`));
    expect(byId.items.map((i) => i.id)).toEqual([zhang.id]);
    // pudong sees the Huangpu person? No: outside its district.
    expect(json<PeopleList>(await get(pudong, `/api/people?q=${encodeURIComponent(prefix)}`)).total).toBe(3);
    expect((await get(command, `/api/people?q=${encodeURIComponent(prefix)}`)).statusCode).toBe(403);
    // A LIKE wildcard is taken literally.
    expect(json<PeopleList>(await get(grid01, `/api/people?q=${encodeURIComponent('%')}`)).total).toBe(0);
  });

  it('filters by area, category, arrival days and risk, and pages with a total', async () => {
    const base = `/api/people?arrivedFrom=${daysAgo(42)}&arrivedTo=${daysAgo(40)}`;
    const inCommunity = json<PeopleList>(await get(command, `${base}&area=310115004001`));
    expect(inCommunity.total).toBe(3);
    expect(json<PeopleList>(await get(command, `${base}`)).total).toBe(4);
    expect(json<PeopleList>(await get(pudong, `${base}`)).total).toBe(3);
    expect(json<PeopleList>(await get(grid01, `${base}`)).total).toBe(3);
    expect(json<PeopleList>(await get(command, `${base}&area=310115004001&category=overseas_arrival`)).total).toBe(2);
    expect(json<PeopleList>(await get(command, `${base}&area=310115004001&category=overseas_arrival,out_of_province_returnee`)).total).toBe(3);
    expect(json<PeopleList>(await get(command, `${base}&area=${communityGrids[1]}`)).total).toBe(2);
    expect(json<PeopleList>(await get(command, `${base}&healthCode=red`)).total).toBe(1);
    expect(json<PeopleList>(await get(command, `${base}&riskArea=true`)).total).toBe(0);
    expect(json<PeopleList>(await get(command, `${base}&riskArea=false`)).total).toBe(4);
    expect(json<PeopleList>(await get(command, `/api/people?arrivedFrom=${daysAgo(41)}&arrivedTo=${daysAgo(41)}`)).total).toBe(1);
    const page = json<PeopleList>(await get(command, `${base}&limit=2&offset=2`));
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(page.items).toHaveLength(2);

    expect((await get(command, '/api/people?category=tourist')).statusCode).toBe(400);
    expect((await get(command, `/api/people?arrivedFrom=${daysAgo(1)}&arrivedTo=${daysAgo(2)}`)).statusCode).toBe(400);
    expect((await get(command, '/api/people?arrivedFrom=2026-13-01')).statusCode).toBe(400);
    expect((await get(command, '/api/people?limit=501')).statusCode).toBe(400);
    expect((await get(pudong, '/api/people?area=310101')).statusCode).toBe(403);
    expect((await get(grid01, `/api/people?area=${otherPudongGrid}`)).statusCode).toBe(403);
  });

  it('hides people outside the jurisdiction as not found', async () => {
    expect((await get(pudong, `/api/people/${huangpuPerson}`)).statusCode).toBe(404);
    expect((await get(grid01, `/api/people/${huangpuPerson}/suggested-regime`)).statusCode).toBe(404);
    expect((await get(command, `/api/people/${huangpuPerson}`)).statusCode).toBe(200);
    expect((await get(command, '/api/people/not-a-uuid')).statusCode).toBe(400);
    expect((await get(command, `/api/people/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('changes only phone, address, health code, note and category', async () => {
    const patch = (cookie: string, id: string, payload: unknown) =>
      t.app.inject({ method: 'PATCH', url: `/api/people/${id}`, headers: { cookie }, payload: payload as object });
    const changed = await patch(grid01, zhang.id, { phone: '13800000000', healthCode: 'green', note: null, address: '' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json<PersonDetail>(changed)).toMatchObject({ phone: '13800000000', healthCode: 'green', note: null, address: null, name: '张三' });
    expect((await detail(zhang.id)).phone).toBe('13800000000');
    expect((await patch(grid01, zhang.id, { grid: communityGrids[1] })).statusCode).toBe(400);
    expect((await patch(grid01, zhang.id, { arrivedOn: daysAgo(1) })).statusCode).toBe(400);
    expect((await patch(grid01, zhang.id, {})).statusCode).toBe(400);
    expect((await patch(grid01, zhang.id, { phone: 'x' })).statusCode).toBe(400);
    expect((await patch(pudong, huangpuPerson, { note: 'x' })).statusCode).toBe(404);
    expect((await patch(team01, zhang.id, { note: 'x' })).statusCode).toBe(403);
    expect((await patch(wall, zhang.id, { note: 'x' })).statusCode).toBe(403);
  });
});

it('documents its routes in the OpenAPI reference', async () => {
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await get(command, '/docs/json'));
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/people', '/api/people/{id}', '/api/people/{id}/suggested-regime', '/api/arrival-policies', '/api/arrival-policies/{riskLevel}']));
  expect(Object.keys(doc.paths['/api/people/{id}']!).sort()).toEqual(['get', 'patch']);
});

describe('risk-area arrivals', () => {
  const arrival = daysAgo(2);
  let high: RiskAreaFeature;
  let medium: RiskAreaFeature;
  let low: RiskAreaFeature;
  let late: RiskAreaFeature;
  let highCentre: [number, number];
  const ids: Record<string, string> = {};
  const tag = randomInt(100_000, 999_999);

  beforeAll(async () => {
    const huangpuGrids = (await t.pool.query<{ code: string }>(
      `SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310101%' ORDER BY code DESC LIMIT 4`,
    )).rows.map((r) => r.code);
    const squares = await Promise.all(huangpuGrids.map((code) => freeSquare(code)));
    high = await createRiskArea(squares[0]!.ring, { name: `测试高风险区${tag}`, level: 'high' });
    highCentre = squares[0]!.centre;
    medium = await createRiskArea(squares[1]!.ring, { name: `测试中风险区${tag}`, level: 'medium' });
    low = await createRiskArea(squares[2]!.ring, { name: `测试低风险区${tag}`, level: 'low' });
    // In force only from 3 days ago: a stop before that did not touch it.
    late = await createRiskArea(squares[3]!.ring, { name: `测试新增风险区${tag}`, level: 'high', validFrom: `${daysAgo(3)}T00:00:00+08:00` });
  });

  it('finds the risk area by id, by point in polygon (GCJ-02) and by name, within the 14 days before arrival only, and counts arrivals', async () => {
    const grid = communityGrids[2] ?? communityGrids[0]!;
    const gridBefore = await arrivals(grid, arrival);
    const cityBefore = await arrivals('310000', arrival);
    const [gLon, gLat] = gcoord.transform(highCentre, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const stop = (from: number, to: number, extra: Record<string, unknown>) => ({ fromDay: daysAgo(from), toDay: daysAgo(to), place: '某地', ...extra });
    const people = {
      byId: person(grid, { arrivedOn: arrival, travel: [stop(6, 5, { riskAreaId: medium.id })] }),
      byPoint: person(grid, { arrivedOn: arrival, travel: [stop(9, 9, { place: '外滩', position: { lon: gLon, lat: gLat, crs: 'gcj02' } })] }),
      byName: person(grid, { arrivedOn: arrival, travel: [stop(8, 7, { place: medium.properties.name })] }),
      // the first day of the window is arrival − 14
      onEdge: person(grid, { arrivedOn: arrival, travel: [stop(20, 16, { riskAreaId: high.id })] }),
      highest: person(grid, { arrivedOn: arrival, travel: [stop(6, 5, { riskAreaId: medium.id }), stop(4, 3, { place: high.properties.name })] }),
      tooEarly: person(grid, { arrivedOn: arrival, travel: [stop(20, 17, { riskAreaId: high.id, position: { lon: highCentre[0], lat: highCentre[1] } })] }),
      lowOnly: person(grid, { arrivedOn: arrival, travel: [stop(5, 4, { riskAreaId: low.id })] }),
      notInForce: person(grid, { arrivedOn: arrival, travel: [stop(10, 4, { riskAreaId: late.id })] }),
      inForceLater: person(grid, { arrivedOn: arrival, travel: [stop(10, 3, { riskAreaId: late.id })] }),
      noArrivalDay: person(grid, { travel: [stop(5, 4, { riskAreaId: high.id })] }),
    };
    const response = await post(grid01, Object.values(people));
    expect(response.statusCode, response.body).toBe(200);
    Object.entries(people).forEach(([key, p]) => { ids[key] = p.id; });

    const levels = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([key, p]) => [key, (await detail(p.id)).riskAreaLevel])));
    expect(levels).toEqual({
      byId: 'medium', byPoint: 'high', byName: 'medium', onEdge: 'high', highest: 'high',
      tooEarly: null, lowOnly: null, notInForce: null, inForceLater: 'high', noArrivalDay: 'high',
    });
    const travel = (await detail(people.byId.id)).travel;
    expect(travel).toEqual([{ seq: 1, fromDay: daysAgo(6), toDay: daysAgo(5), place: '某地', position: null, riskAreaId: medium.id, riskAreaName: medium.properties.name }]);
    const point = (await detail(people.byPoint.id)).travel[0]!.position!;
    expect(point.lon).toBeCloseTo(highCentre[0], 5);
    expect(point.lat).toBeCloseTo(highCentre[1], 5);

    // Six arrivals with a level and an arrival day, counted in the grid and every area above it.
    expect(await arrivals(grid, arrival)).toBe(gridBefore + 6);
    expect(await arrivals('310115', arrival)).toBeGreaterThanOrEqual(gridBefore + 6);
    expect(await arrivals('310000', arrival)).toBe(cityBefore + 6);
    // A retry counts nothing twice.
    expect(json<PeopleAccepted>(await post(grid01, Object.values(people)))).toEqual({ accepted: 0, duplicates: 10 });
    expect(await arrivals(grid, arrival)).toBe(gridBefore + 6);

    const consistency = json<{ consistent: boolean; mismatches: unknown[] }>(await get(admin, `/api/stats/consistency?day=${arrival}`));
    expect(consistency.mismatches).toEqual([]);
    expect(consistency.consistent).toBe(true);
    const risky = json<PeopleList>(await get(grid01, `/api/people?riskArea=true&arrivedFrom=${arrival}&arrivedTo=${arrival}&area=${grid}`));
    expect(risky.items.map((i) => i.id).sort()).toEqual(
      [people.byId, people.byPoint, people.byName, people.onEdge, people.highest, people.inForceLater].map((p) => p.id).sort(),
    );
  });

  it('suggests the arrival policy\'s regime, or the health code\'s, with the reason', async () => {
    const highSuggestion = await suggestion(ids.highest!);
    expect(highSuggestion.suggestion).toMatchObject({ code: '7+7', nameZh: '7天集中隔离+7天居家隔离', totalDays: 14, phases: [{ kind: 'centralised', days: 7 }, { kind: 'home_quarantine', days: 7 }] });
    expect(highSuggestion.reason).toMatchObject({
      rule: 'risk_area',
      healthCode: 'green',
      windowFrom: daysAgo(16),
      windowTo: arrival,
      match: { stop: { seq: 2, fromDay: daysAgo(4), toDay: daysAgo(3), place: high.properties.name }, riskArea: { id: high.id, level: 'high' }, matchedBy: 'name' },
    });
    expect(highSuggestion.activeCaseId).toBeNull();

    const mediumSuggestion = await suggestion(ids.byId!);
    expect(mediumSuggestion.suggestion?.code).toBe('14-home');
    expect(mediumSuggestion.reason).toMatchObject({ rule: 'risk_area', match: { riskArea: { id: medium.id, level: 'medium', name: medium.properties.name }, matchedBy: 'id', stop: { seq: 1 } } });
    expect((await suggestion(ids.byPoint!)).reason.match).toMatchObject({ matchedBy: 'position', riskArea: { id: high.id } });

    const grid = communityGrids[0]!;
    const red = person(grid, { healthCode: 'red', category: 'fever_clinic_referral' });
    const yellow = person(grid, { healthCode: 'yellow', category: 'big_data_check' });
    const green = person(grid, { arrivedOn: arrival, travel: [{ fromDay: daysAgo(20), toDay: daysAgo(17), place: high.properties.name }] });
    const mediumAndRed = person(grid, { healthCode: 'red', arrivedOn: arrival, travel: [{ fromDay: daysAgo(5), toDay: daysAgo(5), place: '某地', riskAreaId: medium.id }] });
    expect((await post(grid01, [red, yellow, green, mediumAndRed])).statusCode).toBe(200);

    expect(await suggestion(red.id)).toMatchObject({ suggestion: { code: '7+7' }, reason: { rule: 'red_code', healthCode: 'red', match: null } });
    expect(await suggestion(yellow.id)).toMatchObject({ suggestion: { code: '14-home' }, reason: { rule: 'yellow_code', healthCode: 'yellow', match: null } });
    const none = await suggestion(green.id);
    expect(none.suggestion).toBeNull();
    expect(none.reason).toMatchObject({ rule: 'none', match: null, windowFrom: daysAgo(16) });
    // The red code's centralised regime is stricter than the medium area's home quarantine.
    expect(await suggestion(mediumAndRed.id)).toMatchObject({ suggestion: { code: '7+7' }, reason: { rule: 'red_code', match: { riskArea: { id: medium.id } } } });
    // A masked role sees the suggestion too: it carries no personal data.
    expect((await suggestion(ids.byId!, command)).suggestion?.code).toBe('14-home');
  });

  it('follows the configured arrival policy', async () => {
    const policies = json<ArrivalPolicies>(await get(command, '/api/arrival-policies'));
    expect(policies.items.map((p) => [p.riskLevel, p.regime.code])).toEqual([['high', '7+7'], ['medium', '14-home']]);
    const put = (cookie: string, level: string, payload: unknown) =>
      t.app.inject({ method: 'PUT', url: `/api/arrival-policies/${level}`, headers: { cookie }, payload: payload as object });
    try {
      const changed = await put(command, 'medium', { regimeCode: '7-monitor' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(json<ArrivalPolicy>(changed)).toMatchObject({ riskLevel: 'medium', regime: { code: '7-monitor', nameEn: '7-day home health monitoring' }, updatedBy: 'command' });
      expect((await suggestion(ids.byId!)).suggestion?.code).toBe('7-monitor');
      expect((await put(grid01, 'medium', { regimeCode: '7+7' })).statusCode).toBe(403);
      expect((await put(command, 'medium', { regimeCode: 'no-such' })).statusCode).toBe(422);
      expect((await put(command, 'low', { regimeCode: '7+7' })).statusCode).toBe(400);
      expect((await put(command, 'medium', {})).statusCode).toBe(400);
    } finally {
      expect((await put(admin, 'medium', { regimeCode: '14-home' })).statusCode).toBe(200);
    }
    expect((await suggestion(ids.byId!)).suggestion?.code).toBe('14-home');
  });
});
