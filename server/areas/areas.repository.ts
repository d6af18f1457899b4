import type { Queryable } from '../infra/db.ts';
import type { AreaLevel } from '../contracts/common.ts';
import type { AreaFeature, AreaRef, AreaSearchResult, ChildAreaProperties } from '../contracts/areas.ts';

export interface AreaScopeRow {
  code: string;
  path: string;
  level: AreaLevel;
}

/** The area with its path if it exists, whatever the caller's scope (for 404 vs 403). */
export async function findAreaPath(db: Queryable, code: string): Promise<AreaScopeRow | undefined> {
  const { rows } = await db.query<AreaScopeRow>('SELECT code, path::text AS path, level FROM areas WHERE code = $1', [code]);
  return rows[0];
}

export async function findAreaPaths(db: Queryable, codes: string[]): Promise<AreaScopeRow[]> {
  const { rows } = await db.query<AreaScopeRow>('SELECT code, path::text AS path, level FROM areas WHERE code = ANY ($1)', [codes]);
  return rows;
}

/** Whether an ltree path lies at or below the scope path. */
export function pathWithin(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}.`);
}

export async function getAreaFeature(db: Queryable, code: string): Promise<AreaFeature | undefined> {
  const { rows } = await db.query<{ feature: AreaFeature }>(
    `SELECT json_build_object(
        'type', 'Feature',
        'id', a.code,
        'bbox', json_build_array(ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)),
        'geometry', ST_AsGeoJSON(a.geom, 6)::json,
        'properties', json_build_object(
          'code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level,
          'parentCode', a.parent_code, 'population', a.population, 'synthetic', a.synthetic,
          'childCount', (SELECT count(*) FROM areas c WHERE c.parent_code = a.code),
          'siteCount', (SELECT count(*) FROM sites s WHERE s.area_path <@ a.path),
          'areaKm2', round((ST_Area(a.geom::geography) / 1e6)::numeric, 3),
          'labelPoint', ST_AsGeoJSON(a.label_point, 6)::json,
          'ancestors', COALESCE((
            SELECT json_agg(json_build_object('code', p.code, 'name', p.name, 'nameEn', p.name_en, 'level', p.level)
                            ORDER BY nlevel(p.path))
              FROM areas p WHERE p.path @> a.path AND p.code <> a.code), '[]'::json)
        )) AS feature
       FROM areas a WHERE a.code = $1`,
    [code],
  );
  return rows[0]?.feature;
}

/**
 * Children with geometry simplified for display: the tolerance is a fraction of the parent's
 * extent, so a district's streets and a community's grids keep a similar number of vertices.
 */
export async function getChildren(db: Queryable, parentCode: string): Promise<Array<{ geometry: unknown; properties: ChildAreaProperties }>> {
  const { rows } = await db.query<{ geometry: unknown; properties: ChildAreaProperties }>(
    `WITH parent AS (
       SELECT path, greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) / 1500 AS tolerance
         FROM areas WHERE code = $1
     ), site_counts AS (
       SELECT subpath(s.area_path, 0, nlevel(parent.path) + 1) AS child_path, count(*) AS n
         FROM sites s, parent WHERE s.area_path <@ parent.path
        GROUP BY 1
     )
     SELECT ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(c.geom, parent.tolerance)), 6)::json AS geometry,
            json_build_object(
              'code', c.code, 'name', c.name, 'nameEn', c.name_en, 'level', c.level, 'parentCode', c.parent_code,
              'population', c.population, 'synthetic', c.synthetic, 'siteCount', COALESCE(sc.n, 0),
              'labelPoint', json_build_array(round(ST_X(c.label_point)::numeric, 6), round(ST_Y(c.label_point)::numeric, 6))
            ) AS properties
       FROM areas c
       CROSS JOIN parent
       LEFT JOIN site_counts sc ON sc.child_path = c.path
      WHERE c.parent_code = $1
      ORDER BY c.code`,
    [parentCode],
  );
  return rows;
}

export async function getAreaRef(db: Queryable, code: string): Promise<AreaRef | undefined> {
  const { rows } = await db.query<AreaRef>(
    'SELECT code, name, name_en AS "nameEn", level FROM areas WHERE code = $1',
    [code],
  );
  return rows[0];
}

/** Areas whose name, English name or code matches, inside the scope; exact and prefix matches first. */
export async function searchAreas(db: Queryable, query: string, scopePath: string, limit: number): Promise<AreaSearchResult['items']> {
  const { rows } = await db.query<AreaSearchResult['items'][number]>(
    `SELECT code, name, name_en AS "nameEn", level, string_to_array(path::text, '.') AS path
       FROM areas
      WHERE path <@ $2::ltree
        AND (name ILIKE '%' || $1 || '%' OR name_en ILIKE '%' || $1 || '%' OR code LIKE $1 || '%')
      ORDER BY (name = $1 OR code = $1) DESC, (name ILIKE $1 || '%') DESC,
               array_position(ARRAY['city','district','street','community','grid'], level), code
      LIMIT $3`,
    [query, scopePath, limit],
  );
  return rows;
}

/** Grids (by code) inside the scope: the ones that exist there. */
export async function gridsInScope(db: Queryable, codes: string[], scopePath: string): Promise<Set<string>> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT code FROM areas WHERE code = ANY ($1) AND level = 'grid' AND path <@ $2::ltree`,
    [codes, scopePath],
  );
  return new Set(rows.map((row) => row.code));
}

/** Sites inside the scope, with the grid PostGIS assigned them. */
export async function siteGrids(db: Queryable, ids: number[], scopePath: string): Promise<Map<number, string>> {
  const { rows } = await db.query<{ id: number; gridCode: string }>(
    `SELECT id, grid_code AS "gridCode" FROM sites WHERE id = ANY ($1) AND area_path <@ $2::ltree AND grid_code IS NOT NULL`,
    [ids, scopePath],
  );
  return new Map(rows.map((row) => [row.id, row.gridCode]));
}

/** The grid containing each WGS-84 position (null outside every grid of the scope), in order. */
export async function gridsAtPositions(db: Queryable, positions: Array<[number, number]>, scopePath: string): Promise<Array<string | null>> {
  const { rows } = await db.query<{ code: string | null }>(
    `SELECT (SELECT a.code FROM areas a
              WHERE a.level = 'grid' AND a.path <@ $3::ltree
                AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
              ORDER BY a.code LIMIT 1) AS code
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, n)
      ORDER BY p.n`,
    [positions.map((p) => p[0]), positions.map((p) => p[1]), scopePath],
  );
  return rows.map((row) => row.code);
}
