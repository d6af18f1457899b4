import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaCounts, AreaDayCounts, CaseList, CaseWriteResult, QuarantineCaseDetail, Regime, RegimeList, ReleasesDue } from '../../server/contracts/index.ts';
import { cityDay } from '../../server/infra/city-time.ts';
import { addDays } from '../../server/quarantine/schedule.ts';
import { sweepQuarantine } from '../../server/quarantine/sweeper.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool } from '../../server/infra/db.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

// Days: every test owns its days, counted back from today (city time). The 7+7 lifecycle runs
// 58 to 44 days ago and every other case starts 40 days ago or later, so the figures asserted for
// the lifecycle's days are exact at every level up to the city. Day 27 ago is left alone (the
// screening test tampers with a counter on it).
const tz = 'Asia/Shanghai';
const today = cityDay(new Date(), tz);
const day = (daysAgo: number) => addDays(today, -daysAgo);
const at = (d: string, time: string) => `${d}T${time}:00+08:00`;

let t: TestApp;
const cookies: Record<string, string> = {};
/** grids of grid01's community 310115004001, of Lujiazui (310115005), and one of Huangpu (310101) */
let g: string[];
let lj: string[];
let huangpuGrid: string;
let pudongHotel: number;
let huangpuHotel: number;
const daysUsed = new Set<string>();

const responsible = {
  streetCadre: { name: '王街道', phone: '13800000001' },
  communityWorker: { name: '李社区' },
  gridWorker: { name: '赵网格', phone: '13800000003' },
  medic: { name: '钱医生' },
  police: { name: '孙民警', phone: '021-12345678' },
};

let idCounter = 0;
async function person(grid: string, name = '张三'): Promise<string> {
  const id = randomUUID();
  idCounter += 1;
  const idNumber = `3101151990${String(Date.now() % 1e4).padStart(4, '0')}${String(idCounter).padStart(4, '0')}`;
  await t.pool.query(
    `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category)
     SELECT $1, $2, $3, '13912345678', '浦东新区张杨路500号3楼', code, path, 'close_contact' FROM areas WHERE code = $4`,
    [id, name, idNumber, grid],
  );
  return id;
}

