// The /live socket under the same jurisdiction rules as HTTP: a user may watch only areas inside
// their jurisdiction, and figures, alerts and report updates reach only the watchers of an area that
// contains them. Real socket.io clients against a real listening server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../../server/infra/db.ts';
import type { RunningServer } from '../../../server/server.ts';
import { sessionRecheckMs } from '../../../server/realtime/index.ts';
import type { Alert } from '../../../server/contracts/alerts.ts';
import type { AreaDayCounts } from '../../../server/contracts/stats.ts';
import { connectLive, connected, loginCookie, waitFor, watch, sessionCookieOf, type LiveSocket } from '../../helpers/live-client.ts';
import { startTestServer } from '../../helpers/test-server.ts';
import { subjects } from './endpoint-matrix.ts';
import { addPudongTeamLeader, places, type Place } from './fixtures.ts';
import { testDatabaseUrl } from '../../helpers/own-database.ts';

let server: RunningServer;
let pool: Pool;
let baseUrl: string;
const cookies = new Map<string, string>();
const sockets: LiveSocket[] = [];
/** a community of each place of the matrix (see fixtures.ts) and a grid in it */
const community = {} as Record<Place, string>;
const grid = {} as Record<Place, string>;

async function open(username: string): Promise<LiveSocket> {
  const socket = connectLive(baseUrl, cookies.get(username));
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** Collects what a socket is sent. */
function record(socket: LiveSocket) {
  const got = { alerts: [] as Alert[], counts: [] as AreaDayCounts[], reports: [] as string[] };
  socket.on('alert:raised', (alert) => got.alerts.push(alert));
  socket.on('counts:updated', (update) => got.counts.push(update));
  socket.on('reports:updated', (update) => got.reports.push(update.area));
  return got;
}

async function post(path: string, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
}

/** A new wall token for an area, created by the admin: its id and the session it signs in. */
async function wallTokenSession(area: string): Promise<{ id: number; cookie: string }> {
  const created = await post('/api/admin/wall-tokens', cookies.get('admin')!, { label: '浦东大屏 socket test', area });
  expect(created.status, await created.clone().text()).toBe(201);
  const { wallToken, token } = (await created.json()) as { wallToken: { id: number }; token: string };
  const signIn = await post('/api/wall/sign-in', '', { token });
  expect(signIn.status).toBe(200);
  return { id: wallToken.id, cookie: sessionCookieOf(signIn) };
}

/** One feverish, yellow-code screening at a grid (an abnormal-temperature alert), by the command centre. */
async function feverAt(gridCode: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/screenings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.get('command')! },
    body: JSON.stringify({ records: [{ id: randomUUID(), at: new Date().toISOString(), grid: gridCode, temperature: 38.4, codeColour: 'yellow', outcome: 'refer' }] }),
  });
  expect(response.status, await response.text()).toBe(200);
}

