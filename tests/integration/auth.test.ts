import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';
import { demoUsers } from '../../server/auth/demo-users.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sessions', () => {
  it('health needs no session and reports the PostGIS version', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(json<{ ok: boolean; postgis: string }>(response)).toMatchObject({ ok: true, postgis: expect.stringMatching(/^3\./) });
  });

  it('every demo user signs in with the demo password and gets an httpOnly cookie', async () => {
    for (const user of demoUsers) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password: 'demo-password' },
      });
      expect(response.statusCode, user.username).toBe(200);
      const cookie = response.cookies.find((c) => c.name === 'ecc_session');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Strict');
      const body = json<{ user: { username: string; role: string; jurisdiction: { code: string } } }>(response);
      expect(body.user).toMatchObject({ username: user.username, role: user.role, jurisdiction: { code: user.jurisdiction } });
    }
  });

  it('a wrong password or unknown user gets 401 with a code, and no cookie', async () => {
    for (const payload of [{ username: 'command', password: 'nope' }, { username: 'nobody', password: 'demo-password' }]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(response.statusCode).toBe(401);
      expect(json<{ code: string }>(response).code).toBe('unauthenticated');
      expect(response.cookies).toHaveLength(0);
    }
  });

  it('malformed login bodies get 400, never 500', async () => {
    const bodies = ['', '{', '[]', '{"username":1,"password":2}', '{"username":"command"}', JSON.stringify({ username: 'x'.repeat(500), password: 'y' })];
    for (const body of bodies) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers: { 'content-type': 'application/json' } });
      expect(response.statusCode, body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, body).toBeLessThan(500);
      expect(json<{ code: string; message: string }>(response)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('API routes and tiles need a session; logout ends it', async () => {
    for (const url of ['/api/areas/310000', '/api/sites', '/api/risk-areas', '/api/config', '/tiles/districts/8/214/104.mvt']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(401);
    }
    const cookie = await t.login('command');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a forged session token is refused', async () => {
    const response = await t.app.inject({ url: '/api/auth/me', headers: { cookie: 'ecc_session=forged-token' } });
    expect(response.statusCode).toBe(401);
  });
});