const start = (cookie: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/quarantine/cases', headers: { cookie }, payload: body });
const event = (cookie: string, caseId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/quarantine/cases/${caseId}/events`, headers: { cookie }, payload: { id: randomUUID(), ...body } });
const checks = (cookie: string, list: unknown[]) =>
  t.app.inject({ method: 'POST', url: '/api/quarantine/temperature-checks', headers: { cookie }, payload: { checks: list } });
const detail = async (caseId: string, cookie = cookies.command!) =>
  json<QuarantineCaseDetail>(await t.app.inject({ url: `/api/quarantine/cases/${caseId}`, headers: { cookie } }));
const list = async (query: string, cookie = cookies.command!) =>
  json<CaseList>(await t.app.inject({ url: `/api/quarantine/cases?${query}`, headers: { cookie } }));
async function figures(code: string, d: string): Promise<AreaCounts> {
  daysUsed.add(d);
  return json<AreaDayCounts>(await t.app.inject({ url: `/api/stats/${code}?day=${d}`, headers: { cookie: cookies.command! } })).counts;
}
/** the grid and every level above it */
const levels = (grid: string) => [grid, grid.slice(0, 12), grid.slice(0, 9), grid.slice(0, 6), '310000'];

async function startCase(cookie: string, fields: Record<string, unknown>): Promise<QuarantineCaseDetail> {
  const response = await start(cookie, { id: randomUUID(), responsible, ...fields });
  expect(response.statusCode, response.body).toBe(201);
  if (typeof fields.startDay === 'string') daysUsed.add(fields.startDay);
  return json<CaseWriteResult>(response).case;
}
async function move(caseId: string, body: Record<string, unknown>, cookie = cookies.command!): Promise<QuarantineCaseDetail> {
  const response = await event(cookie, caseId, body);
  expect(response.statusCode, response.body).toBe(201);
  if (typeof body.at === 'string') daysUsed.add(cityDay(new Date(body.at), tz));
  return json<CaseWriteResult>(response).case;
}
async function consistent(d: string) {
  const check = await t.app.inject({ url: `/api/stats/consistency?day=${d}`, headers: { cookie: cookies.admin! } });
  expect(check.json(), d).toMatchObject({ day: d, consistent: true, mismatches: [], caseEndMismatches: [] });
}

beforeAll(async () => {
  t = await createTestApp();
  for (const user of ['admin', 'command', 'pudong', 'lujiazui', 'grid01', 'team01', 'wall']) cookies[user] = await t.login(user);
  const grids = async (sql: string) => (await t.pool.query<{ code: string }>(sql)).rows.map((r) => r.code);
  g = await grids(`SELECT code FROM areas WHERE level = 'grid' AND parent_code = '310115004001' ORDER BY code`);
  lj = await grids(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115005%' ORDER BY code LIMIT 8`);
  huangpuGrid = (await grids(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310101%' ORDER BY code LIMIT 1 OFFSET 2`))[0]!;
  const hotel = async (district: string) =>
    (await t.pool.query<{ id: number }>(`SELECT id FROM sites WHERE category = 'quarantine_hotel' AND grid_code LIKE $1 ORDER BY id LIMIT 1`, [`${district}%`])).rows[0]!.id;
  [pudongHotel, huangpuHotel] = await Promise.all([hotel('310115'), hotel('310101')]);
  expect(g.length).toBeGreaterThanOrEqual(4);
  expect(lj.length).toBe(8);
});
afterAll(() => t.close());

describe('a 7+7 case from start to release', () => {
  it('moves the figures of its grid and every level above, on the right days', async () => {
    const S = day(58);
    const grid = g[0]!;
    const personId = await person(grid);
    const started = await startCase(cookies.grid01!, { personId, regime: '7+7', startDay: S, placeSiteId: pudongHotel, note: '密接' });
    expect(started).toMatchObject({
      regime: '7+7', kind: 'centralised', status: 'active', phaseIndex: 0, phaseCount: 2,
      startDay: S, phaseEnd: addDays(S, 7), plannedEnd: addDays(S, 14), dayNumber: 59, overdue: true,
      gridCode: grid, placeSite: { id: pudongHotel }, createdBy: 'grid01',
      person: { id: personId, name: '张三', masked: false },
      responsible,
    });
    expect(started.areaName.split(' · ')).toHaveLength(4);
    expect(started.schedule).toEqual([
      { index: 0, kind: 'centralised', days: 7, startDay: S, endDay: addDays(S, 7), testDays: [S, addDays(S, 3), addDays(S, 6)], status: 'current' },
      { index: 1, kind: 'home_quarantine', days: 7, startDay: addDays(S, 7), endDay: addDays(S, 14), testDays: [addDays(S, 9), addDays(S, 13)], status: 'upcoming' },
    ]);

    for (const code of levels(grid)) {
      expect(await figures(code, S), code).toMatchObject({ centralised: 1, homeQuarantine: 0, casesStarted: 1, released: 0 });
      expect(await figures(code, addDays(S, 6)), code).toMatchObject({ centralised: 1, casesStarted: 0 });
      expect(await figures(code, addDays(S, 14)), code).toMatchObject({ releasesDue: 1, overdueReleases: 0 });
      expect(await figures(code, addDays(S, 15)), code).toMatchObject({ releasesDue: 0, overdueReleases: 1 });
    }
    expect(await figures('310000', day(59))).toMatchObject({ centralised: 0 }); // the day before

    // Early move refused, then the move on its day.
    expect((await event(cookies.grid01!, started.id, { type: 'next_phase', at: at(addDays(S, 6), '10:00') })).statusCode).toBe(409);
    const home = await move(started.id, { type: 'next_phase', at: at(addDays(S, 7), '10:00') }, cookies.grid01);
    expect(home).toMatchObject({ kind: 'home_quarantine', phaseIndex: 1, phaseEnd: addDays(S, 14), plannedEnd: addDays(S, 14) });
    for (const code of levels(grid)) {
      expect(await figures(code, addDays(S, 6)), code).toMatchObject({ centralised: 1, homeQuarantine: 0 });
      expect(await figures(code, addDays(S, 7)), code).toMatchObject({ centralised: 0, homeQuarantine: 1, casesStarted: 0 });
      expect(await figures(code, addDays(S, 13)), code).toMatchObject({ centralised: 0, homeQuarantine: 1 });
    }

    // The last phase: next_phase is refused; release needs its notice number and waits for its day.
    expect((await event(cookies.grid01!, started.id, { type: 'next_phase', at: at(addDays(S, 14), '09:00') })).statusCode).toBe(409);
    const noNotice = await event(cookies.grid01!, started.id, { type: 'release', at: at(addDays(S, 14), '09:00') });
    expect(noNotice.statusCode).toBe(422);
    expect(noNotice.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'releaseNoticeNo' }] });
    expect((await event(cookies.grid01!, started.id, { type: 'release', at: at(addDays(S, 13), '09:00'), releaseNoticeNo: 'JC-1' })).statusCode).toBe(409);
    expect((await event(cookies.grid01!, started.id, { type: 'release', at: at(addDays(S, 13), '09:00'), releaseNoticeNo: 'JC-1', early: true })).statusCode).toBe(422);
    const released = await move(started.id, { type: 'release', at: at(addDays(S, 14), '10:00'), releaseNoticeNo: 'JC-2026-001' }, cookies.grid01);
    expect(released).toMatchObject({ status: 'released', releaseNoticeNo: 'JC-2026-001', dayNumber: null, overdue: false });
    expect(released.endedAt).not.toBeNull();
    for (const code of levels(grid)) {
      expect(await figures(code, addDays(S, 14)), code).toMatchObject({ homeQuarantine: 0, centralised: 0, released: 1, releasesDue: 0, overdueReleases: 0 });
      expect(await figures(code, addDays(S, 15)), code).toMatchObject({ homeQuarantine: 0, overdueReleases: 0 });
      expect(await figures(code, addDays(S, 13)), code).toMatchObject({ homeQuarantine: 1, released: 0 });
    }

    expect(released.events.map((e) => [e.seq, e.type, e.day, e.fromKind, e.toKind, e.plannedEndBefore, e.plannedEndAfter])).toEqual([
      [1, 'start', S, null, 'centralised', null, addDays(S, 14)],
      [2, 'next_phase', addDays(S, 7), 'centralised', 'home_quarantine', addDays(S, 14), addDays(S, 14)],
      [3, 'release', addDays(S, 14), 'home_quarantine', null, addDays(S, 14), addDays(S, 14)],
    ]);
    expect(released.events[0]!.details).toEqual({ regime: '7+7', placeSiteId: pudongHotel, note: '密接' });
    expect(released.events[2]!.details).toEqual({ releaseNoticeNo: 'JC-2026-001' });
    expect(released.schedule.map((p) => p.status)).toEqual(['done', 'done']);

    // Nothing more can happen to a released case.
    for (const type of ['next_phase', 'extend', 'release', 'transfer']) {
      const response = await event(cookies.grid01!, started.id, { type, days: 2, hospital: '仁济医院', releaseNoticeNo: 'X', at: at(addDays(S, 16), '09:00') });
      expect(response.statusCode, type).toBe(409);
    }
  });
});

