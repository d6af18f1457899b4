import type { Queryable } from '../infra/db.ts';
import type { SiteCategoryCounts, SiteFeature } from '../contracts/sites.ts';

export interface SiteFilter {
  scopePath: string;
  bbox?: [number, number, number, number];
  categories?: string[];
  limit: number;
  offset: number;
}

const siteFeatureJson = `json_build_object(
  'type', 'Feature', 'id', s.id,
  'geometry', ST_AsGeoJSON(s.geom, 6)::json,
  'properties', json_build_object(
    'id', s.id, 'category', s.category, 'name', s.name, 'address', s.address,
    'gridCode', s.grid_code, 'openingHours', s.opening_hours,
    'responsibleUnit', s.responsible_unit, 'responsiblePerson', s.responsible_person,
    'synthetic', s.synthetic))`;

const siteFilterSql = `s.area_path <@ $1::ltree
  AND ($2::float8[] IS NULL OR ST_Intersects(s.geom, ST_MakeEnvelope($2[1], $2[2], $2[3], $2[4], 4326)))
  AND ($3::text[] IS NULL OR s.category = ANY ($3))`;

export async function listSites(db: Queryable, filter: SiteFilter): Promise<{ total: number; features: SiteFeature[] }> {
  const params = [filter.scopePath, filter.bbox ?? null, filter.categories ?? null];
  const [page, count] = await Promise.all([
    db.query<{ feature: SiteFeature }>(
      `SELECT ${siteFeatureJson} AS feature FROM sites s WHERE ${siteFilterSql} ORDER BY s.id LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*) AS total FROM sites s WHERE ${siteFilterSql}`, params),
  ]);
  return { total: count.rows[0]?.total ?? 0, features: page.rows.map((row) => row.feature) };
}

export async function getSite(db: Queryable, id: number, scopePath: string): Promise<SiteFeature | undefined> {
  const { rows } = await db.query<{ feature: SiteFeature }>(
    `SELECT ${siteFeatureJson} AS feature FROM sites s WHERE s.id = $1 AND s.area_path <@ $2::ltree`,
    [id, scopePath],
  );
  return rows[0]?.feature;
}

export async function countSitesByCategory(db: Queryable, areaPath: string): Promise<SiteCategoryCounts['counts']> {
  const { rows } = await db.query<SiteCategoryCounts['counts'][number]>(
    `SELECT category, count(*) AS count FROM sites WHERE area_path <@ $1::ltree GROUP BY category ORDER BY category`,
    [areaPath],
  );
  return rows;
}
