// Every endpoint × every role × inside / outside the role's jurisdiction, from the one table in
// endpoint-matrix.ts; and the table checked against the routes the application really registers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { addPudongTeamLeader, Fixtures, type Place } from './fixtures.ts';
import { projectRoot } from '../../../server/infra/client-build.ts';
import { sessionCookie } from '../../../server/auth/index.ts';
import { capabilityMarkers, capabilityTable, outcomeLabel, outcomeOk, rows, subjects, type Row, type Subject, type Where } from './endpoint-matrix.ts';

let t: TestApp;
let fx: Fixtures;
const cookies = new Map<string, string>();
/** Method and path of every route Fastify registered, seen by an onRoute hook (HEAD routes mirror GET and are left out). */
const registered: string[] = [];

/** Routes outside /api and /tiles (the page, its assets, the API documentation) are public by the session hook's rule. */
const sessionRoute = (route: string) => / \/(api|tiles)\//.test(route);

const wallTokens = new Map<string, string>();
/** A new session of the subject: its password, or for a wall-token subject its token (created once). */
async function signIn(subject: Subject): Promise<string> {
  if (!subject.wallToken) return t.login(subject.username);
  let token = wallTokens.get(subject.username);
  if (!token) {
    token = (await fx.wallToken(subject.jurisdiction)).token;
    wallTokens.set(subject.username, token);
  }
  const response = await t.app.inject({ method: 'POST', url: '/api/wall/sign-in', payload: { token } });
  const session = response.cookies.find((cookie) => cookie.name === sessionCookie);
  if (response.statusCode !== 200 || !session) throw new Error(`wall sign-in failed: ${response.body}`);
  return `${sessionCookie}=${session.value}`;
}

async function send(row: Row, subject: Subject, where: Where, cookie: string | undefined): Promise<LightMyRequestResponse> {
  const place: Place = where === 'inside' ? subject.inside : subject.outside!;
  const at = fx.at[place];
  const teamId = subject.username === 'team01' ? 1 : subject.username === 'matrix_team_pd' ? fx.at.street.teamId : at.teamId;
  const request = await row.request({
    at, fx, subject, where, teamId,
    freshCookie: () => signIn(subject),
  });
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...request.headers };
  if (!cookie) delete headers.cookie;
  return t.app.inject({
    method: row.method,
    url: request.url,
    headers,
    ...(request.payload === undefined ? {} : { payload: request.payload as object }),
  });
}

beforeAll(async () => {
  t = await createTestApp({
    onRoute: (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
    },
  });
  await addPudongTeamLeader(t.pool);
  cookies.set('admin', await t.login('admin'));
  fx = new Fixtures(t, () => cookies.get('admin')!);
  for (const subject of subjects) cookies.set(subject.username, await signIn(subject));
  await fx.build();
}, 120_000);
afterAll(() => t?.close());

