// Synthetic geometry below the district level, made in PostGIS: each parent is cut into as many
// Voronoi cells as it has children, from seeded random points, clipped to the parent. Children
// therefore partition their parent (up to floating-point noise) and are deterministic for a seed.
// Street and community points are drawn denser near the city centre, so central units are small
// and suburban ones large.
import type { Queryable } from '../server/infra/db.ts';
import type { ChildLevel, PlannedArea } from './area-plan.ts';

/** People's Square (人民广场), WGS-84: the density attractor for the whole city. */
export const cityCentre = { lon: 121.4737, lat: 31.2304 } as const;

export interface PartitionOptions {
  /** level of the children to generate */
  level: ChildLevel;
  seed: number;
  /** candidate points per child, thinned by weighted sampling (1 = uniform, no density bias) */
  oversample: number;
  /** denser near the city centre (true) or uniform (false) */
  weighted: boolean;
  /** rounds of Lloyd relaxation (0 = raw random Voronoi) */
  relax: number;
  /** rank-1 children take the cells nearest the city centre (true) or the parent's label point */
  towardCityCentre: boolean;
  /** restrict to parents under this ltree path (e.g. '310000.310101'); null for all */
  under: string | null;
}

// Per level: streets and communities denser toward the centre, grids even; one relaxation each
// (a second one evens grids out a little more but costs several seconds of the load).
const levelSettings: Record<ChildLevel, Pick<PartitionOptions, 'oversample' | 'weighted' | 'towardCityCentre' | 'relax'>> = {
  street: { oversample: 4, weighted: true, towardCityCentre: true, relax: 1 },
  community: { oversample: 4, weighted: true, towardCityCentre: false, relax: 1 },
  grid: { oversample: 1, weighted: false, towardCityCentre: false, relax: 1 },
};

/** The demo's settings for a level; `under` limits generation to one subtree (tests). */
export function partitionOptions(level: ChildLevel, seed: number, under: string | null = null): PartitionOptions {
  return { level, seed, under, ...levelSettings[level] };
}

const parentLevel: Record<ChildLevel, string> = { street: 'district', community: 'street', grid: 'community' };

