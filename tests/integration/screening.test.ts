import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaDayCounts, ScreeningAccepted } from '../../server/contracts/index.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let admin: string;
let pudong: string;
let pudongGrids: string[];
let huangpuGrid: string;

/** A day n days ago (Shanghai calendar) and an instant at 10:00 that day. Each test owns its day. */
function pastDay(daysAgo: number): { day: string; at: (minute?: number) => string } {
  const day = new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return { day, at: (minute = 0) => `${day}T10:${String(minute % 60).padStart(2, '0')}:00+08:00` };
}

function record(at: string, grid: string, overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), at, grid, temperature: 36.6, codeColour: 'green', outcome: 'pass', ...overrides };
}

const post = (cookie: string, records: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/screenings', headers: { cookie }, payload: { records } as object });
const stats = async (code: string, day: string, cookie = command) =>
  json<AreaDayCounts>(await t.app.inject({ url: `/api/stats/${code}?day=${day}`, headers: { cookie } }));
const eventCount = async () => (await t.pool.query<{ n: number }>('SELECT count(*) AS n FROM screening_events')).rows[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  [command, admin, pudong] = await Promise.all([t.login('command'), t.login('admin'), t.login('pudong')]);
  const { rows } = await t.pool.query<{ code: string }>(
    `SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115%' ORDER BY code LIMIT 3`,
  );
  pudongGrids = rows.map((row) => row.code);
  huangpuGrid = (await t.pool.query<{ code: string }>(`SELECT min(code) AS code FROM areas WHERE level = 'grid' AND code LIKE '310101%'`)).rows[0]!.code;
});
afterAll(() => t.close());

