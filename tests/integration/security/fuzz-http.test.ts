// Bad input never crashes, never half-writes, always answers 4xx { code, message }: every write
// route Fastify registered (so a new one is fuzzed without being listed) gets fast-check requests
// derived from its own schema and broken, as an admin and as a street official. Replay a failure
// with FUZZ_SEED=<seed> FUZZ_PATH=<path> (from the report) and -t '<the test name>'.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../helpers/test-app.ts';
import { ScreeningRecord } from '../../../server/contracts/screening.ts';
import { PersonInput } from '../../../server/contracts/people.ts';
import { TemperatureCheckRecord } from '../../../server/contracts/quarantine.ts';
import { NucleicResultRecord, NucleicTestRecord } from '../../../server/contracts/nucleic-tests.ts';
import {
  changesSince,
  collectWriteRoutes,
  expectCleanAnswer,
  fuzzParameters,
  keepUsers,
  logEveryChange,
  oversizedRequest,
  requestFor,
  routeKey,
  toRequest,
  watchProcessFailures,
  type FuzzRequest,
  type FuzzRoute,
  type Hints,
} from './fuzz-support.ts';

/** Arrays the route declares as `items: {}` because the handler checks each item on its own (and reports it by index). */
const itemSchemas: Record<string, Record<string, object>> = {
  'POST /api/screenings': { records: ScreeningRecord },
  'POST /api/people': { people: PersonInput },
  'POST /api/quarantine/temperature-checks': { checks: TemperatureCheckRecord },
  'POST /api/nucleic-tests': { tests: NucleicTestRecord },
  'POST /api/nucleic-tests/results': { results: NucleicResultRecord },
};

/** Routes not fuzzed here, and why. */
const notFuzzed: Record<string, string> = {
  'POST /api/auth/logout': 'ends the session the fuzzing signs in with (it takes no input)',
};

const { onRoute, routes } = collectWriteRoutes();
// The file's own database (tests/helpers/file-database.ts): the row log below sees this file's writes only.
const t = await createTestApp({ onRoute });
const fuzzingUsers = ['admin', 'lujiazui'];
await logEveryChange(t.pool);
const restoreUsers = await keepUsers(t.pool, fuzzingUsers);
const hints: Hints = {
  areaCodes: [
    '310000', '310115', '310115005', '310101',
    ...(await t.pool.query<{ code: string }>(
      `(SELECT code FROM areas WHERE path <@ (SELECT path FROM areas WHERE code = '310115005') AND level IN ('community', 'grid') ORDER BY code LIMIT 4)
        UNION ALL (SELECT code FROM areas WHERE level = 'grid' AND code NOT LIKE '310115%' ORDER BY code LIMIT 2)`,
    )).rows.map((row) => row.code),
  ],
};
const bodyLimit = t.app.initialConfig.bodyLimit!;

afterAll(() => t.close());

async function send(request: FuzzRequest, cookie: string) {
  // From addresses of their own, so that refused sign-ins do not throttle the test's own.
  const remoteAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`;
  return t.app.inject({ method: request.method as 'POST', url: request.url, headers: { ...request.headers, cookie }, payload: request.payload, remoteAddress });
}

/** Sends one request and checks the answer, the database and the process. */
async function check(request: FuzzRequest, cookie: string, state: { mark: number }, failures: unknown[]): Promise<number> {
  const started = performance.now();
  const response = await send(request, cookie);
  const ms = performance.now() - started;
  if (ms > 300) console.log(`slow ${Math.round(ms)} ms: ${request.method} ${request.url.slice(0, 100)} ${request.about.slice(0, 100)} ${String(request.payload?.length)} → ${response.statusCode}`);
  const what = `${request.method} ${request.url.slice(0, 200)} (${request.about.slice(0, 300)}) → ${response.statusCode} ${response.body.slice(0, 300)}`;
  try {
    expectCleanAnswer(response);
  } catch (error) {
    throw new Error(`${what}\n${(error as Error).message}`);
  }
  const { last, changes } = await changesSince(t.pool, state.mark);
  state.mark = last;
  if (response.statusCode >= 400) expect(changes, `refused, yet the database changed: ${what}`).toEqual([]);
  expect(failures, `unhandled rejection or uncaught exception after ${what}`).toEqual([]);
  return response.statusCode;
}

describe.each(fuzzingUsers)('write routes fuzzed as %s', (username) => {
  it('finds the write routes', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map(routeKey)).toContain('POST /api/risk-areas');
  });

  for (const route of routes as FuzzRoute[]) {
    const key = routeKey(route);
    const reason = notFuzzed[key];
    const test = reason ? it.skip : it;
    test(reason ? `${key} (not fuzzed: ${reason})` : key, async () => {
      // A fresh session each time: a route fuzzed before may have ended it or changed the user.
      await restoreUsers();
      const cookie = await t.login(username);
      const watcher = watchProcessFailures();
      const state = { mark: (await changesSince(t.pool, 0)).last };
      const statuses = new Map<number, number>();
      try {
        const oversized = await check(oversizedRequest(route, route.bodyLimit ?? bodyLimit), cookie, state, watcher.failures);
        if (!route.multipart) expect(oversized).toBe(413);
        await fc.assert(
          fc.asyncProperty(requestFor(route, hints, itemSchemas[key]), async (plan) => {
            const status = await check(await toRequest(route, plan), cookie, state, watcher.failures);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }),
          fuzzParameters(),
        );
      } finally {
        watcher.stop();
      }
      // Which answers the fuzzing met, to see how deep it went (FUZZ_VERBOSE=1; kept out of the suite's output otherwise).
      if (process.env.FUZZ_VERBOSE) console.log(`${username} ${key}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    });
  }
});