beforeAll(async () => {
  pool = createPool(testDatabaseUrl(), 2);
  await addPudongTeamLeader(pool);
  ({ server, baseUrl } = await startTestServer());
  cookies.set('admin', await loginCookie(baseUrl, 'admin'));
  for (const subject of subjects) cookies.set(subject.username, subject.wallToken ? (await wallTokenSession(subject.jurisdiction)).cookie : await loginCookie(baseUrl, subject.username));
  // The last grids of each place's community.
  const where: Record<Place, string> = { grid: '310115004001%', street: '310115005%', other: '310101%' };
  for (const place of places) {
    const { rows } = await pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE $1 ORDER BY code DESC LIMIT 1`, [where[place]]);
    grid[place] = rows[0]!.code;
    community[place] = rows[0]!.code.slice(0, 12);
  }
});

afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await server?.close();
  await pool?.end();
});

describe('areas:watch inside and outside the jurisdiction', () => {
  for (const subject of subjects) {
    it(`${subject.username} (${subject.role}) watches its own jurisdiction and a place inside it${subject.outside ? ', and is refused a place outside' : ''}`, async () => {
      const socket = await open(subject.username);
      const own = await watch(socket, { areas: [subject.jurisdiction] });
      expect('data' in own && own.data.map((counts) => counts.area), JSON.stringify(own)).toEqual([subject.jurisdiction]);
      const inside = await watch(socket, { areas: [community[subject.inside]] });
      expect('data' in inside, JSON.stringify(inside)).toBe(true);
      if (subject.outside) {
        const outside = await watch(socket, { areas: [community[subject.outside]] });
        expect('error' in outside && outside.error.code).toBe('forbidden');
        // One area outside spoils the whole request: nothing of it is watched.
        const mixed = await watch(socket, { areas: [community[subject.inside], community[subject.outside]] });
        expect('error' in mixed && mixed.error.code).toBe('forbidden');
      }
    });
  }

  it('refuses the city to everyone below it', async () => {
    for (const username of ['pudong', 'lujiazui', 'grid01', 'matrix_team_pd', 'wall-token']) {
      const socket = await open(username);
      const reply = await watch(socket, { areas: ['310000'] });
      expect('error' in reply && reply.error.code, username).toBe('forbidden');
    }
  });
});

describe('pushes reach only the watchers inside the event\'s jurisdiction', () => {
  it('an alert and the figures of a Lujiazui grid go to the watchers of Lujiazui, Pudong and the city, not to grid01 or a Huangpu watcher', async () => {
    const watchers = {
      lujiazui: { socket: await open('lujiazui'), area: '310115005' },
      pudong: { socket: await open('pudong'), area: '310115' },
      pudongWall: { socket: await open('wall-token'), area: '310115' },
      cityWall: { socket: await open('wall'), area: '310000' },
      grid01: { socket: await open('grid01'), area: '310115004001' },
      huangpu: { socket: await open('command'), area: '310101' },
    };
    const got = Object.fromEntries(await Promise.all(Object.entries(watchers).map(async ([name, w]) => {
      const reply = await watch(w.socket, { areas: [w.area] });
      expect('data' in reply, `${name}: ${JSON.stringify(reply)}`).toBe(true);
      return [name, record(w.socket)] as const;
    })));

    await feverAt(grid.street);
    for (const name of ['lujiazui', 'pudong', 'pudongWall', 'cityWall']) {
      const alert = await waitFor(() => got[name]!.alerts.find((a) => a.areaCode === grid.street), 5000, `${name} alert`);
      expect(alert.kind).toBe('abnormal_temperature');
      // An alert names places and figures, never a person: the wall may show it as it is.
      expect(alert.details).not.toHaveProperty('name');
      await waitFor(() => got[name]!.counts.find((c) => c.area === watchers[name as keyof typeof watchers].area), 5000, `${name} counts`);
    }
    // The pushes are batched every quarter second: wait well past that before asserting silence.
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const name of ['grid01', 'huangpu']) {
      expect(got[name]!.alerts, name).toEqual([]);
      expect(got[name]!.counts, name).toEqual([]);
    }
  });

  it('an alert in Huangpu reaches the city and Huangpu watchers, and no one in Pudong', async () => {
    const pudong = await open('pudong');
    const city = await open('command');
    expect('data' in (await watch(pudong, { areas: ['310115'] }))).toBe(true);
    expect('data' in (await watch(city, { areas: ['310000'] }))).toBe(true);
    const inPudong = record(pudong);
    const inCity = record(city);
    await feverAt(grid.other);
    await waitFor(() => inCity.alerts.find((a) => a.areaCode === grid.other), 5000, 'city alert');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(inPudong.alerts).toEqual([]);
    expect(inPudong.counts).toEqual([]);
  });
});

describe('a session that ends ends its live feed', () => {
  it('a wall display signed in with its token watches its area only, and revoking the token disconnects it', async () => {
    const wall = await wallTokenSession('310115');
    cookies.set('revoked-wall', wall.cookie);

    const socket = await open('revoked-wall');
    const own = await watch(socket, { areas: ['310115'] });
    expect('data' in own && own.data[0]?.area, JSON.stringify(own)).toBe('310115');
    for (const area of ['310101', '310000']) {
      const refused = await watch(socket, { areas: [area] });
      expect('error' in refused && refused.error.code, area).toBe('forbidden');
    }

    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const revoked = await post(`/api/admin/wall-tokens/${wall.id}/revoke`, cookies.get('admin')!, {});
    expect(revoked.status).toBe(200);
    socket.io.opts.reconnection = false;
    await Promise.race([
      disconnected,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the revoked wall kept its live feed')), sessionRecheckMs + 5000)),
    ]);
  }, sessionRecheckMs + 15_000);

  it('after logout the next watch is refused and the socket is closed', async () => {
    cookies.set('lujiazui-2', await loginCookie(baseUrl, 'lujiazui'));
    const socket = await open('lujiazui-2');
    expect('data' in (await watch(socket, { areas: ['310115005'] }))).toBe(true);
    expect((await post('/api/auth/logout', cookies.get('lujiazui-2')!, {})).status).toBe(204);
    socket.io.opts.reconnection = false;
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const reply = await watch(socket, { areas: ['310115005'] });
    expect('error' in reply && reply.error.code).toBe('unauthenticated');
    await disconnected;
  });
});
