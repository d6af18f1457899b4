// 事由: every audited route keeps the reason the client gives — `?reason=` (what a download link can
// send) or the X-Access-Reason header (percent-encoded UTF-8, for fetches) — and an admin reads it
// back from GET /api/admin/audit. Routes that declare `reason` refuse one over 500 characters (400,
// nothing recorded); a longer header, or `reason` on the one route without a query schema (the route
// sheet), is cut to 500.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditList } from '../../server/contracts/audit.ts';
import type { RoundList, TeamList } from '../../server/contracts/index.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import * as inspectionRepo from '../../server/inspection/inspection.repository.ts';
import { withTransaction } from '../../server/infra/db.ts';
import { createTestApp, demoPassword, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
const arrivedOn = '2018-03-09';
const planDay = '2027-02-23';
const community = '310115004001';
// City time (UTC+8), three days ago: inside the window a sample may be recorded for.
const sampleDay = new Date(Date.now() + 8 * 3600_000 - 3 * 86_400_000).toISOString().slice(0, 10);
let grid: string;
let personId: string;
let caseId: string;
let roundId: number;
let teamId: number;

type User = 'admin' | 'pudong' | 'grid';
const userName = (user: User) => `reason_${user}`;

interface AuditedRoute {
  name: string;
  user: User;
  url: () => string;
  action: 'export' | 'personal_data.read';
  resource: string;
  /** the route's query schema declares `reason` (maxLength 500): a longer one is a 400 */
}

const routes: AuditedRoute[] = [
  // exports
  { name: 'quarantine cases export', user: 'pudong', url: () => `/api/quarantine/cases.xlsx?personId=${personId}`, action: 'export', resource: 'quarantine_cases' },
  { name: 'ledger export', user: 'pudong', url: () => `/api/ledgers/overseas_arrival.xlsx?area=${community}&from=${arrivedOn}&to=${arrivedOn}`, action: 'export', resource: 'ledger:overseas_arrival' },
  { name: 'daily report export', user: 'pudong', url: () => `/api/reports/export.xlsx?area=${community}`, action: 'export', resource: 'daily_report' },
  { name: 'inspection notices export', user: 'admin', url: () => `/api/inspection/rounds/${roundId}/notices.xlsx?week=${planDay}`, action: 'export', resource: 'inspection:notices' },
  { name: 'inspection route sheet export', user: 'admin', url: () => `/api/inspection/rounds/${roundId}/plans/${planDay}/teams/${teamId}/sheet.xlsx`, action: 'export', resource: 'inspection:route_sheet' },
  { name: 'audit log export', user: 'admin', url: () => `/api/admin/audit.xlsx?user=${userName('grid')}`, action: 'export', resource: 'audit_log' },
  // reads of unmasked personal data
  { name: 'people list', user: 'grid', url: () => `/api/people?arrivedFrom=${arrivedOn}&arrivedTo=${arrivedOn}`, action: 'personal_data.read', resource: 'people' },
  { name: 'person detail', user: 'grid', url: () => `/api/people/${personId}`, action: 'personal_data.read', resource: 'people' },
  { name: 'quarantine case list', user: 'grid', url: () => `/api/quarantine/cases?personId=${personId}`, action: 'personal_data.read', resource: 'quarantine_cases' },
  { name: 'quarantine case detail', user: 'grid', url: () => `/api/quarantine/cases/${caseId}`, action: 'personal_data.read', resource: 'quarantine_cases' },
  { name: 'nucleic tests list', user: 'grid', url: () => `/api/nucleic-tests?area=${grid}&day=${sampleDay}&limit=5`, action: 'personal_data.read', resource: 'nucleic_tests' },
  { name: 'ledger list', user: 'grid', url: () => `/api/ledgers/overseas_arrival?area=${community}&from=${arrivedOn}&to=${arrivedOn}`, action: 'personal_data.read', resource: 'ledger:overseas_arrival' },
];

/** `url` with `reason` added to its query. */
const withReason = (url: string, reason: string) => `${url}${url.includes('?') ? '&' : '?'}reason=${encodeURIComponent(reason)}`;

function get(user: User, url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ url, headers: { cookie: cookies[user]!, ...headers } });
}

/** The newest audit entry of the route's user for its action and resource, as an admin reads it. */
async function latest(route: AuditedRoute) {
  const query = new URLSearchParams({ user: userName(route.user), action: route.action, resource: route.resource, limit: '1' });
  const reply = await get('admin', `/api/admin/audit?${query}`);
  expect(reply.statusCode, reply.body).toBe(200);
  const list = json<AuditList>(reply);
  return { total: list.total, entry: list.items[0] };
}

/** Sends the request, expects 200 and one new entry of the route, and returns the reason it keeps. */
async function recordedReason(route: AuditedRoute, url: string, headers: Record<string, string> = {}): Promise<string | null> {
  const before = (await latest(route)).total;
  const reply = await get(route.user, url, headers);
  expect(reply.statusCode, `${route.name}: ${reply.body.slice(0, 300)}`).toBe(200);
  const after = await latest(route);
  expect(after.total, route.name).toBe(before + 1);
  expect(after.entry, route.name).toMatchObject({ username: userName(route.user), action: route.action, resource: route.resource });
  return after.entry!.reason;
}

