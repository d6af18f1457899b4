import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertList } from '../../server/contracts/index.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let pudong: string;
let pudongGrid: string;
let huangpuGrid: string;

const post = (cookie: string, records: unknown[]) =>
  t.app.inject({ method: 'POST', url: '/api/screenings', headers: { cookie }, payload: { records } });
const list = async (cookie: string, query: string) => json<AlertList>(await t.app.inject({ url: `/api/alerts?${query}`, headers: { cookie } }));
const act = (cookie: string, id: number, action: 'acknowledge' | 'close', note?: string) =>
  t.app.inject({ method: 'POST', url: `/api/alerts/${id}/${action}`, headers: { cookie }, ...(note ? { payload: { note } } : {}) });

function record(grid: string, overrides: Record<string, unknown>) {
  return { id: randomUUID(), at: new Date().toISOString(), grid, temperature: 36.5, codeColour: 'green', outcome: 'pass', ...overrides };
}

beforeAll(async () => {
  t = await createTestApp();
  [command, pudong] = await Promise.all([t.login('command'), t.login('pudong')]);
  pudongGrid = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115%' ORDER BY code DESC LIMIT 1 OFFSET 7`)).rows[0]!.code;
  huangpuGrid = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310101%' ORDER BY code DESC LIMIT 1 OFFSET 7`)).rows[0]!.code;
});
afterAll(() => t.close());

describe('alerts', () => {
  it('are raised by abnormal temperatures and red codes, once per event even when it is retried', async () => {
    const fever = record(pudongGrid, { temperature: 38.2, outcome: 'refer' });
    const red = record(pudongGrid, { codeColour: 'red', outcome: 'deny', temperature: 37.5 });
    const normal = record(pudongGrid, {});
    const before = (await list(command, `area=${pudongGrid}&status=all`)).total;
    expect((await post(command, [fever, red, normal])).statusCode).toBe(200);
    expect((await post(command, [fever, red, normal])).statusCode).toBe(200);
    const after = await list(command, `area=${pudongGrid}&status=all`);
    expect(after.total - before).toBe(3);
    const kinds = after.items.slice(0, 3).map((a) => a.kind).sort();
    expect(kinds).toEqual(['abnormal_temperature', 'abnormal_temperature', 'red_code']);
    const feverAlert = after.items.find((a) => a.kind === 'abnormal_temperature' && a.details.temperature === 38.2)!;
    expect(feverAlert).toMatchObject({ status: 'open', areaCode: pudongGrid, acknowledgedBy: null });
    expect(feverAlert.areaName.split(' · ')[0]).toBe('浦东新区');
    expect(JSON.stringify(after.items)).not.toMatch(/idNumber|phone|"person/);
  });

  it('are listed inside the jurisdiction only, newest first, with paging', async () => {
    await post(command, [record(huangpuGrid, { temperature: 39 }), record(pudongGrid, { temperature: 39 })]);
    const seenByPudong = await list(pudong, 'status=all&limit=500');
    expect(seenByPudong.items.length).toBeGreaterThan(0);
    expect(seenByPudong.items.every((a) => a.areaCode.startsWith('310115'))).toBe(true);
    expect((await t.app.inject({ url: '/api/alerts?area=310101', headers: { cookie: pudong } })).statusCode).toBe(403);
    const first = await list(command, 'status=all&limit=2');
    const ids = first.items.map((a) => a.id);
    expect(ids[0]).toBeGreaterThan(ids[1]!);
    const next = await list(command, `status=all&limit=2&before=${ids[1]}`);
    expect(next.items.every((a) => a.id < ids[1]!)).toBe(true);
  });

  it('are acknowledged then closed, keeping who and when; a second try is a conflict', async () => {
    await post(command, [record(pudongGrid, { temperature: 38.8 })]);
    const alert = (await list(command, `area=${pudongGrid}&status=open&kind=abnormal_temperature`)).items[0]!;
    const acknowledged = await act(pudong, alert.id, 'acknowledge', '已联系网格员 grid worker called');
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    expect(json<Alert>(acknowledged)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'pudong', acknowledgedAt: expect.any(String), note: '已联系网格员 grid worker called' });
    expect((await act(pudong, alert.id, 'acknowledge')).statusCode).toBe(409);
    const closed = await act(command, alert.id, 'close');
    expect(json<Alert>(closed)).toMatchObject({ status: 'closed', closedBy: 'command', acknowledgedBy: 'pudong' });
    expect((await act(command, alert.id, 'close')).statusCode).toBe(409);
    const active = await list(command, `area=${pudongGrid}&status=active&limit=500`);
    expect(active.items.some((a) => a.id === alert.id)).toBe(false);
  });

  it('can be handled only by duty roles inside the jurisdiction', async () => {
    await post(command, [record(huangpuGrid, { codeColour: 'red', outcome: 'deny' })]);
    const alert = (await list(command, `area=${huangpuGrid}&status=open&kind=red_code`)).items[0]!;
    expect((await act(pudong, alert.id, 'acknowledge')).statusCode).toBe(404);
    expect((await act(await t.login('wall'), alert.id, 'acknowledge')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/alerts/abc/close', headers: { cookie: command } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/alerts/${alert.id}/close`, headers: { cookie: command }, payload: { note: 'x'.repeat(2000) } })).statusCode).toBe(400);
  });
});
