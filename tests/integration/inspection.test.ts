import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CaseCounts, Coverage, DayPlans, FollowupList, NoticeList, PrioritySite, Rectification, RectificationList, Round, RoundList, RoundSites,
  SheetList, SiteStatusList, Team, TeamList, Visit,
} from '../../server/contracts/index.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import * as repo from '../../server/inspection/inspection.repository.ts';
import { withTransaction } from '../../server/infra/db.ts';
import { cityDay } from '../../server/infra/city-time.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
let command: string;
let pudong: string;
let team01: string;
let wall: string;
let demo: Round;
let teams: Team[];
const teamByCode = (code: string) => teams.find((team) => team.code === code)!;

const ok = { prevention: 'pass', staff_on_duty: 'pass', return_conditions: 'pass' } as const;
const failing = { prevention: 'fail', staff_on_duty: 'pass', return_conditions: 'na' } as const;
const png1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** Another image (its own SHA-256), for a photo that only a Minhang visit has. */
const otherPng = Buffer.concat([Buffer.from(png1x1, 'base64'), Buffer.from('minhang')]).toString('base64');

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

/** Construction sites of a district not directly supervised, with no risk area within 3 km, none visited. */
async function quietSites(district: string, count: number, category = 'construction_site'): Promise<number[]> {
  const { rows } = await t.pool.query<{ id: number }>(
    `SELECT s.id FROM sites s
      WHERE s.category = $3 AND s.area_path <@ text2ltree('310000.' || $1)
        AND NOT EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM risk_areas ra WHERE ST_DWithin(ra.geom::geography, s.geom::geography, 3000))
        AND NOT EXISTS (SELECT 1 FROM inspection_visits v WHERE v.site_id = s.id)
      ORDER BY s.id LIMIT $2`,
    [district, count, category],
  );
  if (rows.length < count) throw new Error(`only ${rows.length} quiet sites in ${district}`);
  return rows.map((r) => r.id);
}

async function gridOf(siteId: number): Promise<string> {
  const { rows } = await t.pool.query<{ grid_code: string }>('SELECT grid_code FROM sites WHERE id = $1', [siteId]);
  return rows[0]!.grid_code;
}

function visit(siteId: number, teamId: number, day: string, results: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(), roundId: demo.id, teamId, siteId,
    arrivedAt: `${day}T09:30:00+08:00`, departedAt: `${day}T10:15:00+08:00`, results, findings: '', ...extra,
  };
}

async function record(payload: object, cookie = admin): Promise<Visit> {
  const response = await post('/api/inspection/visits', cookie, payload);
  expect(response.statusCode, response.body).toBe(201);
  return json<Visit>(response);
}

async function priorityOf(siteId: number, day: string, cookie = admin): Promise<PrioritySite> {
  const response = await get(`/api/inspection/rounds/${demo.id}/sites?day=${day}&area=${await gridOf(siteId)}&limit=5000`, cookie);
  expect(response.statusCode, response.body).toBe(200);
  const site = json<RoundSites>(response).items.find((s) => s.siteId === siteId);
  if (!site) throw new Error(`site ${siteId} not listed`);
  // The explanation adds up to the score, always.
  expect(site.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(site.score);
  return site;
}

const points = (site: PrioritySite) => Object.fromEntries(site.reasons.map((r) => [r.factor, r.points]));

/** A square of half-side `half` degrees centred `northOffset` degrees north of a site. */
async function squareNear(siteId: number, northOffset: number, half = 0.001): Promise<number[][]> {
  const { rows } = await t.pool.query<{ x: number; y: number }>('SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM sites WHERE id = $1', [siteId]);
  const { x, y: y0 } = rows[0]!;
  const y = y0 + northOffset;
  return [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]];
}

async function riskArea(ring: number[][], level: 'high' | 'medium' | 'low'): Promise<number> {
  const response = await post('/api/risk-areas', command, {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [ring] },
    properties: { name: `督查测试${level}`, level, validFrom: '2026-11-01T00:00:00+08:00', validTo: null },
  });
  expect(response.statusCode, response.body).toBe(201);
  return json<{ id: number }>(response).id;
}

const nextMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

beforeAll(async () => {
  t = await createTestApp();
  [admin, command, pudong, team01, wall] = await Promise.all([t.login('admin'), t.login('command'), t.login('pudong'), t.login('team01'), t.login('wall')]);
  demo = json<RoundList>(await get('/api/inspection/rounds', admin)).items.find((r) => r.name === demoRoundName)!;
  teams = json<TeamList>(await get('/api/inspection/teams', admin)).items;
});
afterAll(() => t.close());

