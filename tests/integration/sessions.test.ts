// Sessions and sign-in hardening: argon2id with re-hash of legacy scrypt hashes, lockout per account
// and limit per address (saying nothing about which usernames exist), idle and absolute expiry, logout
// everywhere, the sweep, and cross-site request refusal.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, demoPassword, json, type TestApp } from '../helpers/test-app.ts';
import { deviceCookie, endUserSessions, hashToken, sessionCookie } from '../../server/auth/index.ts';
import { sweepSessions } from '../../server/auth/auth.repository.ts';
import { hashPassword } from '../../server/auth/password.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { loginIpMaxFailures: 8 } });
});
afterAll(() => t.close());

let nextAddress = 1;
/** A client address of its own for each test, so that one test's failures never count against another's. */
const newAddress = () => `198.51.100.${nextAddress++}`;

const login = (username: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

const cookieOf = (response: LightMyRequestResponse) => {
  const session = response.cookies.find((c) => c.name === sessionCookie);
  if (!session) throw new Error(`no session cookie: ${response.statusCode} ${response.body}`);
  return `${sessionCookie}=${session.value}`;
};
const tokenHashOf = (cookie: string) => hashToken(cookie.slice(sessionCookie.length + 1));
const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });

async function createUser(username: string, passwordHash: string): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code) VALUES ($1, $1, $2, 'grid_worker', '310000') RETURNING id::int`,
    [username, passwordHash],
  );
  return rows[0]!.id;
}
const storedHash = async (username: string) =>
  (await t.pool.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE username = $1', [username])).rows[0]!.h;

/** The format the product stored before argon2id. */
function legacyScrypt(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

describe('passwords', () => {
  it('demo users are stored as argon2id with the OWASP parameters', async () => {
    const { rows } = await t.pool.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE username = ANY($1)`, [['admin', 'command', 'wall']]);
    expect(rows).toHaveLength(3);
    for (const { h } of rows) expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('a legacy scrypt hash still signs in, and is replaced by argon2id on success only', async () => {
    const address = newAddress();
    const legacy = legacyScrypt('old-secret-1');
    await createUser('legacy.user', legacy);
    expect((await login('legacy.user', 'wrong', address)).statusCode).toBe(401);
    expect(await storedHash('legacy.user')).toBe(legacy);
    expect((await login('legacy.user', 'old-secret-1', address)).statusCode).toBe(200);
    const rehashed = await storedHash('legacy.user');
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await login('legacy.user', 'old-secret-1', address)).statusCode).toBe(200);
    expect(await storedHash('legacy.user')).toBe(rehashed);
  });
});

