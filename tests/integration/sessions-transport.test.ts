// Transport hardening: security headers and the CSP, HSTS only behind HTTPS, CORS closed unless
// configured, and request size limits answered with a clear 413.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
beforeAll(async () => {
  t = await createTestApp();
  command = await t.login('command');
});
afterAll(() => t.close());

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

describe('security headers', () => {
  it('every answer carries a CSP the client works under, and the usual hardening headers; no HSTS over plain HTTP', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/no-such-page']) {
      const response = await t.app.inject({ url, headers: { cookie: command } });
      const csp = directives(String(response.headers['content-security-policy']));
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]); // no inline or eval'd script
      expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']); // MapLibre starts its workers from blobs
      expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('behind HTTPS (SECURE_COOKIES): HSTS, upgrade-insecure-requests and Secure cookies; an online basemap may load from https', async () => {
    const secure = await createTestApp({ config: { secureCookies: true, basemapStyleUrl: 'https://tiles.example.gov.cn/style.json' } });
    try {
      const response = await secure.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'command', password: 'demo-password' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['strict-transport-security']).toBe('max-age=15552000');
      const csp = directives(String(response.headers['content-security-policy']));
      expect(csp.has('upgrade-insecure-requests')).toBe(true);
      expect(csp.get('connect-src')).toEqual(["'self'", 'https:']);
      expect(response.cookies.find((c) => c.name === 'ecc_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
    } finally {
      await secure.close();
    }
  });
});

describe('CORS', () => {
  it('is closed by default: no other site is allowed to read answers, preflights get no grant', async () => {
    const read = await t.app.inject({ url: '/api/auth/me', headers: { cookie: command, origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    expect(read.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/risk-areas',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('opens to the origins in CORS_ORIGINS only', async () => {
    const open = await createTestApp({ config: { corsOrigins: ['https://partner.example'] } });
    try {
      const allowed = await open.app.inject({ url: '/api/health', headers: { origin: 'https://partner.example' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://partner.example');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const other = await open.app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('request size limits', () => {
  it('a JSON body over 1 MB is refused with 413 payload_too_large, bilingual', async () => {
    const big = JSON.stringify({ username: 'command', password: 'x'.repeat(1024 * 1024 + 10) });
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: big });
    expect(response.statusCode).toBe(413);
    expect(json<{ code: string; message: string }>(response)).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('请求或文件过大') });
  });

  it('uploads take one file of at most 10 MB and a few small fields: more is a 413, never a 500', async () => {
    const boundary = 'limitsboundary';
    const part = (name: string, content: string | Buffer, filename?: string) => Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${filename ? 'Content-Type: text/csv\r\n' : ''}\r\n`),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from('\r\n'),
    ]);
    const send = (parts: Buffer[]) => t.app.inject({
      method: 'POST',
      url: '/api/screenings/upload',
      headers: { cookie: command, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    });
    const big = await send([part('file', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'), 'big.csv')]);
    expect(big.statusCode).toBe(413);
    expect(json<{ code: string; message: string }>(big)).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/10 MB.* \/ .*10 MB/) });
    const fields = await send([...Array.from({ length: 8 }, (_, i) => part(`f${i}`, 'x')), part('file', 'a,b\n', 'a.csv')]);
    expect(fields.statusCode, fields.body).toBe(413);
    const files = await send([part('file', 'a,b\n', 'a.csv'), part('file', 'a,b\n', 'b.csv')]);
    expect(files.statusCode, files.body).toBeLessThan(500);
  });
});