describe('the demo round (seed 004)', () => {
  it('has twelve teams over all sixteen districts, Tuesday to Thursday, 2–3 construction sites a day, sheets by 16:00', async () => {
    expect(demo).toMatchObject({
      dateFrom: '2026-03-10', dateTo: null, weekdays: [2, 3, 4], categories: ['construction_site'],
      minSitesPerDay: 2, maxSitesPerDay: 3, sheetDeadline: '16:00', status: 'active',
    });
    expect(demo.checklist.map((c) => c.key)).toEqual(['prevention', 'staff_on_duty', 'return_conditions']);
    expect(demo.checklist[0]!.label_zh).toBe('疫情防控措施落实情况');
    expect(demo.areas).toHaveLength(16);
    expect(demo.teamIds).toHaveLength(12);
    expect(teams.map((team) => team.name)).toEqual(['第一组', '第二组', '第三组', '第四组', '第五组', '第六组', '第七组', '第八组', '第九组', '第十组', '第十一组', '第十二组']);

    const { rows: districts } = await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'district' ORDER BY code`);
    const covered = new Set(teams.filter((team) => team.scope === 'areas').flatMap((team) => team.areas.map((code) => code.slice(0, 6))));
    expect([...covered].sort()).toEqual(districts.map((d) => d.code));
    expect([...demo.areas].sort()).toEqual(districts.map((d) => d.code));
    expect(teamByCode('T01')).toMatchObject({ areas: ['310112', '310115501'], leaderUsername: 'team01', lunchRule: 'station' });
    expect(teamByCode('T04').areaNames).toEqual(['黄浦区', '崇明区']);
    expect(teams.filter((team) => team.scope === 'direct').map((team) => team.code)).toEqual(['T10', 'T11', 'T12']);
    const agencies = new Set(teams.flatMap((team) => team.members.map((m) => m.agency)));
    for (const agency of ['总站安全科', '管理总站', '行政服务中心', '审图中心']) expect(agencies.has(agency)).toBe(true);
  });

  it('lists a team only the sites it may inspect: direct works for teams 10–12, the others in its areas', async () => {
    const direct = json<RoundSites>(await get(`/api/inspection/rounds/${demo.id}/sites?day=2026-11-17&team=${teamByCode('T10').id}&limit=5000`, admin));
    const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inspection_direct_sites');
    expect(direct.total).toBe(rows[0]!.n);
    expect(direct.items.every((s) => s.direct)).toBe(true);
    const third = json<RoundSites>(await get(`/api/inspection/rounds/${demo.id}/sites?day=2026-11-17&team=${teamByCode('T03').id}&limit=5000`, admin));
    expect(new Set(third.items.map((s) => s.districtCode))).toEqual(new Set(['310105', '310117']));
    expect(third.items.some((s) => s.direct)).toBe(false);
  });
});

describe('site priority', () => {
  it('explains the score and changes it with a nearby or enclosing risk area and a visit yesterday', async () => {
    const [siteId] = await quietSites('310115', 1);
    const before = await priorityOf(siteId!, '2026-11-19');
    expect(points(before)).toEqual({ category: 10, days_since_inspection: 20 });
    expect(before.score).toBe(30);
    expect(before.reasons[1]).toMatchObject({ reason_zh: '从未督查', reason_en: 'never inspected' });

    // ~0.005° north: the square's edge is about 440 m away.
    const near = await riskArea(await squareNear(siteId!, 0.005), 'high');
    const nearby = await priorityOf(siteId!, '2026-11-19');
    expect(points(nearby)).toEqual({ category: 10, risk_area: 20, days_since_inspection: 20 });
    expect(nearby.reasons.find((r) => r.factor === 'risk_area')!.reason_en).toMatch(/^4\d\d m from the high-risk area/);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/risk-areas/${near}`, headers: { cookie: command } })).statusCode).toBe(200);

    const inside = await riskArea(await squareNear(siteId!, 0), 'medium');
    const enclosed = await priorityOf(siteId!, '2026-11-19');
    expect(points(enclosed)).toEqual({ category: 10, risk_area: 25, days_since_inspection: 20 });
    expect(enclosed.score).toBe(55);
    expect(enclosed.reasons.find((r) => r.factor === 'risk_area')!.reason_zh).toBe('位于中风险区「督查测试medium」内');

    await record(visit(siteId!, teamByCode('T02').id, '2026-11-18', ok));
    const afterVisit = await priorityOf(siteId!, '2026-11-19');
    expect(points(afterVisit)).toEqual({ category: 10, risk_area: 25, days_since_inspection: 0 });
    expect(afterVisit.reasons.find((r) => r.factor === 'days_since_inspection')!.reason_en).toBe('inspected yesterday');
    expect(afterVisit).toMatchObject({ score: 35, status: 'passed', lastInspectedOn: '2026-11-18' });
    // Ten days later, three points (one per three days).
    expect(points(await priorityOf(siteId!, '2026-11-28')).days_since_inspection).toBe(3);
    await t.app.inject({ method: 'DELETE', url: `/api/risk-areas/${inside}`, headers: { cookie: command } });
  });
});

