// The demo city as loaded by loadDemo into the file's database (a copy of the test template):
// hierarchy, codes, topology of the generated geometry, sites, risk areas, and that the
// generator gives the same geometry again for the same seed. Set-based SQL, a few seconds.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteCategories } from '../../server/contracts/sites.ts';
import { planAreas } from '../../data/area-plan.ts';
import { createChildrenTable, generateLevel, insertPlannedChildren, partitionOptions } from '../../data/area-generator.ts';
import { DEFAULT_SEED, loadDemo, readDivisions } from '../../data/load-demo.ts';
import type { ChildLevel } from '../../data/area-plan.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
});
afterAll(() => db.end());

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.query<T>(sql, params);
  if (!rows[0]) throw new Error(`no row from ${sql}`);
  return rows[0];
}

// Relative to the parent's area: floating-point noise of the overlay is ~1e-12.
const tolerance = 1e-9;

describe('demo hierarchy', () => {
  it('has the city, its 16 real districts and every street, community and planned grid', async () => {
    const divisions = await readDivisions();
    const { rows } = await db.query<{ level: string; n: number }>('SELECT level, count(*)::int AS n FROM areas GROUP BY level');
    const counts = Object.fromEntries(rows.map((r) => [r.level, r.n]));
    expect(counts).toMatchObject({ city: 1, district: 16, street: divisions.streets.length, community: divisions.communities.length });
    expect(divisions.streets.length).toBeGreaterThan(200);
    expect(divisions.communities.length).toBeGreaterThan(6000);
    const pudong = await one<{ name: string; name_en: string; population: number }>(`SELECT name, name_en, population FROM areas WHERE code = '310115'`);
    expect(pudong).toEqual({ name: '浦东新区', name_en: 'Pudong New Area', population: 5_681_512 });
    const lujiazui = await one<{ name: string; name_en: string }>(`SELECT name, name_en FROM areas WHERE code = '310115005'`);
    expect(lujiazui).toEqual({ name: '陆家嘴街道', name_en: 'Lujiazui Subdistrict' });
  });

  it('gives every community 3 to 8 grids', async () => {
    const row = await one<{ min: number; max: number; childless: number }>(
      `SELECT min(n)::int AS min, max(n)::int AS max, count(*) FILTER (WHERE n = 0)::int AS childless
         FROM (SELECT c.code, count(g.code) AS n FROM areas c LEFT JOIN areas g ON g.parent_code = c.code
                WHERE c.level = 'community' GROUP BY c.code) x`,
    );
    expect(row).toEqual({ min: 3, max: 8, childless: 0 });
  });

  it('keeps codes, levels and ltree paths consistent', async () => {
    const row = await one<{ bad_length: number; bad_path_end: number; bad_parent_path: number; bad_prefix: number; bad_level: number }>(
      `SELECT
         count(*) FILTER (WHERE length(c.code) <> CASE c.level WHEN 'city' THEN 6 WHEN 'district' THEN 6 WHEN 'street' THEN 9
                                                              WHEN 'community' THEN 12 ELSE 14 END)::int AS bad_length,
         count(*) FILTER (WHERE ltree2text(subpath(c.path, -1)) <> c.code)::int AS bad_path_end,
         count(*) FILTER (WHERE c.parent_code IS NOT NULL AND p.path IS DISTINCT FROM subpath(c.path, 0, nlevel(c.path) - 1))::int AS bad_parent_path,
         count(*) FILTER (WHERE c.level IN ('street', 'community', 'grid') AND NOT starts_with(c.code, p.code))::int AS bad_prefix,
         count(*) FILTER (WHERE c.parent_code IS NOT NULL AND p.level <> CASE c.level WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                                                                                       WHEN 'community' THEN 'street' ELSE 'community' END)::int AS bad_level
         FROM areas c LEFT JOIN areas p ON p.code = c.parent_code`,
    );
    expect(row).toEqual({ bad_length: 0, bad_path_end: 0, bad_parent_path: 0, bad_prefix: 0, bad_level: 0 });
  });

  it('marks all geometry below the district level synthetic, and only that', async () => {
    const { rows } = await db.query<{ level: string; synthetic: boolean }>('SELECT DISTINCT level, synthetic FROM areas ORDER BY level');
    expect(rows).toEqual([
      { level: 'city', synthetic: false },
      { level: 'community', synthetic: true },
      { level: 'district', synthetic: false },
      { level: 'grid', synthetic: true },
      { level: 'street', synthetic: true },
    ]);
  });

  it('rolls populations up exactly: children sum to their parent at every level', async () => {
    const row = await one<{ mismatched: number; city: number }>(
      `SELECT count(*)::int AS mismatched, (SELECT population FROM areas WHERE code = '310000') AS city
         FROM areas p JOIN (SELECT parent_code, sum(population) AS s FROM areas GROUP BY parent_code) k ON k.parent_code = p.code
        WHERE k.s <> p.population`,
    );
    expect(row.mismatched).toBe(0);
    // 2020 census total of the districts (see data/README.md).
    expect(row.city).toBeGreaterThan(24_800_000);
  });
});

