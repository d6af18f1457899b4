import type { Queryable } from '../infra/db.ts';
import type { AreaGeometry } from '../contracts/common.ts';
import type { RiskAreaFeature, RiskAreaHistory, RiskLevel } from '../contracts/risk-areas.ts';

export interface GeometryVerdict {
  valid: boolean;
  reason: string;
  areaM2: number;
  /** share of the polygon's area outside the given area (0..1) */
  outsideShare: number;
}

export async function checkGeometry(db: Queryable, geometry: AreaGeometry, withinCode: string): Promise<GeometryVerdict> {
  const { rows } = await db.query<GeometryVerdict>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT ST_IsValid(g.geom) AS valid,
            ST_IsValidReason(g.geom) AS reason,
            CASE WHEN ST_IsValid(g.geom) THEN ST_Area(g.geom::geography) ELSE 0 END AS "areaM2",
            CASE WHEN ST_IsValid(g.geom) AND ST_Area(g.geom) > 0
                 THEN ST_Area(ST_Difference(g.geom, a.geom)) / ST_Area(g.geom) ELSE 1 END AS "outsideShare"
       FROM g, areas a WHERE a.code = $2`,
    [JSON.stringify(geometry), withinCode],
  );
  const verdict = rows[0];
  if (!verdict) throw new Error(`jurisdiction ${withinCode} has no area`);
  return verdict;
}

export interface RiskAreaRecord {
  name: string;
  level: RiskLevel;
  reason: string;
  validFrom: string;
  validTo: string | null;
  sourceCrs: string;
  geometry: AreaGeometry;
}

const featureJson = `json_build_object(
  'type', 'Feature', 'id', r.id,
  'geometry', ST_AsGeoJSON(r.geom, 7)::json,
  'properties', json_build_object(
    'id', r.id, 'name', r.name, 'level', r.level, 'reason', r.reason,
    'validFrom', r.valid_from, 'validTo', r.valid_to, 'sourceCrs', r.source_crs, 'version', r.version,
    'active', r.retired_at IS NULL AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now()),
    'retiredAt', r.retired_at, 'areaKm2', round((ST_Area(r.geom::geography) / 1e6)::numeric, 4),
    'createdBy', r.created_by, 'updatedBy', r.updated_by, 'updatedAt', r.updated_at))`;

/** Risk areas are visible to a user when they touch the user's jurisdiction. */
const visibleTo = `EXISTS (SELECT 1 FROM areas j WHERE j.code = $1 AND (j.level = 'city' OR ST_Intersects(j.geom, r.geom)))`;

export async function listRiskAreas(db: Queryable, scopeCode: string, status: 'active' | 'current' | 'all'): Promise<RiskAreaFeature[]> {
  const { rows } = await db.query<{ feature: RiskAreaFeature }>(
    `SELECT ${featureJson} AS feature FROM risk_areas r
      WHERE ${visibleTo}
        AND ($2 = 'all' OR r.retired_at IS NULL)
        AND ($2 <> 'active' OR (r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())))
      ORDER BY array_position(ARRAY['high','medium','low'], r.level), r.valid_from DESC, r.id`,
    [scopeCode, status],
  );
  return rows.map((row) => row.feature);
}

export async function getRiskArea(db: Queryable, id: number, scopeCode: string): Promise<{ feature: RiskAreaFeature; retired: boolean } | undefined> {
  const { rows } = await db.query<{ feature: RiskAreaFeature; retired: boolean }>(
    `SELECT ${featureJson} AS feature, r.retired_at IS NOT NULL AS retired FROM risk_areas r WHERE r.id = $2 AND ${visibleTo}`,
    [scopeCode, id],
  );
  return rows[0];
}

/** Share (0..1) of a risk area's surface outside an area; 0 for the city, which holds every risk area. */
export async function riskAreaOutsideShare(db: Queryable, id: number, withinCode: string): Promise<number> {
  const { rows } = await db.query<{ share: number }>(
    `SELECT CASE WHEN a.level = 'city' OR ST_Area(r.geom) = 0 THEN 0
                 ELSE ST_Area(ST_Difference(r.geom, a.geom)) / ST_Area(r.geom) END AS share
       FROM risk_areas r, areas a WHERE r.id = $1 AND a.code = $2`,
    [id, withinCode],
  );
  return rows[0]?.share ?? 1;
}

export async function insertRiskArea(db: Queryable, record: RiskAreaRecord, by: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO risk_areas (name, level, reason, valid_from, valid_to, source_crs, geom, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($7), 4326)), $8, $8)
     RETURNING id`,
    [record.name, record.level, record.reason, record.validFrom, record.validTo, record.sourceCrs, JSON.stringify(record.geometry), by],
  );
  return rows[0]!.id;
}

export async function updateRiskArea(db: Queryable, id: number, record: RiskAreaRecord, by: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE risk_areas
        SET name = $2, level = $3, reason = $4, valid_from = $5, valid_to = $6, source_crs = $7,
            geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($8), 4326)),
            version = version + 1, updated_by = $9, updated_at = now()
      WHERE id = $1 AND retired_at IS NULL`,
    [id, record.name, record.level, record.reason, record.validFrom, record.validTo, record.sourceCrs, JSON.stringify(record.geometry), by],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function retireRiskArea(db: Queryable, id: number, by: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE risk_areas SET retired_at = now(), version = version + 1, updated_by = $2, updated_at = now()
      WHERE id = $1 AND retired_at IS NULL`,
    [id, by],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Copies the risk area's current state into its history. */
export async function recordVersion(db: Queryable, id: number, change: 'created' | 'updated' | 'retired', by: string): Promise<void> {
  await db.query(
    `INSERT INTO risk_area_versions
       (risk_area_id, version, change, name, level, reason, valid_from, valid_to, geom, source_crs, changed_by)
     SELECT id, version, $2, name, level, reason, valid_from, valid_to, geom, source_crs, $3 FROM risk_areas WHERE id = $1`,
    [id, change, by],
  );
}

export async function getHistory(db: Queryable, id: number): Promise<RiskAreaHistory['versions']> {
  const { rows } = await db.query<RiskAreaHistory['versions'][number]>(
    `SELECT version, change, name, level, reason, to_json(valid_from) #>> '{}' AS "validFrom", to_json(valid_to) #>> '{}' AS "validTo",
            changed_by AS "changedBy", to_json(changed_at) #>> '{}' AS "changedAt", ST_AsGeoJSON(geom, 7)::json AS geometry
       FROM risk_area_versions WHERE risk_area_id = $1 ORDER BY version`,
    [id],
  );
  return rows;
}
