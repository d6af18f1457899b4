// What the inspection map draws beyond the sites' status: coverage by area (grids, communities,
// streets), checked against figures computed here from the areas table and the visits this file
// records; and the positions team leaders share, with who may share and who may see them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage, Round, RoundList, TeamList, TeamPosition, TeamPositionList } from '../../server/contracts/index.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import * as repo from '../../server/inspection/inspection.repository.ts';
import { withTransaction } from '../../server/infra/db.ts';
import { cityDay } from '../../server/infra/city-time.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
let command: string;
let pudong: string;
let lujiazui: string;
let team01: string;
let wall: string;
let demo: Round;
let teamIds: Map<string, number>;

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const ok = { prevention: 'pass', staff_on_duty: 'pass', return_conditions: 'pass' } as const;

beforeAll(async () => {
  t = await createTestApp();
  [admin, command, pudong, lujiazui, team01, wall] = (await Promise.all(['admin', 'command', 'pudong', 'lujiazui', 'team01', 'wall'].map((u) => t.login(u)))) as [
    string, string, string, string, string, string,
  ];
  demo = json<RoundList>(await get('/api/inspection/rounds', admin)).items.find((r) => r.name === demoRoundName)!;
  teamIds = new Map(json<TeamList>(await get('/api/inspection/teams', admin)).items.map((team) => [team.code, team.id]));
});
afterAll(() => t.close());

