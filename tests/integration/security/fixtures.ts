// The objects the jurisdiction matrix addresses, in three places of the demo city:
//   grid   — a grid of 潍坊一村 310115004001 (grid01's community, street 310115004, Pudong)
//   street — a grid of a community of 陆家嘴街道 310115005 (lujiazui's street, Pudong)
//   other  — a grid of 黄浦区 310101 (outside Pudong)
// Each place gets a site, a person, a case, a nucleic-acid test, an alert, a risk area and an
// inspection round of its own; rows that change or retire an object ask for a fresh one per request.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { TestApp } from '../../helpers/test-app.ts';
import type { Queryable } from '../../../server/infra/db.ts';
import { cityDay } from '../../../server/infra/city-time.ts';
import { residentIdCheckChar } from '../../../server/people/id-number.ts';

export const places = ['grid', 'street', 'other'] as const;
export type Place = (typeof places)[number];

export interface PlaceFixture {
  place: Place;
  district: string;
  street: string;
  community: string;
  grid: string;
  /** ltree path of the community (which jurisdictions contain the place) */
  communityPath: string;
  siteId: number;
  /** a position inside the grid, and the z14 tile holding the site */
  position: [number, number];
  siteTile: { z: number; x: number; y: number };
  personId: string;
  caseId: string;
  testId: string;
  alertId: number;
  riskAreaId: number;
  roundId: number;
  /** category of the place's site (its rounds inspect that category) */
  siteCategory: string;
  /** an inspection team for the place's street (Lujiazui's is led by matrix_team_pd) */
  teamId: number;
  /** a failed visit of the round, with a photo and a rectification notice */
  visitId: number;
  photoSha256: string;
  /** strings that appear only in answers about this place's objects (the leak check) */
  markers: string[];
}

export const today = cityDay(new Date(), 'Asia/Shanghai');

export const responsible = {
  streetCadre: { name: '王街道', phone: '13800000001' },
  communityWorker: { name: '李社区' },
  gridWorker: { name: '赵网格', phone: '13800000003' },
  medic: { name: '钱医生' },
  police: { name: '孙民警', phone: '021-12345678' },
};

export const regimeBody = { nameZh: '矩阵测试方案', nameEn: 'matrix regime', phases: [{ kind: 'home_monitoring', days: 3, testDays: [1] }] };
const checklist = [{ key: 'prevention', label_zh: '防控措施落实', label_en: 'prevention measures' }];

