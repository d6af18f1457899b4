// Tile benchmark: for each layer and zoom 10/12/14, the time PostGIS takes to build a tile (the
// raw SQL the API runs) against the API's own answer over HTTP on loopback, first request (cache
// miss: SQL + HTTP) and repeated request (served from the tile cache). Ratios are measured in one
// run, so machine noise affects both sides alike.
// Usage: npm run bench:tiles [-- --tiles 40]   (DATABASE_URL, or the local database `ecc` with the demo)
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { createPool } from '../server/infra/db.ts';
import { resolveDatabase } from '../server/infra/local-postgres.ts';
import { startServer } from '../server/server.ts';
import { renderTile } from '../server/tiles/tiles.repository.ts';
import { tileZoomRange, type TileLayer } from '../server/contracts/tiles.ts';
import { demoUsers } from '../server/auth/demo-users.ts';
import { replaceSection } from './report.ts';
import { sessionCookieOf } from '../tests/helpers/live-client.ts';

const { values } = parseArgs({ options: { tiles: { type: 'string', default: '40' }, write: { type: 'boolean', default: true } } });
const tilesPerCase = Number(values.tiles);
const zooms = [10, 12, 14];
const layers: TileLayer[] = ['districts', 'streets', 'communities', 'grids', 'sites', 'risk-areas'];

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

/** Tiles around the city centre, spiralling outwards: the ones a wall display asks for first. */
function tilesAround(z: number, count: number) {
  const centre = tileOf(121.4737, 31.2304, z);
  const tiles: Array<{ z: number; x: number; y: number }> = [];
  for (let radius = 0; tiles.length < count; radius++) {
    for (let dx = -radius; dx <= radius && tiles.length < count; dx++) {
      for (let dy = -radius; dy <= radius && tiles.length < count; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === radius) tiles.push({ z, x: centre.x + dx, y: centre.y + dy });
      }
    }
  }
  return tiles;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

const url = await resolveDatabase({ log: () => undefined });
const pool = createPool(url, 4);
const admin = await pool.query<{ path: string }>(`SELECT path::text AS path FROM areas WHERE code = '310000'`);
if (!admin.rows[0]) throw new Error('No demo city in the database: run `npm start` once first');
const server = await startServer({
  pool: createPool(url, 8),
  config: { ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'warn' },
  handleSignals: false,
  logger: false,
});
const commandUser = demoUsers.find((user) => user.role === 'command')!;
const login = await fetch(`${server.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: commandUser.username, password: process.env.DEMO_PASSWORD || 'demo-password' }),
});
if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
const cookie = sessionCookieOf(login);

const rows: string[] = [];
for (const layer of layers) {
  for (const z of zooms) {
    if (z < tileZoomRange[layer].min) continue;
    const tiles = tilesAround(z, tilesPerCase);
    const sql: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    let bytes = 0;
    for (const tile of tiles) {
      let started = performance.now();
      const built = await renderTile(pool, { layer, ...tile, scopeCode: '310000', scopePath: admin.rows[0].path });
      sql.push(performance.now() - started);
      bytes += built.length;
      const tileUrl = `${server.url}/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`;
      started = performance.now();
      await (await fetch(tileUrl, { headers: { cookie, 'accept-encoding': 'identity' } })).arrayBuffer();
      cold.push(performance.now() - started);
      started = performance.now();
      await (await fetch(tileUrl, { headers: { cookie, 'accept-encoding': 'identity' } })).arrayBuffer();
      warm.push(performance.now() - started);
    }
    const ratio = percentile(cold, 50) / Math.max(percentile(sql, 50), 0.01);
    const line = `| ${layer} | ${z} | ${tiles.length} | ${fmt(percentile(sql, 50))} / ${fmt(percentile(sql, 95))} | ${fmt(percentile(cold, 50))} / ${fmt(percentile(cold, 95))} | ${fmt(percentile(warm, 50))} / ${fmt(percentile(warm, 95))} | ${ratio.toFixed(2)} | ${(bytes / tiles.length / 1024).toFixed(1)} |`;
    console.log(line);
    rows.push(line);
  }
}
await server.close();
await pool.end();

const report = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:tiles -- --tiles ${tilesPerCase}\` on the demo city (${tilesPerCase} tiles per row, spiralling out from People's Square; times in ms, p50 / p95).`,
  '"SQL" is `renderTile()` (the ST_AsMVT query the API runs) called directly; "API first" is the HTTP request through Fastify on loopback when the tile is not cached (auth lookup + SQL + response); "API cached" is the same request again, served from the in-memory tile cache. "ratio" = API first p50 / SQL p50.',
  '',
  '| layer | zoom | tiles | SQL | API first | API cached | ratio | avg KiB |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
if (values.write) await replaceSection('tiles', report);