describe('coverage by area for the map', () => {
  // Chongming (崇明, 310151): no other test file records visits there, and its grids hold up to a few sites each. The week of 3 November 2026
  // has no visit of the demo round in any file, so only this file's visits count up to its end.
  let street: string;
  let gridA: string;
  let gridB: string;
  const visits: Array<{ siteId: number; day: string }> = [];

  /** The grid, community or street of a site, up the areas tree from its grid. */
  async function areaOf(siteId: number, level: 'grid' | 'community' | 'street'): Promise<string> {
    const { rows } = await t.pool.query<{ grid: string; community: string; street: string }>(
      `SELECT g.code AS grid, c.code AS community, c.parent_code AS street
         FROM sites s JOIN areas g ON g.code = s.grid_code JOIN areas c ON c.code = g.parent_code WHERE s.id = $1`,
      [siteId],
    );
    return rows[0]![level];
  }

  /** Construction sites per area of a level under the street, counted from the sites and the areas tree. */
  async function inScope(level: 'grid' | 'community' | 'street'): Promise<Map<string, number>> {
    const key = { grid: 'g.code', community: 'g.parent_code', street: 'c.parent_code' }[level];
    const { rows } = await t.pool.query<{ key: string; n: number }>(
      `SELECT ${key} AS key, count(*)::int AS n
         FROM sites s JOIN areas g ON g.code = s.grid_code JOIN areas c ON c.code = g.parent_code
        WHERE s.category = 'construction_site' AND c.parent_code = $1 GROUP BY 1`,
      [street],
    );
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  async function coverage(by: string, week: string, cookie = command, area = street) {
    const response = await get(`/api/inspection/rounds/${demo.id}/coverage?by=${by}&week=${week}&area=${area}`, cookie);
    expect(response.statusCode, response.body).toBe(200);
    return json<Coverage>(response);
  }

  beforeAll(async () => {
    // The round takes every construction site of the city: what "in scope" is counted against below.
    expect(demo.categories).toEqual(['construction_site']);
    expect(demo.areas).toHaveLength(16);
    // A street of Chongming without any visit, with one grid of at least two construction sites and another grid.
    const { rows } = await t.pool.query<{ street: string; grid: string; sites: number[] }>(
      `SELECT c.parent_code AS street, g.code AS grid, array_agg(s.id::int ORDER BY s.id) AS sites
         FROM sites s JOIN areas g ON g.code = s.grid_code JOIN areas c ON c.code = g.parent_code
        WHERE s.category = 'construction_site' AND s.area_path <@ '310000.310151'::ltree
          AND NOT EXISTS (SELECT 1 FROM inspection_visits v JOIN sites vs ON vs.id = v.site_id
                           WHERE vs.area_path <@ subpath(s.area_path, 0, 3))
        GROUP BY 1, 2 ORDER BY 1, count(*) DESC, 2`,
    );
    const streets = new Map<string, typeof rows>();
    for (const row of rows) streets.set(row.street, [...(streets.get(row.street) ?? []), row]);
    const [chosen, grids] = [...streets.entries()].find(([, g]) => g.length >= 2 && g[0]!.sites.length >= 2)!;
    street = chosen;
    gridA = grids[0]!.grid;
    gridB = grids[1]!.grid;

    const team = teamIds.get('T04')!; // 第四组: 黄浦 + 崇明
    const visit = async (siteId: number, day: string) => {
      const response = await post('/api/inspection/visits', admin, {
        clientId: randomUUID(), roundId: demo.id, teamId: team, siteId, arrivedAt: `${day}T09:30:00+08:00`, departedAt: `${day}T10:15:00+08:00`, results: ok,
      });
      expect(response.statusCode, response.body).toBe(201);
      visits.push({ siteId, day });
    };
    await visit(grids[0]!.sites[0]!, '2026-11-04');
    await visit(grids[0]!.sites[1]!, '2026-11-05');
    await visit(grids[1]!.sites[0]!, '2026-11-10');
  });

  it('counts the sites in scope and those inspected per grid, community and street', async () => {
    for (const level of ['grid', 'community', 'street'] as const) {
      const expected = await inScope(level);
      for (const [week, weekEnd, weekStart] of [['2026-11-04', '2026-11-08', '2026-11-02'], ['2026-11-12', '2026-11-15', '2026-11-09']] as const) {
        const rows = (await coverage(level, week)).rows;
        expect(new Map(rows.map((r) => [r.key, r.inScope])), level).toEqual(expected);
        // Inspected: this file's visits up to the end of the week, by the area their site lies in.
        const inspected = new Map<string, number>();
        const thisWeek = new Map<string, number>();
        for (const v of visits.filter((v) => v.day <= weekEnd)) {
          const key = await areaOf(v.siteId, level);
          inspected.set(key, (inspected.get(key) ?? 0) + 1);
          if (v.day >= weekStart) thisWeek.set(key, (thisWeek.get(key) ?? 0) + 1);
        }
        for (const row of rows) {
          expect(row.inspected, `${level} ${row.key} ${week}`).toBe(inspected.get(row.key) ?? 0);
          expect(row.inspectedThisWeek, `${level} ${row.key} ${week}`).toBe(thisWeek.get(row.key) ?? 0);
        }
      }
    }
    // Spelled out for the grids: the week of 3 November has grid A's two visits, grid B's comes after.
    const early = new Map((await coverage('grid', '2026-11-04')).rows.map((r) => [r.key, r]));
    expect(early.get(gridA)).toMatchObject({ inspected: 2, inspectedThisWeek: 2 });
    expect(early.get(gridB)).toMatchObject({ inspected: 0, inspectedThisWeek: 0 });
    const later = new Map((await coverage('grid', '2026-11-12')).rows.map((r) => [r.key, r]));
    expect(later.get(gridA)).toMatchObject({ inspected: 2, inspectedThisWeek: 0 });
    expect(later.get(gridB)).toMatchObject({ inspected: 1, inspectedThisWeek: 1 });
    const name = (await t.pool.query<{ name: string }>('SELECT name FROM areas WHERE code = $1', [gridA])).rows[0]!.name;
    expect(early.get(gridA)!.name).toBe(name);
  });

  it("keeps each official to their jurisdiction's grids", async () => {
    const outside = await get(`/api/inspection/rounds/${demo.id}/coverage?by=grid&area=${street}`, pudong);
    expect([403, 404]).toContain(outside.statusCode);
    const pudongGrids = (await coverage('grid', '2026-11-12', pudong, '310115')).rows;
    expect(pudongGrids.length).toBeGreaterThan(0);
    expect(pudongGrids.every((r) => r.key.startsWith('310115'))).toBe(true);
    const lujiazuiGrids = json<Coverage>(await get(`/api/inspection/rounds/${demo.id}/coverage?by=grid&week=2026-11-12`, lujiazui)).rows;
    expect(lujiazuiGrids.every((r) => r.key.startsWith('310115005'))).toBe(true);
    // The city's grids: every grid with a construction site, none without.
    const cityGrids = json<Coverage>(await get(`/api/inspection/rounds/${demo.id}/coverage?by=grid&week=2026-11-12`, wall));
    const { rows } = await t.pool.query<{ n: number; sites: number }>(
      `SELECT count(DISTINCT grid_code)::int AS n, count(*)::int AS sites FROM sites WHERE category = 'construction_site' AND grid_code IS NOT NULL`,
    );
    expect(cityGrids.rows).toHaveLength(rows[0]!.n);
    expect(cityGrids.totals.inScope).toBe(rows[0]!.sites);
  });
});

describe('team positions', () => {
  const today = cityDay(new Date(), 'Asia/Shanghai');
  const share = (teamId: number, body: object, cookie = team01) => post(`/api/inspection/teams/${teamId}/position`, cookie, body);
  let minhang: [number, number];
  let bondedZone: [number, number];

  beforeAll(async () => {
    const point = async (code: string) =>
      (await t.pool.query<{ lon: number; lat: number }>('SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM areas WHERE code = $1', [code])).rows.map((r) => [r.lon, r.lat] as [number, number])[0]!;
    minhang = await point('310112');
    bondedZone = await point('310115501');
  });

  it("lets a leader share their own team's position on a day the team has a plan, and no other", async () => {
    const t1 = teamIds.get('T01')!;
    const noPlan = await share(t1, { lon: minhang[0], lat: minhang[1] });
    expect(noPlan.statusCode, noPlan.body).toBe(409);
    await withTransaction(t.pool, (client) => repo.savePlan(client, demo.id, today, [{ teamId: t1, stops: [] }], 'test'));

    const shared = await share(t1, { lon: minhang[0], lat: minhang[1], accuracyMeters: 15 });
    expect(shared.statusCode, shared.body).toBe(201);
    expect(json<TeamPosition>(shared)).toMatchObject({ teamId: t1, day: today, position: minhang, accuracyMeters: 15 });

    expect((await share(teamIds.get('T02')!, { lon: minhang[0], lat: minhang[1] })).statusCode).toBe(403);
    expect((await share(t1, { lon: minhang[0], lat: minhang[1] }, admin)).statusCode).toBe(403);
    for (const bad of [{ lon: 200, lat: 31 }, { lon: 121.4, lat: -95 }, { lon: 121.4 }, { lon: '121.4', lat: 'x' }, { lon: 116.4, lat: 39.9 }]) {
      const response = await share(t1, bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(json<{ message: string }>(response).message).toBeTruthy();
    }
  });

  it("shows each team's latest position to those who may see it", async () => {
    const t1 = teamIds.get('T01')!;
    const positions = async (cookie: string) => {
      const response = await get(`/api/inspection/positions?day=${today}`, cookie);
      expect(response.statusCode, response.body).toBe(200);
      return json<TeamPositionList>(response).items;
    };
    // In Minhang: the command centre sees it, Pudong (team 1 also works its bonded zone) does not.
    expect((await positions(command)).find((p) => p.teamId === t1)?.position).toEqual(minhang);
    expect((await positions(pudong)).some((p) => p.teamId === t1)).toBe(false);
    // Later in Pudong's bonded zone: the latest position, seen in Pudong too.
    expect((await share(t1, { lon: bondedZone[0], lat: bondedZone[1] })).statusCode).toBe(201);
    expect((await positions(command)).find((p) => p.teamId === t1)?.position).toEqual(bondedZone);
    expect((await positions(pudong)).find((p) => p.teamId === t1)?.position).toEqual(bondedZone);
    // The day's track leads to it, oldest first; Pudong's official sees the part inside Pudong only.
    expect((await positions(command)).find((p) => p.teamId === t1)?.track).toEqual([minhang, bondedZone]);
    expect((await positions(pudong)).find((p) => p.teamId === t1)?.track).toEqual([bondedZone]);
    // A team leader sees their own team only; the wall display no positions at all.
    expect((await positions(team01)).every((p) => p.teamId === t1)).toBe(true);
    expect((await get('/api/inspection/positions', wall)).statusCode).toBe(403);
    // Another day: nothing.
    expect(json<TeamPositionList>(await get('/api/inspection/positions?day=2026-11-04', command)).items).toEqual([]);
  });
});