describe('extensions and transfers', () => {
  it('an extension moves the planned release, and releasesDue with it', async () => {
    const grid = g[1]!;
    const c = await startCase(cookies.pudong!, { personId: await person(grid, '李四'), regime: '14-home', startDay: day(35) });
    expect(c).toMatchObject({ kind: 'home_quarantine', plannedEnd: day(21), placeSite: null });
    expect(await figures(grid, day(21))).toMatchObject({ releasesDue: 1 });
    expect(await figures(grid, day(35))).toMatchObject({ homeQuarantine: 1, casesStarted: 1 });

    expect((await event(cookies.pudong!, c.id, { type: 'extend', at: at(day(30), '09:00') })).statusCode).toBe(422);
    const extended = await move(c.id, { type: 'extend', days: 3, at: at(day(30), '09:00'), note: '复查' }, cookies.pudong);
    expect(extended).toMatchObject({ plannedEnd: day(18), phaseEnd: day(18) });
    expect(extended.schedule[0]).toMatchObject({ days: 17, endDay: day(18) });
    expect(extended.events.at(-1)).toMatchObject({ type: 'extend', fromKind: null, toKind: null, plannedEndBefore: day(21), plannedEndAfter: day(18), details: { days: 3, note: '复查' } });
    for (const code of levels(grid)) {
      expect(await figures(code, day(21)), code).toMatchObject({ releasesDue: 0 });
      expect(await figures(code, day(18)), code).toMatchObject({ releasesDue: 1 });
    }
    expect(await figures(grid, day(30))).toMatchObject({ homeQuarantine: 1, casesStarted: 0 });
    expect((await list(`dueOn=${day(18)}&area=${grid}`)).items.map((i) => i.id)).toEqual([c.id]);
    expect((await list(`dueOn=${day(21)}&area=${grid}`)).total).toBe(0);
  });

  it('a transfer to hospital ends the case and counts transferred', async () => {
    const grid = g[2]!;
    const c = await startCase(cookies.grid01!, { personId: await person(grid, '王五'), regime: '7-monitor', startDay: day(10) });
    expect((await event(cookies.grid01!, c.id, { type: 'transfer', at: at(day(8), '09:00') })).statusCode).toBe(422);
    const transferred = await move(c.id, { type: 'transfer', at: at(day(8), '09:00'), hospital: '仁济医院（东院）' }, cookies.grid01);
    expect(transferred).toMatchObject({ status: 'transferred', dayNumber: null });
    expect(transferred.events.at(-1)).toMatchObject({ type: 'transfer', fromKind: 'home_monitoring', toKind: null, details: { hospital: '仁济医院（东院）' } });
    expect(transferred.schedule[0]).toMatchObject({ startDay: day(10), endDay: day(8), status: 'done' });
    // The lists behind casesStarted and transferred: the cases with that event on the day.
    expect((await list(`event=start&eventDay=${day(10)}&status=all&area=${grid}`)).items.map((i) => i.id)).toEqual([c.id]);
    expect((await list(`event=transfer&eventDay=${day(8)}&status=all&area=${grid}`)).items.map((i) => i.id)).toEqual([c.id]);
    expect((await list(`event=transfer&eventDay=${day(9)}&status=all&area=${grid}`)).total).toBe(0);
    expect((await list(`event=release&eventDay=${day(8)}&status=all&area=${grid}`)).total).toBe(0);
    for (const code of levels(grid)) {
      expect(await figures(code, day(9)), code).toMatchObject({ homeMonitoring: 1, transferred: 0 });
      expect(await figures(code, day(8)), code).toMatchObject({ homeMonitoring: 0, transferred: 1 });
      expect(await figures(code, day(3)), code).toMatchObject({ releasesDue: 0 }); // its planned day, no longer due
    }
    expect((await event(cookies.grid01!, c.id, { type: 'extend', days: 1 })).statusCode).toBe(409);
    expect((await list(`status=transferred&area=${grid}`)).items.map((i) => i.id)).toEqual([c.id]);
  });

  it('events of one case arriving together are recorded one after the other', async () => {
    const grid = g[3]!;
    const c = await startCase(cookies.command!, { personId: await person(grid), regime: '14-home', startDay: day(12) });
    const responses = await Promise.all(Array.from({ length: 6 }, () => event(cookies.command!, c.id, { type: 'extend', days: 2 })));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    const after = await detail(c.id);
    expect(after.plannedEnd).toBe(addDays(day(12), 14 + 12));
    expect(after.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await figures(grid, addDays(day(12), 26))).toMatchObject({ releasesDue: 1 });
    daysUsed.add(today);
  });
});

