// The route sheet as an Excel workbook: GET /api/inspection/rounds/:id/plans/:day/teams/:teamId/sheet.xlsx
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Round, RoundList, Team, TeamList } from '../../server/contracts/index.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import * as repo from '../../server/inspection/inspection.repository.ts';
import { withTransaction } from '../../server/infra/db.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
let pudong: string;
let team01: string;
let wall: string;
let demo: Round;
let teams: Team[];
const teamByCode = (code: string) => teams.find((team) => team.code === code)!;
const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
const day = '2026-11-17';
const at = (time: string) => `${day}T${time}:00+08:00`;

/** Construction sites of a district not directly supervised and never visited, with their names. */
async function freeSites(district: string, count: number): Promise<Array<{ id: number; name: string; address: string }>> {
  const { rows } = await t.pool.query<{ id: number; name: string; address: string }>(
    `SELECT s.id::int AS id, s.name, s.address FROM sites s
      WHERE s.category = 'construction_site' AND s.area_path <@ text2ltree('310000.' || $1)
        AND NOT EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM inspection_visits v WHERE v.site_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM inspection_plan_stops ps WHERE ps.site_id = s.id)
      ORDER BY s.id DESC LIMIT $2`,
    [district, count],
  );
  return rows;
}

async function workbookOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, pudong, team01, wall] = await Promise.all([t.login('admin'), t.login('pudong'), t.login('team01'), t.login('wall')]);
  demo = json<RoundList>(await get('/api/inspection/rounds', admin)).items.find((r) => r.name === demoRoundName)!;
  teams = json<TeamList>(await get('/api/inspection/teams', admin)).items;
});
afterAll(() => t.close());

describe('route sheet workbook', () => {
  it('lists the stops in road order with lunch, travel, the recorded visit and A4 landscape print settings', async () => {
    const [a, b, c] = await freeSites('310115', 3);
    const team2 = teamByCode('T02');
    await withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, day, [{
      teamId: team2.id, departAt: at('08:30'), returnAt: at('16:00'), travelSeconds: 5400, distanceMeters: 61000,
      lunch: { start: at('11:45'), end: at('12:45'), place: 'station' },
      stops: [
        { siteId: b!.id, plannedArrival: at('09:10'), plannedDeparture: at('10:00') },
        { siteId: a!.id, plannedArrival: at('10:40'), plannedDeparture: at('11:30') },
        { siteId: c!.id, plannedArrival: at('13:15'), plannedDeparture: at('14:00') },
      ],
    }], 'planner'));
    const recorded = await t.app.inject({
      method: 'POST', url: '/api/inspection/visits', headers: { cookie: admin },
      payload: {
        clientId: randomUUID(), roundId: demo.id, teamId: team2.id, siteId: b!.id, arrivedAt: at('09:15'), departedAt: at('09:55'),
        results: { prevention: 'pass', staff_on_duty: 'pass', return_conditions: 'na' }, findings: '',
      },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);

    const response = await get(`/api/inspection/rounds/${demo.id}/plans/${day}/teams/${team2.id}/sheet.xlsx`, pudong);
    expect(response.statusCode, response.body).toBe(200);
    // Every export is in the audit log: who, what.
    const logged = await t.pool.query<{ username: string; detail: { stops: number } }>(
      `SELECT username, detail FROM audit_log WHERE action = 'export' AND resource = 'inspection:route_sheet' AND resource_id = $1`, [`${demo.id}/${day}/${team2.id}`]);
    expect(logged.rows).toEqual([{ username: 'pudong', detail: { format: 'xlsx', stops: 3 } }]);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(`route-sheet-${team2.code}-${day}.xlsx`);
    const sheet = await workbookOf(response.rawPayload);
    expect(sheet.name).toBe('督查路线单');
    expect(sheet.getCell(1, 1).value).toBe(`${team2.name} 督查路线单（${demo.name}，${day}）`);
    expect([sheet.getCell(2, 1).value, sheet.getCell(2, 2).value]).toEqual(['组长', `${team2.leaderName} ${team2.leaderPhone}`.trim()]);
    expect([sheet.getCell(6, 1).value, sheet.getCell(6, 2).value]).toEqual(['工作时间', '08:30–16:00']);
    expect([sheet.getCell(7, 1).value, sheet.getCell(7, 2).value]).toEqual(['路线单上报截止', `${day} 16:00`]);

    const headerRow = 9;
    expect(sheet.getRow(headerRow).values).toEqual([
      undefined, '序号', '工地', '地址', '所属区/街道', '计划到达', '计划离开', '行驶时间（分）', '优先分', '实际到达', '实际离开',
      '疫情防控措施落实情况', '人员到岗履职情况', '复工条件落实和保持情况', '发现问题', '备注',
    ]);
    const rows = [10, 11, 12, 13].map((n) => sheet.getRow(n));
    // b, a, lunch, c: the road order with the lunch break where it falls
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(2).value])).toEqual([
      [1, b!.name], [2, a!.name], ['', '午餐（区站）'], [3, c!.name],
    ]);
    expect(rows[0]!.getCell(3).value).toBe(b!.address);
    expect(String(rows[0]!.getCell(4).value)).toMatch(/^浦东新区 \/ .+/);
    // travel: 08:30 → 09:10 = 40; 10:00 → 10:40 = 40; 11:30 → 13:15 less the hour of lunch = 45
    expect(rows.map((r) => r.getCell(7).value)).toEqual([40, 40, null, 45]);
    expect(typeof rows[0]!.getCell(8).value).toBe('number');
    expect([rows[0]!.getCell(9).value, rows[0]!.getCell(10).value, rows[0]!.getCell(11).value, rows[0]!.getCell(13).value]).toEqual(['09:15', '09:55', '合格', '不适用']);
    expect([rows[1]!.getCell(9).value, rows[1]!.getCell(11).value]).toEqual(['', '']);
    expect([rows[2]!.getCell(5).value, rows[2]!.getCell(6).value]).toEqual(['11:45', '12:45']);
    expect(String(sheet.getCell(15, 1).value)).toContain('组长签字');

    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, printTitlesRow: '9:9' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(sheet.getColumn(2).width).toBe(30);
  });

  it('answers 404 without a plan and 403 for another team\'s leader or the wall', async () => {
    const team1 = teamByCode('T01');
    const team2 = teamByCode('T02');
    expect((await get(`/api/inspection/rounds/${demo.id}/plans/2026-11-26/teams/${team2.id}/sheet.xlsx`, admin)).statusCode).toBe(404);
    expect((await get(`/api/inspection/rounds/999999/plans/${day}/teams/${team2.id}/sheet.xlsx`, admin)).statusCode).toBe(404);
    // team01 leads T01, which has no plan that day: 404, but T02's sheet is not theirs
    expect((await get(`/api/inspection/rounds/${demo.id}/plans/${day}/teams/${team1.id}/sheet.xlsx`, team01)).statusCode).toBe(404);
    expect((await get(`/api/inspection/rounds/${demo.id}/plans/${day}/teams/${team2.id}/sheet.xlsx`, team01)).statusCode).toBe(403);
    expect((await get(`/api/inspection/rounds/${demo.id}/plans/${day}/teams/${team2.id}/sheet.xlsx`, wall)).statusCode).toBe(403);
    expect((await get(`/api/inspection/rounds/${demo.id}/plans/24-11-2026/teams/${team2.id}/sheet.xlsx`, admin)).statusCode).toBe(400);
  });
});
