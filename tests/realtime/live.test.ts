import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../server/infra/db.ts';
import type { RunningServer } from '../../server/server.ts';
import type { AreaDayCounts } from '../../server/contracts/stats.ts';
import { maxAlertsPerPush } from '../../server/contracts/live.ts';
import { connectLive, connected, loginCookie, recordUpdates, waitFor, watch, type LiveSocket } from '../helpers/live-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let server: RunningServer;
let pool: Pool;
let baseUrl: string;
let command: string;
let grid: string;
const sockets: LiveSocket[] = [];

function open(cookie: string | undefined): LiveSocket {
  const socket = connectLive(baseUrl, cookie);
  sockets.push(socket);
  return socket;
}

async function postNow(records: number, cookie = command, gridCode = grid) {
  const response = await fetch(`${baseUrl}/api/screenings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      records: Array.from({ length: records }, () => ({
        id: randomUUID(), at: new Date().toISOString(), grid: gridCode, temperature: 38, codeColour: 'yellow', outcome: 'refer',
      })),
    }),
  });
  expect(response.status).toBe(200);
}

const snapshotOf = (reply: Awaited<ReturnType<typeof watch>>): AreaDayCounts[] => {
  if (!('data' in reply)) throw new Error(`watch refused: ${JSON.stringify(reply)}`);
  return reply.data;
};

beforeAll(async () => {
  pool = createPool(testDatabaseUrl(), 4);
  ({ server, baseUrl } = await startTestServer({ connections: 6 }));
  command = await loginCookie(baseUrl, 'command');
  // The grid this file's records go to.
  grid = (await pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310112%' ORDER BY code DESC LIMIT 1`)).rows[0]!.code;
});

afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await server.close();
  await pool.end();
});

