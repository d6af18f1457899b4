import type { Queryable } from '../infra/db.ts';
import type { TileLayer } from '../contracts/tiles.ts';

export async function layerVersions(db: Queryable): Promise<Map<TileLayer, number>> {
  const { rows } = await db.query<{ layer: TileLayer; version: number }>('SELECT layer, version FROM layer_versions');
  return new Map(rows.map((row) => [row.layer, row.version]));
}

/** Marks a layer's data as changed so that its tiles' ETags and cache keys change. */
export async function bumpLayerVersion(db: Queryable, layer: TileLayer): Promise<void> {
  await db.query(
    `INSERT INTO layer_versions (layer, version) VALUES ($1, 2)
     ON CONFLICT (layer) DO UPDATE SET version = layer_versions.version + 1, changed_at = now()`,
    [layer],
  );
}

const areaLevelOfLayer: Partial<Record<TileLayer, string>> = {
  districts: 'district',
  streets: 'street',
  communities: 'community',
  grids: 'grid',
};

// Tiles use a 4096 extent with a 64-unit buffer; geometry is pre-simplified to half a tile unit,
// which ST_AsMVTGeom would snap away anyway, so low zooms do not carry full-resolution outlines.
const tileBounds = `bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS env,
         ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS buffered,
         (20037508.342789244 * 2 / (4096 * 2 ^ $1)) / 2 AS tolerance)`;

const areaTileSql = `WITH ${tileBounds}
  SELECT ST_AsMVT(t, $4, 4096, 'geom') AS tile FROM (
    SELECT a.code, a.name, a.name_en, a.level, a.parent_code, a.synthetic,
           ST_AsMVTGeom(ST_Simplify(a.geom_3857, bounds.tolerance, true), bounds.env, 4096, 64, true) AS geom
      FROM areas a, bounds
     WHERE a.level = $5 AND a.geom_3857 && bounds.buffered AND a.path <@ $6::ltree
  ) t WHERE t.geom IS NOT NULL`;

const siteTileSql = `WITH ${tileBounds}
  SELECT ST_AsMVT(t, $4, 4096, 'geom') AS tile FROM (
    SELECT s.id, s.category, s.name, s.grid_code,
           ST_AsMVTGeom(s.geom_3857, bounds.env, 4096, 64, true) AS geom
      FROM sites s, bounds
     WHERE s.geom_3857 && bounds.buffered AND s.area_path <@ $5::ltree
  ) t WHERE t.geom IS NOT NULL`;

const riskAreaTileSql = `WITH ${tileBounds}, scope AS (SELECT level, geom FROM areas WHERE code = $5)
  SELECT ST_AsMVT(t, $4, 4096, 'geom') AS tile FROM (
    SELECT r.id, r.level, r.name,
           (r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())) AS active,
           ST_AsMVTGeom(ST_Simplify(r.geom_3857, bounds.tolerance, true), bounds.env, 4096, 64, true) AS geom
      FROM risk_areas r, bounds, scope
     WHERE r.retired_at IS NULL AND r.geom_3857 && bounds.buffered
       AND (scope.level = 'city' OR ST_Intersects(scope.geom, r.geom))
  ) t WHERE t.geom IS NOT NULL`;

export interface TileRequest {
  layer: TileLayer;
  z: number;
  x: number;
  y: number;
  scopeCode: string;
  scopePath: string;
}

export async function renderTile(db: Queryable, request: TileRequest): Promise<Buffer> {
  const { layer, z, x, y } = request;
  const level = areaLevelOfLayer[layer];
  const result = level
    ? await db.query<{ tile: Buffer }>(areaTileSql, [z, x, y, layer, level, request.scopePath])
    : layer === 'sites'
      ? await db.query<{ tile: Buffer }>(siteTileSql, [z, x, y, layer, request.scopePath])
      : await db.query<{ tile: Buffer }>(riskAreaTileSql, [z, x, y, layer, request.scopeCode]);
  return result.rows[0]?.tile ?? Buffer.alloc(0);
}
