// Several real server processes on one database: socket.io rooms shared through Redis, and a
// process killed in the middle of ingestion.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../server/infra/db.ts';
import {
  connectLive,
  connected,
  loginCookie,
  recordUpdates,
  startServerProcess,
  waitFor,
  watch,
  type LiveSocket,
  type ServerProcess,
} from '../helpers/live-client.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let pool: Pool;
const processes: ServerProcess[] = [];
const sockets: LiveSocket[] = [];
const redisChannel = `ecc-test-${process.pid}-${Date.now()}`;

async function serverProcess(): Promise<ServerProcess> {
  const started = await startServerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CHANNEL: redisChannel });
  processes.push(started);
  return started;
}

function batch(size: number, grid: string) {
  return Array.from({ length: size }, (_, i) => ({
    id: randomUUID(), at: new Date().toISOString(), grid, temperature: 36 + (i % 20) / 10, codeColour: i % 9 ? 'green' : 'red', outcome: i % 13 ? 'pass' : 'deny',
  }));
}

async function post(baseUrl: string, cookie: string, records: unknown[]) {
  const response = await fetch(`${baseUrl}/api/screenings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ records }),
  });
  return { status: response.status, body: (await response.json()) as { accepted: number; duplicates: number } };
}

beforeAll(() => {
  pool = createPool(testDatabaseUrl(), 2);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  await pool.end();
});

describe('two server processes', () => {
  it('a record posted to one process reaches a client of the other (Redis adapter)', async () => {
    const [a, b] = await Promise.all([serverProcess(), serverProcess()]);
    const grid = (await pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310113%' ORDER BY code DESC LIMIT 1`)).rows[0]!.code;
    const socket = connectLive(b!.url, await loginCookie(b!.url, 'command'));
    sockets.push(socket);
    await connected(socket);
    const reply = await watch(socket, { areas: [grid, '310113'] });
    if (!('data' in reply)) throw new Error(JSON.stringify(reply));
    const before = reply.data[0]!.counts.screened;
    const updates = recordUpdates(socket);

    const result = await post(a!.url, await loginCookie(a!.url, 'command'), batch(7, grid));
    expect(result).toEqual({ status: 200, body: { accepted: 7, duplicates: 0 } });
    const update = await waitFor(() => updates.find((u) => u.area === grid), 10_000, 'update relayed through Redis');
    expect(update.counts.screened).toBe(before + 7);
    await waitFor(() => updates.find((u) => u.area === '310113'), 5000, 'district update');
  });
});

describe('a server process killed during ingestion', () => {
  it('loses no acknowledged record and counts nothing twice when the client retries', async () => {
    const grid = (await pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310114%' ORDER BY code DESC LIMIT 1`)).rows[0]!.code;
    const batches = Array.from({ length: 30 }, () => batch(500, grid));
    const acknowledged = new Set<number>();
    let server = await serverProcess();
    let cookie = await loginCookie(server.url, 'command');

    // Send batches back to back and kill the process (SIGKILL: no graceful close) while one is in flight.
    let killed = false;
    const sending = (async () => {
      for (const [i, records] of batches.entries()) {
        try {
          const result = await post(server.url, cookie, records);
          if (result.status === 200) acknowledged.add(i);
        } catch {
          return; // connection lost mid-request: this batch is not acknowledged
        }
        if (killed) return;
      }
    })();
    await waitFor(() => (acknowledged.size >= 5 ? true : undefined), 30_000, 'five acknowledged batches');
    killed = true;
    await server.stop('SIGKILL');
    await sending;
    expect(acknowledged.size).toBeGreaterThanOrEqual(5);
    expect(acknowledged.size).toBeLessThan(batches.length);

    const ids = (i: number) => batches[i]!.map((r) => r.id);
    const stored = async (i: number) =>
      (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM screening_events WHERE id = ANY ($1::uuid[])', [ids(i)])).rows[0]!.n;
    for (const i of acknowledged) expect(await stored(i), `acknowledged batch ${i}`).toBe(500);

    // The client retries everything it has no acknowledgement for, plus one it has (a duplicate retry).
    server = await serverProcess();
    cookie = await loginCookie(server.url, 'command');
    let accepted = 0;
    for (const [i, records] of batches.entries()) {
      if (acknowledged.has(i) && i !== 0) continue;
      const result = await post(server.url, cookie, records);
      expect(result.status).toBe(200);
      accepted += result.body.accepted;
      if (acknowledged.has(i)) expect(result.body).toEqual({ accepted: 0, duplicates: 500 });
    }
    for (let i = 0; i < batches.length; i++) expect(await stored(i)).toBe(500);
    expect(accepted).toBeLessThanOrEqual((batches.length - acknowledged.size) * 500);

    // The counters agree with the events: nothing was counted twice, nothing was lost.
    const adminCookie = await loginCookie(server.url, 'admin');
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const check = await fetch(`${server.url}/api/stats/consistency?day=${day}`, { headers: { cookie: adminCookie } });
    expect(await check.json()).toMatchObject({ consistent: true, mismatches: [] });
  });
});