describe('POST /api/screenings', () => {
  it('stores a batch once: the same batch again is all duplicates and counts nothing twice', async () => {
    const { day, at } = pastDay(20);
    const batch = [
      record(at(1), pudongGrids[0]!, { temperature: 37.3, outcome: 'refer' }),
      record(at(2), pudongGrids[1]!, { codeColour: 'yellow' }),
      record(at(3), huangpuGrid, { codeColour: 'red', outcome: 'deny', itineraryFlag: true }),
    ];
    expect(json<ScreeningAccepted>(await post(command, batch))).toEqual({ accepted: 3, duplicates: 0 });
    expect(json<ScreeningAccepted>(await post(command, batch))).toEqual({ accepted: 0, duplicates: 3 });
    const withOneNew = [...batch, record(at(4), pudongGrids[0]!)];
    expect(json<ScreeningAccepted>(await post(command, withOneNew))).toEqual({ accepted: 1, duplicates: 3 });

    const city = await stats('310000', day);
    expect(city.counts).toMatchObject({ screened: 4, abnormalTemp: 1, yellowCode: 1, redCode: 1, referred: 1, denied: 1, itineraryFlagged: 1, testsSampled: 0, resultOnTimeRate: null });
    expect((await stats('310115', day)).counts.screened).toBe(3);
    expect((await stats('310101', day)).counts.screened).toBe(1);
    expect((await stats(pudongGrids[0]!, day)).counts).toMatchObject({ screened: 2, abnormalTemp: 1, referred: 1 });
    const street = pudongGrids[0]!.slice(0, 9);
    const community = pudongGrids[0]!.slice(0, 12);
    expect((await stats(street, day)).counts.screened).toBeGreaterThanOrEqual(2);
    expect((await stats(community, day)).counts.screened).toBeGreaterThanOrEqual(2);
  });

  it('counts a record with the same id twice in one batch once', async () => {
    const { day, at } = pastDay(21);
    const one = record(at(), pudongGrids[2]!);
    expect(json<ScreeningAccepted>(await post(command, [one, one, { ...one }]))).toEqual({ accepted: 1, duplicates: 2 });
    expect((await stats('310000', day)).counts.screened).toBe(1);
  });

  it('locates records by site and by position in GCJ-02, through PostGIS', async () => {
    const { day, at } = pastDay(22);
    const site = (await t.pool.query<{ id: number; grid: string; lon: number; lat: number }>(
      `SELECT id, grid_code AS grid, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM sites WHERE grid_code LIKE '310115%' ORDER BY id LIMIT 1`,
    )).rows[0]!;
    const gcoord = (await import('gcoord')).default;
    const [lon, lat] = gcoord.transform([site.lon, site.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const response = await post(command, [
      { id: randomUUID(), at: at(), siteId: site.id, codeColour: 'green', outcome: 'pass' },
      { id: randomUUID(), at: at(1), position: { lon, lat, crs: 'gcj02' }, codeColour: 'green', outcome: 'pass' },
    ]);
    expect(json<ScreeningAccepted>(response)).toEqual({ accepted: 2, duplicates: 0 });
    expect((await stats(site.grid, day)).counts.screened).toBe(2);
  });

  it('puts records on the city\'s calendar day, not the server\'s', async () => {
    const { day } = pastDay(23);
    const next = pastDay(22).day;
    // 23:59 and 00:01 Shanghai time are 15:59 and 16:01 UTC of the same UTC day.
    const late = record(`${day}T23:59:00+08:00`, pudongGrids[0]!);
    const early = record(`${day}T16:01:00Z`, pudongGrids[0]!);
    await post(command, [late, early]);
    const rows = (await t.pool.query<{ id: string; day: string }>(
      `SELECT id::text, to_char(day, 'YYYY-MM-DD') AS day FROM screening_events WHERE id = ANY ($1::uuid[])`,
      [[late.id, early.id]],
    )).rows;
    expect(Object.fromEntries(rows.map((row) => [row.id, row.day]))).toEqual({ [late.id]: day, [early.id]: next });
  });

  it('rejects the whole batch with every bad record named, and stores nothing', async () => {
    const { at } = pastDay(24);
    const before = await eventCount();
    const batch = [
      record(at(), pudongGrids[0]!),
      { ...record(at(), pudongGrids[0]!), id: 'not-a-uuid' },
      record(at(), pudongGrids[0]!, { temperature: 52 }),
      record(at(), pudongGrids[0]!, { codeColour: 'purple' }),
      record(at(), '31011599999999'),
      { ...record(at(), pudongGrids[0]!), siteId: 5 },
      record('2099-01-01T00:00:00+08:00', pudongGrids[0]!),
      record('2020-01-01T00:00:00+08:00', pudongGrids[0]!),
      'not even an object',
      record(at(), pudongGrids[0]!, { extra: 'field' }),
    ];
    const response = await post(command, batch);
    expect(response.statusCode).toBe(400);
    const body = json<{ code: string; details: Array<{ index: number; field: string; message: string }> }>(response);
    expect(body.code).toBe('validation_failed');
    expect([...new Set(body.details.map((d) => d.index))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(body.details.find((d) => d.index === 2)?.field).toBe('temperature');
    expect(body.details.find((d) => d.index === 4)?.field).toBe('grid');
    expect(await eventCount()).toBe(before);
  });

  it('answers malformed requests with 400, never 500', async () => {
    const bodies = ['{}', '{"records":[]}', '{"records":"x"}', '[]', 'null', '{"records":[{}]}', '{"records":[null]}'];
    for (const body of bodies) {
      const response = await t.app.inject({ method: 'POST', url: '/api/screenings', headers: { cookie: command, 'content-type': 'application/json' }, payload: body });
      expect(response.statusCode, body).toBe(400);
    }
    const tooMany = Array.from({ length: 10_001 }, () => ({}));
    expect((await post(command, tooMany)).statusCode).toBe(400);
  });

  it('keeps writers inside their jurisdiction and read-only roles out', async () => {
    const { at } = pastDay(25);
    const outside = await post(pudong, [record(at(), huangpuGrid)]);
    expect(outside.statusCode).toBe(400);
    expect(json<{ details: Array<{ field: string }> }>(outside).details[0]?.field).toBe('grid');
    expect((await post(pudong, [record(at(), pudongGrids[0]!)])).statusCode).toBe(200);
    const wall = await t.login('wall');
    expect((await post(wall, [record(at(), pudongGrids[0]!)])).statusCode).toBe(403);
  });
});

describe('roll-ups under concurrent ingestion', () => {
  it('agree exactly with a rebuild from the events', async () => {
    const { day, at } = pastDay(26);
    const grids = (await t.pool.query<{ code: string }>(
      `SELECT code FROM areas WHERE level = 'grid' ORDER BY md5(code) LIMIT 200`,
    )).rows.map((row) => row.code);
    const colours = ['green', 'green', 'green', 'yellow', 'red'];
    const outcomes = ['pass', 'pass', 'pass', 'refer', 'deny'];
    const all = Array.from({ length: 4000 }, (_, i) =>
      record(at(i), grids[i % grids.length]!, {
        temperature: 36 + (i % 20) / 10,
        codeColour: colours[i % 5],
        outcome: outcomes[(i * 7) % 5],
        itineraryFlag: i % 11 === 0,
      }),
    );
    // Eight concurrent batches that overlap: every record is sent twice, by different requests.
    const batches = Array.from({ length: 8 }, (_, b) => all.slice((b % 4) * 1000, (b % 4) * 1000 + 1000 + (b < 4 ? 200 : 0)));
    const results = await Promise.all(batches.map((batch) => post(command, batch)));
    for (const result of results) expect(result.statusCode, result.body).toBe(200);
    const accepted = results.reduce((sum, r) => sum + json<ScreeningAccepted>(r).accepted, 0);
    expect(accepted).toBe(all.length);

    const city = await stats('310000', day);
    expect(city.counts.screened).toBe(all.length);
    expect(city.counts.abnormalTemp).toBe(all.filter((r) => (r.temperature as number) >= 37.3).length);
    const check = await t.app.inject({ url: `/api/stats/consistency?day=${day}`, headers: { cookie: admin } });
    expect(check.json()).toMatchObject({ day, consistent: true, mismatches: [] });
  });

  it('the consistency check finds a counter that was tampered with', async () => {
    const { day, at } = pastDay(27);
    await post(command, [record(at(), pudongGrids[0]!)]);
    await t.pool.query(`UPDATE area_daily_counts SET screened = screened + 5 WHERE area_code = '310115' AND day = $1`, [day]);
    const check = (await t.app.inject({ url: `/api/stats/consistency?day=${day}`, headers: { cookie: admin } })).json() as {
      consistent: boolean;
      mismatches: Array<{ area: string; differences: Record<string, { stored: number; rebuilt: number }> }>;
    };
    expect(check.consistent).toBe(false);
    expect(check.mismatches).toEqual([{ area: '310115', differences: { screened: { stored: 6, rebuilt: 1 } } }]);
  });
});

describe('GET /api/screenings (the records behind a figure)', () => {
  it('lists a day\'s records in an area by figure, newest first, within the jurisdiction only', async () => {
    const { day, at } = pastDay(19);
    const hot = record(at(5), pudongGrids[0]!, { temperature: 38.2, outcome: 'refer' });
    const red = record(at(6), pudongGrids[1]!, { codeColour: 'red', outcome: 'deny' });
    const calm = record(at(7), huangpuGrid);
    await post(command, [hot, red, calm]);
    const list = async (query: string, cookie = command) =>
      (await t.app.inject({ url: `/api/screenings?day=${day}&${query}`, headers: { cookie } })).json() as {
        items: Array<{ id: string; temperature: number | null; codeColour: string; areaName: string }>;
        total: number;
      };
    const city = await list('area=310000');
    expect(city.total).toBe(3);
    expect(city.items.map((i) => i.id)).toEqual([calm.id, red.id, hot.id]);
    expect((await list('area=310000&filter=abnormalTemp')).items).toEqual([expect.objectContaining({ id: hot.id, temperature: 38.2 })]);
    expect((await list('filter=redCode', pudong)).items.map((i) => i.id)).toEqual([red.id]);
    expect((await list('area=310115&filter=denied&limit=1&offset=1')).items).toEqual([]);
    expect((await list('area=310115')).items[0]!.areaName).toMatch(/ · /);
    const outside = await t.app.inject({ url: `/api/screenings?day=${day}&area=310101`, headers: { cookie: pudong } });
    expect(outside.statusCode).toBe(403);
    for (const bad of ['day=2026-02-30', 'filter=nope', 'limit=0', 'area=31']) {
      expect((await t.app.inject({ url: `/api/screenings?${bad}`, headers: { cookie: command } })).statusCode).toBe(400);
    }
  });
});

describe('GET /api/stats/:areaCode/children and /trend', () => {
  it('gives every child\'s figures (summing to the parent\'s) and a day-by-day trend', async () => {
    const { day, at } = pastDay(28);
    await post(command, [record(at(1), pudongGrids[0]!), record(at(2), pudongGrids[1]!), record(at(3), huangpuGrid)]);
    const children = (await t.app.inject({ url: `/api/stats/310000/children?day=${day}`, headers: { cookie: command } })).json() as {
      day: string;
      children: AreaDayCounts[];
    };
    expect(children.children).toHaveLength(16);
    expect(children.children.find((c) => c.area === '310115')?.counts.screened).toBe(2);
    const sum = children.children.reduce((total, c) => total + c.counts.screened, 0);
    expect(sum).toBe((await stats('310000', day)).counts.screened);

    const trend = (await t.app.inject({ url: `/api/stats/310115/trend?days=5&until=${pastDay(26).day}`, headers: { cookie: command } })).json() as {
      days: AreaDayCounts[];
    };
    expect(trend.days.map((d) => d.day)).toEqual([30, 29, 28, 27, 26].map((n) => pastDay(n).day));
    expect(trend.days.find((d) => d.day === day)?.counts.screened).toBe(2);
    expect((await t.app.inject({ url: '/api/stats/310101/trend', headers: { cookie: pudong } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/stats/310000/trend?days=1000', headers: { cookie: command } })).statusCode).toBe(400);
  });
});

describe('GET /api/stats/:areaCode', () => {
  it('answers zeros for a quiet day, 400 for a bad day, 403 outside the jurisdiction', async () => {
    const quiet = await stats('310000', '2001-01-01');
    expect(quiet).toMatchObject({ area: '310000', day: '2001-01-01', version: 0 });
    expect(Object.values(quiet.counts).every((n) => n === 0 || n === null)).toBe(true);
    for (const day of ['2026-02-30', '2026-13-01', 'today', '2026-1-1']) {
      expect((await t.app.inject({ url: `/api/stats/310000?day=${day}`, headers: { cookie: command } })).statusCode, day).toBe(400);
    }
    expect((await t.app.inject({ url: '/api/stats/310101', headers: { cookie: pudong } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/stats/999999', headers: { cookie: command } })).statusCode).toBe(404);
  });
});
