// The audit log: reads of unmasked personal data and exports are recorded (who, what, when, from
// where, why), masked reads are not, admins search and export it, and nobody can change it.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditList } from '../../server/contracts/audit.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { createTestApp, demoPassword, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let personId: string;
let caseId: string;
const arrivedOn = '2019-07-01';
const userAgent = 'audit-test/1.0';
const since = new Date(Date.now() - 1000).toISOString();

const get = (username: string, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers: { cookie: cookies[username]!, 'user-agent': userAgent, ...headers } });

/** The audit rows written since the test began by this user, newest first. */
async function rowsOf(username: string) {
  const { rows } = await t.pool.query(
    `SELECT action, resource, resource_id AS "resourceId", detail, ip, user_agent AS "userAgent", reason, role, jurisdiction_code AS "jurisdictionCode"
       FROM audit_log WHERE username = $1 AND at >= $2 ORDER BY id DESC`,
    [`audit_${username}`, since],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  // Users of this file's own, whose entries no demo user's reads mix with.
  const hash = await hashPassword(demoPassword);
  const own = [
    ['admin', 'admin', '310000', false], ['command', 'command', '310000', false], ['pudong', 'district_official', '310115', true],
    ['grid01', 'grid_worker', '310115004001', false], ['wall', 'wall', '310000', false],
  ] as const;
  for (const [name, role, area, mayExport] of own) {
    await t.pool.query(
      `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, may_export_personal_data)
       VALUES ($1, $1, $2, $3, $4, $5)`,
      [`audit_${name}`, hash, role, area, mayExport],
    );
    cookies[name] = await t.login(`audit_${name}`);
  }
  personId = randomUUID();
  await t.pool.query(
    `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category, arrived_on)
     SELECT $1, '审计甲', '310115199001017777', '13900007777', '浦东新区审计路1号', code, path, 'close_contact', $2
       FROM areas WHERE level = 'grid' AND parent_code = '310115004001' ORDER BY code LIMIT 1`,
    [personId, arrivedOn],
  );
  caseId = randomUUID();
  const started = await t.app.inject({
    method: 'POST', url: '/api/quarantine/cases', headers: { cookie: cookies.grid01! },
    payload: { id: caseId, personId, regime: '14-home', responsible: Object.fromEntries(['streetCadre', 'communityWorker', 'gridWorker', 'medic', 'police'].map((k) => [k, { name: '某' }])) },
  });
  expect(started.statusCode, started.body).toBe(201);
});
afterAll(() => t.close());

describe('reads of unmasked personal data', () => {
  it('are recorded once per request, with the count, filters, ip, user agent and the reason from the header', async () => {
    const before = (await rowsOf('grid01')).length;
    const reply = await get('grid01', `/api/people?arrivedFrom=${arrivedOn}&arrivedTo=${arrivedOn}`, { 'x-access-reason': encodeURIComponent('核查密接 check contacts') });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().items).toHaveLength(1);
    const rows = await rowsOf('grid01');
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({
      action: 'personal_data.read', resource: 'people', resourceId: null, role: 'grid_worker', jurisdictionCode: '310115004001',
      detail: { count: 1, total: 1, filters: { arrivedFrom: arrivedOn, arrivedTo: arrivedOn } },
      ip: '127.0.0.1', userAgent, reason: '核查密接 check contacts',
    });
    // never the personal data itself
    expect(JSON.stringify(rows[0])).not.toMatch(/审计甲|310115199001017777|13900007777|审计路/);
  });

  it('take the reason from ?reason, and record details with the id read', async () => {
    expect((await get('grid01', `/api/quarantine/cases/${caseId}?reason=${encodeURIComponent('随访 follow-up')}`)).statusCode).toBe(200);
    expect((await rowsOf('grid01'))[0]).toMatchObject({ action: 'personal_data.read', resource: 'quarantine_cases', resourceId: caseId, reason: '随访 follow-up', detail: { count: 1, via: 'read' } });
    expect((await get('grid01', `/api/people/${personId}`)).statusCode).toBe(200);
    expect((await rowsOf('grid01'))[0]).toMatchObject({ resource: 'people', resourceId: personId, reason: null });
  });

  it('keep a search term masked: it is itself a name or ID number', async () => {
    expect((await get('grid01', `/api/people?q=${encodeURIComponent('审计甲')}`)).json().items.length).toBeGreaterThan(0);
    const [row] = await rowsOf('grid01');
    expect(row.detail.filters.q).toBe('审**');
  });

  it('are not recorded when the answer is masked, or has nobody in it', async () => {
    expect((await get('command', `/api/people?arrivedFrom=${arrivedOn}&arrivedTo=${arrivedOn}`)).json().items[0].masked).toBe(true);
    expect((await get('command', `/api/quarantine/cases/${caseId}`)).json().person.masked).toBe(true);
    expect((await get('command', '/api/nucleic-tests?limit=5')).statusCode).toBe(200);
    expect(await rowsOf('command')).toEqual([]);
    const before = (await rowsOf('grid01')).length;
    expect((await get('grid01', '/api/people?arrivedFrom=2000-01-01&arrivedTo=2000-01-01')).json().items).toEqual([]);
    expect(await rowsOf('grid01')).toHaveLength(before);
  });
});