beforeAll(async () => {
  t = await createTestApp();
  // Users of this file's own, whose entries no demo user's reads mix with.
  const hash = await hashPassword(demoPassword);
  const own = [['admin', 'admin', '310000', false], ['pudong', 'district_official', '310115', true], ['grid', 'grid_worker', community, false]] as const;
  for (const [user, role, area, mayExport] of own) {
    await t.pool.query(
      `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, may_export_personal_data)
       VALUES ($1, $1, $2, $3, $4, $5)`,
      [userName(user), hash, role, area, mayExport],
    );
    cookies[user] = await t.login(userName(user));
  }
  // A person in the grid worker's community: an overseas arrival (in the ledger), with a case and a test.
  grid = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND parent_code = $1 ORDER BY code LIMIT 1`, [community])).rows[0]!.code;
  personId = randomUUID();
  await t.pool.query(
    `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category, arrived_on)
     SELECT $1, '事由甲', '310115199001018888', '13900008888', '浦东新区事由路1号', code, path, 'overseas_arrival', $3 FROM areas WHERE code = $2`,
    [personId, grid, arrivedOn],
  );
  caseId = randomUUID();
  const responsible = Object.fromEntries(['streetCadre', 'communityWorker', 'gridWorker', 'medic', 'police'].map((k) => [k, { name: '某' }]));
  const started = await t.app.inject({ method: 'POST', url: '/api/quarantine/cases', headers: { cookie: cookies.grid! }, payload: { id: caseId, personId, regime: '14-home', responsible } });
  expect(started.statusCode, started.body).toBe(201);
  const sampled = await t.app.inject({
    method: 'POST', url: '/api/nucleic-tests', headers: { cookie: cookies.grid! },
    payload: { tests: [{ id: randomUUID(), sampledAt: `${sampleDay}T10:00:00+08:00`, grid, personId }] },
  });
  expect(sampled.statusCode, sampled.body).toBe(200);
  // A one-stop plan of a Pudong team on a day of this file's own, for its route sheet.
  roundId = json<RoundList>(await get('admin', '/api/inspection/rounds')).items.find((r) => r.name === demoRoundName)!.id;
  teamId = json<TeamList>(await get('admin', '/api/inspection/teams')).items.find((team) => team.code === 'T02')!.id;
  const site = (await t.pool.query<{ id: number }>(`SELECT id::int AS id FROM sites WHERE area_path <@ '310000.310115'::ltree ORDER BY id LIMIT 1`)).rows[0]!;
  await withTransaction(t.pool, (client) => inspectionRepo.savePlan(client, roundId, planDay, [{
    teamId,
    departAt: `${planDay}T08:30:00+08:00`,
    returnAt: `${planDay}T12:00:00+08:00`,
    stops: [{ siteId: site.id, plannedArrival: `${planDay}T09:00:00+08:00`, plannedDeparture: `${planDay}T09:40:00+08:00` }],
  }], 'access-reason-test'));
});
afterAll(() => t.close());

describe.each(routes)('$name ($action $resource)', (route) => {
  it('keeps a Chinese reason sent as ?reason=, decoded once (a literal %41 stays)', async () => {
    const reason = `流调核查 ${route.name} 达标率%25 %41 ${randomUUID().slice(0, 8)}`;
    expect(await recordedReason(route, withReason(route.url(), reason))).toBe(reason);
  });

  it('keeps a Chinese reason sent as the X-Access-Reason header (percent-encoded UTF-8), before ?reason=', async () => {
    const reason = `疫情研判 周报 ${route.name} ${randomUUID().slice(0, 8)}`;
    expect(await recordedReason(route, route.url(), { 'x-access-reason': encodeURIComponent(reason) })).toBe(reason);
    expect(await recordedReason(route, withReason(route.url(), '不用此事由'), { 'x-access-reason': encodeURIComponent(reason) })).toBe(reason);
  });

  it('records no reason when none is given, or a blank one', async () => {
    expect(await recordedReason(route, route.url())).toBeNull();
    expect(await recordedReason(route, route.url(), { 'x-access-reason': '%20%20' })).toBeNull();
  });

  it('takes 500 characters (code points) whole', async () => {
    const reason = `${'核'.repeat(498)}😷😷`;
    expect(await recordedReason(route, withReason(route.url(), reason))).toBe(reason);
  });

  it('refuses ?reason= over 500 characters with 400, and records nothing', async () => {
    const before = (await latest(route)).total;
    const reply = await get(route.user, withReason(route.url(), '查'.repeat(501)));
    expect(reply.statusCode, reply.body).toBe(400);
    expect((await latest(route)).total).toBe(before);
  });

  it('cuts an X-Access-Reason header over 500 characters to 500, whole characters', async () => {
    const reason = `${'审'.repeat(499)}😷超出部分`;
    expect(await recordedReason(route, route.url(), { 'x-access-reason': encodeURIComponent(reason) })).toBe(`${'审'.repeat(499)}😷`);
  });
});

describe('the OpenAPI document', () => {
  it('declares an optional reason of at most 500 characters on every audited route', async () => {
    const doc = (await t.app.inject({ url: '/docs/json', headers: { cookie: cookies.admin! } })).json() as {
      paths: Record<string, { get?: { parameters?: Array<{ in: string; name: string; required?: boolean; schema?: { maxLength?: number } }> } }>;
    };
    const paths = [
      '/api/quarantine/cases.xlsx', '/api/ledgers/{kind}', '/api/reports/export.xlsx', '/api/inspection/rounds/{id}/notices.xlsx',
      '/api/inspection/rounds/{id}/plans/{day}/teams/{teamId}/sheet.xlsx', '/api/admin/audit.xlsx',
      '/api/people', '/api/people/{id}', '/api/quarantine/cases', '/api/quarantine/cases/{id}', '/api/nucleic-tests',
    ];
    for (const path of paths) {
      const reason = doc.paths[path]?.get?.parameters?.find((p) => p.in === 'query' && p.name === 'reason');
      expect(reason, path).toBeDefined();
      expect(reason!.required ?? false, path).toBe(false);
      expect(reason!.schema?.maxLength, path).toBe(500);
    }
  });
});
