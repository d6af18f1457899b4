// Loads the demo city of Shanghai into an already-migrated database: the real district outlines and
// division names, synthetic streets/communities/grids (generated in PostGIS), ~20,000 key sites,
// a few risk areas and the demo users. One transaction: a failure leaves nothing behind.
// CLI: `npm run db:seed` (DATABASE_URL, else the local server, as `npm run db:migrate`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { siteCategories, type SiteCategory } from '../server/contracts/sites.ts';
import { seedDemoUsers } from '../server/auth/demo-users.ts';
import { planAreas } from './area-plan.ts';
import { cityCentre, createChildrenTable, insertGeneratedLevel, insertPlannedChildren, partitionOptions } from './area-generator.ts';
import type { Divisions } from './extract-shanghai.ts';
import { describeSite, realTransportHubs, siteQuota, type SitePoint } from './site-catalogue.ts';
import { insertRiskAreas } from './risk-areas.ts';
import { seedDemoRound } from '../server/inspection/demo-round.ts';

export interface DemoSummary {
  areas: number;
  sites: number;
  riskAreas: number;
  users: number;
  ms: number;
  loaded: boolean;
}

export interface LoadDemoOptions {
  log?: (line: string) => void;
  password?: string;
  seed?: number;
}

/** The default seed (the census reference day); tests regenerate geometry with it. */
export const DEFAULT_SEED = 20201101;

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shanghai');

export async function readDivisions(): Promise<Divisions> {
  return JSON.parse(await readFile(path.join(dataDir, 'divisions.json'), 'utf8')) as Divisions;
}

async function readDistrictOutlines(): Promise<Array<{ code: string; geometry: string }>> {
  const collection = JSON.parse(await readFile(path.join(dataDir, 'districts.geojson'), 'utf8')) as {
    features: Array<{ properties: { code: string }; geometry: unknown }>;
  };
  return collection.features.map((feature) => ({ code: feature.properties.code, geometry: JSON.stringify(feature.geometry) }));
}

async function counts(db: pg.ClientBase): Promise<Omit<DemoSummary, 'ms' | 'loaded'>> {
  const { rows } = await db.query<{ areas: number; sites: number; risk_areas: number; users: number }>(
    `SELECT (SELECT count(*) FROM areas)::int AS areas, (SELECT count(*) FROM sites)::int AS sites,
            (SELECT count(*) FROM risk_areas)::int AS risk_areas, (SELECT count(*) FROM users)::int AS users`,
  );
  const row = rows[0];
  if (!row) throw new Error('no counts');
  return { areas: row.areas, sites: row.sites, riskAreas: row.risk_areas, users: row.users };
}

/** The city and its districts: real names, census populations and outlines. */
export async function insertCityAndDistricts(db: pg.ClientBase, divisions: Divisions): Promise<void> {
  const outlines = await readDistrictOutlines();
  const population = divisions.districts.reduce((sum, d) => sum + d.population, 0);

  const byCode = new Map(outlines.map((o) => [o.code, o.geometry]));
  // The source outlines overlap their neighbours slightly (quantised to 1/1024 degree): each
  // district gives up what earlier districts (by code) already hold, so districts never overlap.
  await db.query(`CREATE TEMP TABLE demo_districts AS
     SELECT d.code, d.name, d.name_en, d.population,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(d.geometry), 4326)), 3)) AS geom
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS d (code, name, name_en, population, geometry)`, [
    divisions.districts.map((d) => d.code),
    divisions.districts.map((d) => d.name),
    divisions.districts.map((d) => d.nameEn),
    divisions.districts.map((d) => d.population),
    divisions.districts.map((d) => {
      const geometry = byCode.get(d.code);
      if (!geometry) throw new Error(`no outline for district ${d.code}`);
      return geometry;
    }),
  ]);
  await db.query(
    `UPDATE demo_districts d
        SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Difference(d.geom, e.earlier)), 3))
       FROM (SELECT x.code, (SELECT ST_Union(y.geom) FROM demo_districts y WHERE y.code < x.code AND ST_Intersects(y.geom, x.geom)) AS earlier
               FROM demo_districts x) e
      WHERE e.code = d.code AND e.earlier IS NOT NULL`,
  );
  // The city is the union of its districts, so the two levels agree by construction.
  await db.query(
    `INSERT INTO areas (code, level, parent_code, path, name, name_en, population, synthetic, geom)
     SELECT '310000', 'city', NULL, '310000', '上海市', 'Shanghai', $1, false,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3))
       FROM demo_districts`,
    [population],
  );
  await db.query(
    `INSERT INTO areas (code, level, parent_code, path, name, name_en, population, synthetic, geom)
     SELECT code, 'district', '310000', text2ltree('310000.' || code), name, name_en, population, false, geom
       FROM demo_districts ORDER BY code`,
  );
  await db.query('DROP TABLE demo_districts');
}