describe('visits, notices, rectification and 回头看', () => {
  it('records a visit once per client id, with photos, and refuses what does not fit the round', async () => {
    const [siteId, other] = await quietSites('310115', 2);
    const team = teamByCode('T02').id;
    const payload = visit(siteId!, team, '2026-11-17', ok, { photos: [{ contentType: 'image/png', dataBase64: png1x1 }], findings: '  现场整洁 ' });
    const first = await record(payload);
    expect(first).toMatchObject({ day: '2026-11-17', failed: false, notice: null, rectification: 'none', findings: '现场整洁', submittedAt: null });
    expect(first.photos).toHaveLength(1);
    const again = await post('/api/inspection/visits', admin, payload);
    expect(again.statusCode).toBe(200);
    expect(json<Visit>(again).id).toBe(first.id);
    const reused = await post('/api/inspection/visits', admin, { ...payload, siteId: other });
    expect(reused.statusCode).toBe(409);
    const sameDay = await post('/api/inspection/visits', admin, { ...payload, clientId: randomUUID() });
    expect(sameDay.statusCode).toBe(409);

    const photo = await get(first.photos[0]!, admin);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(Buffer.from(png1x1, 'base64'))).toBe(true);

    // Late: the sheet of 17 November is submitted days after 16:00 that day; again changes nothing.
    const submitted = json<Visit>(await post(`/api/inspection/visits/${first.id}/submit`, admin, {}));
    expect(submitted).toMatchObject({ submittedLate: true, submittedBy: 'admin' });
    const resubmitted = json<Visit>(await post(`/api/inspection/visits/${first.id}/submit`, admin, {}));
    expect(resubmitted.submittedAt).toBe(submitted.submittedAt);
    const sheets = json<SheetList>(await get(`/api/inspection/rounds/${demo.id}/sheets?day=2026-11-17`, admin));
    expect(sheets.deadline).toBe('2026-11-17T08:00:00.000Z');
    expect(sheets.items.find((s) => s.teamId === team)).toMatchObject({ visits: 1, submitted: 1, late: 1 });

    const bad = async (change: Record<string, unknown>, status = 422) => {
      const response = await post('/api/inspection/visits', admin, { ...visit(other!, team, '2026-11-18', ok), ...change });
      expect(response.statusCode, response.body).toBe(status);
      return json<{ code: string; message: string; details?: Array<{ field: string }> }>(response);
    };
    expect((await bad({ results: { prevention: 'pass', staff_on_duty: 'pass' } })).details).toEqual([expect.objectContaining({ field: 'results/return_conditions' })]);
    expect((await bad({ results: { ...ok, extra: 'pass' } })).details).toEqual([expect.objectContaining({ field: 'results/extra' })]);
    expect((await bad({ results: failing })).details).toEqual([expect.objectContaining({ field: 'notice' })]);
    expect((await bad({ notice: { number: 'X-1', deadline: '2026-11-30' } })).details).toEqual([expect.objectContaining({ field: 'notice' })]);
    expect((await bad({ departedAt: '2026-11-18T09:00:00+08:00' })).details).toEqual([expect.objectContaining({ field: 'departedAt' })]);
    // Monday 16 November is not an inspection day of the round.
    expect((await bad({ arrivedAt: '2026-11-16T09:30:00+08:00', departedAt: '2026-11-16T10:00:00+08:00' })).message).toMatch(/督查记录有误/);
    expect((await bad({ photos: [{ contentType: 'image/jpeg', dataBase64: png1x1 }] })).details).toEqual([expect.objectContaining({ field: 'photos/0' })]);
    expect((await bad({ results: { ...ok, prevention: 'maybe' } }, 400)).code).toBe('validation_failed');
    expect((await bad({ clientId: 'not-a-uuid' }, 400)).code).toBe('validation_failed');
    // A school is not in a construction-site round.
    const [school] = await quietSites('310115', 1, 'school');
    expect((await bad({ siteId: school })).details).toEqual([expect.objectContaining({ field: 'siteId' })]);
  });

  it('takes a failed check through notice, report and 回头看, and escalates a failed rectification', async () => {
    const [named, checkedAgain, poor, verifiedFailed] = await quietSites('310115', 4);
    const team = teamByCode('T02').id;
    const grid = await gridOf(named!);

    const failed = await record(visit(named!, team, '2026-11-17', failing, { findings: '未落实测温登记', notice: { number: 'ZG-T-001', deadline: '2026-11-24' } }));
    expect(failed).toMatchObject({ failed: true, notice: { number: 'ZG-T-001', deadline: '2026-11-24' }, rectification: 'awaiting_report' });
    const status = async (siteId: number, day: string) =>
      json<SiteStatusList>(await get(`/api/inspection/sites/status?area=${await gridOf(siteId)}&day=${day}`, admin)).items.find((s) => s.siteId === siteId)!.status;
    expect(await status(named!, '2026-11-20')).toBe('notified');
    expect(await status(named!, '2026-11-25')).toBe('overdue');
    expect(points(await priorityOf(named!, '2026-11-19')).open_findings).toBe(15);

    // The Thursday notice names the site with its unit and person responsible.
    const notices = json<NoticeList>(await get(`/api/inspection/rounds/${demo.id}/notices?week=2026-11-19`, admin));
    expect(notices).toMatchObject({ weekStart: '2026-11-16', weekEnd: '2026-11-22' });
    const { rows: [site] } = await t.pool.query<{ name: string; responsible_unit: string; responsible_person: string }>(
      'SELECT name, responsible_unit, responsible_person FROM sites WHERE id = $1', [named],
    );
    const item = notices.items.find((n) => n.siteId === named)!;
    expect(item).toMatchObject({
      siteName: site!.name, responsibleUnit: site!.responsible_unit, responsiblePerson: site!.responsible_person, districtName: '浦东新区',
      teamName: '第二组', failedChecks: ['疫情防控措施落实情况'], findings: '未落实测温登记', noticeNumber: 'ZG-T-001', noticeDeadline: '2026-11-24',
    });
    expect(json<NoticeList>(await get(`/api/inspection/rounds/${demo.id}/notices?week=2026-11-10`, admin)).items.some((n) => n.siteId === named)).toBe(false);

    const sheet = await get(`/api/inspection/rounds/${demo.id}/notices.xlsx?week=2026-11-19`, admin);
    expect(sheet.statusCode).toBe(200);
    const logged = await t.pool.query(`SELECT 1 FROM audit_log WHERE action = 'export' AND resource = 'inspection:notices' AND resource_id = $1 AND detail->>'week' = '2026-11-16'`, [String(demo.id)]);
    expect(logged.rowCount).toBeGreaterThanOrEqual(1);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!;
    expect(String(rows.getCell(1, 1).value)).toContain('本周拟通报工地（2026-11-16 至 2026-11-22）');
    expect(rows.getRow(2).values).toEqual([undefined, '序号', '检查日期', '区', '工地名称', '地址', '责任单位', '责任人', '联系电话', '督查组', '未落实事项', '发现问题', '整改通知单编号', '整改期限']);
    const line = Array.from({ length: rows.rowCount - 2 }, (_, i) => rows.getRow(i + 3)).find((r) => r.getCell(12).value === 'ZG-T-001')!;
    expect([line.getCell(4).value, line.getCell(6).value, line.getCell(7).value, line.getCell(10).value]).toEqual([
      site!.name, site!.responsible_unit, site!.responsible_person, '疫情防控措施落实情况',
    ]);

    // The report puts the site on the next month's must-check list.
    const reportedAt = '2026-11-18T15:00:00+08:00';
    const reported = await post(`/api/inspection/visits/${failed.id}/rectification`, admin, { report: '已补充测温登记', reportedAt });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(json<Rectification>(reported)).toMatchObject({ outcome: null, escalated: false, noticeNumber: 'ZG-T-001', followupId: expect.any(Number) });
    expect((await post(`/api/inspection/visits/${failed.id}/rectification`, admin, { report: 'again' })).statusCode).toBe(409);
    expect(await status(named!, '2026-11-25')).toBe('rectified');
    const december = json<FollowupList>(await get('/api/inspection/followups?month=2026-12', admin)).items.find((f) => f.siteId === named)!;
    expect(december).toMatchObject({ status: 'due', dueMonth: '2026-12', dueBy: '2026-12-31', noticeNumber: 'ZG-T-001', visitId: null });
    // Due in December: the 回头看 weighs on its priority then, and more once overdue.
    expect(points(await priorityOf(named!, '2026-12-01')).followup_due).toBe(30);
    expect(points(await priorityOf(named!, '2027-01-05')).followup_due).toBe(40);
    expect(await status(named!, '2027-01-05')).toBe('overdue');

    // A passed check-again closes the follow-up and confirms the rectification.
    const again = await record(visit(named!, team, '2026-11-19', ok));
    const closed = json<FollowupList>(await get('/api/inspection/followups?month=2026-12&status=all', admin)).items.find((f) => f.siteId === named)!;
    expect(closed).toMatchObject({ status: 'passed', visitId: again.id });
    expect(json<Visit>(await get(`/api/inspection/visits/${failed.id}`, admin)).rectification).toBe('rectified');
    expect(await status(named!, '2026-11-20')).toBe('passed');

    // A failed check-again fails the rectification: escalated.
    const second = await record(visit(checkedAgain!, team, '2026-11-17', failing, { notice: { number: 'ZG-T-002', deadline: '2026-11-20' } }));
    await post(`/api/inspection/visits/${second.id}/rectification`, admin, { report: '已整改', reportedAt });
    await record(visit(checkedAgain!, team, '2026-11-19', failing, { notice: { number: 'ZG-T-003', deadline: '2026-11-26' } }));
    expect(json<Visit>(await get(`/api/inspection/visits/${second.id}`, admin)).rectification).toBe('failed');

    // Reported after the check-again: that visit does not count as its 回头看.
    const third = await record(visit(poor!, team, '2026-11-17', failing, { notice: { number: 'ZG-T-004', deadline: '2026-11-20' } }));
    await record(visit(poor!, team, '2026-11-18', ok));
    await post(`/api/inspection/visits/${third.id}/rectification`, admin, { report: '已整改', reportedAt: '2026-11-19T10:00:00+08:00' });
    expect(json<FollowupList>(await get('/api/inspection/followups?month=2026-12&status=due', admin)).items.some((f) => f.siteId === poor)).toBe(true);

    // Verified as failed by hand: escalated, and the site shows as overdue.
    const fourth = await record(visit(verifiedFailed!, team, '2026-11-17', failing, { notice: { number: 'ZG-T-005', deadline: '2026-11-30' } }));
    const rect = json<Rectification>(await post(`/api/inspection/visits/${fourth.id}/rectification`, admin, { report: '已整改', reportedAt }));
    const verified = await post(`/api/inspection/rectifications/${rect.id}/verify`, admin, { outcome: 'failed', note: '整改不力' });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(json<Rectification>(verified)).toMatchObject({ outcome: 'failed', escalated: true, verifiedBy: 'admin', verificationNote: '整改不力' });
    expect((await post(`/api/inspection/rectifications/${rect.id}/verify`, admin, { outcome: 'rectified' })).statusCode).toBe(409);
    expect(await status(verifiedFailed!, '2026-11-20')).toBe('overdue');
    const escalated = json<RectificationList>(await get('/api/inspection/rectifications?status=escalated', admin)).items.map((r) => r.noticeNumber);
    expect(escalated.filter((n) => n.startsWith('ZG-T-')).sort()).toEqual(['ZG-T-002', 'ZG-T-005']);

    // Nothing to rectify at a passed visit.
    expect((await post(`/api/inspection/visits/${again.id}/rectification`, admin, { report: 'x' })).statusCode).toBe(409);
    // A report cannot predate its visit.
    const early = await record(visit((await quietSites('310115', 1))[0]!, team, '2026-11-18', failing, { notice: { number: 'ZG-T-006', deadline: '2026-11-30' } }));
    expect((await post(`/api/inspection/visits/${early.id}/rectification`, admin, { report: 'x', reportedAt: '2026-11-17T10:00:00+08:00' })).statusCode).toBe(422);
    expect(grid).toMatch(/^310115/);
  });

  it('puts a report made today on next month\'s list', async () => {
    const [siteId] = await quietSites('310115', 1);
    const failed = await record(visit(siteId!, teamByCode('T02').id, '2026-11-17', failing, { notice: { number: 'ZG-T-010', deadline: '2026-11-30' } }));
    await post(`/api/inspection/visits/${failed.id}/rectification`, admin, { report: '已整改' });
    const month = nextMonth(cityDay(new Date(), 'Asia/Shanghai'));
    expect(json<FollowupList>(await get(`/api/inspection/followups?month=${month}`, admin)).items.some((f) => f.siteId === siteId)).toBe(true);
  });
});

