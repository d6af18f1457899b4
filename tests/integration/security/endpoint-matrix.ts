// The one table of who may do what where: every HTTP endpoint × every role × (inside / outside the
// role's jurisdiction) → the expected outcome. jurisdiction-matrix.test.ts asserts every cell, and
// fails when the application registers a route that is not in this table (or the table names a route
// that no longer exists). docs/security.md ("Roles and jurisdiction") is this table in words.
//
// Rules, one per kind of thing addressed:
//   - an AREA (a code in the path or ?area=, a reporting unit) outside the jurisdiction → 403: area codes
//     are public (GB/T 2260), so refusing says nothing secret;
//   - an OBJECT (site, person, case, test, alert, risk area, round, visit, team...) outside → 404, the
//     same answer as for an id that does not exist: its existence is not revealed;
//   - a BATCH (screenings, tests, people, checks, a risk-area polygon) naming places or objects outside
//     → 400/422 with per-record errors and nothing stored, the same as for unknown codes;
//   - a role without the right → 403 before anything is looked up, inside or outside;
//   - lists without an area filter are the jurisdiction's own (the test checks they never carry the
//     markers of an object outside it).
import type { Role } from '../../../server/contracts/auth.ts';
import { roles } from '../../../server/contracts/auth.ts';
import type { Fixtures, PlaceFixture, Place } from './fixtures.ts';
import { regimeBody, residentId, responsible, today } from './fixtures.ts';

export type Outcome = 'allow' | 'deny' | 'hidden' | 'refused' | 'empty';
export const outcomeOk: Record<Outcome, (status: number) => boolean> = {
  allow: (s) => s >= 200 && s < 300,
  deny: (s) => s === 403,
  hidden: (s) => s === 404,
  refused: (s) => s === 400 || s === 422,
  empty: (s) => s === 204,
};
export const outcomeLabel: Record<Outcome, string> = {
  allow: '2xx', deny: '403', hidden: '404', refused: '400/422', empty: '204 (empty tile)',
};

export type Where = 'inside' | 'outside';
export interface Cell { inside: Outcome; outside: Outcome }
export type Expectations = Record<Role, Cell>;

/**
 * A signed-in user of the matrix: the demo users, a team leader bound to Pudong (created by the test)
 * and a wall display signed in with a wall token for Pudong, so every role below the city has an outside.
 */
export interface Subject { username: string; role: Role; inside: Place; outside?: Place; jurisdiction: string; wallToken?: true }
export const subjects: readonly Subject[] = [
  { username: 'admin', role: 'admin', jurisdiction: '310000', inside: 'other' },
  { username: 'command', role: 'command', jurisdiction: '310000', inside: 'other' },
  { username: 'pudong', role: 'district_official', jurisdiction: '310115', inside: 'street', outside: 'other' },
  { username: 'lujiazui', role: 'street_official', jurisdiction: '310115005', inside: 'street', outside: 'grid' },
  { username: 'grid01', role: 'grid_worker', jurisdiction: '310115004001', inside: 'grid', outside: 'street' },
  { username: 'team01', role: 'team_leader', jurisdiction: '310000', inside: 'other' },
  { username: 'matrix_team_pd', role: 'team_leader', jurisdiction: '310115', inside: 'street', outside: 'other' },
  { username: 'wall', role: 'wall', jurisdiction: '310000', inside: 'other' },
  { username: 'wall-token', role: 'wall', jurisdiction: '310115', inside: 'street', outside: 'other', wallToken: true },
];

export interface RequestContext {
  at: PlaceFixture;
  fx: Fixtures;
  subject: Subject;
  where: Where;
  /** a second session of the subject (for logout, which ends the session it is sent with) */
  freshCookie(): Promise<string>;
  /** the subject's own inspection team in the place's round (team leaders), else the place's team */
  teamId: number;
}
export interface MatrixRequest { url: string; payload?: unknown; headers?: Record<string, string> }
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Row {
  method: Method;
  /** the path as registered in Fastify */
  path: string;
  /** public: no session needed; global: one catalogue for everyone (only the inside cell runs); place: inside and outside */
  scope: 'public' | 'global' | 'place';
  request(ctx: RequestContext): MatrixRequest | Promise<MatrixRequest>;
  expect: Expectations;
  /** the request ends every session of its user: the test signs the subject in again afterwards */
  endsSessions?: true;
}

