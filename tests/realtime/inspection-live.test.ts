// `inspection:updated` on /live, with real socket.io clients: a plan, a lock and a shared position
// reach the watchers of the areas that hold them — and only those — as a hint without details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, withTransaction, type Pool } from '../../server/infra/db.ts';
import { cityDay } from '../../server/infra/city-time.ts';
import type { RunningServer } from '../../server/server.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import * as repo from '../../server/inspection/inspection.repository.ts';
import type { InspectionUpdate } from '../../server/contracts/live.ts';
import { connectLive, connected, loginCookie, waitFor, watch, type LiveSocket } from '../helpers/live-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let server: RunningServer;
let pool: Pool;
let baseUrl: string;
const sockets: LiveSocket[] = [];
const today = cityDay(new Date(), 'Asia/Shanghai');
// A Tuesday of the demo round that no other test file plans.
const planDay = '2027-03-02';
// Team 9 gets a leader of this file's own: no other file shares positions or plans for it.
const leaderName = 'live-t09-leader';
let teamId: number;
let roundId: number;
let lujiazuiSite: number;
let lujiazuiPoint: [number, number];

interface Listener {
  socket: LiveSocket;
  heard: InspectionUpdate[];
}

async function listen(username: string, area: string): Promise<Listener> {
  const socket = connectLive(baseUrl, await loginCookie(baseUrl, username));
  sockets.push(socket);
  await connected(socket);
  const heard: InspectionUpdate[] = [];
  socket.on('inspection:updated', (update) => heard.push(update));
  const reply = await watch(socket, { areas: [area] });
  expect(reply, JSON.stringify(reply).slice(0, 200)).toHaveProperty('data');
  return { socket, heard };
}

async function send(method: string, path: string, cookie: string, body: object): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', cookie, origin: baseUrl }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  pool = createPool(testDatabaseUrl(), 2);
  ({ server, baseUrl } = await startTestServer());
  teamId = (await pool.query<{ id: number }>("SELECT id FROM inspection_teams WHERE code = 'T09'")).rows[0]!.id;
  roundId = (await pool.query<{ id: number }>('SELECT id FROM inspection_rounds WHERE name = $1', [demoRoundName])).rows[0]!.id;
  await pool.query(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code)
     VALUES ($1, '第九督查组组长', $2, 'team_leader', '310000') ON CONFLICT (username) DO NOTHING`,
    [leaderName, await hashPassword('demo-password')],
  );
  await pool.query('UPDATE inspection_teams SET leader_username = $2 WHERE id = $1', [teamId, leaderName]);
  lujiazuiSite = (await pool.query<{ id: number }>("SELECT id FROM sites WHERE category = 'construction_site' AND area_path <@ '310000.310115.310115005'::ltree ORDER BY id LIMIT 1")).rows[0]!.id;
  lujiazuiPoint = (await pool.query<{ lon: number; lat: number }>("SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM areas WHERE code = '310115005'")).rows.map((r) => [r.lon, r.lat] as [number, number])[0]!;
});

afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await server.close();
  await pool.query('UPDATE inspection_teams SET leader_username = NULL WHERE leader_username = $1', [leaderName]);
  await pool.end();
});

describe('inspection:updated', () => {
  let pudong: Listener;
  let lujiazui: Listener;
  let weifangGrid: Listener;
  let wall: Listener;

  beforeAll(async () => {
    [pudong, lujiazui, weifangGrid, wall] = await Promise.all([
      listen('pudong', '310115'), listen('lujiazui', '310115005'), listen('grid01', '310115004001'), listen('wall', '310000'),
    ]);
  });

  it("tells the watchers of the areas around a shared position, and no one else, that a team's position changed", async () => {
    await withTransaction(pool, (client) => repo.savePlan(client, roundId, today, [{ teamId, stops: [] }], 'test'));
    const leader = await loginCookie(baseUrl, leaderName);
    const shared = await send('POST', `/api/inspection/teams/${teamId}/position`, leader, { lon: lujiazuiPoint[0], lat: lujiazuiPoint[1] });
    expect(shared.status, await shared.text()).toBe(201);
    const expected: InspectionUpdate = { kind: 'position', roundId: null, day: today, teamId, siteId: null };
    for (const watcher of [pudong, lujiazui, wall]) {
      const update = await waitFor(() => watcher.heard.find((u) => u.kind === 'position' && u.teamId === teamId), 5000, 'the position update');
      // Exactly these fields: no coordinates, names or notes travel with it.
      expect(update).toStrictEqual(expected);
    }
    // The grid worker of another street watches an area that does not hold the position.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(weifangGrid.heard.filter((u) => u.teamId === teamId)).toEqual([]);
  });

  it('tells the watchers of a planned site when a stop is locked there', async () => {
    const [planId] = await withTransaction(pool, (client) =>
      repo.savePlan(client, roundId, planDay, [{ teamId, stops: [{ siteId: lujiazuiSite, plannedArrival: '2027-03-02T02:00:00Z', plannedDeparture: '2027-03-02T02:30:00Z' }] }], 'test'));
    const command = await loginCookie(baseUrl, 'command');
    const locked = await send('PUT', `/api/inspection/plans/${planId}/stops/1/lock`, command, { locked: true });
    expect(locked.status, await locked.text()).toBe(200);
    const expected: InspectionUpdate = { kind: 'plan', roundId, day: planDay, teamId, siteId: lujiazuiSite };
    for (const watcher of [pudong, lujiazui]) {
      expect(await waitFor(() => watcher.heard.find((u) => u.kind === 'plan' && u.siteId === lujiazuiSite), 5000, 'the lock')).toStrictEqual(expected);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(weifangGrid.heard.filter((u) => u.day === planDay)).toEqual([]);
  });

  it('tells them when the day is planned again, the watchers of the sites it dropped included', async () => {
    // The Weifang grid holds no construction site, so the round's planner never plans a stop there: a
    // stop at its supermarket, not locked, is dropped by the re-plan, and only that tells its watcher.
    const supermarket = (await pool.query<{ id: number }>("SELECT id FROM sites WHERE area_path <@ '310000.310115.310115004.310115004001'::ltree AND category = 'supermarket' LIMIT 1")).rows[0]!.id;
    await withTransaction(pool, (client) =>
      repo.savePlan(client, roundId, planDay, [{ teamId, stops: [{ siteId: supermarket, plannedArrival: '2027-03-02T02:00:00Z', plannedDeparture: '2027-03-02T02:30:00Z' }] }], 'test'));
    const command = await loginCookie(baseUrl, 'command');
    const planned = await send('POST', `/api/inspection/rounds/${roundId}/plan`, command, { day: planDay, timeLimitSeconds: 1 });
    expect(planned.status, (await planned.text()).slice(0, 300)).toBe(200);
    expect((await repo.plannedStops(pool, roundId, planDay)).some((s) => s.siteId === supermarket)).toBe(false);
    const expected: InspectionUpdate = { kind: 'plan', roundId, day: planDay, teamId: null, siteId: null };
    for (const watcher of [pudong, weifangGrid, wall]) {
      expect(await waitFor(() => watcher.heard.find((u) => u.kind === 'plan' && u.day === planDay && u.siteId === null), 5000, 'the plan update')).toStrictEqual(expected);
    }
  }, 60_000);
});