describe('idempotency and conflicts', () => {
  it('a retried start, event or check changes nothing and says so', async () => {
    const grid = lj[0]!;
    const personId = await person(grid);
    const body = { id: randomUUID(), personId, regime: '14-home', startDay: day(6), responsible };
    expect((await start(cookies.lujiazui!, body)).statusCode).toBe(201);
    const retry = await start(cookies.lujiazui!, body);
    expect(retry.statusCode).toBe(200);
    expect(json<CaseWriteResult>(retry).duplicate).toBe(true);
    expect(await figures(grid, day(6))).toMatchObject({ casesStarted: 1, homeQuarantine: 1 });
    // the same case id for someone else is a conflict
    expect((await start(cookies.lujiazui!, { ...body, personId: await person(grid) })).statusCode).toBe(409);
    // a second active case for the same person
    const second = await start(cookies.lujiazui!, { ...body, id: randomUUID() });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toContain(body.id);

    const extend = { id: randomUUID(), type: 'extend', days: 2, at: at(day(5), '08:00') };
    const first = await t.app.inject({ method: 'POST', url: `/api/quarantine/cases/${body.id}/events`, headers: { cookie: cookies.lujiazui! }, payload: extend });
    expect(first.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: `/api/quarantine/cases/${body.id}/events`, headers: { cookie: cookies.lujiazui! }, payload: extend });
    expect(again.statusCode).toBe(200);
    expect(json<CaseWriteResult>(again)).toMatchObject({ duplicate: true, case: { plannedEnd: addDays(day(6), 16) } });
    expect(json<CaseWriteResult>(again).case.events).toHaveLength(2);
    const reused = await t.app.inject({ method: 'POST', url: `/api/quarantine/cases/${body.id}/events`, headers: { cookie: cookies.lujiazui! }, payload: { ...extend, type: 'transfer', hospital: 'x' } });
    expect(reused.statusCode).toBe(409);
    daysUsed.add(day(5));

    const batch = [
      { id: randomUUID(), caseId: body.id, at: at(day(5), '09:00'), temperature: 36.5 },
      { id: randomUUID(), caseId: body.id, at: at(day(5), '15:00'), temperature: 36.7, symptoms: '无' },
    ];
    expect((await checks(cookies.lujiazui!, batch)).json()).toEqual({ accepted: 2, duplicates: 0, alerts: 0 });
    expect((await checks(cookies.lujiazui!, batch)).json()).toEqual({ accepted: 0, duplicates: 2, alerts: 0 });
    expect((await checks(cookies.lujiazui!, [...batch, batch[0]])).json()).toEqual({ accepted: 0, duplicates: 3, alerts: 0 });
    expect((await detail(body.id)).temperatureChecks.map((c) => [c.day, c.slot, c.temperature])).toEqual([
      [day(5), 'morning', 36.5],
      [day(5), 'afternoon', 36.7],
    ]);
  });

  it('refuses starts that cannot be: with a clear 4xx for each', async () => {
    const personId = await person(lj[1]!);
    const base = { personId, responsible };
    const cases: Array<[Record<string, unknown>, number, string?]> = [
      [{ regime: '7+7' }, 422, 'placeSiteId'], // centralised first phase without a hotel
      [{ regime: '14-home', responsible: undefined }, 422, 'responsible'],
      [{ regime: 'no-such' }, 422, 'regime'],
      [{ regime: '14-home', startDay: addDays(today, 1) }, 422, 'startDay'],
      [{ regime: '14-home', startDay: day(61) }, 422, 'startDay'],
      [{ regime: '14-home', startDay: '2026-02-30' }, 422, 'startDay'],
      [{ regime: '14-home', startDay: day(3), startAt: at(day(4), '10:00') }, 422, 'startDay'],
      [{ regime: '7+7', placeSiteId: huangpuHotel }, 422, 'placeSiteId'], // lujiazui may not use a Huangpu hotel
      [{ regime: '14-home', personId: randomUUID() }, 404],
      [{ regime: '14-home', id: 'nope' }, 400],
      [{ regime: '14-home', extra: 1 }, 400],
      [{ regime: '14-home', responsible: { ...responsible, police: undefined } }, 400],
    ];
    for (const [fields, status, field] of cases) {
      const response = await start(cookies.lujiazui!, { id: randomUUID(), ...base, ...fields });
      expect(response.statusCode, JSON.stringify(fields)).toBe(status);
      if (field) expect(response.json().details?.[0]?.field, JSON.stringify(fields)).toBe(field);
    }
    expect((await list(`personId=${personId}&status=all`)).total).toBe(0);
    expect((await start(cookies.wall!, { id: randomUUID(), ...base, regime: '14-home' })).statusCode).toBe(403);
    expect((await start(cookies.team01!, { id: randomUUID(), ...base, regime: '14-home' })).statusCode).toBe(403);
  });
});