describe('demo geometry topology', () => {
  it('has valid, non-empty polygons everywhere', async () => {
    const row = await one<{ empty: number; invalid: number; tiny: number }>(
      `SELECT count(*) FILTER (WHERE ST_IsEmpty(geom))::int AS empty,
              count(*) FILTER (WHERE NOT ST_IsValid(geom))::int AS invalid,
              count(*) FILTER (WHERE ST_Area(geom::geography) < 100)::int AS tiny
         FROM areas`,
    );
    expect(row).toEqual({ empty: 0, invalid: 0, tiny: 0 });
  });

  it('has the city equal to the union of its districts', async () => {
    const row = await one<{ symdiff: number; overlap: number }>(
      `SELECT ST_Area(ST_SymDifference(c.geom, d.u)) / ST_Area(c.geom) AS symdiff, (d.s - ST_Area(d.u)) / ST_Area(c.geom) AS overlap
         FROM areas c, (SELECT ST_Union(geom) AS u, sum(ST_Area(geom)) AS s FROM areas WHERE level = 'district') d
        WHERE c.code = '310000'`,
    );
    expect(row.symdiff).toBeLessThan(tolerance);
    expect(row.overlap).toBeLessThan(tolerance);
  });

  // For each parent: the union of its children equals it (symmetric difference ~0) and the
  // children's areas add up to the union's (so siblings do not overlap).
  it.each(['street', 'community', 'grid'] as const)('%s level: children partition their parents: no gaps, no overlaps', async (level) => {
    const row = await one<{ parents: number; worst_gap: number; worst_overlap: number; worst_sum: number }>(
      `WITH kids AS (
         SELECT parent_code, ST_Union(geom) AS u, sum(ST_Area(geom)) AS s FROM areas WHERE level = $1 GROUP BY parent_code
       )
       SELECT count(*)::int AS parents,
              max(ST_Area(ST_SymDifference(k.u, p.geom)) / ST_Area(p.geom)) AS worst_gap,
              max((k.s - ST_Area(k.u)) / ST_Area(p.geom)) AS worst_overlap,
              max(abs(k.s - ST_Area(p.geom)) / ST_Area(p.geom)) AS worst_sum
         FROM kids k JOIN areas p ON p.code = k.parent_code`,
      [level],
    );
    const parents = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM areas WHERE level = (CASE $1::text WHEN 'street' THEN 'district' WHEN 'community' THEN 'street' ELSE 'community' END)`,
      [level],
    );
    expect(row.parents).toBe(parents.n);
    expect(row.worst_gap).toBeLessThan(tolerance);
    expect(row.worst_overlap).toBeLessThan(tolerance);
    expect(row.worst_sum).toBeLessThan(tolerance);
  });

  it('makes central communities smaller than suburban ones', async () => {
    const { rows } = await db.query<{ code: string; km2: number }>(
      `SELECT d.code, avg(ST_Area(c.geom::geography)) / 1e6 AS km2
         FROM areas d JOIN areas c ON c.level = 'community' AND c.path <@ d.path
        WHERE d.code IN ('310101', '310151') GROUP BY d.code ORDER BY d.code`,
    );
    const [huangpu, chongming] = rows;
    expect(huangpu && chongming && chongming.km2 > 10 * huangpu.km2).toBe(true);
  });
});

describe('demo geometry generator', () => {
  // Regenerates one subtree with the generator and compares it byte for byte with what loadDemo stored.
  async function regenerate(level: ChildLevel, under: string, seed: number): Promise<{ generated: string; stored: string; n: number }> {
    const plan = planAreas(await readDivisions(), seed);
    const children = [...plan.streets, ...plan.communities, ...plan.grids].filter((a) => a.level === level);
    await createChildrenTable(db);
    await insertPlannedChildren(db, children);
    const n = await generateLevel(db, partitionOptions(level, seed, under));
    const row = await one<{ generated: string; stored: string }>(
      `SELECT (SELECT md5(string_agg(encode(ST_AsBinary(geom), 'hex'), ',' ORDER BY code)) FROM demo_generated) AS generated,
              (SELECT md5(string_agg(encode(ST_AsBinary(geom), 'hex'), ',' ORDER BY code)) FROM areas
                WHERE level = $1 AND code IN (SELECT code FROM demo_generated)) AS stored`,
      [level],
    );
    return { ...row, n };
  }

  it('regenerates identical street geometry for a district with the same seed, different with another', async () => {
    const same = await regenerate('street', '310000.310101', DEFAULT_SEED);
    expect(same.n).toBeGreaterThan(5);
    expect(same.generated).toBe(same.stored);
    const other = await regenerate('street', '310000.310101', DEFAULT_SEED + 1);
    expect(other.generated).not.toBe(other.stored);
  });

  it('regenerates identical community and grid geometry for a street', async () => {
    const communities = await regenerate('community', '310000.310101.310101002', DEFAULT_SEED);
    expect(communities.n).toBeGreaterThan(3);
    expect(communities.generated).toBe(communities.stored);
    const grids = await regenerate('grid', '310000.310101.310101002', DEFAULT_SEED);
    expect(grids.n).toBeGreaterThan(3 * communities.n - 1);
    expect(grids.generated).toBe(grids.stored);
  });
});

describe('demo sites', () => {
  it('has ~20,000 synthetic sites of every category', async () => {
    const { rows } = await db.query<{ category: string; n: number; synthetic: boolean }>(
      'SELECT category, count(*)::int AS n, bool_and(synthetic) AS synthetic FROM sites GROUP BY category ORDER BY category',
    );
    expect(rows.map((r) => r.category)).toEqual([...siteCategories].sort());
    expect(rows.every((r) => r.synthetic)).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(20_000);
  });

  it('puts every site in a grid that contains it, as assigned by PostGIS', async () => {
    const row = await one<{ without: number; outside: number; wrong_path: number }>(
      `SELECT count(*) FILTER (WHERE s.grid_code IS NULL)::int AS without,
              count(*) FILTER (WHERE g.code IS NOT NULL AND NOT ST_Intersects(g.geom, s.geom))::int AS outside,
              count(*) FILTER (WHERE s.area_path IS DISTINCT FROM g.path)::int AS wrong_path
         FROM sites s LEFT JOIN areas g ON g.code = s.grid_code AND g.level = 'grid'`,
    );
    expect(row).toEqual({ without: 0, outside: 0, wrong_path: 0 });
  });

  it('places construction sites mostly in the suburbs and schools with the people', async () => {
    const row = await one<{ central_construction: number; central_schools: number }>(
      `SELECT avg((category = 'construction_site' AND central)::int) FILTER (WHERE category = 'construction_site')::float8 AS central_construction,
              avg((category = 'school' AND central)::int) FILTER (WHERE category = 'school')::float8 AS central_schools
         FROM (SELECT category, subpath(area_path, 1, 1)::text IN ('310101', '310104', '310105', '310106', '310107', '310109', '310110') AS central
                 FROM sites) s`,
    );
    // The seven central districts hold ~27 % of the people and ~4 % of the land.
    expect(row.central_construction).toBeLessThan(0.08);
    expect(row.central_schools).toBeGreaterThan(0.15);
  });

  it('gives weekly opening hours by category: schools shut at weekends, fever clinics round the clock', async () => {
    const row = await one<{ school_weekend: number; school_weekday: number; clinic_not_24h: number; bad_shape: number }>(
      `SELECT count(*) FILTER (WHERE category = 'school' AND jsonb_array_length(opening_hours->'sat') > 0)::int AS school_weekend,
              count(*) FILTER (WHERE category = 'school' AND jsonb_array_length(opening_hours->'mon') = 0)::int AS school_weekday,
              count(*) FILTER (WHERE category = 'fever_clinic' AND opening_hours->'sun' <> '[["00:00","24:00"]]'::jsonb)::int AS clinic_not_24h,
              count(*) FILTER (WHERE NOT (opening_hours ?& ARRAY['mon','tue','wed','thu','fri','sat','sun']))::int AS bad_shape
         FROM sites`,
    );
    expect(row).toEqual({ school_weekend: 0, school_weekday: 0, clinic_not_24h: 0, bad_shape: 0 });
  });
});

describe('demo risk areas and users', () => {
  it('has a handful of risk areas, some active, one expired, each with its first version', async () => {
    const row = await one<{ n: number; active: number; expired: number; levels: string[]; versions: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE valid_from <= now() AND (valid_to IS NULL OR valid_to > now()))::int AS active,
              count(*) FILTER (WHERE valid_to <= now())::int AS expired,
              array_agg(DISTINCT level ORDER BY level) AS levels,
              (SELECT count(*)::int FROM risk_area_versions v JOIN risk_areas r ON r.id = v.risk_area_id
                WHERE v.version = 1 AND v.change = 'created' AND ST_Equals(v.geom, r.geom) AND r.created_by = 'demo-loader') AS versions
         FROM risk_areas
        WHERE created_by = 'demo-loader'`, // the demo's, not those a test creates
    );
    expect(row.n).toBeGreaterThanOrEqual(5);
    expect(row.n).toBeLessThanOrEqual(8);
    expect(row.active).toBeGreaterThanOrEqual(2);
    expect(row.expired).toBeGreaterThanOrEqual(1);
    expect(row.levels).toEqual(['high', 'low', 'medium']);
    expect(row.versions).toBe(row.n);
  });

  it('loads nothing a second time and reports what is there', async () => {
    const before = await one<{ areas: number; sites: number }>('SELECT (SELECT count(*)::int FROM areas) AS areas, (SELECT count(*)::int FROM sites) AS sites');
    const summary = await loadDemo(testDatabaseUrl());
    expect(summary.loaded).toBe(false);
    expect(summary.areas).toBe(before.areas);
    expect(summary.sites).toBe(before.sites);
    expect(summary.users).toBeGreaterThanOrEqual(5);
  });
});
