// Vector tiles built by PostGIS (ST_AsMVT), scoped to the user's jurisdiction, with ETags
// derived from the layer's data version, and an in-memory cache for the hot tiles of wall displays.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LRUCache } from 'lru-cache';
import { Type } from 'typebox';
import { TileInfo, TileParams, tileLayers, tileZoomRange, type TileLayer } from '../contracts/tiles.ts';
import { currentUser } from '../auth/index.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { badRequest } from '../errors.ts';
import { layerVersions, renderTile } from './tiles.repository.ts';

const versionCacheMs = 1000;

export default async function tilesRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const cache = new LRUCache<string, Buffer>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (tile) => Math.max(tile.length, 1) });

  // Layer versions change rarely; reading them once a second keeps a tile hit free of SQL.
  let versions: { at: number; map: Map<TileLayer, number> } | undefined;
  async function versionOf(layer: TileLayer): Promise<number> {
    if (!versions || Date.now() - versions.at > versionCacheMs) {
      versions = { at: Date.now(), map: await layerVersions(pool) };
    }
    return versions.map.get(layer) ?? 1;
  }

  typed.get(
    '/tiles/:layer/:z/:x/:y',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Mapbox vector tile of one layer; features carry code (areas) or id (sites, risk areas)',
        params: TileParams,
        produces: ['application/vnd.mapbox-vector-tile'],
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const { layer, z, x } = request.params;
      const y = Number(request.params.y.slice(0, -'.mvt'.length));
      const size = 2 ** z;
      if (x >= size || y >= size) throw badRequest(`Tile ${z}/${x}/${y} does not exist: x and y must be below ${size}`);
      const range = tileZoomRange[layer];
      if (z < range.min || z > range.max) return reply.status(204).send();

      const version = await versionOf(layer);
      const etag = `"${layer}-v${version}-${user.jurisdictionCode}"`;
      reply.header('ETag', etag).header('Cache-Control', 'private, max-age=300').header('Vary', 'Cookie');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();

      const key = `${layer}/${version}/${user.jurisdictionCode}/${z}/${x}/${y}`;
      let tile = cache.get(key);
      if (!tile) {
        tile = await renderTile(pool, { layer, z, x, y, scopeCode: user.jurisdictionCode, scopePath: user.jurisdictionPath });
        cache.set(key, tile);
      }
      if (tile.length === 0) return reply.status(204).send();
      return reply.type('application/vnd.mapbox-vector-tile').send(tile);
    },
  );

  typed.get(
    '/api/config',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Map settings: optional online basemap style and the vector-tile layers with their data versions',
        response: {
          200: Type.Intersect([TileInfo, Type.Object({ basemapStyleUrl: Type.Union([Type.String(), Type.Null()]) })]),
        },
      },
    },
    async () => {
      const map = await layerVersions(pool);
      return {
        basemapStyleUrl: config.basemapStyleUrl ?? null,
        tileLayers: tileLayers.map((name) => ({
          name,
          minzoom: tileZoomRange[name].min,
          maxzoom: tileZoomRange[name].max,
          version: map.get(name) ?? 1,
          url: `/tiles/${name}/{z}/{x}/{y}.mvt?v=${map.get(name) ?? 1}`,
        })),
      };
    },
  );
}