// ---- role sets -------------------------------------------------------------------------------
const all = roles;
const staff: readonly Role[] = roles.filter((role) => role !== 'wall');
/** those who change shared data of their area (risk areas) */
const officials: readonly Role[] = ['admin', 'command', 'district_official', 'street_official'];
/** those who feed data about people and events: screenings, people, cases, tests, checks, reports, alerts */
const feeders: readonly Role[] = [...officials, 'grid_worker'];
const managers: readonly Role[] = ['admin', 'command'];
const inspectionRecorders: readonly Role[] = ['admin', 'command', 'team_leader'];
const rectificationReporters: readonly Role[] = [...officials, 'team_leader'];

/** Roles in `allowed` may act inside and get `outside` beyond; the others are refused (403) everywhere. */
function rule(allowed: readonly Role[], outside: Outcome): Expectations {
  return Object.fromEntries(all.map((role) => [role, allowed.includes(role) ? { inside: 'allow', outside } : { inside: 'deny', outside: 'deny' }])) as Expectations;
}
const only = (allowed: readonly Role[]) => rule(allowed, 'allow');

// ---- request helpers -------------------------------------------------------------------------
const uuid = () => crypto.randomUUID();
const json = (url: string, payload: unknown): MatrixRequest => ({ url, payload });
let pastDayCounter = 0;
/** A distinct past day for each report that must be fresh (a day's report is signed off once). */
function freshPastDay(): string {
  pastDayCounter += 1;
  return new Date(Date.parse(`${today}T00:00:00Z`) - (1 + (pastDayCounter % 60)) * 86_400_000).toISOString().slice(0, 10);
}

