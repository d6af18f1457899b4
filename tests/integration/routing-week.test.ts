// A week of the seed's construction-site supervision round, planned on the demo data: 12 groups,
// each paired with two districts, Tuesday–Thursday, 2–3 sites a day, every district covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../server/infra/db.ts';
import { clockSeconds, planRound, type PlannerInput, type PlannerSite, type PlannerTeam, type PlanResult } from '../../server/routing/planner.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let pool: Pool;
beforeAll(() => {
  pool = createPool(testDatabaseUrl(), 2);
});
afterAll(() => pool.end());

// The seed's table of groups (第一组…第十二组) on Shanghai's districts: 自贸区 and 临港 are in Pudong;
// groups 10–12 (直管工程, projects the authority supervises directly) take the largest suburbs.
const pairs: Array<[string, string]> = [
  ['闵行区', '浦东新区'],
  ['浦东新区', '闵行区'],
  ['长宁区', '松江区'],
  ['黄浦区', '崇明区'],
  ['杨浦区', '奉贤区'],
  ['静安区', '金山区'],
  ['虹口区', '青浦区'],
  ['普陀区', '宝山区'],
  ['徐汇区', '嘉定区'],
  ['浦东新区', '崇明区'],
  ['宝山区', '嘉定区'],
  ['松江区', '青浦区'],
];
// 总站, 小木桥路683号 (Xuhui): lunch there when inspecting the centre ("回683号就餐").
const base = { lon: 121.457, lat: 31.193, district: '310104' };
const week = ['2026-03-10', '2026-03-11', '2026-03-12'];
const maxTravelMinutes = 240;

async function instance(): Promise<PlannerInput> {
  const districts = (await pool.query<{ code: string; name: string }>(`SELECT code, name FROM areas WHERE level = 'district' AND parent_code = '310000'`)).rows;
  const code = new Map(districts.map((d) => [d.name, d.code]));
  // Up to 27 construction sites per district (all of the small central ones): about 300 sites.
  const { rows } = await pool.query<{ id: string; lon: number; lat: number; district: string; opening_hours: PlannerSite['openingHours'] }>(
    `SELECT id::text, ST_X(geom) AS lon, ST_Y(geom) AS lat, district, opening_hours
       FROM (SELECT s.*, subpath(s.area_path, 1, 1)::text AS district,
                    row_number() OVER (PARTITION BY subpath(s.area_path, 1, 1) ORDER BY s.id) AS n
               FROM sites s WHERE s.category = 'construction_site') ranked
      WHERE n <= 27 ORDER BY id`,
  );
  const teams: PlannerTeam[] = pairs.map(([a, b], i) => ({
    id: `第${i + 1}组`,
    base,
    areas: [code.get(a) as string, code.get(b) as string],
    hours: { start: '08:30', end: '17:00' },
    lunch: { windowStart: '11:30', windowEnd: '13:00', minutes: 60, place: 'by-area' },
  }));
  return {
    days: week,
    teams,
    // A spread of priorities (1–5) so that the choice matters.
    sites: rows.map((r) => ({ id: r.id, position: { lon: r.lon, lat: r.lat }, district: r.district, priority: 1 + (Number(r.id) % 5), serviceMinutes: 60, openingHours: r.opening_hours })),
    sitesPerTeamDay: { min: 2, max: 3 },
    maxTravelMinutesPerDay: maxTravelMinutes,
    coverage: { districts: districts.map((d) => d.code).sort() },
  };
}

const weekday = (day: string): 'tue' | 'wed' | 'thu' => (['tue', 'wed', 'thu'] as const)[week.indexOf(day)] as 'tue' | 'wed' | 'thu';

describe("a week of the seed's round on the demo data", () => {
  let input: PlannerInput;
  let plan: PlanResult;

  beforeAll(async () => {
    input = await instance();
    plan = await planRound(input, { seed: 1 });
    console.log(`[routing] week plan: ${input.sites.length} sites, ${input.teams.length} teams × ${week.length} days, ${plan.summary.sitesPlanned} visits, ${plan.summary.ms} ms, ${plan.summary.iterations} iterations`);
  }, 60_000);

  it('builds the instance the seed describes', () => {
    expect(input.teams).toHaveLength(12);
    expect(input.sites.length).toBeGreaterThanOrEqual(280);
    expect(input.sites.length).toBeLessThanOrEqual(320);
    expect(new Set(input.sites.map((s) => s.district)).size).toBe(16);
  });

  it('meets every rule', () => {
    const sites = new Map(input.sites.map((s) => [s.id, s]));
    const teams = new Map(input.teams.map((t) => [t.id, t]));
    const seen = new Set<string>();
    const covered = new Set<string>();
    for (const day of plan.days) {
      expect(day.teams).toHaveLength(12);
      for (const teamDay of day.teams) {
        const team = teams.get(teamDay.team) as PlannerTeam;
        const visits = teamDay.stops.filter((s) => s.kind === 'site');
        // 2–3 sites a day.
        expect(visits.length, `${teamDay.team} ${day.day}`).toBeGreaterThanOrEqual(2);
        expect(visits.length).toBeLessThanOrEqual(3);
        // Team hours and the day's travel limit.
        expect(teamDay.leaveBase).toBe('08:30');
        expect(clockSeconds(teamDay.backAtBase)).toBeLessThanOrEqual(clockSeconds('17:00'));
        expect(teamDay.travelSeconds).toBeLessThanOrEqual(maxTravelMinutes * 60);
        expect(visits.reduce((sum, s) => sum + s.travelSecondsFromPrevious, 0) + teamDay.travelSecondsToBase).toBe(teamDay.travelSeconds);
        // One lunch, starting in its window, overlapping no inspection.
        const lunches = teamDay.stops.filter((s) => s.kind === 'lunch');
        expect(lunches).toHaveLength(1);
        const lunch = lunches[0] as (typeof lunches)[number];
        expect(lunch.startSeconds).toBeGreaterThanOrEqual(clockSeconds('11:30'));
        expect(lunch.startSeconds).toBeLessThanOrEqual(clockSeconds('13:00'));
        let previousEnd = clockSeconds('08:30');
        for (const stop of teamDay.stops) {
          expect(stop.startSeconds).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = stop.departureSeconds;
        }
        for (const visit of visits) {
          const site = sites.get(visit.siteId as string) as PlannerSite;
          // Only the team's districts, each site once in the week.
          expect(team.areas).toContain(site.district);
          expect(seen.has(site.id)).toBe(false);
          seen.add(site.id);
          covered.add(site.district);
          // The whole inspection inside the site's opening hours that day.
          const open = (site.openingHours?.[weekday(day.day)] ?? []).some(
            ([from, to]) => visit.startSeconds >= clockSeconds(from) && visit.departureSeconds <= clockSeconds(to),
          );
          expect(open, `${site.id} at ${visit.start}`).toBe(true);
          expect(visit.departureSeconds - visit.startSeconds).toBe(3600);
        }
      }
    }
    // Every district covered in the week.
    expect(covered.size).toBe(16);
    expect(plan.coverage.allCovered).toBe(true);
    expect(plan.shortfalls).toEqual([]);
    expect(plan.summary.sitesPlanned).toBe(seen.size);
    expect(plan.unassigned).toHaveLength(input.sites.length - seen.size);
  });

  it('fills the days: three sites for most team-days', () => {
    const perDay = plan.days.flatMap((d) => d.teams.map((t) => t.sites));
    expect(perDay.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(0.9 * 36 * 3);
  });
});
