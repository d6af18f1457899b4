// Road-network travel times: sites snapped to the nearest vertex of `road_edges` in PostGIS, then a
// pgRouting cost matrix (pgr_dijkstraCostMatrix) between those vertices.
import type { Queryable } from '../infra/db.ts';
import type { GeoPoint } from '../optimiser/matrix.ts';
import type { Matrix } from '../optimiser/problem.ts';

export type RoadNetworkErrorCode = 'pgrouting_missing' | 'road_network_empty' | 'road_network_disconnected';

/** The road network cannot give travel times; the message says why and what to do (zh / en). */
export class RoadNetworkError extends Error {
  override readonly name = 'RoadNetworkError';
  constructor(
    readonly code: RoadNetworkErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RoadNetworkStatus {
  pgrouting: boolean;
  hasEdges: boolean;
}

export async function roadNetworkStatus(pool: Queryable): Promise<RoadNetworkStatus> {
  const { rows } = await pool.query<RoadNetworkStatus>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgrouting') AS pgrouting,
            EXISTS (SELECT 1 FROM road_edges) AS "hasEdges"`,
  );
  return rows[0] ?? { pgrouting: false, hasEdges: false };
}

interface Snap {
  vertex: string;
  metres: number;
}

/**
 * Nearest vertex of each point: the endpoints of the 8 nearest edges (KNN on the gist index) are the
 * candidates, so a long edge passing close by does not hide a nearer junction of a short one.
 */
async function snapToVertices(pool: Queryable, points: readonly GeoPoint[]): Promise<Snap[]> {
  const { rows } = await pool.query<{ ord: string; vertex: string; metres: number }>(
    `WITH pts AS (
       SELECT p.ord, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS g
         FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, ord))
     SELECT pts.ord::text, v.vertex::text, v.metres
       FROM pts
       CROSS JOIN LATERAL (
         SELECT c.vertex, ST_DistanceSphere(pts.g, c.g) AS metres
           FROM (SELECT e.source, e.target, e.geom FROM road_edges e ORDER BY e.geom <-> pts.g LIMIT 8) near,
                LATERAL (VALUES (near.source, ST_StartPoint(near.geom)), (near.target, ST_EndPoint(near.geom))) AS c(vertex, g)
          ORDER BY metres, c.vertex
          LIMIT 1) v
      ORDER BY pts.ord`,
    [points.map((p) => p.lon), points.map((p) => p.lat)],
  );
  return rows.map((row) => ({ vertex: row.vertex, metres: row.metres }));
}

async function costsBetween(pool: Queryable, vertices: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ start_vid: string; end_vid: string; agg_cost: number }>(
    `SELECT start_vid::text, end_vid::text, agg_cost
       FROM pgr_dijkstraCostMatrix('SELECT id, source, target, cost, reverse_cost FROM road_edges', $1::bigint[], directed => true)`,
    [vertices],
  );
  return new Map(rows.map((row) => [`${row.start_vid}>${row.end_vid}`, row.agg_cost]));
}

export interface RoadMatrixOptions {
  /** Speed from a site to its snapped vertex and back (metres per second, default 5 ≈ 18 km/h). */
  accessSpeedMps?: number;
}

/**
 * Seconds between every pair of points over the road network: the access leg from the origin to its
 * vertex, the shortest path (edge costs are seconds), the leg from the destination's vertex.
 */
export async function roadCostMatrix(pool: Queryable, points: readonly GeoPoint[], options: RoadMatrixOptions = {}): Promise<Matrix> {
  const status = await roadNetworkStatus(pool);
  if (!status.pgrouting) {
    throw new RoadNetworkError(
      'pgrouting_missing',
      '数据库未安装 pgRouting 扩展，无法按路网计算行车时间 / the pgRouting extension is not installed in this database: '
        + 'install postgresql-15-pgrouting and run CREATE EXTENSION pgrouting (or use the great-circle travel model)',
    );
  }
  if (!status.hasEdges) {
    throw new RoadNetworkError('road_network_empty', '路网表 road_edges 为空 / the road_edges table is empty: load a road network first');
  }
  const access = options.accessSpeedMps ?? 5;
  const size = points.length;
  const durations = new Float64Array(size * size);
  if (size === 0) return { size, durations };
  const snaps = await snapToVertices(pool, points);
  const costs = await costsBetween(pool, [...new Set(snaps.map((s) => s.vertex))]);
  const unreachable: string[] = [];
  for (let i = 0; i < size; i++) {
    const a = snaps[i] as Snap;
    for (let j = 0; j < size; j++) {
      if (i === j) continue;
      const b = snaps[j] as Snap;
      const road = a.vertex === b.vertex ? 0 : costs.get(`${a.vertex}>${b.vertex}`);
      if (road === undefined) {
        unreachable.push(`${i}→${j}`);
        continue;
      }
      durations[i * size + j] = Math.round(road + (a.metres + b.metres) / access);
    }
  }
  if (unreachable.length > 0) {
    throw new RoadNetworkError(
      'road_network_disconnected',
      `路网不连通，部分地点之间无路可达 / no road path between ${unreachable.length} pair(s) of places (points by index: ${unreachable.slice(0, 5).join(', ')}${unreachable.length > 5 ? ', …' : ''})`,
    );
  }
  return { size, durations };
}