describe('coverage on a small round', () => {
  it('counts sites inspected against those in scope, by district, street and category, and names districts not visited this week', async () => {
    const category = 'slaughterhouse';
    const { rows: scope } = await t.pool.query<{ district: string; n: number }>(
      `SELECT ltree2text(subpath(area_path, 1, 1)) AS district, count(*)::int AS n FROM sites
        WHERE category = $1 AND area_path <@ ANY (ARRAY['310000.310115', '310000.310112']::ltree[]) GROUP BY 1 ORDER BY 1`,
      [category],
    );
    expect(scope.map((s) => s.district)).toEqual(['310112', '310115']);
    const created = await post('/api/inspection/teams', admin, {
      code: 'TEST-COV', name: '测试组', leaderName: '测试', members: [{ name: '甲', agency: '总站安全科', phone: '' }],
      baseName: '总站', basePosition: [121.4577, 31.1975], areas: ['310115', '310112'], workStart: '08:30', workEnd: '17:00',
      lunchRule: 'base', lunchStart: '11:30', lunchEnd: '13:00', lunchMinutes: 60,
    });
    expect(created.statusCode, created.body).toBe(201);
    const team = json<Team>(created);
    const roundResponse = await post('/api/inspection/rounds', admin, {
      name: '屠宰场专项督查（测试）', dateFrom: '2026-11-01', dateTo: '2026-12-31', weekdays: [1, 2, 3, 4, 5, 6, 7], categories: [category],
      areas: ['310115', '310112'], minSitesPerDay: 1, maxSitesPerDay: 4, checklist: demo.checklist, teamIds: [team.id],
    });
    expect(roundResponse.statusCode, roundResponse.body).toBe(201);
    const round = json<Round>(roundResponse);

    const { rows: pudongSites } = await t.pool.query<{ id: number; street: string }>(
      `SELECT id, ltree2text(subpath(area_path, 2, 1)) AS street FROM sites WHERE category = $1 AND area_path <@ '310000.310115' ORDER BY id LIMIT 3`,
      [category],
    );
    const at = (siteId: number, day: string) => ({
      clientId: randomUUID(), roundId: round.id, teamId: team.id, siteId, results: ok,
      arrivedAt: `${day}T10:00:00+08:00`, departedAt: `${day}T10:30:00+08:00`,
    });
    await record(at(pudongSites[0]!.id, '2026-11-17'));
    await record(at(pudongSites[1]!.id, '2026-11-19'));
    await record(at(pudongSites[1]!.id, '2026-11-20'));
    await record(at(pudongSites[2]!.id, '2026-11-10'));

    const coverage = json<Coverage>(await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-18`, command));
    expect(coverage).toMatchObject({ weekStart: '2026-11-16', weekEnd: '2026-11-22', by: 'district' });
    expect(coverage.rows).toEqual([
      { key: '310112', name: '闵行区', inScope: scope[0]!.n, inspected: 0, inspectedThisWeek: 0 },
      { key: '310115', name: '浦东新区', inScope: scope[1]!.n, inspected: 3, inspectedThisWeek: 2 },
    ]);
    expect(coverage.totals).toEqual({ inScope: scope[0]!.n + scope[1]!.n, inspected: 3, inspectedThisWeek: 2 });
    expect(coverage.districtsNotVisitedThisWeek).toEqual([{ code: '310112', name: '闵行区' }]);

    // The week before: only the visit of 10 November, and Pudong not visited in it is false.
    const earlier = json<Coverage>(await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-10`, command));
    expect(earlier.rows.find((r) => r.key === '310115')).toMatchObject({ inspected: 1, inspectedThisWeek: 1 });

    const byCategory = json<Coverage>(await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-18&by=category`, command));
    expect(byCategory.rows).toEqual([{ key: category, name: category, inScope: scope[0]!.n + scope[1]!.n, inspected: 3, inspectedThisWeek: 2 }]);
    const byStreet = json<Coverage>(await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-18&by=street&area=310115`, command));
    expect(byStreet.rows.reduce((s, r) => s + r.inScope, 0)).toBe(scope[1]!.n);
    expect(byStreet.rows.reduce((s, r) => s + r.inspected, 0)).toBe(3);
    expect(byStreet.rows.find((r) => r.key === pudongSites[0]!.street)!.inspected).toBeGreaterThanOrEqual(1);

    // Pudong's official sees Pudong only.
    const forPudong = json<Coverage>(await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-18`, pudong));
    expect(forPudong.rows).toEqual([{ key: '310115', name: '浦东新区', inScope: scope[1]!.n, inspected: 3, inspectedThisWeek: 2 }]);
    expect(forPudong.districtsNotVisitedThisWeek).toEqual([]);
    expect((await get(`/api/inspection/rounds/${round.id}/coverage?area=310112`, pudong)).statusCode).toBe(403);
    // The wall sees figures.
    expect((await get(`/api/inspection/rounds/${round.id}/coverage?week=2026-11-18`, wall)).statusCode).toBe(200);

    // Cases filed, counted by month.
    for (const [n, day] of [[1, '2026-10-28'], [2, '2026-11-18'], [3, '2026-11-19']] as const) {
      const filed = await post('/api/inspection/case-filings', admin, { caseNumber: `LA-T-${n}`, siteId: pudongSites[0]!.id, roundId: round.id, filedOn: day });
      expect(filed.statusCode, filed.body).toBe(201);
    }
    expect((await post('/api/inspection/case-filings', admin, { caseNumber: 'LA-T-1', siteId: pudongSites[0]!.id, filedOn: '2026-11-20' })).statusCode).toBe(409);
    expect(json<CaseCounts>(await get(`/api/inspection/case-filings/monthly?round=${round.id}`, command)).items).toEqual([
      { month: '2026-10', cases: 1, sites: 1 },
      { month: '2026-11', cases: 2, sites: 1 },
    ]);

    // A round with visits is closed, not deleted, and takes no more visits; so is its team kept.
    const del = (url: string) => t.app.inject({ method: 'DELETE', url, headers: { cookie: admin } });
    expect(json<{ result: string }>(await del(`/api/inspection/rounds/${round.id}`)).result).toBe('closed');
    expect((await post('/api/inspection/visits', admin, at(pudongSites[2]!.id, '2026-11-18'))).statusCode).toBe(409);
    expect(json<{ result: string }>(await del(`/api/inspection/teams/${team.id}`)).result).toBe('deactivated');
    expect(json<Team>(await get(`/api/inspection/teams/${team.id}`, admin)).active).toBe(false);
    const empty = json<Round>(await post('/api/inspection/rounds', admin, {
      name: '空轮次（测试）', dateFrom: '2026-11-01', weekdays: [2], categories: [category], areas: ['310115'],
      minSitesPerDay: 0, maxSitesPerDay: 1, checklist: demo.checklist, teamIds: [],
    }));
    expect(json<{ result: string }>(await del(`/api/inspection/rounds/${empty.id}`)).result).toBe('deleted');
    expect((await get(`/api/inspection/rounds/${empty.id}`, admin)).statusCode).toBe(404);
  });

  it('records a sheet on time before the deadline', async () => {
    const created = json<Round>(await post('/api/inspection/rounds', admin, {
      name: '准时提交（测试）', dateFrom: '2026-01-01', weekdays: [1, 2, 3, 4, 5, 6, 7], categories: ['cold_storage'], areas: ['310115'],
      minSitesPerDay: 0, maxSitesPerDay: 3, sheetDeadline: '23:59', checklist: demo.checklist, teamIds: [teamByCode('T02').id],
    }));
    const [siteId] = await quietSites('310115', 1, 'cold_storage');
    const now = Date.now();
    const visitNow = await record({
      clientId: randomUUID(), roundId: created.id, teamId: teamByCode('T02').id, siteId, results: ok,
      arrivedAt: new Date(now - 60_000).toISOString(), departedAt: new Date(now).toISOString(),
    });
    expect(json<Visit>(await post(`/api/inspection/visits/${visitNow.id}/submit`, admin, {})).submittedLate).toBe(false);
  });
});

describe('plans written by the planner', () => {
  it('saves a day\'s plans, reads them back with visits, keeps locked stops, and refuses a site planned twice', async () => {
    const [a, b, c] = await quietSites('310115', 3);
    const [m] = await quietSites('310112', 1);
    const day = '2026-11-24';
    const stop = (siteId: number, from: string, to: string, locked = false) => ({
      siteId, plannedArrival: `${day}T${from}:00+08:00`, plannedDeparture: `${day}T${to}:00+08:00`, locked,
    });
    await withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, day, [
      { teamId: teamByCode('T02').id, departAt: `${day}T08:30:00+08:00`, returnAt: `${day}T16:00:00+08:00`, travelSeconds: 5400, distanceMeters: 61000,
        lunch: { start: `${day}T11:45:00+08:00`, end: `${day}T12:45:00+08:00`, place: 'station' },
        stops: [stop(a!, '09:30', '10:15'), stop(b!, '10:50', '11:30', true)] },
      { teamId: teamByCode('T01').id, stops: [stop(m!, '09:40', '10:20')] },
    ], 'planner'));
    // Re-planning team 2 alone leaves team 1's plan.
    await withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, day, [
      { teamId: teamByCode('T02').id, stops: [stop(b!, '09:30', '10:15', true), stop(a!, '10:50', '11:30'), stop(c!, '13:30', '14:10')] },
    ]));
    const stops = await repo.plannedStops(t.pool, demo.id, day);
    expect(stops.map((s) => [s.teamId, s.seq, s.siteId, s.locked])).toEqual([
      [teamByCode('T01').id, 1, m, false],
      [teamByCode('T02').id, 1, b, true], [teamByCode('T02').id, 2, a, false], [teamByCode('T02').id, 3, c, false],
    ]);
    expect(stops[1]!.plannedArrival).toBe('2026-11-24T01:30:00.000Z');
    expect((await repo.lockedStops(t.pool, demo.id, day)).map((s) => s.siteId)).toEqual([b]);

    const twice = withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, day, [{ teamId: teamByCode('T01').id, stops: [stop(a!, '09:00', '09:30')] }]));
    await expect(twice).rejects.toMatchObject({ code: '23505' });
    const outsider = await withTransaction(t.pool, async (client) => repo.insertTeam(client, {
      code: 'OUTSIDER', name: '圈外组', leaderName: '某', members: [], baseName: '某', basePosition: [121.4577, 31.1975], areas: ['310115'],
      workStart: '08:30', workEnd: '17:00', lunchRule: 'base', lunchStart: '11:30', lunchEnd: '13:00', lunchMinutes: 60,
    }));
    await expect(withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, day, [{ teamId: outsider, stops: [] }]))).rejects.toMatchObject({ code: '23503' });

    // The route sheet: Pudong sees its stops only; team01 locks its own stop, not team 2's.
    const sheet = json<DayPlans>(await get(`/api/inspection/rounds/${demo.id}/plans?day=${day}`, pudong));
    const pudongPlan = sheet.plans.find((p) => p.teamId === teamByCode('T02').id)!;
    expect(pudongPlan.stops.map((s) => s.siteId)).toEqual([b, a, c]);
    expect(sheet.plans.find((p) => p.teamId === teamByCode('T01').id)!.stops).toEqual([]);
    const team1Plan = stops[0]!.planId;
    const locked = await t.app.inject({ method: 'PUT', url: `/api/inspection/plans/${team1Plan}/stops/1/lock`, headers: { cookie: team01 }, payload: { locked: true } });
    expect(locked.statusCode, locked.body).toBe(200);
    expect(json<DayPlans>(locked).plans.find((p) => p.teamId === teamByCode('T01').id)!.stops[0]).toMatchObject({ siteId: m, locked: true, status: 'planned' });
    const notOwn = await t.app.inject({ method: 'PUT', url: `/api/inspection/plans/${pudongPlan.planId}/stops/1/lock`, headers: { cookie: team01 }, payload: { locked: false } });
    expect(notOwn.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/inspection/plans/${team1Plan}/stops/9/lock`, headers: { cookie: admin }, payload: { locked: true } })).statusCode).toBe(404);
  });
});

