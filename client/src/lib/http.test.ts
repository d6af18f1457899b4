import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError, http, isClientError, withQuery } from './http.ts';

const respond = (status: number, body: unknown) =>
  vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

afterEach(() => vi.unstubAllGlobals());

describe('http', () => {
  it('returns the parsed JSON body', async () => {
    vi.stubGlobal('fetch', respond(200, { ok: true }));
    await expect(http.get<{ ok: boolean }>('/api/health')).resolves.toEqual({ ok: true });
  });

  it("turns the server's { code, message } into a typed HttpError", async () => {
    vi.stubGlobal('fetch', respond(403, { code: 'forbidden', message: 'outside your jurisdiction' }));
    const error = await http.get('/api/areas/310104').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden', message: 'outside your jurisdiction' });
    expect(isClientError(error)).toBe(true);
  });

  it('still gives a code when the body is not ours (a proxy error page)', async () => {
    vi.stubGlobal('fetch', respond(502, '<html>Bad gateway</html>'));
    await expect(http.get('/api/config')).rejects.toMatchObject({ status: 502, code: 'internal' });
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(http.get('/api/config')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('builds query strings, joining lists and skipping empty values', () => {
    expect(withQuery('/api/sites', { area: '310115', category: ['school', 'hotel'], limit: undefined })).toBe(
      '/api/sites?area=310115&category=school%2Chotel',
    );
    expect(withQuery('/api/sites')).toBe('/api/sites');
  });
});