describe('socket.io /live', () => {
  it('refuses a connection without a session', async () => {
    const socket = open(undefined);
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
    expect(error.data?.code).toBe('unauthenticated');
  });

  it('answers areas:watch with the figures of every watched area, then pushes full figures on change', async () => {
    const socket = open(command);
    await connected(socket);
    const areas = [grid, grid.slice(0, 12), grid.slice(0, 9), grid.slice(0, 6), '310000'];
    const snapshot = snapshotOf(await watch(socket, { areas }));
    expect(snapshot.map((row) => row.area)).toEqual(areas);
    const updates = recordUpdates(socket);

    await postNow(3);
    for (const [i, area] of areas.entries()) {
      const update = await waitFor(() => updates.findLast((u) => u.area === area && u.counts.screened >= snapshot[i]!.counts.screened + 3), 5000, `update of ${area}`);
      expect(update.day).toBe(snapshot[i]!.day);
      expect(update.version).toBeGreaterThan(snapshot[i]!.version);
      if (area === grid) {
        // Full figures, not increments: a client that missed a message cannot drift.
        expect(update.counts).toMatchObject({
          screened: snapshot[i]!.counts.screened + 3,
          abnormalTemp: snapshot[i]!.counts.abnormalTemp + 3,
          yellowCode: snapshot[i]!.counts.yellowCode + 3,
          referred: snapshot[i]!.counts.referred + 3,
        });
      }
    }
  });

  it('sends a busy area at most four times a second, ending with its latest figures', async () => {
    const socket = open(command);
    await connected(socket);
    const [before] = snapshotOf(await watch(socket, { areas: [grid] }));
    const updates = recordUpdates(socket);
    const started = Date.now();
    for (let i = 0; i < 40; i++) await postNow(1);
    const last = await waitFor(() => updates.find((u) => u.counts.screened === before!.counts.screened + 40), 5000, 'final figures');
    expect(last.area).toBe(grid);
    // One tick every 250 ms, plus one for the partial tick at each end.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 250) + 1);
    expect(updates.length).toBeLessThan(40);
  });

  it('refuses bad, unknown and out-of-jurisdiction watch requests with an error ack', async () => {
    const pudong = open(await loginCookie(baseUrl, 'pudong'));
    await connected(pudong);
    const cases: Array<[unknown, string]> = [
      [{}, 'validation_failed'],
      [{ areas: [] }, 'validation_failed'],
      [{ areas: ['abc'] }, 'validation_failed'],
      [{ areas: 'x' }, 'validation_failed'],
      [null, 'validation_failed'],
      [{ areas: Array.from({ length: 501 }, () => '310115') }, 'validation_failed'],
      [{ areas: ['999999'] }, 'not_found'],
      [{ areas: ['310115', '310101'] }, 'forbidden'],
      [{ areas: ['310000'] }, 'forbidden'],
    ];
    for (const [request, code] of cases) {
      const reply = await watch(pudong, request);
      expect('error' in reply && reply.error.code, JSON.stringify(request)?.slice(0, 60)).toBe(code);
    }
    expect(snapshotOf(await watch(pudong, { areas: ['310115'] }))[0]?.area).toBe('310115');
  });

  it('pushes a new alert once to a client watching both its district and the city', async () => {
    const socket = open(command);
    await connected(socket);
    snapshotOf(await watch(socket, { areas: ['310000', grid.slice(0, 6)] }));
    const alerts: Array<{ id: number; kind: string; areaCode: string }> = [];
    socket.on('alert:raised', (alert) => alerts.push(alert));
    await postNow(1); // 38 °C and a yellow code: one abnormal-temperature alert
    // The file's other tests raise alerts in the city too: look at ours only.
    const alert = await waitFor(() => alerts.find((a) => a.areaCode === grid), 5000, 'alert:raised');
    expect(alert).toMatchObject({ kind: 'abnormal_temperature', areaCode: grid });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alerts.filter((a) => a.id === alert.id)).toHaveLength(1);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
  });

  it('summarises a surge of alerts: the newest pushed one by one, the rest as a count', async () => {
    const socket = open(command);
    await connected(socket);
    snapshotOf(await watch(socket, { areas: [grid.slice(0, 6)] }));
    const alerts: unknown[] = [];
    const more: number[] = [];
    socket.on('alert:raised', (alert) => alerts.push(alert));
    socket.on('alerts:more', ({ count }) => more.push(count));
    await postNow(maxAlertsPerPush + 10); // one abnormal-temperature alert each
    await waitFor(() => (more.length > 0 ? more : undefined), 5000, 'alerts:more');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alerts).toHaveLength(maxAlertsPerPush);
    expect(more).toEqual([10]);
  });

  it('tells the watchers of a street when one of its communities sends its daily report', async () => {
    const community = grid.slice(0, 12);
    const street = grid.slice(0, 9);
    const socket = open(command);
    await connected(socket);
    snapshotOf(await watch(socket, { areas: [street] }));
    const updates: Array<{ area: string; day: string }> = [];
    socket.on('reports:updated', (update) => updates.push(update));
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const response = await fetch(`${baseUrl}/api/reports/${community}/${day}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: command },
      body: JSON.stringify({ submissionId: randomUUID(), zero: true }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    const update = await waitFor(() => updates.find((u) => u.area === street), 5000, 'reports:updated');
    expect(update).toMatchObject({ area: street, day });
  });

  it('does not send areas the client no longer watches', async () => {
    const socket = open(command);
    await connected(socket);
    await watch(socket, { areas: [grid] });
    await watch(socket, { areas: ['310101'] });
    const updates = recordUpdates(socket);
    await postNow(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(updates.filter((u) => u.area === grid)).toHaveLength(0);
  });

  it('resynchronises after a dropped connection: watching again returns what was missed', async () => {
    const socket = open(command);
    await connected(socket);
    const watched = [grid.slice(0, 6)];
    let latest = snapshotOf(await watch(socket, { areas: watched }))[0]!;
    // What a client does on every (re)connect: watch again and take the snapshot.
    socket.io.on('reconnect', () => {
      void watch(socket, { areas: watched }).then((reply) => {
        latest = snapshotOf(reply)[0]!;
      });
    });
    const before = latest.counts.screened;
    socket.io.engine.close(); // the network drops
    await waitFor(() => (socket.connected ? undefined : true), 5000, 'disconnect');
    await postNow(5); // while the client is away
    await waitFor(() => (socket.connected ? true : undefined), 10_000, 'reconnect');
    await waitFor(() => (latest.counts.screened >= before + 5 ? true : undefined), 5000, 'snapshot after reconnect');
    expect(latest.counts.screened).toBeGreaterThanOrEqual(before + 5);
  });
});