describe('failed sign-ins', () => {
  it('locks an account for 15 minutes after 5 failures in a row (423, Retry-After), even for the right password', async () => {
    const address = newAddress();
    await createUser('lock.me', await hashPassword('right-password'));
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 5; i++) {
      last = await login('lock.me', `wrong-${i}`, address);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    expect(json<{ code: string; message: string }>(last!)).toMatchObject({ code: 'account_locked', message: expect.stringMatching(/15 min.* \/ .*15 分钟/) });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    const refused = await login('lock.me', 'right-password', newAddress());
    expect(refused.statusCode).toBe(423);
    expect(refused.cookies).toHaveLength(0);

    // the lock runs out: the right password works and the count starts again
    await t.pool.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = 'user:lock.me'`);
    expect((await login('lock.me', 'right-password', address)).statusCode).toBe(200);
    expect((await t.pool.query(`SELECT 1 FROM login_throttle WHERE key = 'user:lock.me'`)).rowCount).toBe(0);
  });

  it("a stranger's failures lock the account for strangers only: its owner's usual browser still signs in, and counts its own failures", async () => {
    const userId = await createUser('device.owner', await hashPassword('right-password'));
    await createUser('someone.else', await hashPassword('other-password'));
    const signIn = (username: string, password: string, device?: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: newAddress(), ...(device ? { cookies: { [deviceCookie]: device } } : {}) });
    // The owner's browser gets a device cookie with its first sign-in: httpOnly, strict, for the sign-in route alone.
    const first = await signIn('device.owner', 'right-password');
    expect(first.statusCode).toBe(200);
    const issued = first.cookies.find((c) => c.name === deviceCookie)!;
    expect(issued).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth/login' });
    expect(issued.maxAge).toBe(180 * 86_400);
    const device = issued.value;
    // A browser that already has one keeps it.
    expect((await signIn('device.owner', 'right-password', device)).cookies.some((c) => c.name === deviceCookie)).toBe(false);

    // A stranger fails five times: the account is locked for anyone without the owner's device cookie...
    for (let i = 0; i < 5; i++) await signIn('device.owner', `guess-${i}`);
    expect((await signIn('device.owner', 'right-password')).statusCode).toBe(423);
    expect((await signIn('device.owner', 'right-password', 'forged-or-stale-token')).statusCode).toBe(423);
    // ...another account's device cookie included,
    const otherDevice = (await signIn('someone.else', 'other-password')).cookies.find((c) => c.name === deviceCookie)!.value;
    expect((await signIn('device.owner', 'right-password', otherDevice)).statusCode).toBe(423);
    // but the owner at their usual browser signs in.
    expect((await signIn('device.owner', 'right-password', device)).statusCode).toBe(200);

    // Failures sent with the device cookie are counted for that browser: five lock it, not the others.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn('device.owner', 'typo', device)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    expect((await signIn('device.owner', 'right-password', device)).statusCode).toBe(423);
    expect((await t.pool.query(`SELECT 1 FROM login_throttle WHERE key = $1`, [`device:${hashToken(device)}`])).rowCount).toBe(1);

    // Ending every session of the user (sign out everywhere, a password reset, disabling) ends the trust too.
    await t.pool.query(`DELETE FROM login_throttle WHERE key = $1`, [`device:${hashToken(device)}`]);
    expect((await t.pool.query('SELECT 1 FROM login_devices WHERE user_id = $1', [userId])).rowCount).toBe(1);
    await endUserSessions(t.pool, userId);
    expect((await t.pool.query('SELECT 1 FROM login_devices WHERE user_id = $1', [userId])).rowCount).toBe(0);
    expect((await signIn('device.owner', 'right-password', device)).statusCode).toBe(423);
  });

  it('a successful sign-in resets the count: failures must be consecutive', async () => {
    await createUser('typo.prone', await hashPassword('right-password'));
    for (const address of [newAddress(), newAddress()]) {
      for (let i = 0; i < 4; i++) expect((await login('typo.prone', 'wrong', address)).statusCode).toBe(401);
      expect((await login('typo.prone', 'right-password', address)).statusCode).toBe(200);
    }
  });

  it('an unknown username is answered exactly like a known one, lock included, and costs as much work', async () => {
    await createUser('known.user', await hashPassword('right-password'));
    const answers = async (username: string) => {
      const address = newAddress();
      const out: Array<{ status: number; body: string; cpuMs: number }> = [];
      for (let i = 0; i < 6; i++) {
        // CPU time of this process (argon2 runs on its thread pool): steadier than wall time on a busy machine
        const started = process.cpuUsage();
        const response = await login(username, 'wrong', address);
        const used = process.cpuUsage(started);
        out.push({ status: response.statusCode, body: response.body, cpuMs: (used.user + used.system) / 1000 });
      }
      return out;
    };
    const known = await answers('known.user');
    const unknown = await answers('no.such.user');
    expect(unknown.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(unknown.map((a) => [a.status, a.body])).toEqual(known.map((a) => [a.status, a.body]));
    // a password is verified (against a decoy hash) for unknown users too: without it their answers
    // cost a quarter of a known user's. Medians of the attempts that verify, after the first (warm-up).
    const cpu = (list: typeof known) => list.slice(1, 5).map((a) => a.cpuMs).sort((a, b) => a - b)[2]!;
    expect(cpu(unknown), `unknown ${cpu(unknown)} ms, known ${cpu(known)} ms of CPU`).toBeGreaterThan(cpu(known) * 0.6);
  });

  it('limits failures per client address across usernames (429, Retry-After), and only for that address', async () => {
    const address = newAddress();
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 8; i++) {
      last = await login(`spray.${i}`, 'Password1', address);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 429]);
    expect(json<{ code: string; message: string }>(last!)).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/ \/ .*分钟/) });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // the right password from that address waits too; from another address it works
    expect((await login('command', demoPassword, address)).statusCode).toBe(429);
    expect((await login('command', demoPassword, newAddress())).statusCode).toBe(200);
  });
});

describe('session expiry', () => {
  const setSession = (cookie: string, assignments: string) =>
    t.pool.query(`UPDATE sessions SET ${assignments} WHERE token_hash = $1`, [tokenHashOf(cookie)]);

  it('a session idle for longer than its timeout ends; one in use is kept alive by its requests', async () => {
    const idle = cookieOf(await login('command', demoPassword, newAddress()));
    const { rows } = await t.pool.query<{ idle: number }>('SELECT idle_minutes AS idle FROM sessions WHERE token_hash = $1', [tokenHashOf(idle)]);
    expect(rows[0]!.idle).toBe(30);
    await setSession(idle, `last_seen_at = now() - interval '31 minutes'`);
    expect((await me(idle)).statusCode).toBe(401);

    // the wall display polls every 30 s: each request moves its last activity on
    const wall = cookieOf(await login('wall', demoPassword, newAddress()));
    await setSession(wall, `last_seen_at = now() - interval '29 minutes'`);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: wall } })).statusCode).toBe(200);
    const seen = await t.pool.query<{ ago: number }>('SELECT extract(epoch FROM now() - last_seen_at)::int AS ago FROM sessions WHERE token_hash = $1', [tokenHashOf(wall)]);
    expect(seen.rows[0]!.ago).toBeLessThan(60);
  });

  it('the idle timeout is SESSION_IDLE_MINUTES; the absolute expiry ends a busy session too', async () => {
    const other = await createTestApp({ config: { sessionIdleMinutes: 240 } });
    try {
      const response = await other.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'command', password: demoPassword }, remoteAddress: newAddress() });
      const cookie = cookieOf(response);
      await setSession(cookie, `last_seen_at = now() - interval '200 minutes'`);
      expect((await other.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await other.close();
    }
    const busy = cookieOf(await login('command', demoPassword, newAddress()));
    await setSession(busy, `expires_at = now() - interval '1 second'`);
    expect((await me(busy)).statusCode).toBe(401);
  });

  it('logout everywhere ends every session of the user at once (the function admins use, and the route)', async () => {
    const userId = await createUser('many.devices', await hashPassword('right-password'));
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(cookieOf(await login('many.devices', 'right-password', newAddress())));
    const bystander = await t.login('pudong');
    for (const cookie of sessions) expect((await me(cookie)).statusCode).toBe(200); // now cached on this process too
    expect(await endUserSessions(t.pool, userId)).toBe(3);
    for (const cookie of sessions) expect((await me(cookie)).statusCode).toBe(401);
    expect((await me(bystander)).statusCode).toBe(200);

    const again = [cookieOf(await login('many.devices', 'right-password', newAddress())), cookieOf(await login('many.devices', 'right-password', newAddress()))];
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: { cookie: again[0]! } });
    expect(out.statusCode).toBe(204);
    for (const cookie of again) expect((await me(cookie)).statusCode).toBe(401);
  });

  it('expired and idle sessions and spent sign-in counts are swept, live ones kept', async () => {
    const userId = await createUser('swept.user', await hashPassword('x-password'));
    const rows: Array<[string, string, string]> = [
      ['expired', `now() - interval '1 minute'`, 'now()'],
      ['idle', `now() + interval '1 hour'`, `now() - interval '2 hours'`],
      ['live', `now() + interval '1 hour'`, 'now()'],
    ];
    for (const [name, expires, seen] of rows) {
      await t.pool.query(`INSERT INTO sessions (token_hash, user_id, expires_at, last_seen_at, idle_minutes) VALUES ($1, $2, ${expires}, ${seen}, 30)`, [hashToken(`swept-${name}`), userId]);
    }
    await t.pool.query(`INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES
      ('user:swept.old', 2, now() - interval '2 days', NULL), ('user:swept.locked', 5, now() - interval '2 days', now() + interval '5 minutes'),
      ('user:swept.recent', 1, now(), NULL)`);
    const swept = await sweepSessions(t.pool, 24 * 60);
    expect(swept.sessions).toBeGreaterThanOrEqual(2);
    const left = await t.pool.query<{ h: string }>('SELECT token_hash AS h FROM sessions WHERE user_id = $1', [userId]);
    expect(left.rows.map((r) => r.h)).toEqual([hashToken('swept-live')]);
    const keys = await t.pool.query<{ key: string }>(`SELECT key FROM login_throttle WHERE key LIKE 'user:swept.%' ORDER BY key`);
    expect(keys.rows.map((r) => r.key)).toEqual(['user:swept.locked', 'user:swept.recent']);
  });

  it('the sweep runs on its own timer', async () => {
    const userId = await createUser('timer.user', await hashPassword('x-password'));
    await t.pool.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() - interval '1 minute')`, [hashToken('timer-expired'), userId]);
    const swept = await createTestApp({ config: { sweepIntervalSeconds: 1 } });
    try {
      const deadline = Date.now() + 10_000;
      while ((await t.pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [userId])).rowCount! > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await t.pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [userId])).rowCount).toBe(0);
    } finally {
      await swept.close();
    }
  });
});