describe('the matrix covers the application', () => {
  it('has one row for every route Fastify registered, and no row for a route that does not exist', () => {
    const routes = [...new Set(registered)].filter(sessionRoute).sort();
    const listed = rows.map((row) => `${row.method} ${row.path}`).filter(sessionRoute).sort();
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((route) => !listed.includes(route)), 'routes missing from endpoint-matrix.ts').toEqual([]);
    expect(listed.filter((route) => !routes.includes(route)), 'rows for routes that do not exist').toEqual([]);
    expect(new Set(listed).size, 'one row per route').toBe(listed.length);
  });

  it('answers 401 without a session on every route but the public ones', async () => {
    const admin = subjects.find((subject) => subject.role === 'admin')!;
    const wrong: string[] = [];
    for (const row of rows) {
      const response = await send(row, admin, 'inside', undefined);
      const ok = row.scope === 'public' ? response.statusCode < 300 : response.statusCode === 401 && response.json().code === 'unauthenticated';
      if (!ok) wrong.push(`${row.method} ${row.path}: ${response.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe.each(rows.map((row) => [`${row.method} ${row.path}`, row] as const))('%s', (_name, row) => {
  for (const subject of subjects) {
    const wheres: Where[] = row.scope === 'place' && subject.outside ? ['inside', 'outside'] : ['inside'];
    for (const where of wheres) {
      const expected = row.expect[subject.role][where];
      const title = `${subject.username} (${subject.role}) ${where} → ${outcomeLabel[expected]}`;
      it(title, async () => {
        const response = await send(row, subject, where, cookies.get(subject.username));
        if (row.endsSessions) cookies.set(subject.username, await signIn(subject));
        expect(outcomeOk[expected](response.statusCode), `${response.statusCode} ${response.body.slice(0, 300)}`).toBe(true);
        // Whatever a user outside the city level is given never names an object beyond its jurisdiction.
        if (response.statusCode < 300 && String(response.headers['content-type']).startsWith('application/json')) {
          for (const place of ['grid', 'street', 'other'] as const) {
            if (fx.at[place].communityPath.split('.').includes(subject.jurisdiction)) continue;
            for (const marker of fx.at[place].markers) expect(response.body, `${place} marker leaked`).not.toContain(marker);
          }
        }
      });
    }
  }
});

describe('a risk area reaching across a boundary', () => {
  it('is seen on both sides, changed only by an office whose jurisdiction holds it', async () => {
    // ~600 m around a point of Lujiazui's boundary with another Pudong street, on both sides, declared by the command centre.
    const { rows: [straddling] } = await t.pool.query<{ geometry: object }>(
      `SELECT ST_AsGeoJSON(ST_Multi(ST_Intersection(ST_Union(l.geom, n.geom),
                ST_Envelope(ST_Buffer(ST_PointOnSurface(ST_Intersection(ST_Boundary(l.geom), ST_Boundary(n.geom))), 0.003)))), 7)::json AS geometry
         FROM areas l, areas n
        WHERE l.code = '310115005' AND n.level = 'street' AND n.parent_code = '310115' AND n.code <> l.code
          AND ST_Length(ST_Intersection(ST_Boundary(l.geom), ST_Boundary(n.geom))) > 0.01
        ORDER BY n.code LIMIT 1`,
    );
    const input = { ...fx.riskAreaInput(fx.at.street), geometry: straddling!.geometry };
    const created = await t.app.inject({ method: 'POST', url: '/api/risk-areas', headers: { cookie: cookies.get('command')! }, payload: input });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const as = (username: string, method: 'GET' | 'PUT' | 'DELETE') =>
      t.app.inject({ method, url: `/api/risk-areas/${id}`, headers: { cookie: cookies.get(username)! }, ...(method === 'PUT' ? { payload: input } : {}) });

    expect((await as('lujiazui', 'GET')).statusCode).toBe(200);
    expect((await as('lujiazui', 'PUT')).statusCode).toBe(403);
    expect((await as('lujiazui', 'DELETE')).statusCode).toBe(403);
    expect((await as('command', 'PUT')).statusCode).toBe(200);
    expect((await as('command', 'DELETE')).statusCode).toBe(200);
  });
});

describe('docs/security.md', () => {
  it('shows the table this test asserts (npx tsx tests/integration/security/write-capability-table.ts rewrites it)', () => {
    const text = readFileSync(path.join(projectRoot, 'docs', 'security.md'), 'utf8');
    const start = text.indexOf(capabilityMarkers.start);
    const end = text.indexOf(capabilityMarkers.end);
    expect(start, 'the table markers').toBeGreaterThan(0);
    expect(text.slice(start + capabilityMarkers.start.length, end).trim()).toBe(capabilityTable());
  });
});

describe('an ID number registered in another jurisdiction', () => {
  it('refuses the registration (409, nothing stored) and records in the audit log that the user learned of it', async () => {
    const { rows: [elsewhere] } = await t.pool.query<{ idNumber: string }>('SELECT id_number AS "idNumber" FROM people WHERE id = $1', [fx.at.other.personId]);
    const audited = async () => (await t.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE username = 'grid01' AND detail ? 'idNumbersRegisteredElsewhere'`,
    )).rows[0]!.n;
    const before = await audited();
    const response = await t.app.inject({
      method: 'POST', url: '/api/people', headers: { cookie: cookies.get('grid01')! },
      payload: { people: [{ id: crypto.randomUUID(), name: '矩阵', idNumber: elsewhere!.idNumber, grid: fx.at.grid.grid, category: 'close_contact' }] },
    });
    expect(response.statusCode, response.body).toBe(409);
    // The answer names no one and no place.
    expect(response.body).not.toContain(fx.at.other.personId);
    expect(response.body).not.toContain(fx.at.other.community);
    expect(await audited()).toBe(before + 1);
  });
});

describe('the area above a jurisdiction', () => {
  it('is outside it: its figures, children, sites, alerts and compliance are refused (403)', async () => {
    const parentOf = (code: string) => (code.length === 6 ? '310000' : code.slice(0, code.length - 3));
    const wrong: string[] = [];
    for (const subject of subjects.filter((s) => s.jurisdiction !== '310000')) {
      const parent = parentOf(subject.jurisdiction);
      for (const url of [`/api/areas/${parent}`, `/api/areas/${parent}/children`, `/api/stats/${parent}`, `/api/sites?area=${parent}`,
        `/api/alerts?area=${parent}`, `/api/reports/compliance?area=${parent}`, `/api/quarantine/releases-due?area=${parent}`]) {
        const response = await t.app.inject({ url, headers: { cookie: cookies.get(subject.username)! } });
        if (response.statusCode !== 403) wrong.push(`${subject.username} ${url}: ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
