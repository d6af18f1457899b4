// The socket subscribe message (`areas:watch` on /live) fuzzed with real socket.io clients: bad
// input gets an error ack, never crashes the server, and the socket stays usable afterwards.
// Replay a failure with FUZZ_SEED=<seed> FUZZ_PATH=<path> (from the report).
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/server.ts';
import { WatchRequest, maxWatchedAreas, type WatchReply } from '../../../server/contracts/live.ts';
import { connectLive, connected, loginCookie, watch, type LiveSocket } from '../../helpers/live-client.ts';
import { startTestServer } from '../../helpers/test-server.ts';
import { badValue, brokenValue, fuzzParameters, nastyString, validValue, watchProcessFailures, type Hints } from './fuzz-support.ts';

const watchRequest = Compile(WatchRequest);
let server: RunningServer;
let baseUrl: string;
const sockets: LiveSocket[] = [];
const watcher = watchProcessFailures();
// Inside Lujiazui, outside it, and codes that do not exist.
const hints: Hints = { areaCodes: ['310115005', '310115005001', '310115', '310000', '310101', '999999', '3101150059999999'] };

beforeAll(async () => {
  ({ server, baseUrl } = await startTestServer());
});

afterAll(async () => {
  watcher.stop();
  sockets.forEach((socket) => socket.disconnect());
  await server.close();
});

async function open(username: string): Promise<LiveSocket> {
  const socket = connectLive(baseUrl, await loginCookie(baseUrl, username));
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** The socket still answers a good watch with figures. */
async function expectUsable(socket: LiveSocket, area: string): Promise<void> {
  expect(socket.connected).toBe(true);
  const reply = await watch(socket, { areas: [area] });
  expect(reply, JSON.stringify(reply).slice(0, 300)).toHaveProperty('data');
}

const payload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validValue(WatchRequest, hints) },
  { weight: 6, arbitrary: brokenValue(WatchRequest, hints) },
  { weight: 2, arbitrary: badValue },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...hints.areaCodes), nastyString.map((s) => s.slice(0, 30))), { minLength: maxWatchedAreas - 2, maxLength: maxWatchedAreas + 50 }).map((areas) => ({ areas })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0, '', 'areas', [], { areas: null }, { areas: {} }, { areas: [[]] }) },
);

/** Messages over socket.io's 100 kB buffer close the connection (tested below): kept out. The limit
 * counts UTF-8 bytes, so '长' counts three times. */
const fitsOneMessage = (value: unknown) => Buffer.isBuffer(value) || Buffer.byteLength(JSON.stringify(value) ?? '') < 90_000;

describe.each([
  ['admin', '310000'],
  ['lujiazui', '310115005'],
])('areas:watch fuzzed as %s', (username, home) => {
  let socket: LiveSocket;
  beforeAll(async () => {
    socket = await open(username);
  });

  it('answers every message with figures or an error ack, and stays usable', async () => {
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(payload.filter(fitsOneMessage), async (request) => {
        const reply: WatchReply = await watch(socket, request);
        if (!watchRequest.Check(request)) {
          expect(reply, JSON.stringify(reply).slice(0, 300)).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
        } else if ('error' in reply) {
          // Unknown codes and codes outside the user's jurisdiction, never a failure of the server.
          expect(['not_found', 'forbidden']).toContain(reply.error.code);
          expect(typeof reply.error.message).toBe('string');
        }
        codes.add('error' in reply ? reply.error.code : 'data');
        await expectUsable(socket, home);
        expect(watcher.failures).toEqual([]);
      }),
      fuzzParameters(),
    );
    if (process.env.FUZZ_VERBOSE) console.log(`${username} areas:watch answers: ${[...codes].join(', ')}`);
  });

  it('ignores a watch without an ack, extra arguments and unknown events', async () => {
    const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('areas:watch', { areas: [home] });
    raw.emit('areas:watch', '💥', { areas: [home] }, 42);
    raw.emit('no:such:event', { areas: ["'; DROP TABLE areas; --"] });
    raw.emit('areas:watch', { areas: ['a\u0000b'] }, 'not an ack');
    await expectUsable(socket, home);
    expect(watcher.failures).toEqual([]);
  });

  it('drops only the connection of a message over the size limit', async () => {
    const victim = await open(username);
    const closed = new Promise((resolve) => victim.once('disconnect', resolve));
    (victim as unknown as { emit(event: string, ...args: unknown[]): void }).emit('areas:watch', { areas: Array.from({ length: 20_000 }, () => '310115005001') });
    expect(await closed).toBeTruthy();
    await expectUsable(socket, home);
    expect(watcher.failures).toEqual([]);
  });
});
