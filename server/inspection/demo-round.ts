// The demo's supervision round, from the city construction authority's plan (seed 004): twelve
// teams of the supervision station (总站) and three partner agencies, each paired with districts
// (teams 10–12 take the sites the station supervises directly), Tuesday to Thursday, 2–3
// construction sites a team a day, sheets by 16:00. Seeded once, with the demo; names and phone
// numbers are made up.
import pg from 'pg';
import type { Queryable } from '../infra/db.ts';

export const demoRoundName = '2026年复工复产工地疫情防控督查';

/** The checklist of the seed's inspection sheet (督查表). */
export const demoChecklist = [
  { key: 'prevention', label_zh: '疫情防控措施落实情况', label_en: 'Prevention measures in place' },
  { key: 'staff_on_duty', label_zh: '人员到岗履职情况', label_en: 'Staff at their posts' },
  { key: 'return_conditions', label_zh: '复工条件落实和保持情况', label_en: 'Return-to-work conditions kept' },
] as const;

/** 上海市建设工程安全质量监督总站, 小木桥路683号 (Xuhui): where the teams set out and, in the city centre, lunch ("回683号就餐"). */
export const stationBase = { name: '总站（徐汇区小木桥路683号）', lon: 121.4577, lat: 31.1975 };

/** District stations (区建设工程安全质量监督站) of the suburban districts, where teams lunch when working there. */
const districtStations: ReadonlyArray<{ code: string; name: string; lon: number; lat: number }> = [
  { code: '310112', name: '闵行区建设工程安全质量监督站', lon: 121.381, lat: 31.112 },
  { code: '310113', name: '宝山区建设工程安全质量监督站', lon: 121.489, lat: 31.405 },
  { code: '310114', name: '嘉定区建设工程安全质量监督站', lon: 121.25, lat: 31.383 },
  { code: '310115', name: '浦东新区建设工程安全质量监督站', lon: 121.544, lat: 31.222 },
  { code: '310116', name: '金山区建设工程安全质量监督站', lon: 121.342, lat: 30.742 },
  { code: '310117', name: '松江区建设工程安全质量监督站', lon: 121.224, lat: 31.032 },
  { code: '310118', name: '青浦区建设工程安全质量监督站', lon: 121.124, lat: 31.151 },
  { code: '310120', name: '奉贤区建设工程安全质量监督站', lon: 121.474, lat: 30.918 },
  { code: '310151', name: '崇明区建设工程安全质量监督站', lon: 121.397, lat: 31.623 },
];

/**
 * The seed's pairings. 自贸区 is the free-trade zone's bonded area, a street-level unit of Pudong
 * (310115501); 临港 (南汇新城镇) lies in Pudong, so group 2 has all of Pudong and shares the bonded
 * area with group 1. Groups 10–12 (直管工程) may go anywhere in the city, to directly supervised sites only.
 */
interface DemoTeam {
  n: number;
  leader: [name: string, agency: string];
  members: Array<[name: string, agency: string]>;
  areas: string[];
  direct?: true;
}
const demoTeams: readonly DemoTeam[] = [
  { n: 1, leader: ['王建国', '总站安全科'], members: [['赵敏', '总站巡查科'], ['钱立新', '总站监管科']], areas: ['310112', '310115501'] },
  { n: 2, leader: ['李明华', '总站安全科'], members: [['孙悦', '管理总站'], ['周志强', '总站监管科']], areas: ['310115'] },
  { n: 3, leader: ['张伟', '总站质量科'], members: [['吴倩', '管理总站']], areas: ['310105', '310117'] },
  { n: 4, leader: ['刘洋', '总站质量科'], members: [['郑浩', '管理总站']], areas: ['310101', '310151'] },
  { n: 5, leader: ['陈刚', '总站巡查科'], members: [['冯雪', '管理总站']], areas: ['310110', '310120'] },
  { n: 6, leader: ['杨帆', '总站巡查科'], members: [['陈晨', '行政服务中心']], areas: ['310106', '310116'] },
  { n: 7, leader: ['黄磊', '总站市场科'], members: [['褚亮', '行政服务中心']], areas: ['310109', '310118'] },
  { n: 8, leader: ['周斌', '总站技信科'], members: [['卫东', '行政服务中心']], areas: ['310107', '310113'] },
  { n: 9, leader: ['吴昊', '总站执法科'], members: [['蒋涛', '审图中心']], areas: ['310104', '310114'] },
  { n: 10, leader: ['徐静', '总站监管科'], members: [['沈洁', '总站监管科']], areas: ['310000'], direct: true },
  { n: 11, leader: ['孙涛', '总站监管科'], members: [['韩梅', '总站监管科']], areas: ['310000'], direct: true },
  { n: 12, leader: ['马骏', '总站监管科'], members: [['杨柳', '总站监管科']], areas: ['310000'], direct: true },
];
const teamNames = ['第一组', '第二组', '第三组', '第四组', '第五组', '第六组', '第七组', '第八组', '第九组', '第十组', '第十一组', '第十二组'];
/** The partner agencies lend four cars, fixed per week; the station provides the rest. */
const vehicles = ['沪A·G0683', '沪A·G0684', '沪A·G0685', '沪A·G0686', '沪A·G0687', '沪A·G0688', '沪A·G0689', '沪A·G0690', '沪A·M2101', '沪A·M2102', '沪A·M2103', '沪A·M2104'];
const phone = (n: number, k: number) => `1380213${String(n * 10 + k).padStart(4, '0')}`;

/** Share of construction sites marked as directly supervised, in districts with enough of them. */
const directEvery = 20;
const directMinPerDistrict = 20;