describe('cross-site requests', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await t.login('lujiazui');
  });
  const post = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload: {} });

  it('refuses unsafe requests a browser sends from another site (Sec-Fetch-Site), with 403 csrf', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const response = await post('/api/auth/logout', { 'sec-fetch-site': site });
      expect(response.statusCode, site).toBe(403);
      expect(json<{ code: string; message: string }>(response)).toMatchObject({ code: 'csrf', message: expect.stringContaining(' / ') });
    }
    expect((await me(cookie)).statusCode).toBe(200); // the forged logout did nothing
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url: '/api/risk-areas/1', headers: { cookie, 'sec-fetch-site': 'cross-site' }, payload: {} });
      expect(response.statusCode, method).toBe(403);
      expect(json<{ code: string }>(response).code).toBe('csrf');
    }
    // login CSRF: signing the victim into the attacker's account
    const forgedLogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'sec-fetch-site': 'cross-site' }, payload: { username: 'command', password: demoPassword } });
    expect(forgedLogin.statusCode).toBe(403);
    expect(forgedLogin.cookies).toHaveLength(0);
  });

  it('without Sec-Fetch-Site, an Origin that is not this host is refused', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8081']) {
      const response = await post('/api/auth/me', { origin });
      expect(response.statusCode, origin).toBe(403);
      expect(json<{ code: string }>(response).code).toBe('csrf');
    }
  });

  it('same-origin pages, typed URLs, safe methods and non-browser clients pass', async () => {
    const passing: Array<[string, Record<string, string>]> = [
      ['same-origin fetch', { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' }],
      ['user-initiated', { 'sec-fetch-site': 'none' }],
      ['older browser, same origin', { origin: 'http://localhost:80' }],
      ['curl or a script', {}],
    ];
    for (const [name, headers] of passing) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'command', password: demoPassword }, remoteAddress: newAddress() });
      expect(response.statusCode, name).toBe(200);
    }
    const read = await t.app.inject({ url: '/api/auth/me', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(read.statusCode).toBe(200);
  });

  it('an origin listed in CORS_ORIGINS may send unsafe requests', async () => {
    const trusting = await createTestApp({ config: { corsOrigins: ['https://partner.example'] } });
    try {
      const headers = { 'sec-fetch-site': 'cross-site', origin: 'https://partner.example' };
      const response = await trusting.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'command', password: demoPassword }, remoteAddress: newAddress() });
      expect(response.statusCode).toBe(200);
      const other = await trusting.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...headers, origin: 'https://evil.example' }, payload: { username: 'command', password: demoPassword } });
      expect(other.statusCode).toBe(403);
    } finally {
      await trusting.close();
    }
  });
});