let idCounter = randomInt(0, 10_000);
export function residentId(): string {
  idCounter += 1;
  const birth = new Date(Date.UTC(1950, 0, 1) + (idCounter % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `310115${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A 1×1 PNG: a real image for the photo endpoints. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** Photos are stored by their SHA-256: each place gets bytes of its own (a PNG ignores what follows its end). */
const photoOf = (place: Place) => Buffer.concat([png, Buffer.from(place)]);
export const teamLeaderOfStreet = 'matrix_team_pd';
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** A team leader bound to Pudong (password as the demo users'), so that role has an outside too. */
export async function addPudongTeamLeader(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code)
     SELECT 'matrix_team_pd', '矩阵督查组长 matrix team leader', u.password_hash, 'team_leader', '310115'
       FROM users u WHERE u.username = 'admin'
     ON CONFLICT (username) DO NOTHING`,
  );
}

export class Fixtures {
  readonly at = {} as Record<Place, PlaceFixture>;
  /** adminCookie: the admin's current session (the matrix signs users in again after ending their sessions) */
  constructor(private readonly t: TestApp, private readonly adminCookie: () => string) {}

  get pool() {
    return this.t.pool;
  }

  private async inject(method: 'POST' | 'PUT', url: string, payload: object): Promise<Record<string, unknown>> {
    const response = await this.t.app.inject({ method, url, headers: { cookie: this.adminCookie() }, payload });
    if (response.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  }

  async build(): Promise<void> {
    const grids: Record<Place, string> = {
      grid: await this.firstGrid(`code LIKE '310115004001%'`),
      street: await this.firstGrid(`code LIKE '310115005%'`),
      other: await this.firstGrid(`code LIKE '310101%'`),
    };
    for (const place of places) this.at[place] = await this.buildPlace(place, grids[place]);
  }

  private async firstGrid(where: string): Promise<string> {
    const { rows } = await this.t.pool.query<{ code: string }>(
      `SELECT a.code FROM areas a WHERE a.level = 'grid' AND ${where}
          AND EXISTS (SELECT 1 FROM sites s WHERE s.grid_code = a.code) ORDER BY a.code LIMIT 1`,
    );
    if (!rows[0]) throw new Error(`no grid with a site where ${where}`);
    return rows[0].code;
  }

  private async buildPlace(place: Place, grid: string): Promise<PlaceFixture> {
    const { rows: [site] } = await this.t.pool.query<{ id: number; lon: number; lat: number; path: string; category: string }>(
      `SELECT s.id, s.category, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, (SELECT path::text FROM areas WHERE code = $2) AS path
         FROM sites s WHERE s.grid_code = $1 ORDER BY s.id LIMIT 1`,
      [grid, grid.slice(0, 12)],
    );
    const fixture: PlaceFixture = {
      place,
      district: grid.slice(0, 6),
      street: grid.slice(0, 9),
      community: grid.slice(0, 12),
      grid,
      communityPath: site!.path,
      siteId: site!.id,
      position: [site!.lon, site!.lat],
      siteTile: tileOf(site!.lon, site!.lat, 14),
      personId: '',
      caseId: '',
      testId: '',
      alertId: 0,
      riskAreaId: 0,
      roundId: 0,
      siteCategory: site!.category,
      teamId: 0,
      visitId: 0,
      photoSha256: createHash('sha256').update(photoOf(place)).digest('hex'),
      markers: [],
    };
    fixture.personId = await this.person(fixture);
    fixture.caseId = await this.quarantineCase(fixture, fixture.personId);
    fixture.testId = await this.nucleicTest(fixture);
    fixture.alertId = await this.alert(fixture);
    const riskArea = await this.riskArea(fixture);
    fixture.riskAreaId = riskArea.id;
    fixture.teamId = await this.team(fixture, place === 'street' ? teamLeaderOfStreet : null);
    const round = this.roundInput(fixture);
    fixture.roundId = (await this.inject('POST', '/api/inspection/rounds', round)).id as number;
    fixture.visitId = (await this.inject('POST', '/api/inspection/visits', this.visitInput(fixture, fixture.roundId, fixture.teamId, true))).id as number;
    await this.report(fixture, today);
    fixture.markers = [fixture.personId, fixture.caseId, fixture.testId, riskArea.name, round.name];
    return fixture;
  }

  /** A person registered in the place's grid (SQL: the people API is itself under test). */
  async person(at: PlaceFixture): Promise<string> {
    const id = randomUUID();
    await this.t.pool.query(
      `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category)
       SELECT $1, '矩阵人', $2, '13912345678', '测试路1号', code, path, 'close_contact' FROM areas WHERE code = $3`,
      [id, residentId(), at.grid],
    );
    return id;
  }

  /** A home-observation case of a new person of the place. */
  async quarantineCase(at: PlaceFixture, personId?: string): Promise<string> {
    const id = randomUUID();
    await this.inject('POST', '/api/quarantine/cases', {
      id, personId: personId ?? (await this.person(at)), regime: '14-home', startDay: today, responsible,
    });
    return id;
  }

  async nucleicTest(at: PlaceFixture): Promise<string> {
    const id = randomUUID();
    await this.inject('POST', '/api/nucleic-tests', { tests: [{ id, sampledAt: new Date(Date.now() - 3600_000).toISOString(), grid: at.grid }] });
    return id;
  }

  /** An open alert at the place's grid (SQL: alerts are raised by the server, never posted). */
  async alert(at: PlaceFixture): Promise<number> {
    const { rows } = await this.t.pool.query<{ id: number }>(
      `INSERT INTO alerts (kind, status, area_code, area_path, day, raised_at, details)
       SELECT 'abnormal_temperature', 'open', code, path, $2, now(), '{"temperature": 38.2}'::jsonb FROM areas WHERE code = $1
       RETURNING id`,
      [at.grid, today],
    );
    return rows[0]!.id;
  }

  /** A small valid square around the place's site, as a risk-area Feature. */
  riskAreaInput(at: PlaceFixture, name = `矩阵风险区 matrix ${at.place} ${randomUUID().slice(0, 8)}`) {
    const [lon, lat] = at.position;
    const d = 0.0003;
    return {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
      properties: { name, level: 'medium', reason: 'jurisdiction matrix', validFrom: new Date(Date.now() - 86_400_000).toISOString() },
    };
  }

  async riskArea(at: PlaceFixture): Promise<{ id: number; name: string }> {
    const input = this.riskAreaInput(at);
    const created = await this.inject('POST', '/api/risk-areas', input);
    return { id: created.id as number, name: input.properties.name };
  }

  teamInput(at: PlaceFixture, leaderUsername: string | null = null) {
    return {
      code: `M${randomUUID().slice(0, 8)}`, name: `矩阵督查组 matrix team ${at.place}`, leaderName: '矩阵组长', leaderUsername, members: [],
      baseName: '基地 base', basePosition: at.position, areas: [at.street], workStart: '08:30', workEnd: '17:30',
      lunchRule: 'base', lunchStart: '11:30', lunchEnd: '13:00', lunchMinutes: 60,
    };
  }

  async team(at: PlaceFixture, leaderUsername: string | null = null): Promise<number> {
    return (await this.inject('POST', '/api/inspection/teams', this.teamInput(at, leaderUsername))).id as number;
  }

  /** A round over the place's street, every day, with the place's team, team 1 (team01's) and any team given. */
  roundInput(at: PlaceFixture, teamId?: number) {
    return {
      name: `矩阵督查 matrix round ${at.place} ${randomUUID().slice(0, 8)}`, dateFrom: today, weekdays: [1, 2, 3, 4, 5, 6, 7],
      categories: [at.siteCategory], areas: [at.street], minSitesPerDay: 1, maxSitesPerDay: 2, checklist,
      teamIds: [...new Set([at.teamId, 1, ...(teamId ? [teamId] : [])])],
    };
  }

  async round(at: PlaceFixture, teamId?: number): Promise<number> {
    return (await this.inject('POST', '/api/inspection/rounds', this.roundInput(at, teamId))).id as number;
  }

  visitInput(at: PlaceFixture, roundId: number, teamId: number, failed: boolean) {
    return {
      clientId: randomUUID(), roundId, teamId, siteId: at.siteId,
      arrivedAt: new Date(Date.now() - 20 * 60_000).toISOString(), departedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      results: { prevention: failed ? 'fail' : 'pass' },
      photos: [{ contentType: 'image/png', dataBase64: photoOf(at.place).toString('base64') }],
      ...(failed ? { notice: { number: `MX-${randomUUID().slice(0, 12)}`, deadline: addDays(today, 7) } } : {}),
    };
  }

  /** A visit of a fresh round (so that one site can be visited again today) by the given team. */
  async visit(at: PlaceFixture, teamId: number, failed: boolean): Promise<number> {
    const roundId = await this.round(at, teamId);
    return (await this.inject('POST', '/api/inspection/visits', this.visitInput(at, roundId, teamId, failed))).id as number;
  }

  async reportedRectification(at: PlaceFixture, teamId: number): Promise<number> {
    const visitId = await this.visit(at, teamId, true);
    return (await this.inject('POST', `/api/inspection/visits/${visitId}/rectification`, { report: '已整改 rectified' })).id as number;
  }

  private readonly plans = new Map<string, Promise<{ roundId: number; planId: number; siteId: number }>>();
  /**
   * A round planned for today with one team, its plan holding a site as a stop (the planner may choose
   * none on a given day; the matrix needs one): the place's site, or when `eligible` and the team may
   * not inspect it, the first site of the team's own areas. One per place, team and purpose.
   */
  plannedRound(at: PlaceFixture, teamId: number, purpose: string, eligible: boolean): Promise<{ roundId: number; planId: number; siteId: number }> {
    const key = `${at.place}/${teamId}/${purpose}/${eligible}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = (async () => {
        const { rows: [site] } = await this.t.pool.query<{ id: number; category: string; street: string }>(
          `SELECT s.id, s.category, left(s.grid_code, 9) AS street FROM sites s, inspection_teams t
            WHERE t.id = $2 AND (s.id = $1 OR ($3 AND s.area_path <@ (SELECT path FROM areas WHERE code = t.areas[1])))
              AND (NOT $3 OR EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY (t.areas) AND s.area_path <@ a.path))
            ORDER BY s.id = $1 DESC, s.id LIMIT 1`,
          [at.siteId, teamId, eligible],
        );
        const round = { ...this.roundInput(at), categories: [site!.category], areas: [site!.street], teamIds: [teamId] };
        const roundId = (await this.inject('POST', '/api/inspection/rounds', round)).id as number;
        // Stored as the planner stores a plan (SQL: running the optimiser here would only slow the matrix).
        const { rows: [stored] } = await this.t.pool.query<{ id: number }>(
          `WITH plan AS (
             INSERT INTO inspection_plans (round_id, day, team_id, depart_at, return_at, travel_seconds, created_by)
             VALUES ($1, $2, $3, now(), now() + interval '2 hours', 600, 'matrix') RETURNING id)
           INSERT INTO inspection_plan_stops (plan_id, round_id, day, seq, site_id, planned_arrival, planned_departure)
           SELECT plan.id, $1, $2, 1, $4, now(), now() + interval '30 minutes' FROM plan
           RETURNING plan_id AS id`,
          [roundId, today, teamId, site!.id],
        );
        const planId = stored!.id;
        return { roundId, planId, siteId: site!.id };
      })();
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** A zero report of the place's community for a day; answers the day. */
  async report(at: PlaceFixture, day: string): Promise<string> {
    await this.inject('PUT', `/api/reports/${at.community}/${day}`, { submissionId: randomUUID(), zero: true });
    return day;
  }

  async reportTemplate(at: PlaceFixture): Promise<Buffer> {
    const response = await this.t.app.inject({ url: `/api/reports/${at.community}/${today}/template.xlsx`, headers: { cookie: this.adminCookie() } });
    if (response.statusCode !== 200) throw new Error(`report template: ${response.statusCode}`);
    return response.rawPayload;
  }

  async regime(): Promise<string> {
    const code = `matrix-${randomUUID().slice(0, 8)}`;
    await this.inject('PUT', `/api/quarantine/regimes/${code}`, regimeBody);
    return code;
  }

  /** A new grid worker of grid01's community; answers its id. */
  async user(): Promise<number> {
    const created = await this.inject('POST', '/api/admin/users', { username: `mx${randomUUID().slice(0, 8)}`, displayName: '矩阵用户', role: 'grid_worker', jurisdiction: '310115004001' });
    return (created.user as { id: number }).id;
  }

  /** A new wall-display token bound to an area: its id and the secret. */
  async wallToken(area: string): Promise<{ id: number; token: string }> {
    const created = await this.inject('POST', '/api/admin/wall-tokens', { label: '矩阵大屏 matrix wall', area });
    return { id: (created.wallToken as { id: number }).id, token: created.token as string };
  }
}