describe('exports', () => {
  it('are recorded, masked or not', async () => {
    expect((await get('pudong', `/api/quarantine/cases.xlsx?personId=${personId}`, { 'x-access-reason': 'weekly list' })).statusCode).toBe(200);
    expect((await rowsOf('pudong'))[0]).toMatchObject({ action: 'export', resource: 'quarantine_cases', reason: 'weekly list', detail: { count: 1, masked: false, filters: { personId } } });
    expect((await get('grid01', `/api/quarantine/cases.xlsx?personId=${personId}`)).statusCode).toBe(200);
    expect((await rowsOf('grid01'))[0]).toMatchObject({ action: 'export', detail: { count: 1, masked: true } });
  });
});

describe('GET /api/admin/audit', () => {
  it('finds entries by user, action, resource and time, newest first, paged', async () => {
    const query = `user=audit_grid01&action=personal_data.read&resource=quarantine&from=${encodeURIComponent(since)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const page = json<AuditList>(await get('admin', `/api/admin/audit?${query}`));
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(page.items.every((e) => e.username === 'audit_grid01' && e.action === 'personal_data.read' && e.resource.startsWith('quarantine'))).toBe(true);
    const all = json<AuditList>(await get('admin', `/api/admin/audit?user=audit_grid01&from=${encodeURIComponent(since)}`));
    expect(all.total).toBe((await rowsOf('grid01')).length);
    const times = all.items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const second = json<AuditList>(await get('admin', `/api/admin/audit?user=audit_grid01&from=${encodeURIComponent(since)}&limit=1&offset=1`));
    expect(second).toMatchObject({ total: all.total, limit: 1, offset: 1, items: [all.items[1]] });
    // a time range before anything was written finds nothing
    expect(json<AuditList>(await get('admin', `/api/admin/audit?user=audit_grid01&to=${encodeURIComponent(since)}`)).items.filter((e) => Date.parse(e.at) >= Date.parse(since))).toEqual([]);
    expect((await get('admin', `/api/admin/audit?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(since)}`)).statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    for (const user of ['command', 'pudong', 'grid01', 'wall']) {
      expect((await get(user, '/api/admin/audit')).statusCode, user).toBe(403);
      expect((await get(user, '/api/admin/audit.xlsx')).statusCode, user).toBe(403);
    }
  });

  it('exports the log as a workbook, and that export is itself audited', async () => {
    const reply = await get('admin', `/api/admin/audit.xlsx?user=audit_grid01&from=${encodeURIComponent(since)}`, { 'x-access-reason': 'quarterly review' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(reply.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const entries = (await rowsOf('grid01')).length;
    expect(sheet.rowCount).toBe(2 + entries);
    expect(sheet.getRow(3).getCell(3).value).toBe('audit_grid01');
    expect((await rowsOf('admin'))[0]).toMatchObject({ action: 'export', resource: 'audit_log', reason: 'quarterly review', detail: { count: entries, filters: { username: 'audit_grid01' } } });
  });
});

describe('the audit log is append-only', () => {
  it.each([
    ['UPDATE', `UPDATE audit_log SET reason = 'changed'`],
    ['DELETE', 'DELETE FROM audit_log'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses %s, whoever asks', async (_op, sql) => {
    const snapshot = async (upTo: number) => (await t.pool.query(`SELECT * FROM audit_log WHERE id <= $1 ORDER BY id`, [upTo])).rows;
    const last = (await t.pool.query<{ id: number }>('SELECT max(id)::int AS id FROM audit_log')).rows[0]!.id;
    const before = await snapshot(last);
    expect(before.length).toBeGreaterThan(0);
    await expect(t.pool.query(sql)).rejects.toThrow(/append-only/);
    expect(await snapshot(last)).toEqual(before);
  });
});