export interface DemoRoundSummary {
  created: boolean;
  roundId: number | null;
  teams: number;
  directSites: number;
}

/**
 * Seeds the demo round once: teams, district stations, directly supervised sites and the round.
 * Does nothing when the round exists, or when the demo's areas or team leader are missing (not a
 * demo database). Run it inside the demo's transaction.
 */
export async function seedDemoRound(db: Queryable): Promise<DemoRoundSummary> {
  const existing = await db.query<{ id: number }>('SELECT id::int AS id FROM inspection_rounds WHERE name = $1', [demoRoundName]);
  if (existing.rows[0]) return { created: false, roundId: existing.rows[0].id, teams: 0, directSites: 0 };
  const needed = [...new Set([...districtStations.map((s) => s.code), ...demoTeams.flatMap((t) => t.areas)])];
  const found = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM areas WHERE code = ANY ($1)', [needed]);
  if ((found.rows[0]?.n ?? 0) !== needed.length) return { created: false, roundId: null, teams: 0, directSites: 0 };

  // A station outside its district's (coarse) outline is moved to the district's label point.
  await db.query(
    `INSERT INTO inspection_district_stations (district_code, name, geom)
     SELECT s.code, s.name, CASE WHEN ST_Intersects(a.geom, p.geom) THEN p.geom ELSE a.label_point END
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS s (code, name, lon, lat)
       JOIN areas a ON a.code = s.code
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
     ON CONFLICT (district_code) DO NOTHING`,
    [districtStations.map((s) => s.code), districtStations.map((s) => s.name), districtStations.map((s) => s.lon), districtStations.map((s) => s.lat)],
  );

  const direct = await db.query(
    `INSERT INTO inspection_direct_sites (site_id, note)
     SELECT s.id, '总站直管工程（演示）'
       FROM sites s
       JOIN (SELECT subpath(area_path, 0, 2) AS district FROM sites WHERE category = 'construction_site'
              GROUP BY 1 HAVING count(*) >= $2) d ON s.area_path <@ d.district
      WHERE s.category = 'construction_site' AND s.id % $1 = 0
     ON CONFLICT (site_id) DO NOTHING`,
    [directEvery, directMinPerDistrict],
  );

  const leaderExists = (await db.query('SELECT 1 FROM users WHERE username = $1', ['team01'])).rowCount === 1;
  const { rows: teams } = await db.query<{ id: number }>(
    `INSERT INTO inspection_teams (code, name, leader_name, leader_phone, leader_username, members, vehicle, base_name, base_geom,
                                   scope, areas, work_start, work_end, lunch_rule, lunch_start, lunch_end, lunch_minutes)
     SELECT t.code, t.name, t.leader_name, t.leader_phone, t.leader_username, t.members::jsonb, t.vehicle, $10,
            ST_SetSRID(ST_MakePoint($11, $12), 4326), t.scope, string_to_array(t.areas, ','),
            '08:30', '17:00', 'station', '11:30', '13:00', 60
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
            AS t (code, name, leader_name, leader_phone, leader_username, members, vehicle, scope, areas)
     ON CONFLICT (code) DO NOTHING
     RETURNING id`,
    [
      demoTeams.map((t) => `T${String(t.n).padStart(2, '0')}`),
      demoTeams.map((t) => `${teamNames[t.n - 1]}`),
      demoTeams.map((t) => `${t.leader[0]}（${t.leader[1]}）`),
      demoTeams.map((t) => phone(t.n, 0)),
      demoTeams.map((t) => (t.n === 1 && leaderExists ? 'team01' : null)),
      demoTeams.map((t) => JSON.stringify([
        { name: t.leader[0], agency: t.leader[1], phone: phone(t.n, 0) },
        ...t.members.map(([name, agency], k) => ({ name, agency, phone: phone(t.n, k + 1) })),
      ])),
      demoTeams.map((t) => vehicles[t.n - 1]!),
      demoTeams.map((t) => (t.direct ? 'direct' : 'areas')),
      demoTeams.map((t) => t.areas.join(',')),
      stationBase.name, stationBase.lon, stationBase.lat,
    ],
  );

  const { rows: round } = await db.query<{ id: number }>(
    `INSERT INTO inspection_rounds (name, date_from, date_to, weekdays, categories, areas, min_sites_per_day, max_sites_per_day,
                                    sheet_deadline, checklist, created_by)
     SELECT $1, '2026-03-10', NULL, '{2,3,4}', '{construction_site}',
            ARRAY(SELECT code FROM areas WHERE level = 'district' ORDER BY code), 2, 3, '16:00', $2::jsonb, 'demo'
     RETURNING id::int AS id`,
    [demoRoundName, JSON.stringify(demoChecklist)],
  );
  const roundId = round[0]!.id;
  await db.query(
    `INSERT INTO inspection_round_teams (round_id, team_id)
     SELECT $1, t.id FROM inspection_teams t WHERE t.code = ANY ($2::text[]) ON CONFLICT DO NOTHING`,
    [roundId, demoTeams.map((t) => `T${String(t.n).padStart(2, '0')}`)],
  );
  return { created: true, roundId, teams: teams.length, directSites: direct.rowCount ?? 0 };
}

/** For `npm start` on a database whose demo was loaded before the round existed. */
export async function ensureDemoRound(connectionString: string): Promise<DemoRoundSummary> {
  const client = new pg.Client({ connectionString, application_name: 'ecc-demo-round' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ecc-demo-load']);
    const summary = await seedDemoRound(client);
    await client.query('COMMIT');
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
