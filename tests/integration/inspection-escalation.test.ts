// A failed rectification (its 回头看 failed, or verified failed) raises one rectification_escalated
// alert at the site's grid, in the same transaction as the escalation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertList } from '../../server/contracts/alerts.ts';
import type { Rectification, Round, RoundList, TeamList, Visit } from '../../server/contracts/inspection.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let admin: string;
let pudong: string;
let demo: Round;
let team: number;

const ok = { prevention: 'pass', staff_on_duty: 'pass', return_conditions: 'pass' } as const;
const failing = { prevention: 'fail', staff_on_duty: 'pass', return_conditions: 'na' } as const;

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

function visit(siteId: number, day: string, results: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(), roundId: demo.id, teamId: team, siteId,
    arrivedAt: `${day}T09:30:00+08:00`, departedAt: `${day}T10:15:00+08:00`, results, findings: '', ...extra,
  };
}

async function record(payload: object): Promise<Visit> {
  const response = await post('/api/inspection/visits', admin, payload);
  expect(response.statusCode, response.body).toBe(201);
  return json<Visit>(response);
}

/** Pudong construction sites that team 2 may inspect and nobody visited yet, with their grids. */
async function freshSites(count: number): Promise<Array<{ id: number; grid: string }>> {
  const { rows } = await t.pool.query<{ id: number; grid: string }>(
    `SELECT s.id::int AS id, s.grid_code AS grid FROM sites s
      WHERE s.category = 'construction_site' AND s.area_path <@ '310000.310115'::ltree AND s.grid_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM inspection_direct_sites d WHERE d.site_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM inspection_visits v WHERE v.site_id = s.id)
      ORDER BY s.id LIMIT $1`,
    [count],
  );
  expect(rows).toHaveLength(count);
  return rows;
}

/** Escalation alerts of these sites (the file's other tests escalate sites of their own). */
const escalationAlerts = async (cookie: string, siteIds: Array<number | undefined>) =>
  json<AlertList>(await get('/api/alerts?kind=rectification_escalated&status=all&limit=500', cookie)).items
    .filter((a) => siteIds.includes(a.details.siteId));

beforeAll(async () => {
  t = await createTestApp();
  [admin, pudong] = await Promise.all([t.login('admin'), t.login('pudong')]);
  demo = json<RoundList>(await get('/api/inspection/rounds', admin)).items.find((r) => r.name === demoRoundName)!;
  team = json<TeamList>(await get('/api/inspection/teams', admin)).items.find((x) => x.code === 'T02')!.id;
});
afterAll(() => t.close());

describe('escalation alerts', () => {
  it('raises exactly one alert at the site\'s grid when a 回头看 fails, naming the site and no one', async () => {
    const [site, passing] = await freshSites(2);
    const mine = [site!.id, passing!.id];
    expect(await escalationAlerts(admin, mine)).toEqual([]);

    const first = await record(visit(site!.id, '2026-11-17', failing, { notice: { number: 'ZG-E-001', deadline: '2026-11-20' } }));
    expect((await post(`/api/inspection/visits/${first.id}/rectification`, admin, { report: '已整改', reportedAt: '2026-11-18T15:00:00+08:00' })).statusCode).toBe(201);
    // A passed 回头看 elsewhere raises nothing.
    const other = await record(visit(passing!.id, '2026-11-17', failing, { notice: { number: 'ZG-E-002', deadline: '2026-11-20' } }));
    await post(`/api/inspection/visits/${other.id}/rectification`, admin, { report: '已整改', reportedAt: '2026-11-18T15:00:00+08:00' });
    await record(visit(passing!.id, '2026-11-19', ok));
    expect(await escalationAlerts(admin, mine)).toEqual([]);

    const again = visit(site!.id, '2026-11-19', failing, { notice: { number: 'ZG-E-003', deadline: '2026-11-26' } });
    await record(again);
    // The same visit sent again (a retry) is answered, not escalated twice.
    expect((await post('/api/inspection/visits', admin, again)).statusCode).toBe(200);

    const alerts = await escalationAlerts(admin, mine);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'rectification_escalated', status: 'open', areaCode: site!.grid, day: '2026-11-19' });
    const { rows: [named] } = await t.pool.query<{ name: string }>('SELECT name FROM sites WHERE id = $1', [site!.id]);
    expect(alerts[0]!.details).toEqual({ siteId: site!.id, siteName: named!.name });
    // The district official of the site's district sees it too.
    expect((await escalationAlerts(pudong, mine)).map((a) => a.id)).toEqual([alerts[0]!.id]);
  });

  it('raises one alert when a rectification is verified failed, none when verified rectified', async () => {
    const [failedSite, fixedSite] = await freshSites(2);
    const mine = [failedSite!.id, fixedSite!.id];
    expect(await escalationAlerts(admin, mine)).toEqual([]);
    const rectify = async (siteId: number, notice: string) => {
      const v = await record(visit(siteId, '2026-11-17', failing, { notice: { number: notice, deadline: '2026-11-30' } }));
      return json<Rectification>(await post(`/api/inspection/visits/${v.id}/rectification`, admin, { report: '已整改', reportedAt: '2026-11-18T15:00:00+08:00' }));
    };
    const fixed = await rectify(fixedSite!.id, 'ZG-E-010');
    expect((await post(`/api/inspection/rectifications/${fixed.id}/verify`, admin, { outcome: 'rectified' })).statusCode).toBe(200);
    expect(await escalationAlerts(admin, mine)).toEqual([]);

    const failed = await rectify(failedSite!.id, 'ZG-E-011');
    const verified = await post(`/api/inspection/rectifications/${failed.id}/verify`, admin, { outcome: 'failed', note: '整改不力' });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(json<Rectification>(verified)).toMatchObject({ outcome: 'failed', escalated: true });
    expect((await post(`/api/inspection/rectifications/${failed.id}/verify`, admin, { outcome: 'failed' })).statusCode).toBe(409);

    const alerts = await escalationAlerts(admin, mine);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ areaCode: failedSite!.grid, status: 'open', details: { siteId: failedSite!.id } });
  });
});