async function loadAreas(db: pg.ClientBase, seed: number, log: (line: string) => void): Promise<void> {
  const divisions = await readDivisions();
  await insertCityAndDistricts(db, divisions);
  log(`areas: city 1/1, districts ${divisions.districts.length}/${divisions.districts.length}`);

  const plan = planAreas(divisions, seed);
  await createChildrenTable(db);
  await insertPlannedChildren(db, [...plan.streets, ...plan.communities, ...plan.grids]);
  await db.query('ANALYZE demo_children');

  const streets = await insertGeneratedLevel(db, partitionOptions('street', seed));
  log(`areas: streets ${streets}/${plan.streets.length}`);
  const communities = await insertGeneratedLevel(db, partitionOptions('community', seed));
  log(`areas: communities ${communities}/${plan.communities.length}`);
  const grids = await insertGeneratedLevel(db, partitionOptions('grid', seed));
  log(`areas: grids ${grids}/${plan.grids.length}`);
  if (streets !== plan.streets.length || communities !== plan.communities.length || grids !== plan.grids.length) {
    throw new Error(`generated ${streets}/${communities}/${grids} areas, planned ${plan.streets.length}/${plan.communities.length}/${plan.grids.length}`);
  }
  await db.query('ANALYZE areas');
}

// Systematic sampling over grids ordered by code: a category's n sites fall into grids in
// proportion to its placement's weight (the cumulative weights are computed once per placement, not
// per category); each grid's points are seeded random points inside it.
export const sitePointsSql = `WITH q AS (
       SELECT q.*, (abs(hashtextextended(q.category, $4::bigint)) % 1000000) / 1000000.0 AS u
         FROM unnest($1::text[], $2::int[], $3::text[]) WITH ORDINALITY AS q (category, n, placement, qi)
     ),
     g AS MATERIALIZED (
       SELECT a.code, a.geom, a.parent_code, greatest(a.population, 1)::float8 AS people,
              -- km² from square degrees at Shanghai's latitude (31.2°): plenty for a weight, and far
              -- cheaper than a geodesic area
              ST_Area(a.geom) * 111.32 * 0.855 * 110.57 AS km2,
              sqrt(power((ST_X(a.label_point) - $5) * 95.2, 2) + power((ST_Y(a.label_point) - $6) * 110.6, 2)) AS dist_km
         FROM areas a WHERE a.level = 'grid'
     ),
     w AS (
       SELECT pl.placement, g.code,
              CASE pl.placement
                WHEN 'population' THEN g.people
                WHEN 'central' THEN g.people / power(1 + g.dist_km / 8.0, 2)
                ELSE g.km2 * (g.dist_km / (g.dist_km + 10.0))
              END AS weight
         FROM (SELECT DISTINCT placement FROM q) pl CROSS JOIN g
     ),
     running AS (
       SELECT placement, code, sum(weight) OVER (PARTITION BY placement ORDER BY code ROWS UNBOUNDED PRECEDING) AS hi FROM w
     ),
     -- lo is the previous grid's hi exactly, so the k of consecutive grids telescope to n
     cum AS MATERIALIZED (
       SELECT placement, code, hi, lag(hi, 1, 0::float8) OVER (PARTITION BY placement ORDER BY code) AS lo FROM running
     ),
     -- the total is the last running sum itself, so the last grid's upper bound is exactly n
     total AS (SELECT placement, max(hi) AS total FROM cum GROUP BY placement),
     alloc AS (
       SELECT q.category, q.qi, c.code,
              floor(q.n * c.hi / t.total + q.u) - floor(q.n * c.lo / t.total + q.u) AS k
         FROM q
         JOIN total t USING (placement)
         JOIN cum c USING (placement)
     ),
     pts AS (
       SELECT a.category, a.qi, a.code, g.parent_code, d.path[1] AS i, d.geom
         FROM alloc a
         JOIN g ON g.code = a.code
         CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.geom, a.k::int + 2, (1 + abs(hashtextextended(a.code || a.category, $4::bigint)) % 2000000000)::int)) d
        -- two spare points: ST_GeneratePoints occasionally returns fewer than asked
        WHERE a.k > 0 AND d.path[1] <= a.k
     )
     INSERT INTO demo_site_points (ord, category, geom, district_name, street_name, community_name)
     SELECT row_number() OVER (ORDER BY p.qi, p.code, p.i), p.category, p.geom, di.name, st.name, co.name
       FROM pts p
       JOIN areas co ON co.code = p.parent_code
       JOIN areas st ON st.code = co.parent_code
       JOIN areas di ON di.code = st.parent_code`;