export function multipart(filename: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----matrix${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const csvUpload = (url: string, csv: string): MatrixRequest => {
  const form = multipart('matrix.csv', Buffer.from(csv));
  return { url, payload: form.payload, headers: form.headers };
};
const isoHoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

// ---- the table -------------------------------------------------------------------------------
export const rows: Row[] = [
  // auth, health, map configuration
  { method: 'POST', path: '/api/auth/login', scope: 'public', expect: only(all), request: () => json('/api/auth/login', { username: 'wall', password: 'demo-password' }) },
  { method: 'GET', path: '/api/health', scope: 'public', expect: only(all), request: () => ({ url: '/api/health' }) },
  { method: 'GET', path: '/api/auth/me', scope: 'global', expect: only(all), request: () => ({ url: '/api/auth/me' }) },
  {
    method: 'POST', path: '/api/auth/logout', scope: 'global', expect: only(all),
    request: async (c) => ({ url: '/api/auth/logout', headers: { cookie: await c.freshCookie() } }),
  },
  { method: 'POST', path: '/api/auth/logout-everywhere', scope: 'global', expect: only(all), endsSessions: true, request: () => json('/api/auth/logout-everywhere', {}) },
  { method: 'POST', path: '/api/wall/sign-in', scope: 'public', expect: only(all), request: async (c) => json('/api/wall/sign-in', { token: (await c.fx.wallToken('310115')).token }) },
  { method: 'GET', path: '/api/config', scope: 'global', expect: only(all), request: () => ({ url: '/api/config' }) },
  {
    method: 'GET', path: '/tiles/:layer/:z/:x/:y', scope: 'place', expect: rule(all, 'empty'),
    request: (c) => ({ url: `/tiles/sites/${c.at.siteTile.z}/${c.at.siteTile.x}/${c.at.siteTile.y}.mvt` }),
  },

  // areas
  { method: 'GET', path: '/api/areas/search', scope: 'place', expect: rule(all, 'allow'), request: (c) => ({ url: `/api/areas/search?q=${c.at.community}` }) },
  { method: 'GET', path: '/api/areas/:code', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/areas/${c.at.community}` }) },
  { method: 'GET', path: '/api/areas/:code/children', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/areas/${c.at.community}/children` }) },

  // sites (no personal data: the wall shows them)
  { method: 'GET', path: '/api/sites', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: c.where === 'inside' ? '/api/sites?limit=2000' : `/api/sites?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/sites/categories', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/sites/categories?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/sites/:id', scope: 'place', expect: rule(all, 'hidden'), request: (c) => ({ url: `/api/sites/${c.at.siteId}` }) },

  // risk areas: visible where they touch the jurisdiction; changed by officials inside it
  { method: 'GET', path: '/api/risk-areas', scope: 'global', expect: only(all), request: () => ({ url: '/api/risk-areas?status=all' }) },
  { method: 'GET', path: '/api/risk-areas/:id', scope: 'place', expect: rule(all, 'hidden'), request: (c) => ({ url: `/api/risk-areas/${c.at.riskAreaId}` }) },
  { method: 'GET', path: '/api/risk-areas/:id/history', scope: 'place', expect: rule(all, 'hidden'), request: (c) => ({ url: `/api/risk-areas/${c.at.riskAreaId}/history` }) },
  { method: 'POST', path: '/api/risk-areas', scope: 'place', expect: rule(officials, 'refused'), request: (c) => json('/api/risk-areas', c.fx.riskAreaInput(c.at)) },
  {
    method: 'PUT', path: '/api/risk-areas/:id', scope: 'place', expect: rule(officials, 'hidden'),
    request: async (c) => json(`/api/risk-areas/${(await c.fx.riskArea(c.at)).id}`, c.fx.riskAreaInput(c.at)),
  },
  { method: 'DELETE', path: '/api/risk-areas/:id', scope: 'place', expect: rule(officials, 'hidden'), request: async (c) => ({ url: `/api/risk-areas/${(await c.fx.riskArea(c.at)).id}` }) },

  // live figures (counts, never names: the wall shows them)
  { method: 'GET', path: '/api/stats/consistency', scope: 'global', expect: only(['admin']), request: () => ({ url: '/api/stats/consistency' }) },
  { method: 'GET', path: '/api/stats/:areaCode', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/stats/${c.at.community}` }) },
  { method: 'GET', path: '/api/stats/:areaCode/children', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/stats/${c.at.community}/children` }) },
  { method: 'GET', path: '/api/stats/:areaCode/trend', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/stats/${c.at.community}/trend` }) },

  // alerts: places and figures, no names; followed up by those who feed the data
  { method: 'GET', path: '/api/alerts', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: c.where === 'inside' ? '/api/alerts?status=all&limit=200' : `/api/alerts?area=${c.at.community}` }) },
  { method: 'POST', path: '/api/alerts/:id/acknowledge', scope: 'place', expect: rule(feeders, 'hidden'), request: async (c) => json(`/api/alerts/${await c.fx.alert(c.at)}/acknowledge`, {}) },
  { method: 'POST', path: '/api/alerts/:id/close', scope: 'place', expect: rule(feeders, 'hidden'), request: async (c) => json(`/api/alerts/${await c.fx.alert(c.at)}/close`, { note: 'matrix' }) },

  // screening records (they name no one)
  {
    method: 'POST', path: '/api/screenings', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => json('/api/screenings', { records: [{ id: uuid(), at: isoHoursAgo(1), grid: c.at.grid, temperature: 36.6, codeColour: 'green', outcome: 'pass' }] }),
  },
  { method: 'GET', path: '/api/screenings', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/screenings?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/screenings/template.xlsx', scope: 'global', expect: only(feeders), request: () => ({ url: '/api/screenings/template.xlsx' }) },
  {
    method: 'POST', path: '/api/screenings/upload', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => csvUpload('/api/screenings/upload', `Time,Grid code,Temperature,Health code,Outcome,Record ID\n${isoHoursAgo(1)},${c.at.grid},36.5,green,pass,${uuid()}\n`),
  },

  // people under management: personal data, never to the wall
  {
    method: 'POST', path: '/api/people', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => json('/api/people', { people: [{ id: uuid(), name: '矩阵', idNumber: residentId(), grid: c.at.grid, category: 'close_contact' }] }),
  },
  { method: 'GET', path: '/api/people', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: c.where === 'inside' ? '/api/people?limit=200' : `/api/people?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/people/:id', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/people/${c.at.personId}` }) },
  { method: 'PATCH', path: '/api/people/:id', scope: 'place', expect: rule(feeders, 'hidden'), request: (c) => json(`/api/people/${c.at.personId}`, { phone: '13900000000' }) },
  { method: 'GET', path: '/api/people/:id/suggested-regime', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/people/${c.at.personId}/suggested-regime` }) },
  { method: 'GET', path: '/api/arrival-policies', scope: 'global', expect: only(all), request: () => ({ url: '/api/arrival-policies' }) },
  { method: 'PUT', path: '/api/arrival-policies/:riskLevel', scope: 'global', expect: only(managers), request: () => json('/api/arrival-policies/high', { regimeCode: '7+7' }) },

  // quarantine
  { method: 'GET', path: '/api/quarantine/regimes', scope: 'global', expect: only(all), request: () => ({ url: '/api/quarantine/regimes' }) },
  {
    method: 'PUT', path: '/api/quarantine/regimes/:code', scope: 'global', expect: only(managers),
    request: () => json(`/api/quarantine/regimes/matrix-${uuid().slice(0, 8)}`, regimeBody),
  },
  {
    method: 'DELETE', path: '/api/quarantine/regimes/:code', scope: 'global', expect: only(managers),
    request: async (c) => ({ url: `/api/quarantine/regimes/${await c.fx.regime()}` }),
  },
  {
    method: 'POST', path: '/api/quarantine/cases', scope: 'place', expect: rule(feeders, 'hidden'),
    request: async (c) => json('/api/quarantine/cases', { id: uuid(), personId: await c.fx.person(c.at), regime: '14-home', startDay: today, responsible }),
  },
  { method: 'GET', path: '/api/quarantine/cases', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: c.where === 'inside' ? '/api/quarantine/cases?limit=200' : `/api/quarantine/cases?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/quarantine/cases/:id', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/quarantine/cases/${c.at.caseId}` }) },
  {
    method: 'POST', path: '/api/quarantine/cases/:id/events', scope: 'place', expect: rule(feeders, 'hidden'),
    request: async (c) => json(`/api/quarantine/cases/${await c.fx.quarantineCase(c.at)}/events`, { id: uuid(), type: 'extend', days: 1, at: new Date().toISOString() }),
  },
  { method: 'GET', path: '/api/quarantine/releases-due', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/quarantine/releases-due?area=${c.at.community}` }) },
  {
    method: 'POST', path: '/api/quarantine/temperature-checks', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => json('/api/quarantine/temperature-checks', { checks: [{ id: uuid(), caseId: c.at.caseId, at: new Date().toISOString(), temperature: 36.5 }] }),
  },

  // nucleic-acid tests
  {
    method: 'POST', path: '/api/nucleic-tests', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => json('/api/nucleic-tests', { tests: [{ id: uuid(), sampledAt: isoHoursAgo(2), grid: c.at.grid }] }),
  },
  {
    method: 'POST', path: '/api/nucleic-tests/results', scope: 'place', expect: rule(feeders, 'refused'),
    request: async (c) => json('/api/nucleic-tests/results', { results: [{ testId: await c.fx.nucleicTest(c.at), resultedAt: new Date().toISOString(), result: 'negative' }] }),
  },
  { method: 'GET', path: '/api/nucleic-tests/template.xlsx', scope: 'global', expect: only(feeders), request: () => ({ url: '/api/nucleic-tests/template.xlsx' }) },
  {
    method: 'POST', path: '/api/nucleic-tests/upload', scope: 'place', expect: rule(feeders, 'refused'),
    request: (c) => csvUpload('/api/nucleic-tests/upload', `Sampled at,Grid code,Test ID\n${isoHoursAgo(2)},${c.at.grid},${uuid()}\n`),
  },
  { method: 'GET', path: '/api/nucleic-tests/turnaround', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/nucleic-tests/turnaround?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/nucleic-tests', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: c.where === 'inside' ? '/api/nucleic-tests?limit=200' : `/api/nucleic-tests?area=${c.at.community}` }) },

  // daily reports: units are areas (403 outside)
  { method: 'GET', path: '/api/reports/compliance', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/compliance?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/reports/on-time-rate', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/on-time-rate?area=${c.at.community}&from=${today}&to=${today}` }) },
  { method: 'GET', path: '/api/reports/rollup', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/rollup?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/reports/export.xlsx', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: `/api/reports/export.xlsx?area=${c.at.community}` }) },
  { method: 'GET', path: '/api/reports/deadlines/:areaCode', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/deadlines/${c.at.community}` }) },
  { method: 'PUT', path: '/api/reports/deadlines/:areaCode', scope: 'place', expect: rule(['admin', 'command', 'district_official'], 'deny'), request: (c) => json(`/api/reports/deadlines/${c.at.community}`, { deadline: '09:00' }) },
  { method: 'DELETE', path: '/api/reports/deadlines/:areaCode', scope: 'place', expect: rule(['admin', 'command', 'district_official'], 'deny'), request: (c) => ({ url: `/api/reports/deadlines/${c.at.community}` }) },
  { method: 'GET', path: '/api/reports/settings', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/settings?area=${c.at.community}` }) },
  { method: 'PUT', path: '/api/reports/units/:code', scope: 'place', expect: rule(['admin', 'command', 'district_official'], 'deny'), request: (c) => json(`/api/reports/units/${c.at.community}`, { active: true }) },
  { method: 'PUT', path: '/api/reports/:unitCode/:day', scope: 'place', expect: rule(feeders, 'deny'), request: (c) => json(`/api/reports/${c.at.community}/${today}`, { submissionId: uuid(), zero: true }) },
  { method: 'GET', path: '/api/reports/:unitCode/:day', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/reports/${c.at.community}/${today}` }) },
  { method: 'GET', path: '/api/reports/:unitCode/:day/prefill', scope: 'place', expect: rule(feeders, 'deny'), request: (c) => ({ url: `/api/reports/${c.at.community}/${today}/prefill` }) },
  {
    method: 'POST', path: '/api/reports/:unitCode/:day/sign-off', scope: 'place', expect: rule(['admin', 'command', 'street_official'], 'deny'),
    request: async (c) => json(`/api/reports/${c.at.community}/${await c.fx.report(c.at, freshPastDay())}/sign-off`, { level: 'street' }),
  },
  { method: 'GET', path: '/api/reports/:unitCode/:day/template.xlsx', scope: 'place', expect: rule(feeders, 'deny'), request: (c) => ({ url: `/api/reports/${c.at.community}/${today}/template.xlsx` }) },
  {
    method: 'POST', path: '/api/reports/:unitCode/:day/upload', scope: 'place', expect: rule(feeders, 'deny'),
    request: async (c) => {
      const form = multipart('report.xlsx', await c.fx.reportTemplate(c.at));
      return { url: `/api/reports/${c.at.community}/${today}/upload`, payload: form.payload, headers: form.headers };
    },
  },
  { method: 'GET', path: '/api/ledgers/:kind', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: `/api/ledgers/risk_area_arrival?area=${c.at.community}` }) },

  {
    method: 'POST', path: '/api/reports/sign-off', scope: 'place', expect: rule(['admin', 'command', 'street_official'], 'deny'),
    request: async (c) => json('/api/reports/sign-off', { area: c.at.community, day: await c.fx.report(c.at, freshPastDay()), level: 'street' }),
  },
  { method: 'GET', path: '/api/quarantine/cases.xlsx', scope: 'place', expect: rule(staff, 'deny'), request: (c) => ({ url: `/api/quarantine/cases.xlsx?area=${c.at.community}` }) },

  // administration: users, wall displays and the audit log are the system admin's
  { method: 'GET', path: '/api/admin/users', scope: 'global', expect: only(['admin']), request: () => ({ url: '/api/admin/users' }) },
  {
    method: 'POST', path: '/api/admin/users', scope: 'global', expect: only(['admin']),
    request: () => json('/api/admin/users', { username: `mx${uuid().slice(0, 8)}`, displayName: '矩阵用户', role: 'grid_worker', jurisdiction: '310115004001' }),
  },
  { method: 'PATCH', path: '/api/admin/users/:id', scope: 'global', expect: only(['admin']), request: async (c) => json(`/api/admin/users/${await c.fx.user()}`, { displayName: '矩阵用户二' }) },
  { method: 'POST', path: '/api/admin/users/:id/disable', scope: 'global', expect: only(['admin']), request: async (c) => json(`/api/admin/users/${await c.fx.user()}/disable`, {}) },
  { method: 'POST', path: '/api/admin/users/:id/enable', scope: 'global', expect: only(['admin']), request: async (c) => json(`/api/admin/users/${await c.fx.user()}/enable`, {}) },
  { method: 'POST', path: '/api/admin/users/:id/password', scope: 'global', expect: only(['admin']), request: async (c) => json(`/api/admin/users/${await c.fx.user()}/password`, {}) },
  { method: 'GET', path: '/api/admin/wall-tokens', scope: 'global', expect: only(['admin']), request: () => ({ url: '/api/admin/wall-tokens' }) },
  { method: 'POST', path: '/api/admin/wall-tokens', scope: 'global', expect: only(['admin']), request: () => json('/api/admin/wall-tokens', { label: '矩阵大屏', area: '310115' }) },
  {
    method: 'POST', path: '/api/admin/wall-tokens/:id/revoke', scope: 'global', expect: only(['admin']),
    request: async (c) => json(`/api/admin/wall-tokens/${(await c.fx.wallToken('310115')).id}/revoke`, {}),
  },
  { method: 'GET', path: '/api/admin/audit', scope: 'global', expect: only(['admin']), request: () => ({ url: '/api/admin/audit' }) },
  { method: 'GET', path: '/api/admin/audit.xlsx', scope: 'global', expect: only(['admin']), request: () => ({ url: '/api/admin/audit.xlsx' }) },

  // inspection: teams and rounds are the command centre's; team leaders act for their own team
  { method: 'GET', path: '/api/inspection/teams', scope: 'global', expect: only(staff), request: () => ({ url: '/api/inspection/teams' }) },
  { method: 'GET', path: '/api/inspection/teams/:id', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/teams/${c.at.teamId}` }) },
  { method: 'POST', path: '/api/inspection/teams', scope: 'place', expect: rule(managers, 'allow'), request: (c) => json('/api/inspection/teams', c.fx.teamInput(c.at)) },
  { method: 'PUT', path: '/api/inspection/teams/:id', scope: 'place', expect: rule(managers, 'allow'), request: async (c) => json(`/api/inspection/teams/${await c.fx.team(c.at)}`, c.fx.teamInput(c.at)) },
  { method: 'DELETE', path: '/api/inspection/teams/:id', scope: 'place', expect: rule(managers, 'allow'), request: async (c) => ({ url: `/api/inspection/teams/${await c.fx.team(c.at)}` }) },
  {
    method: 'POST', path: '/api/inspection/teams/:id/position', scope: 'global', expect: only(['team_leader']),
    request: async (c) => {
      await c.fx.plannedRound(c.at, c.teamId, 'position', true);
      return json(`/api/inspection/teams/${c.teamId}/position`, { lon: c.at.position[0], lat: c.at.position[1], accuracyMeters: 20 });
    },
  },
  { method: 'GET', path: '/api/inspection/positions', scope: 'global', expect: only(staff), request: () => ({ url: '/api/inspection/positions' }) },
  { method: 'GET', path: '/api/inspection/rounds', scope: 'global', expect: only(all), request: () => ({ url: '/api/inspection/rounds' }) },
  { method: 'GET', path: '/api/inspection/rounds/:id', scope: 'place', expect: rule(all, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}` }) },
  { method: 'POST', path: '/api/inspection/rounds', scope: 'place', expect: rule(managers, 'allow'), request: (c) => json('/api/inspection/rounds', c.fx.roundInput(c.at)) },
  { method: 'PUT', path: '/api/inspection/rounds/:id', scope: 'place', expect: rule(managers, 'allow'), request: async (c) => json(`/api/inspection/rounds/${await c.fx.round(c.at)}`, c.fx.roundInput(c.at)) },
  { method: 'DELETE', path: '/api/inspection/rounds/:id', scope: 'place', expect: rule(managers, 'allow'), request: async (c) => ({ url: `/api/inspection/rounds/${await c.fx.round(c.at)}` }) },
  { method: 'GET', path: '/api/inspection/rounds/:id/sites', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/sites?day=${today}` }) },
  { method: 'GET', path: '/api/inspection/rounds/:id/plans', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/plans?day=${today}` }) },
  {
    method: 'GET', path: '/api/inspection/rounds/:id/plans/:day/teams/:teamId/sheet.xlsx', scope: 'place', expect: rule(staff, 'hidden'),
    request: async (c) => ({ url: `/api/inspection/rounds/${(await c.fx.plannedRound(c.at, c.teamId, 'sheet', c.where === 'inside')).roundId}/plans/${today}/teams/${c.teamId}/sheet.xlsx` }),
  },
  { method: 'GET', path: '/api/inspection/rounds/:id/sheets', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/sheets?day=${today}` }) },
  { method: 'GET', path: '/api/inspection/rounds/:id/coverage', scope: 'place', expect: rule(all, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/coverage` }) },
  { method: 'GET', path: '/api/inspection/rounds/:id/notices', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/notices` }) },
  { method: 'GET', path: '/api/inspection/rounds/:id/notices.xlsx', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/rounds/${c.at.roundId}/notices.xlsx` }) },
  { method: 'POST', path: '/api/inspection/rounds/:id/plan', scope: 'place', expect: rule(managers, 'allow'), request: async (c) => json(`/api/inspection/rounds/${await c.fx.round(c.at)}/plan`, { day: today, timeLimitSeconds: 0.1 }) },
  {
    method: 'PATCH', path: '/api/inspection/rounds/:id/plan', scope: 'place', expect: rule(inspectionRecorders, 'hidden'),
    request: async (c) => {
      const plan = await c.fx.plannedRound(c.at, c.teamId, 'change', c.where === 'inside');
      return json(`/api/inspection/rounds/${plan.roundId}/plan`, { day: today, siteId: plan.siteId, locked: true, timeLimitSeconds: 0.1 });
    },
  },
  {
    method: 'PUT', path: '/api/inspection/plans/:planId/stops/:seq/lock', scope: 'place', expect: rule(inspectionRecorders, 'hidden'),
    request: async (c) => {
      const plan = await c.fx.plannedRound(c.at, c.teamId, 'lock', c.where === 'inside');
      const { rows: [stop] } = await c.fx.pool.query<{ seq: number }>('SELECT seq FROM inspection_plan_stops WHERE plan_id = $1 AND site_id = $2', [plan.planId, plan.siteId]);
      return json(`/api/inspection/plans/${plan.planId}/stops/${stop!.seq}/lock`, { locked: true });
    },
  },
  {
    method: 'POST', path: '/api/inspection/visits', scope: 'place', expect: rule(inspectionRecorders, 'hidden'),
    request: async (c) => json('/api/inspection/visits', c.fx.visitInput(c.at, await c.fx.round(c.at, c.teamId), c.teamId, false)),
  },
  { method: 'GET', path: '/api/inspection/visits', scope: 'global', expect: only(staff), request: () => ({ url: '/api/inspection/visits?limit=1000' }) },
  { method: 'GET', path: '/api/inspection/visits/:id', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/visits/${c.at.visitId}` }) },
  { method: 'POST', path: '/api/inspection/visits/:id/submit', scope: 'place', expect: rule(inspectionRecorders, 'hidden'), request: async (c) => json(`/api/inspection/visits/${await c.fx.visit(c.at, c.teamId, true)}/submit`, {}) },
  {
    method: 'POST', path: '/api/inspection/visits/:id/rectification', scope: 'place', expect: rule(rectificationReporters, 'hidden'),
    request: async (c) => json(`/api/inspection/visits/${await c.fx.visit(c.at, c.teamId, true)}/rectification`, { report: '已整改 rectified' }),
  },
  { method: 'GET', path: '/api/inspection/photos/:sha256', scope: 'place', expect: rule(staff, 'hidden'), request: (c) => ({ url: `/api/inspection/photos/${c.at.photoSha256}` }) },
  { method: 'GET', path: '/api/inspection/rectifications', scope: 'global', expect: only(staff), request: () => ({ url: '/api/inspection/rectifications?status=all' }) },
  {
    method: 'POST', path: '/api/inspection/rectifications/:id/verify', scope: 'place', expect: rule(inspectionRecorders, 'hidden'),
    request: async (c) => json(`/api/inspection/rectifications/${await c.fx.reportedRectification(c.at, c.teamId)}/verify`, { outcome: 'rectified' }),
  },
  { method: 'GET', path: '/api/inspection/followups', scope: 'global', expect: only(staff), request: () => ({ url: '/api/inspection/followups?status=all' }) },
  {
    method: 'POST', path: '/api/inspection/case-filings', scope: 'place', expect: rule(inspectionRecorders, 'hidden'),
    request: (c) => json('/api/inspection/case-filings', { caseNumber: `M-${uuid().slice(0, 8)}`, siteId: c.at.siteId, teamId: c.teamId, filedOn: today }),
  },
  { method: 'GET', path: '/api/inspection/case-filings/monthly', scope: 'global', expect: only(all), request: () => ({ url: '/api/inspection/case-filings/monthly' }) },
  { method: 'GET', path: '/api/inspection/sites/status', scope: 'place', expect: rule(all, 'deny'), request: (c) => ({ url: `/api/inspection/sites/status?area=${c.at.community}` }) },
];

// ---- the table in docs/security.md ------------------------------------------------------------
const symbol: Record<Outcome, string> = { allow: '✓', deny: '403', hidden: '404', refused: '400', empty: '204' };
export const capabilityMarkers = { start: '<!-- capability-table:start (generated from tests/integration/security/endpoint-matrix.ts) -->', end: '<!-- capability-table:end -->' };

/** The role × endpoint table as Markdown: "inside / outside" where they differ. */
export function capabilityTable(): string {
  // The city-wide roles (admin, command) have no outside.
  const hasOutside = (role: Role) => subjects.some((subject) => subject.role === role && subject.outside);
  const cell = (row: Row, role: Role) => {
    const { inside, outside } = row.expect[role];
    return row.scope === 'global' || inside === outside || !hasOutside(role) ? symbol[inside] : `${symbol[inside]} / ${symbol[outside]}`;
  };
  return [
    `| endpoint | ${roles.join(' | ')} |`,
    `|---|${roles.map(() => ':-:').join('|')}|`,
    ...rows.filter((row) => row.scope !== 'public').map((row) => `| \`${row.method} ${row.path}\` | ${roles.map((role) => cell(row, role)).join(' | ')} |`),
  ].join('\n');
}