/** Creates (or empties) the session's temp table of planned children. */
export async function createChildrenTable(db: Queryable): Promise<void> {
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS demo_children (
    code text PRIMARY KEY, parent_code text NOT NULL, level text NOT NULL, name text NOT NULL,
    name_en text NOT NULL, population integer NOT NULL, rank integer NOT NULL)`);
  await db.query('CREATE INDEX IF NOT EXISTS demo_children_parent_idx ON demo_children (parent_code, rank)');
  await db.query('TRUNCATE demo_children');
}

/** Fills demo_children with the planned areas (unnest arrays, 10,000 rows a statement). */
export async function insertPlannedChildren(db: Queryable, areas: readonly PlannedArea[]): Promise<void> {
  const batch = 10_000;
  for (let start = 0; start < areas.length; start += batch) {
    const chunk = areas.slice(start, start + batch);
    await db.query(
      `INSERT INTO demo_children (code, parent_code, level, name, name_en, population, rank)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[])`,
      [
        chunk.map((a) => a.code),
        chunk.map((a) => a.parent),
        chunk.map((a) => a.level),
        chunk.map((a) => a.name),
        chunk.map((a) => a.nameEn),
        chunk.map((a) => a.population),
        chunk.map((a) => a.rank),
      ],
    );
  }
}

/**
 * Generates geometry for every planned child (rows of temp table demo_children) of the chosen
 * parents into temp table demo_generated (code, geom); returns the number of children made.
 * Staged through small indexed temp tables: as one statement, the planner misjudged the CTEs and
 * recomputed Voronoi diagrams per row (minutes instead of seconds).
 */
export async function generateLevel(db: Queryable, options: PartitionOptions): Promise<number> {
  const { seed } = options;
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS demo_parent (
    code text PRIMARY KEY, geom geometry NOT NULL, label_point geometry NOT NULL, n integer NOT NULL, seed integer NOT NULL)`);
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS demo_picked (
    code text NOT NULL, rank integer NOT NULL, geom geometry NOT NULL, PRIMARY KEY (code, rank))`);
  await db.query('CREATE TEMP TABLE IF NOT EXISTS demo_generated (code text PRIMARY KEY, geom geometry NOT NULL)');
  await db.query('TRUNCATE demo_parent, demo_picked, demo_generated');

  await db.query(
    `INSERT INTO demo_parent (code, geom, label_point, n, seed)
     SELECT a.code, a.geom, a.label_point, count(*)::int,
            (1 + abs(hashtextextended(a.code, $2::bigint)) % 2000000000)::int
       FROM areas a
       JOIN demo_children c ON c.parent_code = a.code
      WHERE a.level = $1 AND ($3::ltree IS NULL OR a.path <@ $3::ltree)
      GROUP BY a.code`,
    [parentLevel[options.level], seed, options.under],
  );
  await db.query('ANALYZE demo_parent');

  // Efraimidis-Spirakis weighted sampling without replacement from the oversampled candidates:
  // key = ln(u) / w, the n largest keys win, with w = 1 / (1 + d/6 km)^2 for the distance d from
  // the city centre (unweighted: the first n candidates). The n picked points are then ranked by
  // distance to the attractor.
  await db.query(
    `WITH candidate AS (
       SELECT p.code, p.n, p.label_point, d.path[1] AS i, d.geom
         FROM demo_parent p
        CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(p.geom, p.n * $2::int + 2, p.seed)) d
        WHERE p.n > 1
     ),
     keyed AS (
       SELECT c.*,
              row_number() OVER (
                PARTITION BY c.code
                ORDER BY CASE WHEN $6 THEN
                           ln((abs(hashtextextended(c.code || ':' || c.i, $1::bigint)) % 1000000 + 1) / 1000001.0)::float8
                           * power(1 + sqrt(power((ST_X(c.geom) - $4) * 95.2, 2) + power((ST_Y(c.geom) - $5) * 110.6, 2)) / 6.0, 2)
                         ELSE -c.i END DESC,
                         c.i
              ) AS r
         FROM candidate c
     )
     INSERT INTO demo_picked (code, rank, geom)
     SELECT k.code,
            row_number() OVER (
              PARTITION BY k.code
              ORDER BY ST_Distance(k.geom, CASE WHEN $3 THEN ST_SetSRID(ST_MakePoint($4, $5), 4326) ELSE k.label_point END), k.i
            ),
            k.geom
       FROM keyed k
      WHERE k.r <= k.n`,
    [seed, options.oversample, options.towardCityCentre, cityCentre.lon, cityCentre.lat, options.weighted],
  );
  await db.query('ANALYZE demo_picked');
  // ST_GeneratePoints may return fewer points than asked (hence the two spare candidates).
  const short = await db.query<{ code: string }>(
    `SELECT p.code FROM demo_parent p LEFT JOIN demo_picked k ON k.code = p.code
      WHERE p.n > 1 GROUP BY p.code, p.n HAVING count(k.code) < p.n LIMIT 1`,
  );
  if (short.rows[0]) throw new Error(`could not place ${options.level} seeds in ${short.rows[0].code}`);

  await voronoiCells(db);
  // Lloyd relaxation: move each seed to its clipped cell's centroid (or a point on its surface when
  // the centroid falls outside), then cut again: evens out the slivers that clustered random seeds
  // leave, while the seeds stay inside the parent so no child can come out empty.
  for (let round = 0; round < options.relax; round += 1) {
    await db.query(
      `UPDATE demo_picked k
          SET geom = CASE WHEN ST_Intersects(c.geom, ST_Centroid(c.geom)) THEN ST_Centroid(c.geom) ELSE ST_PointOnSurface(c.geom) END
         FROM demo_cells c
        WHERE c.parent_code = k.code AND c.rank = k.rank`,
    );
    await voronoiCells(db);
  }
  const generated = await db.query(
    `INSERT INTO demo_generated (code, geom)
     SELECT ch.code, c.geom
       FROM demo_cells c JOIN demo_children ch ON ch.parent_code = c.parent_code AND ch.rank = c.rank
     UNION ALL
     SELECT ch.code, p.geom
       FROM demo_parent p JOIN demo_children ch ON ch.parent_code = p.code
      WHERE p.n = 1`,
  );
  return generated.rowCount ?? 0;
}

/** One Voronoi diagram per parent, clipped to it; each cell takes the rank of its seed point. */
async function voronoiCells(db: Queryable): Promise<void> {
  await db.query('CREATE TEMP TABLE IF NOT EXISTS demo_cells (parent_code text NOT NULL, rank integer NOT NULL, geom geometry NOT NULL, PRIMARY KEY (parent_code, rank))');
  await db.query('TRUNCATE demo_cells');
  await db.query(
    `INSERT INTO demo_cells (parent_code, rank, geom)
     SELECT p.code, owner.rank, ST_Multi(ST_CollectionExtract(ST_Intersection(cell.geom, p.geom), 3))
       FROM demo_parent p
      CROSS JOIN LATERAL ST_Dump(ST_VoronoiPolygons(
              (SELECT ST_Collect(k.geom ORDER BY k.rank) FROM demo_picked k WHERE k.code = p.code),
              0, ST_Expand(ST_Envelope(p.geom), 0.05))) cell
      CROSS JOIN LATERAL (
              SELECT k.rank FROM demo_picked k
               WHERE k.code = p.code AND ST_Intersects(cell.geom, k.geom)
               ORDER BY k.rank LIMIT 1) owner
      WHERE p.n > 1`,
  );
}

/** Generates one level of children for every parent that has planned children, into areas. */
export async function insertGeneratedLevel(db: Queryable, options: PartitionOptions): Promise<number> {
  await generateLevel(db, options);
  const result = await db.query(
    `INSERT INTO areas (code, level, parent_code, path, name, name_en, population, synthetic, geom)
     SELECT ch.code, ch.level, ch.parent_code, p.path || ch.code, ch.name, ch.name_en, ch.population, true, g.geom
       FROM demo_generated g
       JOIN demo_children ch ON ch.code = g.code
       JOIN areas p ON p.code = ch.parent_code
      ORDER BY ch.code`,
  );
  return result.rowCount ?? 0;
}