async function loadSites(db: pg.ClientBase, seed: number, log: (line: string) => void): Promise<number> {
  await db.query(`CREATE TEMP TABLE demo_site_points (
    ord integer PRIMARY KEY, category text NOT NULL, geom geometry(Point, 4326) NOT NULL,
    district_name text NOT NULL, street_name text NOT NULL, community_name text NOT NULL) ON COMMIT DROP`);

  const real = realTransportHubs;
  const quotas = siteCategories.map((category) => {
    const quota = siteQuota[category];
    return { category, count: category === 'transport_hub' ? quota.count - real.length : quota.count, placement: quota.placement };
  });
  await db.query(
    sitePointsSql,
    [quotas.map((q) => q.category), quotas.map((q) => q.count), quotas.map((q) => q.placement), seed, cityCentre.lon, cityCentre.lat],
  );

  const { rows } = await db.query<{ ord: number; category: SiteCategory; district_name: string; street_name: string; community_name: string }>(
    'SELECT ord, category, district_name, street_name, community_name FROM demo_site_points ORDER BY ord',
  );
  const points: SitePoint[] = rows.map((r) => ({ ord: r.ord, category: r.category, districtName: r.district_name, streetName: r.street_name, communityName: r.community_name }));
  const described = points.map((p) => describeSite(p, seed));
  const batch = 5_000;
  for (let start = 0; start < points.length; start += batch) {
    const chunkPoints = points.slice(start, start + batch);
    const chunk = described.slice(start, start + batch);
    // grid_code and area_path are left to the sites_assign_grid trigger.
    await db.query(
      `INSERT INTO sites (category, name, address, geom, opening_hours, responsible_unit, responsible_person, responsible_phone, synthetic)
       SELECT p.category, u.name, u.address, p.geom, u.hours::jsonb, u.unit, u.person, u.phone, true
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              AS u (ord, name, address, hours, unit, person, phone)
         JOIN demo_site_points p ON p.ord = u.ord
        ORDER BY u.ord`,
      [
        chunkPoints.map((p) => p.ord),
        chunk.map((s) => s.name),
        chunk.map((s) => s.address),
        chunk.map((s) => JSON.stringify(s.openingHours)),
        chunk.map((s) => s.responsibleUnit),
        chunk.map((s) => s.responsiblePerson),
        chunk.map((s) => s.responsiblePhone),
      ],
    );
    log(`sites ${Math.min(start + batch, points.length)}/${points.length + real.length}`);
  }

  // The real hubs, where they fall inside the (coarse) city outline; negative ords keep their
  // generated people apart from the other sites'.
  const hubPeople = real.map((h, index) =>
    describeSite({ ord: -1 - index, category: 'transport_hub', districtName: '', streetName: h.name, communityName: h.name }, seed),
  );
  const hubs = await db.query(
    `INSERT INTO sites (category, name, address, geom, opening_hours, responsible_unit, responsible_person, responsible_phone, synthetic)
     SELECT 'transport_hub', h.name, h.address, ST_SetSRID(ST_MakePoint(h.lon, h.lat), 4326), h.hours::jsonb, h.unit, h.person, h.phone, true
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::text[])
            AS h (name, address, lon, lat, hours, unit, person, phone)
      WHERE EXISTS (SELECT 1 FROM areas a WHERE a.level = 'grid' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(h.lon, h.lat), 4326)))`,
    [
      real.map((h) => h.name),
      real.map((h) => h.address),
      real.map((h) => h.lon),
      real.map((h) => h.lat),
      real.map((h) => JSON.stringify(hubHours(h.allDay))),
      real.map(() => '上海市交通委员会'),
      hubPeople.map((s) => s.responsiblePerson),
      hubPeople.map((s) => s.responsiblePhone),
    ],
  );
  const total = points.length + (hubs.rowCount ?? 0);
  log(`sites ${total}`);
  return total;
}

