// A handful of demo risk areas (中高风险地区), placed on generated communities and around generated
// sites so that they fall on plausible places; times are relative to the load time, so the demo
// always has active, expired and upcoming areas.
import type { Queryable } from '../server/infra/db.ts';

interface RiskAreaSpec {
  name: string;
  level: 'low' | 'medium' | 'high';
  reason: string;
  /** days relative to now; validTo null = until further notice */
  validFromDays: number;
  validToDays: number | null;
  /** geometry: the first area (by code) of a level under a code prefix, or a buffer around a site; {place} in the name is its name */
  source: { area: string; level: 'street' | 'community' } | { siteCategory: string; district: string; metres: number };
}

const specs: readonly RiskAreaSpec[] = [
  {
    name: '浦东新区祝桥镇{place}',
    level: 'high',
    reason: '进口冷链物品外包装核酸检测阳性，关联病例居住地',
    validFromDays: -3,
    validToDays: 11,
    source: { area: '310115139', level: 'community' },
  },
  {
    name: '闵行区{place}周边500米',
    level: 'medium',
    reason: '市场从业人员核酸检测阳性，周边区域管控',
    validFromDays: -5,
    validToDays: 9,
    source: { siteCategory: 'farmers_market', district: '310112', metres: 500 },
  },
  {
    name: '黄浦区外滩街道{place}',
    level: 'medium',
    reason: '密切接触者居住小区，实行封闭管理',
    validFromDays: -2,
    validToDays: null,
    source: { area: '310101013', level: 'community' },
  },
  {
    name: '静安区{place}',
    level: 'low',
    reason: '中风险地区周边，加强健康监测',
    validFromDays: -2,
    validToDays: 12,
    source: { area: '310106', level: 'street' },
  },
  {
    name: '宝山区{place}周边300米',
    level: 'high',
    reason: '冷库环境样本核酸检测阳性（已解除）',
    validFromDays: -40,
    validToDays: -26,
    source: { siteCategory: 'cold_storage', district: '310113', metres: 300 },
  },
  {
    name: '松江区{place}周边200米',
    level: 'low',
    reason: '集中隔离点启用，周边区域预防性管控',
    validFromDays: 1,
    validToDays: 15,
    source: { siteCategory: 'quarantine_hotel', district: '310117', metres: 200 },
  },
];

/** Inserts the demo risk areas and their first versions; returns how many were created. */
export async function insertRiskAreas(db: Queryable, seed: number): Promise<number> {
  let created = 0;
  for (const spec of specs) {
    const geometrySql =
      'area' in spec.source
        ? // The first area of that level (by code) under the code prefix.
          `SELECT geom, name AS place FROM areas WHERE level = $7 AND code LIKE $6 || '%' ORDER BY code LIMIT 1`
        : `SELECT ST_Multi(ST_Buffer(geom::geography, $8::float8)::geometry) AS geom, name AS place
             FROM sites WHERE category = $6 AND area_path <@ text2ltree('310000.' || $7)
            ORDER BY md5(id::text || $9::text) LIMIT 1`;
    const params: unknown[] = [
      spec.name,
      spec.level,
      spec.reason,
      spec.validFromDays,
      spec.validToDays,
      'area' in spec.source ? spec.source.area : spec.source.siteCategory,
    ];
    if ('area' in spec.source) params.push(spec.source.level);
    else params.push(spec.source.district, spec.source.metres, seed);
    const result = await db.query<{ id: number }>(
      `WITH g AS (${geometrySql}),
       ins AS (
         INSERT INTO risk_areas (name, level, reason, valid_from, valid_to, geom, source_crs, created_by, updated_by)
         SELECT replace($1, '{place}', g.place), $2, $3, date_trunc('hour', now()) + make_interval(days => $4::int),
                CASE WHEN $5::int IS NULL THEN NULL ELSE date_trunc('hour', now()) + make_interval(days => $5::int) END,
                g.geom, 'wgs84', 'demo-loader', 'demo-loader'
           FROM g
         RETURNING *
       )
       INSERT INTO risk_area_versions (risk_area_id, version, change, name, level, reason, valid_from, valid_to, geom, source_crs, changed_by, changed_at)
       SELECT id, 1, 'created', name, level, reason, valid_from, valid_to, geom, source_crs, created_by, created_at FROM ins
       RETURNING risk_area_id AS id`,
      params,
    );
    created += result.rowCount ?? 0;
  }
  return created;
}
