// User administration and wall-display tokens through the real app: only admins may use them, bad
// input is a 400 with { code, message }, disabling a user or revoking a token ends its sessions, a
// wall session writes nothing and reads no personal data, and every change leaves an audit row.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';
import { demoUsers } from '../../server/auth/demo-users.ts';
import { sessionCookie } from '../../server/auth/index.ts';
import type { AdminUser, AdminUserList, CreatedWallToken, UserWithPassword, WallToken, WallTokenList } from '../../server/contracts/admin.ts';

let t: TestApp;
/** Every route of the app, to try every write as a wall. */
const routes: Array<{ method: string; url: string }> = [];
let admin: string;
let adminId: number;
const run = randomBytes(3).toString('hex');
const name = (base: string) => `adm-${run}-${base}`;

beforeAll(async () => {
  t = await createTestApp({
    onRoute: (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    },
  });
  admin = await t.login('admin');
  adminId = (await t.pool.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE username = 'admin'`)).rows[0]!.id;
});
afterAll(() => t.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

function expectError(response: LightMyRequestResponse, status: number, code?: string) {
  expect(response.statusCode, response.body).toBe(status);
  const body = json<{ code: string; message: string }>(response);
  expect(body).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String) });
  expect(body.message.length).toBeGreaterThan(0);
}

// Failed sign-ins here come from an address of their own: they must not count towards the lock of
// the address this file's other requests come from.
const remoteAddress = `10.${randomBytes(3).join('.')}`;
async function signIn(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
}
const cookieOf = (response: LightMyRequestResponse) => `${sessionCookie}=${response.cookies.find((c) => c.name === sessionCookie)!.value}`;

async function createUser(base: string, extra: Record<string, unknown> = {}): Promise<UserWithPassword> {
  const response = await call(admin, 'POST', '/api/admin/users', {
    username: name(base),
    displayName: `测试用户 ${base}`,
    role: 'grid_worker',
    jurisdiction: '310115004001',
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  return json<UserWithPassword>(response);
}

async function auditRows(action: string, resourceId: number) {
  const { rows } = await t.pool.query<{ username: string; resource: string; detail: Record<string, unknown>; ip: string | null }>(
    'SELECT username, resource, detail, ip FROM audit_log WHERE action = $1 AND resource_id = $2 ORDER BY id',
    [action, String(resourceId)],
  );
  return rows;
}

async function sessionCount(userId: number) {
  const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [userId]);
  return rows[0]!.n;
}


describe('who may administer', () => {
  const endpoints: Array<[method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown]> = [
    ['GET', '/api/admin/users'],
    ['POST', '/api/admin/users', { username: 'never-made', displayName: 'x', role: 'command', jurisdiction: '310000' }],
    ['PATCH', '/api/admin/users/1', { displayName: 'x' }],
    ['POST', '/api/admin/users/1/disable'],
    ['POST', '/api/admin/users/1/enable'],
    ['POST', '/api/admin/users/1/password', {}],
    ['GET', '/api/admin/wall-tokens'],
    ['POST', '/api/admin/wall-tokens', { label: 'x', area: '310000' }],
    ['POST', '/api/admin/wall-tokens/1/revoke'],
  ];

  it('every other role gets 403 on every endpoint, and nothing changes', async () => {
    const before = await t.pool.query('SELECT id, display_name, disabled, password_hash FROM users ORDER BY id');
    for (const user of demoUsers.filter((u) => u.role !== 'admin')) {
      const cookie = await t.login(user.username);
      for (const [method, url, payload] of endpoints) {
        expectError(await call(cookie, method, url, payload ?? (method === 'GET' ? undefined : {})), 403, 'forbidden');
      }
    }
    expect((await t.pool.query('SELECT id, display_name, disabled, password_hash FROM users ORDER BY id')).rows).toEqual(before.rows);
  });

  it('without a session every endpoint is 401', async () => {
    for (const [method, url, payload] of endpoints) {
      expectError(await t.app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) }), 401, 'unauthenticated');
    }
  });
});

describe('users', () => {
  it('lists users by username, paged, searched by name or area, filtered by role', async () => {
    const all = json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?limit=100'));
    expect(all.total).toBeGreaterThanOrEqual(demoUsers.length);
    const usernames = all.items.map((u) => u.username);
    expect(usernames).toEqual([...usernames].sort());
    for (const demo of demoUsers) expect(usernames).toContain(demo.username);
    const pudong = all.items.find((u) => u.username === 'pudong')!;
    expect(pudong).toMatchObject({ role: 'district_official', jurisdiction: { code: '310115', name: '浦东新区' }, mayExportPersonalData: true, disabled: false });

    const page1 = json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?limit=2&offset=0'));
    const page2 = json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?limit=2&offset=2'));
    expect(page1).toMatchObject({ total: all.total, limit: 2, offset: 0 });
    expect([...page1.items, ...page2.items].map((u) => u.username)).toEqual(usernames.slice(0, 4));
    expect(json<AdminUserList>(await call(admin, 'GET', `/api/admin/users?offset=${all.total + 5}`))).toMatchObject({ items: [], total: all.total });

    const byDisplayName = json<AdminUserList>(await call(admin, 'GET', `/api/admin/users?q=${encodeURIComponent('陆家嘴')}`));
    expect(byDisplayName.items.map((u) => u.username)).toContain('lujiazui');
    expect(byDisplayName.items.every((u) => /陆家嘴/.test(u.displayName + u.jurisdiction.name))).toBe(true);
    const byAreaCode = json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?q=310115&limit=100'));
    expect(byAreaCode.items.length).toBeGreaterThan(0);
    expect(byAreaCode.items.every((u) => u.jurisdiction.code.startsWith('310115'))).toBe(true);
    // LIKE wildcards in a search are literal.
    expect(json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?q=%25')).total).toBe(0);
    const walls = json<AdminUserList>(await call(admin, 'GET', '/api/admin/users?role=wall&limit=100'));
    expect(walls.items.map((u) => u.username)).toEqual(['wall']);
  });

  it('rejects bad list queries with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'role=boss', `q=${'x'.repeat(101)}`, 'colour=red']) {
      expectError(await call(admin, 'GET', `/api/admin/users?${query}`), 400);
    }
  });

  it('creates a user with the given password, who can then sign in; audited without the password', async () => {
    const { user, generatedPassword } = await createUser('given', { password: 'a-long-secret-1', mayExportPersonalData: true, role: 'street_official', jurisdiction: '310115005' });
    expect(generatedPassword).toBeUndefined();
    expect(user).toMatchObject({ username: name('given'), role: 'street_official', jurisdiction: { code: '310115005' }, mayExportPersonalData: true, disabled: false, activeSessions: 0 });
    const login = await signIn(name('given'), 'a-long-secret-1');
    expect(login.statusCode).toBe(200);
    expect(json<{ user: { role: string; jurisdiction: { code: string } } }>(login).user).toMatchObject({ role: 'street_official', jurisdiction: { code: '310115005' } });

    const rows = await auditRows('user.create', user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'admin', resource: 'users', detail: { username: name('given'), role: 'street_official', jurisdiction: '310115005', mayExportPersonalData: true, passwordGenerated: false } });
    expect(JSON.stringify(rows[0])).not.toContain('a-long-secret-1');
  });

  it('generates a password when none is given, shown once', async () => {
    const { user, generatedPassword } = await createUser('generated');
    expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await signIn(user.username, generatedPassword!)).statusCode).toBe(200);
    const listed = json<AdminUserList>(await call(admin, 'GET', `/api/admin/users?q=${user.username}`));
    expect(JSON.stringify(listed)).not.toContain(generatedPassword);
  });

  it('refuses bad new users with 400 (or 409 for a taken name), creating nothing', async () => {
    const base = { username: name('bad'), displayName: '坏', role: 'grid_worker', jurisdiction: '310115004001' };
    const bad: Array<[Record<string, unknown>, number, string?]> = [
      [{ ...base, role: 'wall' }, 400, 'bad_request'],
      [{ ...base, jurisdiction: '310199999' }, 400, 'bad_request'],
      [{ ...base, jurisdiction: 'abc' }, 400, 'validation_failed'],
      [{ ...base, username: 'Has Spaces' }, 400, 'validation_failed'],
      [{ ...base, username: "x'; DROP TABLE users; --" }, 400, 'validation_failed'],
      [{ ...base, role: 'superuser' }, 400, 'validation_failed'],
      [{ ...base, password: 'short' }, 400, 'validation_failed'],
      [{ ...base, displayName: '   ' }, 400, 'validation_failed'],
      [{ ...base, displayName: 'x'.repeat(101) }, 400, 'validation_failed'],
      [{ ...base, isAdmin: true }, 400, 'validation_failed'],
      [{ username: base.username }, 400, 'validation_failed'],
      [{ ...base, username: 'pudong' }, 409, 'conflict'],
    ];
    for (const [payload, status, code] of bad) expectError(await call(admin, 'POST', '/api/admin/users', payload), status, code);
    expect((await t.pool.query('SELECT 1 FROM users WHERE username = $1', [name('bad')])).rowCount).toBe(0);
  });

  it('changes display name, role, jurisdiction and the export right; audits what changed', async () => {
    const { user } = await createUser('edited');
    const response = await call(admin, 'PATCH', `/api/admin/users/${user.id}`, { displayName: ' 改名 ', role: 'district_official', jurisdiction: '310115', mayExportPersonalData: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(json<AdminUser>(response)).toMatchObject({ displayName: '改名', role: 'district_official', jurisdiction: { code: '310115' }, mayExportPersonalData: true });
    const rows = await auditRows('user.update', user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toEqual({
      username: user.username,
      changes: {
        displayName: { from: user.displayName, to: '改名' },
        role: { from: 'grid_worker', to: 'district_official' },
        jurisdiction: { from: '310115004001', to: '310115' },
        mayExportPersonalData: { from: false, to: true },
      },
    });
    // The same values again change nothing and write nothing.
    expect((await call(admin, 'PATCH', `/api/admin/users/${user.id}`, { role: 'district_official' })).statusCode).toBe(200);
    expect(await auditRows('user.update', user.id)).toHaveLength(1);
  });

  it('refuses bad changes: 400 for bad input and the wall role, 404 for an unknown user', async () => {
    const { user } = await createUser('unchanged');
    for (const [payload, code] of [
      [{}, 'validation_failed'],
      [{ role: 'wall' }, 'bad_request'],
      [{ jurisdiction: '310199999' }, 'bad_request'],
      [{ mayExportPersonalData: 'yes' }, 'validation_failed'],
      [{ username: 'renamed' }, 'validation_failed'],
    ] as const) {
      expectError(await call(admin, 'PATCH', `/api/admin/users/${user.id}`, payload), 400, code);
    }
    expectError(await call(admin, 'PATCH', '/api/admin/users/abc', { displayName: 'x' }), 400, 'validation_failed');
    expectError(await call(admin, 'PATCH', '/api/admin/users/999999999', { displayName: 'x' }), 404, 'not_found');
    const wallUser = (await t.pool.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE username = 'wall'`)).rows[0]!.id;
    expectError(await call(admin, 'PATCH', `/api/admin/users/${wallUser}`, { role: 'command' }), 400, 'bad_request');
    expect(await auditRows('user.update', user.id)).toHaveLength(0);
  });

  it('an admin may not demote, move or disable themselves', async () => {
    expectError(await call(admin, 'PATCH', `/api/admin/users/${adminId}`, { role: 'command' }), 400, 'bad_request');
    expectError(await call(admin, 'PATCH', `/api/admin/users/${adminId}`, { jurisdiction: '310115' }), 400, 'bad_request');
    expectError(await call(admin, 'POST', `/api/admin/users/${adminId}/disable`), 400, 'bad_request');
    const me = await t.pool.query(`SELECT role, jurisdiction_code, disabled FROM users WHERE id = $1`, [adminId]);
    expect(me.rows[0]).toEqual({ role: 'admin', jurisdiction_code: '310000', disabled: false });
    expect((await call(admin, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('disabling ends the user\'s sessions at once and refuses sign-in; enabling lets them back', async () => {
    const { user } = await createUser('disabled', { password: 'a-long-secret-2' });
    const sessionA = cookieOf(await signIn(user.username, 'a-long-secret-2'));
    const sessionB = cookieOf(await signIn(user.username, 'a-long-secret-2'));
    expect((await call(sessionA, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect(await sessionCount(user.id)).toBe(2);
    expect(json<AdminUserList>(await call(admin, 'GET', `/api/admin/users?q=${user.username}`)).items[0]!.activeSessions).toBe(2);

    const disabled = await call(admin, 'POST', `/api/admin/users/${user.id}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(json<AdminUser>(disabled)).toMatchObject({ disabled: true, activeSessions: 0 });
    expect(await sessionCount(user.id)).toBe(0);
    for (const cookie of [sessionA, sessionB]) expectError(await call(cookie, 'GET', '/api/auth/me'), 401);
    expect((await signIn(user.username, 'a-long-secret-2')).statusCode).toBe(401);
    expect((await auditRows('user.disable', user.id))[0]!.detail).toEqual({ username: user.username, sessionsEnded: 2 });

    // Disabling twice changes nothing more.
    expect((await call(admin, 'POST', `/api/admin/users/${user.id}/disable`)).statusCode).toBe(200);
    expect(await auditRows('user.disable', user.id)).toHaveLength(1);

    const enabled = await call(admin, 'POST', `/api/admin/users/${user.id}/enable`);
    expect(json<AdminUser>(enabled).disabled).toBe(false);
    expect((await signIn(user.username, 'a-long-secret-2')).statusCode).toBe(200);
    expect(await auditRows('user.enable', user.id)).toHaveLength(1);
  });

  it('resetting a password ends the sessions and lifts a sign-in lock; the old password stops working', async () => {
    const { user } = await createUser('reset', { password: 'a-long-secret-3' });
    const session = cookieOf(await signIn(user.username, 'a-long-secret-3'));
    // Someone guesses until the account is locked.
    const guesses: number[] = [];
    for (let i = 0; i < 10 && guesses.at(-1) !== 423; i += 1) guesses.push((await signIn(user.username, 'wrong-guess')).statusCode);
    expect(guesses.at(-1)).toBe(423);
    expect((await signIn(user.username, 'a-long-secret-3')).statusCode).toBe(423);
    const given = await call(admin, 'POST', `/api/admin/users/${user.id}/password`, { password: 'a-new-secret-33' });
    expect(given.statusCode, given.body).toBe(200);
    expect(json<UserWithPassword>(given).generatedPassword).toBeUndefined();
    expect(await sessionCount(user.id)).toBe(0);
    expectError(await call(session, 'GET', '/api/auth/me'), 401);
    expect((await signIn(user.username, 'a-long-secret-3')).statusCode).toBe(401);
    expect((await signIn(user.username, 'a-new-secret-33')).statusCode).toBe(200);

    const generated = json<UserWithPassword>(await call(admin, 'POST', `/api/admin/users/${user.id}/password`, {}));
    expect(generated.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await signIn(user.username, generated.generatedPassword!)).statusCode).toBe(200);
    const rows = await auditRows('user.password_reset', user.id);
    expect(rows.map((r) => r.detail.passwordGenerated)).toEqual([false, true]);
    expect(JSON.stringify(rows)).not.toContain(generated.generatedPassword);
    expectError(await call(admin, 'POST', `/api/admin/users/${user.id}/password`, { password: 'short' }), 400, 'validation_failed');
  });
});

describe('wall-display tokens', () => {
  async function createToken(label: string, area = '310115', extra: Record<string, unknown> = {}): Promise<CreatedWallToken> {
    const response = await call(admin, 'POST', '/api/admin/wall-tokens', { label, area, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return json<CreatedWallToken>(response);
  }
  const wallSignIn = (token: string) => t.app.inject({ method: 'POST', url: '/api/wall/sign-in', payload: { token } });

  it('a token signs a wall in to its area, read-only, without personal data', async () => {
    const { wallToken, token } = await createToken(name('浦东大屏'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(wallToken).toMatchObject({ label: name('浦东大屏'), area: { code: '310115', level: 'district' }, status: 'active', createdBy: 'admin', lastUsedAt: null, revokedAt: null });
    const stored = await t.pool.query('SELECT token_hash FROM wall_tokens WHERE id = $1', [wallToken.id]);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    expect((await auditRows('wall_token.create', wallToken.id))[0]).toMatchObject({ username: 'admin', detail: { area: '310115', username: wallToken.username } });

    const signedIn = await wallSignIn(token);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(json<{ user: { role: string; canWrite: boolean; jurisdiction: { code: string } } }>(signedIn).user).toMatchObject({ role: 'wall', canWrite: false, jurisdiction: { code: '310115' } });
    const wall = cookieOf(signedIn);
    const listed = json<WallTokenList>(await call(admin, 'GET', '/api/admin/wall-tokens')).items.find((w) => w.id === wallToken.id)!;
    expect(listed.lastUsedAt).not.toBeNull();

    // It reads its area's figures and nothing outside it.
    expect((await call(wall, 'GET', '/api/areas/310115/children')).statusCode).toBe(200);
    expect((await call(wall, 'GET', '/api/areas/310104/children')).statusCode).toBe(403);
    // No personal data.
    expectError(await call(wall, 'GET', '/api/people'), 403, 'forbidden');
    // It writes nothing.
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/admin/users', { username: name('bywall'), displayName: 'x', role: 'command', jurisdiction: '310115' }],
      ['POST', '/api/admin/wall-tokens', { label: 'x', area: '310115' }],
      ['POST', '/api/people', { people: [{}] }],
      ['POST', '/api/screenings', { records: [{ id: randomUUID(), at: new Date().toISOString(), grid: '31011500400101', temperature: 36.5, codeColour: 'green', outcome: 'pass' }] }],
      ['POST', '/api/risk-areas', { type: 'Feature', properties: { name: 'x', level: 'high', validFrom: '2026-01-01T00:00:00Z' }, geometry: { type: 'Polygon', coordinates: [[[121.5, 31.2], [121.51, 31.2], [121.51, 31.21], [121.5, 31.2]]] } }],
    ];
    for (const [method, url, payload] of writes) {
      expectError(await call(wall, method as 'POST', url, payload), 403, 'forbidden');
    }
    expect((await t.pool.query('SELECT 1 FROM users WHERE username = $1', [name('bywall')])).rowCount).toBe(0);
    // Its user has no usable password.
    for (const password of ['', '!wall-token', 'demo-password']) {
      expect((await signIn(wallToken.username, password || 'x')).statusCode).toBe(401);
    }
    // Its user is not in the users list and cannot be changed as a user.
    expect(json<AdminUserList>(await call(admin, 'GET', `/api/admin/users?q=${wallToken.username}`)).total).toBe(0);
    const userId = (await t.pool.query<{ id: number }>('SELECT id::int AS id FROM users WHERE username = $1', [wallToken.username])).rows[0]!.id;
    expectError(await call(admin, 'POST', `/api/admin/users/${userId}/enable`), 400, 'bad_request');
    expectError(await call(admin, 'PATCH', `/api/admin/users/${userId}`, { role: 'command' }), 400, 'bad_request');
  });

  // Beside the writes above with valid bodies (403 by role), every write route of the app, with an
  // empty body: none may answer 2xx (most refuse the body before the role; the matrix test has bodies).
  it('a wall session writes nothing through any route', async () => {
    const { token } = await createToken(name('writes'), '310000');
    const wall = cookieOf(await wallSignIn(token));
    // Signing in and out is not a write of data.
    const sessionRoutes = new Set(['/api/auth/login', '/api/auth/logout', '/api/auth/logout-everywhere', '/api/wall/sign-in']);
    const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !sessionRoutes.has(r.url));
    expect(writes.length).toBeGreaterThan(20);
    for (const route of writes) {
      const url = route.url.replace(/:code\b/g, '310000').replace(/:day\b/g, '2026-11-23').replace(/:[a-zA-Z]+/g, '1');
      const response = await t.app.inject({ method: route.method as 'POST', url, headers: { cookie: wall }, payload: {} });
      expect(response.statusCode, `${route.method} ${url}: ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${route.method} ${url}: ${response.body}`).toBeLessThan(500);
    }
    expect((await call(wall, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a revoked token cannot sign in and its sessions stop working', async () => {
    const { wallToken, token } = await createToken(name('revoked'), '310000');
    const wall = cookieOf(await wallSignIn(token));
    expect((await call(wall, 'GET', '/api/auth/me')).statusCode).toBe(200);

    const revoked = await call(admin, 'POST', `/api/admin/wall-tokens/${wallToken.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(json<WallToken>(revoked)).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const userId = (await t.pool.query<{ id: number }>('SELECT id::int AS id FROM users WHERE username = $1', [wallToken.username])).rows[0]!.id;
    expect(await sessionCount(userId)).toBe(0);
    expectError(await call(wall, 'GET', '/api/auth/me'), 401);
    expectError(await wallSignIn(token), 401, 'unauthenticated');
    expect((await auditRows('wall_token.revoke', wallToken.id))[0]!.detail).toMatchObject({ username: wallToken.username, sessionsEnded: 1 });

    // Revoking again keeps the first revocation.
    const again = json<WallToken>(await call(admin, 'POST', `/api/admin/wall-tokens/${wallToken.id}/revoke`));
    expect(again.revokedAt).toBe(json<WallToken>(revoked).revokedAt);
    expect(await auditRows('wall_token.revoke', wallToken.id)).toHaveLength(1);
    const list = json<WallTokenList>(await call(admin, 'GET', '/api/admin/wall-tokens')).items;
    expect(list.find((w) => w.id === wallToken.id)?.status).toBe('revoked');
    const firstRevoked = list.findIndex((w) => w.status !== 'active');
    expect(list.slice(firstRevoked).every((w) => w.status !== 'active')).toBe(true);
  });

  it('a session from an expiring token ends with the token', async () => {
    const expiresAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const { wallToken, token } = await createToken(name('expiring'), '310115005', { expiresAt });
    expect(wallToken.expiresAt).toBe(expiresAt.replace(/\.\d{3}Z$/, 'Z'));
    expect((await wallSignIn(token)).statusCode).toBe(200);
    const { rows } = await t.pool.query<{ ends: Date }>('SELECT s.expires_at AS ends FROM sessions s JOIN wall_tokens w ON w.user_id = s.user_id WHERE w.id = $1', [wallToken.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ends.getTime()).toBeLessThanOrEqual(new Date(expiresAt).getTime());
    // Once expired, the token no longer signs in.
    await t.pool.query(`UPDATE wall_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [wallToken.id]);
    expectError(await wallSignIn(token), 401, 'unauthenticated');
    expect(json<WallTokenList>(await call(admin, 'GET', '/api/admin/wall-tokens')).items.find((w) => w.id === wallToken.id)?.status).toBe('expired');
  });

  it('refuses bad tokens and bad token requests', async () => {
    expectError(await wallSignIn(randomBytes(32).toString('base64url')), 401, 'unauthenticated');
    for (const payload of [{}, { token: 'short' }, { token: 'x'.repeat(129) }, { token: 42 }]) {
      expectError(await t.app.inject({ method: 'POST', url: '/api/wall/sign-in', payload }), 400, 'validation_failed');
    }
    const before = (await t.pool.query('SELECT count(*)::int AS n FROM wall_tokens')).rows[0].n;
    for (const [payload, code] of [
      [{ label: 'x', area: '31011500400101' }, 'bad_request'], // a grid: too small for a wall
      [{ label: 'x', area: '310199999' }, 'bad_request'],
      [{ label: 'x', area: '310000', expiresAt: '2020-01-01T00:00:00Z' }, 'bad_request'],
      [{ label: 'x', area: '310000', expiresAt: 'tomorrow' }, 'validation_failed'],
      [{ label: '', area: '310000' }, 'validation_failed'],
      [{ area: '310000' }, 'validation_failed'],
      [{ label: 'x', area: '310000', role: 'admin' }, 'validation_failed'],
    ] as const) {
      expectError(await call(admin, 'POST', '/api/admin/wall-tokens', payload), 400, code);
    }
    expectError(await call(admin, 'POST', '/api/admin/wall-tokens/999999999/revoke'), 404, 'not_found');
    expect((await t.pool.query('SELECT count(*)::int AS n FROM wall_tokens')).rows[0].n).toBe(before);
  });

  it('the demo wall still signs in with its password', async () => {
    const response = await signIn('wall', 'demo-password');
    expect(response.statusCode).toBe(200);
    expect(json<{ user: { role: string } }>(response).user.role).toBe('wall');
  });
});