function hubHours(allDay: boolean): Record<string, Array<[string, string]>> {
  const span: Array<[string, string]> = allDay ? [['00:00', '24:00']] : [['05:00', '24:00']];
  return { mon: span, tue: span, wed: span, thu: span, fri: span, sat: span, sun: span };
}

export async function loadDemo(connectionString: string, options: LoadDemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const sink = options.log ?? (() => undefined);
  const log = (line: string): void => sink(`${line} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const password = options.password ?? (process.env.DEMO_PASSWORD || 'demo-password');
  const seed = options.seed ?? DEFAULT_SEED;
  const client = new pg.Client({ connectionString, application_name: 'ecc-load-demo' });
  await client.connect();
  try {
    await client.query('BEGIN');
    // One loader at a time; a second one waits, then finds the areas and loads nothing.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ecc-demo-load']);
    const existing = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM areas LIMIT 1) a');
    if ((existing.rows[0]?.n ?? 0) > 0) {
      const summary = await counts(client);
      await client.query('COMMIT');
      log('demo data already loaded: nothing to do');
      return { ...summary, ms: Math.round(performance.now() - started), loaded: false };
    }
    await client.query("SET LOCAL work_mem = '64MB'");
    await loadAreas(client, seed, log);
    await loadSites(client, seed, log);
    const riskAreas = await insertRiskAreas(client, seed);
    log(`risk areas ${riskAreas}`);
    const users = await seedDemoUsers(client, password);
    log(`users ${users}`);
    log(`inspection round: ${(await seedDemoRound(client)).teams} teams`);
    await client.query(`UPDATE layer_versions SET version = version + 1, changed_at = now()`);
    const summary = await counts(client);
    await client.query('COMMIT');
    return { ...summary, ms: Math.round(performance.now() - started), loaded: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // Same database resolution as `npm run db:migrate`: DATABASE_URL, else the local server.
  const { resolveDatabase } = await import('../server/infra/local-postgres.ts');
  const { migrate } = await import('../db/migrate.ts');
  try {
    const url = await resolveDatabase({ log: console.log });
    await migrate(url, console.log);
    const summary = await loadDemo(url, { log: console.log });
    console.log(
      summary.loaded
        ? `demo loaded in ${(summary.ms / 1000).toFixed(1)} s: ${summary.areas} areas, ${summary.sites} sites, ${summary.riskAreas} risk areas, ${summary.users} users`
        : `demo already present: ${summary.areas} areas, ${summary.sites} sites, ${summary.riskAreas} risk areas, ${summary.users} users`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