describe('scope and roles', () => {
  it('lets team01 record for its own team only', async () => {
    const [minhang] = await quietSites('310112', 1);
    const own = await post('/api/inspection/visits', team01, visit(minhang!, teamByCode('T01').id, '2026-11-18', ok));
    expect(own.statusCode, own.body).toBe(201);
    const other = await post('/api/inspection/visits', team01, visit(minhang!, teamByCode('T02').id, '2026-11-19', ok));
    expect(other.statusCode).toBe(403);
    expect((await post(`/api/inspection/visits/${json<Visit>(own).id}/submit`, team01, {})).statusCode).toBe(200);
  });

  it('keeps officials within their jurisdiction and the wall away from names', async () => {
    const [minhang] = await quietSites('310112', 1);
    const [pudongSite] = await quietSites('310115', 1);
    const inMinhang = await record(visit(minhang!, teamByCode('T01').id, '2026-11-19', ok, { photos: [{ contentType: 'image/png', dataBase64: otherPng }] }));
    const inPudong = await record(visit(pudongSite!, teamByCode('T02').id, '2026-11-19', ok));
    expect((await get(`/api/inspection/visits/${inMinhang.id}`, pudong)).statusCode).toBe(404);
    expect((await get(`/api/inspection/visits/${inPudong.id}`, pudong)).statusCode).toBe(200);
    expect((await get(inMinhang.photos[0]!, pudong)).statusCode).toBe(404);
    expect((await post('/api/inspection/visits', pudong, visit(pudongSite!, teamByCode('T02').id, '2026-11-17', ok))).statusCode).toBe(403);
    const pudongSites = json<RoundSites>(await get(`/api/inspection/rounds/${demo.id}/sites?day=2026-11-19&limit=5000`, pudong));
    expect(pudongSites.items.every((s) => s.districtCode === '310115')).toBe(true);
    const pudongTeams = json<TeamList>(await get('/api/inspection/teams', pudong)).items.map((team) => team.code);
    expect(pudongTeams).toEqual(expect.arrayContaining(['T01', 'T02', 'T10']));
    expect(pudongTeams).not.toContain('T03');
    expect((await get('/api/inspection/teams', wall)).statusCode).toBe(403);
    expect((await get(`/api/inspection/rounds/${demo.id}/notices`, wall)).statusCode).toBe(403);
    expect((await get('/api/inspection/sites/status?area=310112', pudong)).statusCode).toBe(403);
    const map = json<SiteStatusList>(await get('/api/inspection/sites/status?bbox=121.0,30.6,122.2,31.9&category=construction_site', pudong));
    const { rows } = await t.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sites WHERE category = 'construction_site' AND area_path <@ '310000.310115'`,
    );
    expect(map.total).toBe(rows[0]!.n);
    expect(map.items.find((s) => s.siteId === pudongSite)).toMatchObject({ status: 'passed', lastVisitDay: '2026-11-19' });
  });
});

describe('bad input', () => {
  it('answers 4xx with a bilingual message', async () => {
    const team = {
      code: 'BAD', name: '错误组', leaderName: '某', members: [], baseName: '某地', basePosition: [121.4577, 31.1975],
      areas: ['310115'], workStart: '08:30', workEnd: '17:00', lunchRule: 'base', lunchStart: '11:30', lunchEnd: '13:00', lunchMinutes: 60,
    };
    const unknownArea = await post('/api/inspection/teams', admin, { ...team, areas: ['310199'] });
    expect(unknownArea.statusCode).toBe(422);
    expect(json<{ message: string }>(unknownArea).message).toBe('The team is not usable / 督查组信息有误');
    expect((await post('/api/inspection/teams', admin, { ...team, workEnd: '08:00' })).statusCode).toBe(422);
    expect((await post('/api/inspection/teams', admin, { ...team, lunchMinutes: 120 })).statusCode).toBe(422);
    expect((await post('/api/inspection/teams', admin, { ...team, basePosition: [0, 0] })).statusCode).toBe(422);
    expect((await post('/api/inspection/teams', admin, { ...team, leaderUsername: 'nobody' })).statusCode).toBe(422);
    expect((await post('/api/inspection/teams', admin, { ...team, code: 'T01' })).statusCode).toBe(409);
    expect((await post('/api/inspection/teams', admin, { ...team, lunchRule: 'canteen' })).statusCode).toBe(400);
    expect((await post('/api/inspection/teams', pudong, team)).statusCode).toBe(403);

    const round = {
      name: '错误轮次', dateFrom: '2026-12-01', dateTo: '2026-11-01', weekdays: [2], categories: ['construction_site'], areas: ['310115'],
      minSitesPerDay: 2, maxSitesPerDay: 3, checklist: demo.checklist, teamIds: [],
    };
    expect((await post('/api/inspection/rounds', admin, round)).statusCode).toBe(422);
    expect((await post('/api/inspection/rounds', admin, { ...round, dateTo: null, minSitesPerDay: 4 })).statusCode).toBe(422);
    expect((await post('/api/inspection/rounds', admin, { ...round, dateTo: null, teamIds: [999999] })).statusCode).toBe(422);
    // Not a date: refused by the schema (format 'date'), before the handler's checks.
    expect((await post('/api/inspection/rounds', admin, { ...round, dateTo: null, dateFrom: '2026-02-30' })).statusCode).toBe(400);
    expect((await post('/api/inspection/rounds', admin, { ...round, dateTo: null, categories: ['zoo'] })).statusCode).toBe(400);
    expect((await post('/api/inspection/rounds', admin, { ...round, dateTo: null, name: demoRoundName })).statusCode).toBe(409);
    expect((await get(`/api/inspection/rounds/${demo.id}/sites?day=2026-13-01`, admin)).statusCode).toBe(400);
    expect((await get('/api/inspection/rounds/999999/sites', admin)).statusCode).toBe(404);
    expect((await get('/api/inspection/sites/status?bbox=121.5,31.3,121.4,31.2', admin)).statusCode).toBe(400);
    expect((await get('/api/inspection/case-filings/monthly?from=2026-11&to=2026-10', admin)).statusCode).toBe(400);
    expect((await post('/api/inspection/rectifications/999999/verify', admin, { outcome: 'rectified' })).statusCode).toBe(404);
  });
});