describe('jurisdiction and personal data', () => {
  let huangpuCase: string;
  let gridCase: string;

  beforeAll(async () => {
    huangpuCase = (await startCase(cookies.command!, { personId: await person(huangpuGrid, '欧阳娜娜'), regime: '14-home', startDay: day(4) })).id;
    gridCase = (await startCase(cookies.grid01!, { personId: await person(g[0]!, '赵六'), regime: '14-home', startDay: day(4) })).id;
  });

  it('keeps Pudong out of a Huangpu case, and a grid worker inside their community', async () => {
    const huangpuPerson = await person(huangpuGrid);
    expect((await start(cookies.pudong!, { id: randomUUID(), personId: huangpuPerson, regime: '14-home', responsible })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/quarantine/cases/${huangpuCase}`, headers: { cookie: cookies.pudong! } })).statusCode).toBe(404);
    expect((await event(cookies.pudong!, huangpuCase, { type: 'extend', days: 1 })).statusCode).toBe(404);
    const check = await checks(cookies.pudong!, [{ id: randomUUID(), caseId: huangpuCase, at: new Date().toISOString(), temperature: 36.5 }]);
    expect(check.statusCode).toBe(400);
    expect(check.json().details).toMatchObject([{ index: 0, field: 'caseId' }]);
    expect((await list('status=all&limit=500', cookies.pudong)).items.every((c) => c.gridCode.startsWith('310115'))).toBe(true);

    const lujiazuiPerson = await person(lj[2]!);
    expect((await start(cookies.grid01!, { id: randomUUID(), personId: lujiazuiPerson, regime: '14-home', responsible })).statusCode).toBe(404);
    const mine = await list('status=all&limit=500', cookies.grid01);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c) => c.gridCode.startsWith('310115004001'))).toBe(true);
    expect(mine.items.map((c) => c.id)).toContain(gridCase);
    expect((await t.app.inject({ url: '/api/quarantine/cases?area=310115005', headers: { cookie: cookies.grid01! } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/quarantine/cases?area=31011599999999', headers: { cookie: cookies.command! } })).statusCode).toBe(404);
  });

  it('shows names, ID numbers and phones only to roles with a duty; never to the wall', async () => {
    const seen = async (user: string) => (await detail(gridCase, cookies[user])).person;
    for (const user of ['grid01', 'pudong']) {
      expect(await seen(user), user).toMatchObject({ name: '赵六', phone: '13912345678', address: '浦东新区张杨路500号3楼', masked: false });
    }
    for (const user of ['admin', 'command', 'team01']) {
      const p = await seen(user);
      expect(p, user).toMatchObject({ name: '赵*', phone: '139****5678', address: '浦东新区张杨****', masked: true });
      expect(p.idNumber).toMatch(/^3101\*+\d{4}$/);
    }
    const listed = await list(`area=${g[0]}&status=active`, cookies.command);
    const row = listed.items.find((c) => c.id === gridCase)!;
    expect(row.person).toMatchObject({ name: '赵*', masked: true });
    const listedForGrid = await list(`area=${g[0]}&status=active`, cookies.grid01);
    expect(listedForGrid.items.find((c) => c.id === gridCase)!.person).toMatchObject({ name: '赵六', masked: false });
    expect((await list(`area=${huangpuGrid}`, cookies.command)).items.find((c) => c.id === huangpuCase)?.person.name).toBe('欧***');
    expect((await t.app.inject({ url: '/api/quarantine/cases', headers: { cookie: cookies.wall! } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/quarantine/cases/${gridCase}`, headers: { cookie: cookies.wall! } })).statusCode).toBe(403);
    // lujiazui sees its own street's people unmasked, and nothing of grid01's community
    expect((await t.app.inject({ url: `/api/quarantine/cases/${gridCase}`, headers: { cookie: cookies.lujiazui! } })).statusCode).toBe(404);
  });

  it('lists with filters, totals and paging, active cases first by planned release', async () => {
    const all = await list(`area=${g[0]}&status=all&limit=500`);
    expect(all.items.map((c) => c.status).indexOf('released')).toBeGreaterThan(all.items.map((c) => c.status).lastIndexOf('active'));
    const active = await list('area=310115&kind=home_quarantine&limit=2');
    expect(active.items).toHaveLength(2);
    expect(active.total).toBeGreaterThan(2);
    expect(active.items[0]!.plannedEnd <= active.items[1]!.plannedEnd).toBe(true);
    const next = await list('area=310115&kind=home_quarantine&limit=2&offset=2');
    expect(next.items.map((c) => c.id)).not.toContain(active.items[0]!.id);
    const overdue = await list('overdue=true&limit=500');
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((c) => c.overdue && c.plannedEnd < today && c.status === 'active')).toBe(true);
    expect((await list('regime=7%2B7&status=all')).items.every((c) => c.regime === '7+7')).toBe(true);
    expect((await t.app.inject({ url: '/api/quarantine/cases?dueOn=2026-02-30', headers: { cookie: cookies.command! } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/quarantine/cases?limit=0', headers: { cookie: cookies.command! } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/quarantine/cases/not-a-uuid', headers: { cookie: cookies.command! } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/quarantine/cases/${randomUUID()}`, headers: { cookie: cookies.command! } })).statusCode).toBe(404);
  });
});

describe('releases due per grid', () => {
  it('counts the releases due on a day in each grid of an area, without personal data, for every role', async () => {
    const d = day(13);
    for (const grid of [lj[3]!, lj[3]!, lj[4]!]) await startCase(cookies.lujiazui!, { personId: await person(grid), regime: '7-monitor', startDay: day(20) });
    const response = await t.app.inject({ url: `/api/quarantine/releases-due?area=310115005&day=${d}`, headers: { cookie: cookies.wall! } });
    expect(response.statusCode).toBe(200);
    const due = json<ReleasesDue>(response);
    expect(due).toMatchObject({ area: '310115005', day: d, due: 3 });
    expect(due.grids.filter((x) => x.due > 0).map((x) => [x.grid, x.due])).toEqual([[lj[3], 2], [lj[4], 1]]);
    expect(due.grids[0]!.communityName).toMatch(/居委会$/);
    expect(JSON.stringify(due)).not.toMatch(/idNumber|phone|person/);
    const next = json<ReleasesDue>(await t.app.inject({ url: `/api/quarantine/releases-due?area=${lj[3]}&day=${day(12)}`, headers: { cookie: cookies.lujiazui! } }));
    expect(next).toMatchObject({ due: 0, overdue: 2, grids: [{ grid: lj[3], due: 0, overdue: 2 }] });
    expect(await figures('310115005', d)).toMatchObject({ releasesDue: 3 });
    expect((await t.app.inject({ url: '/api/quarantine/releases-due?area=310101', headers: { cookie: cookies.pudong! } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/quarantine/releases-due?day=2026-13-01', headers: { cookie: cookies.pudong! } })).statusCode).toBe(400);
    expect(json<ReleasesDue>(await t.app.inject({ url: '/api/quarantine/releases-due', headers: { cookie: cookies.grid01! } })).area).toBe('310115004001');
  });
});

describe('temperature checks', () => {
  it('files checks in the morning or afternoon slot and raises an alert at 37.3 °C, naming the case, not the person', async () => {
    const c = await startCase(cookies.grid01!, { personId: await person(g[1]!, '周七'), regime: '14-home', startDay: day(3) });
    const fever = randomUUID();
    const response = await checks(cookies.grid01!, [
      { id: randomUUID(), caseId: c.id, at: at(day(2), '12:59'), temperature: 36.5 },
      { id: fever, caseId: c.id, at: at(day(2), '13:00'), temperature: 37.3 },
      { id: randomUUID(), caseId: c.id, at: at(day(2), '23:30'), temperature: 37.24 },
    ]);
    expect(response.json()).toEqual({ accepted: 3, duplicates: 0, alerts: 1 });
    daysUsed.add(day(2));
    expect((await detail(c.id)).temperatureChecks.map((x) => [x.day, x.slot, x.temperature])).toEqual([
      [day(2), 'morning', 36.5],
      [day(2), 'afternoon', 37.3],
      [day(2), 'afternoon', 37.2],
    ]);
    const alerts = (await t.pool.query(`SELECT kind, area_code, to_char(day, 'YYYY-MM-DD') AS day, details FROM alerts WHERE source_id = $1`, [fever])).rows;
    expect(alerts).toEqual([{ kind: 'abnormal_temperature', area_code: g[1], day: day(2), details: { caseId: c.id, temperature: 37.3 } }]);
  });

  it('rejects the whole batch with every bad check named, and stores nothing', async () => {
    const home = await startCase(cookies.grid01!, { personId: await person(g[2]!), regime: '14-home', startAt: at(day(2), '14:00') });
    const hotel = await startCase(cookies.grid01!, { personId: await person(g[2]!), regime: '7+7', placeSiteId: pudongHotel, startDay: day(2) });
    const before = (await t.pool.query('SELECT count(*)::int AS n FROM temperature_checks')).rows[0].n;
    const good = { id: randomUUID(), caseId: home.id, at: at(day(1), '08:00'), temperature: 36.6 };
    const response = await checks(cookies.grid01!, [
      good,
      { ...good, id: randomUUID(), caseId: hotel.id }, // centralised: the hotel keeps temperatures
      { ...good, id: randomUUID(), at: at(day(2), '13:30') }, // before the home phase began
      { ...good, id: randomUUID(), caseId: randomUUID() },
      { ...good, id: randomUUID(), temperature: 50 },
      { ...good, id: randomUUID(), at: '2099-01-01T08:00:00+08:00' },
      { ...good, id: 'x' },
      'nonsense',
    ]);
    expect(response.statusCode).toBe(400);
    const body = response.json() as { code: string; details: Array<{ index: number; field: string }> };
    expect(body.code).toBe('validation_failed');
    expect(body.details.map((d) => [d.index, d.field])).toEqual([[1, 'caseId'], [2, 'at'], [3, 'caseId'], [4, 'temperature'], [5, 'at'], [6, 'id'], [7, 'check']]);
    expect((await t.pool.query('SELECT count(*)::int AS n FROM temperature_checks')).rows[0].n).toBe(before);
    expect((await checks(cookies.grid01!, [])).statusCode).toBe(400);
    expect((await checks(cookies.wall!, [good])).statusCode).toBe(403);
    expect((await checks(cookies.grid01!, [good])).json()).toMatchObject({ accepted: 1 });
    daysUsed.add(day(1));
  });
});

describe('the sweeper', () => {
  it('raises each missed check and overdue release once, and counts missed checks on their day', async () => {
    const grid = lj[5]!;
    // Home phase from day(5) 14:00; the sweep runs at day(3) 21:00, looking at day(4) and day(3).
    const c = await startCase(cookies.lujiazui!, { personId: await person(grid), regime: '14-home', startAt: at(day(5), '14:00') });
    expect(c.startDay).toBe(day(5));
    const late = await startCase(cookies.lujiazui!, { personId: await person(lj[6]!), regime: '14-home', startAt: at(day(3), '14:00') });
    const ended = await startCase(cookies.lujiazui!, { personId: await person(lj[6]!), regime: '14-home', startDay: day(6) });
    await move(ended.id, { type: 'transfer', at: at(day(5), '10:00'), hospital: '东方医院' }, cookies.lujiazui);
    const stored = await checks(cookies.lujiazui!, [
      { id: randomUUID(), caseId: c.id, at: at(day(4), '09:00'), temperature: 36.4 }, // morning, on time
      { id: randomUUID(), caseId: c.id, at: at(day(4), '20:30'), temperature: 36.4 }, // afternoon, after 20:00: missed
      { id: randomUUID(), caseId: c.id, at: at(day(3), '19:00'), temperature: 36.4 }, // afternoon on time; no morning check
    ]);
    expect(stored.statusCode, stored.body).toBe(200);
    const overdueCase = (await list(`overdue=true&area=${g[1]}`)).items[0]!; // the extended 14-home case, planned for day(18)

    const now = new Date(at(day(3), '21:00'));
    const first = await sweepQuarantine(t.pool, now, tz);
    const raised = async (caseId: string) =>
      (await t.pool.query<{ kind: string; day: string; details: Record<string, string> }>(
        `SELECT kind, to_char(day, 'YYYY-MM-DD') AS day, details FROM alerts WHERE kind IN ('missed_check', 'overdue_release') AND details->>'caseId' = $1 ORDER BY day, kind, details->>'slot' DESC`,
        [caseId],
      )).rows;
    expect((await raised(c.id)).map((a) => [a.kind, a.day, a.details.slot])).toEqual([
      ['missed_check', day(4), 'afternoon'],
      ['missed_check', day(3), 'morning'],
    ]);
    expect((await raised(c.id))[0]!.details).toMatchObject({ caseId: c.id, slot: 'afternoon' });
    expect(await raised(late.id)).toEqual([]); // its home phase began after every swept slot opened
    expect(await raised(ended.id)).toEqual([]); // transferred
    expect((await raised(overdueCase.id)).filter((a) => a.kind === 'overdue_release').map((a) => a.details)).toEqual([
      { caseId: overdueCase.id, plannedEnd: overdueCase.plannedEnd },
    ]);
    expect(first.missedChecks).toBeGreaterThanOrEqual(2);
    expect(first.overdueReleases).toBeGreaterThanOrEqual(1);
    expect(first.alertIds).toHaveLength(first.missedChecks + first.overdueReleases);
    // the grid holds only this case; the levels above also count other tests' cases (the consistency check covers them)
    expect(await figures(grid, day(4))).toMatchObject({ missedChecks: 1 });
    expect(await figures(grid, day(3))).toMatchObject({ missedChecks: 1 });
    const alertText = JSON.stringify((await t.pool.query('SELECT details FROM alerts WHERE id = ANY ($1)', [first.alertIds])).rows);
    expect(alertText).not.toMatch(/name|idNumber|phone|address|person/);

    const second = await sweepQuarantine(t.pool, now, tz);
    expect(second).toEqual({ alertIds: [], changed: [], missedChecks: 0, overdueReleases: 0 });
    expect(await figures(grid, day(4))).toMatchObject({ missedChecks: 1 });
    // Today's sweep raises no second overdue alert for the same planned end.
    await sweepQuarantine(t.pool, new Date(), tz);
    expect((await raised(overdueCase.id)).filter((a) => a.kind === 'overdue_release')).toHaveLength(1);
    daysUsed.add(day(4)).add(day(3));
  });
});

describe('the sweeper timer', () => {
  it('sweeps on its own every SWEEP_INTERVAL_SECONDS and stops when the app closes', async () => {
    const c = await startCase(cookies.command!, { personId: await person(g[3]!), regime: '7-monitor', startDay: day(40) });
    const pool = createPool(testDatabaseUrl(), 2);
    const app = await buildApp({ pool, config: { ...loadConfig({}), logLevel: 'warn', sweepIntervalSeconds: 1 }, logger: false });
    await app.ready();
    const overdueAlerts = async () =>
      (await t.pool.query(`SELECT 1 FROM alerts WHERE kind = 'overdue_release' AND details->>'caseId' = $1`, [c.id])).rowCount;
    try {
      for (let waited = 0; waited < 10_000 && (await overdueAlerts()) === 0; waited += 200) await new Promise((r) => setTimeout(r, 200));
      expect(await overdueAlerts()).toBe(1);
    } finally {
      await app.close();
      await pool.end();
    }
  });
});

describe('the regime catalogue', () => {
  const code = `test-3+4-${Date.now() % 100000}`;
  const url = `/api/quarantine/regimes/${encodeURIComponent(code)}`;
  const put = (cookie: string, body: unknown) => t.app.inject({ method: 'PUT', url, headers: { cookie }, payload: body as object });

  it('lists, creates, replaces and deactivates regimes; cases keep their own phases', async () => {
    const regimes = json<RegimeList>(await t.app.inject({ url: '/api/quarantine/regimes', headers: { cookie: cookies.wall! } }));
    expect(regimes.items.find((r) => r.code === '7+7')).toMatchObject({ totalDays: 14, active: true, phases: [{ kind: 'centralised', days: 7, testDays: [1, 4, 7] }, { kind: 'home_quarantine', days: 7 }] });
    const body = { nameZh: '3天集中+4天居家', nameEn: '3 + 4', phases: [{ kind: 'centralised', days: 3, testDays: [3, 1] }, { kind: 'home_monitoring', days: 4, testDays: [4] }] };
    expect((await put(cookies.pudong!, body)).statusCode).toBe(403);
    const created = await put(cookies.command!, body);
    expect(created.statusCode).toBe(201);
    expect(json<Regime>(created)).toMatchObject({ code, totalDays: 7, active: true, updatedBy: 'command', phases: [{ testDays: [1, 3] }, {}] });
    const c = await startCase(cookies.command!, { personId: await person(lj[7]!), regime: code, placeSiteId: pudongHotel, startDay: day(2) });
    expect(c.plannedEnd).toBe(addDays(day(2), 7));

    const replaced = await put(cookies.admin!, { ...body, phases: [{ kind: 'home_quarantine', days: 10, testDays: [] }] });
    expect(replaced.statusCode).toBe(200);
    expect(json<Regime>(replaced)).toMatchObject({ totalDays: 10, updatedBy: 'admin' });
    const deleted = await t.app.inject({ method: 'DELETE', url, headers: { cookie: cookies.command! } });
    expect(deleted.statusCode).toBe(200);
    expect(json<Regime>(deleted).active).toBe(false);
    expect((await start(cookies.command!, { id: randomUUID(), personId: await person(lj[7]!), regime: code, responsible })).statusCode).toBe(422);
    const kept = await detail(c.id);
    expect(kept.schedule.map((p) => [p.kind, p.days])).toEqual([['centralised', 3], ['home_monitoring', 4]]);
    expect(kept.regime).toBe(code);
    const activeOnly = json<RegimeList>(await t.app.inject({ url: '/api/quarantine/regimes?includeInactive=false', headers: { cookie: cookies.command! } }));
    expect(activeOnly.items.map((r) => r.code)).not.toContain(code);
  });

  it('refuses phases that do not fit, and deactivating a regime an arrival policy suggests', async () => {
    const bad = [
      [{ nameZh: 'x', nameEn: 'x', phases: [{ kind: 'centralised', days: 7, testDays: [8] }] }, 422],
      [{ nameZh: 'x', nameEn: 'x', phases: [{ kind: 'centralised', days: 30, testDays: [] }, { kind: 'home_quarantine', days: 30, testDays: [] }, { kind: 'home_monitoring', days: 1, testDays: [] }] }, 422],
      [{ nameZh: 'x', nameEn: 'x', phases: [] }, 400],
      [{ nameZh: 'x', nameEn: 'x', phases: Array(6).fill({ kind: 'centralised', days: 1, testDays: [] }) }, 400],
      [{ nameZh: 'x', nameEn: 'x', phases: [{ kind: 'hospital', days: 7, testDays: [] }] }, 400],
      [{ nameZh: 'x', nameEn: 'x', phases: [{ kind: 'centralised', days: 31, testDays: [] }] }, 400],
      [{ nameZh: 'x', nameEn: 'x', phases: [{ kind: 'centralised', days: 0, testDays: [] }] }, 400],
    ] as const;
    for (const [body, status] of bad) expect((await put(cookies.command!, body)).statusCode, JSON.stringify(body)).toBe(status);
    const policy = await t.app.inject({ method: 'DELETE', url: `/api/quarantine/regimes/${encodeURIComponent('7+7')}`, headers: { cookie: cookies.command! } });
    expect(policy.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/quarantine/regimes/no-such-regime', headers: { cookie: cookies.command! } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/quarantine/regimes', headers: { cookie: cookies.wall! } })).json().items.find((r: Regime) => r.code === '7+7').active).toBe(true);
  });
});

describe('under concurrent writes', () => {
  it('20 cases started at once, with retries and checks, keep every figure consistent', async () => {
    const grids = (await t.pool.query<{ code: string }>(
      `SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115%' ORDER BY md5(code) LIMIT 5`,
    )).rows.map((r) => r.code);
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => person(grids[i % grids.length]!)));
    const before = await figures('310115', today);
    const bodies = people.map((personId, i) => ({ id: randomUUID(), personId, regime: i % 2 ? '7-monitor' : '14-home', responsible }));
    // every start sent twice, concurrently
    const results = await Promise.all([...bodies, ...bodies].map((body) => start(cookies.pudong!, body)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(20);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(20);
    const after = await figures('310115', today);
    expect(after.casesStarted - before.casesStarted).toBe(20);
    expect(after.homeQuarantine - before.homeQuarantine).toBe(10);
    expect(after.homeMonitoring - before.homeMonitoring).toBe(10);

    const now = new Date().toISOString();
    const batches = bodies.map((b, i) => [{ id: randomUUID(), caseId: b.id, at: now, temperature: i === 0 ? 38.5 : 36.6 }]);
    const checked = await Promise.all([...batches, ...batches].map((batch) => checks(cookies.pudong!, batch)));
    expect(checked.every((r) => r.statusCode === 200)).toBe(true);
    expect(checked.reduce((sum, r) => sum + (r.json() as { accepted: number }).accepted, 0)).toBe(20);
    expect(checked.reduce((sum, r) => sum + (r.json() as { alerts: number }).alerts, 0)).toBe(1);
    // and events on all of them at once
    const moved = await Promise.all(bodies.map((b, i) => event(cookies.pudong!, b.id, i % 4 === 0 ? { type: 'transfer', hospital: '东方医院' } : { type: 'extend', days: 1 })));
    expect(moved.every((r) => r.statusCode === 201)).toBe(true);
    expect((await figures('310115', today)).transferred - before.transferred).toBe(5);
    daysUsed.add(today);
  });

  it('the consistency check agrees with every day the tests touched', async () => {
    expect(daysUsed.size).toBeGreaterThan(15);
    for (const d of [...daysUsed].sort()) await consistent(d);
  });
});
