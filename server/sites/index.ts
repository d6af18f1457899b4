import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AreaCode, ErrorResponse } from '../contracts/common.ts';
import { SiteCategoryCounts, SiteCollection, SiteFeature, SitesQuery, siteCategories } from '../contracts/sites.ts';
import { currentUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import type { Pool } from '../infra/db.ts';
import { badRequest, notFound } from '../errors.ts';
import * as repo from './sites.repository.ts';

const knownCategories: ReadonlySet<string> = new Set(siteCategories);

export function parseBbox(raw: string): [number, number, number, number] {
  const parts = raw.split(',').map(Number);
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (parts.length !== 4 || minLon === undefined || minLat === undefined || maxLon === undefined || maxLat === undefined
      || parts.some((value) => !Number.isFinite(value))) {
    throw badRequest('bbox must be minLon,minLat,maxLon,maxLat / bbox 格式应为 最小经度,最小纬度,最大经度,最大纬度');
  }
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw badRequest('bbox is outside longitude -180..180 / latitude -90..90');
  }
  if (minLon >= maxLon || minLat >= maxLat) throw badRequest('bbox minimums must be below its maximums');
  return [minLon, minLat, maxLon, maxLat];
}

export function parseCategories(raw: string): string[] {
  const categories = [...new Set(raw.split(','))];
  const unknown = categories.filter((category) => !knownCategories.has(category));
  if (unknown.length > 0) {
    throw badRequest(`Unknown site category: ${unknown.join(', ')}. Known: ${siteCategories.join(', ')}`);
  }
  return categories;
}

export default async function sitesRoutes(app: FastifyInstance, deps: { pool: Pool }) {
  const { pool } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

  typed.get(
    '/api/sites',
    {
      schema: {
        tags: ['sites'],
        summary: 'Key sites inside your jurisdiction, filtered by bbox, area (any level) and category',
        querystring: SitesQuery,
        response: { 200: SiteCollection, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { query } = request;
      const scopePath = query.area ? (await areaInScope(pool, user, query.area)).path : user.jurisdictionPath;
      const limit = query.limit ?? 500;
      const offset = query.offset ?? 0;
      const result = await repo.listSites(pool, {
        scopePath,
        ...(query.bbox ? { bbox: parseBbox(query.bbox) } : {}),
        ...(query.category ? { categories: parseCategories(query.category) } : {}),
        limit,
        offset,
      });
      return { type: 'FeatureCollection' as const, total: result.total, limit, offset, features: result.features };
    },
  );

  typed.get(
    '/api/sites/categories',
    {
      schema: {
        tags: ['sites'],
        summary: 'Number of sites by category inside an area (default: your jurisdiction)',
        querystring: Type.Object({ area: Type.Optional(AreaCode) }),
        response: { 200: SiteCategoryCounts, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const area = request.query.area ? await areaInScope(pool, user, request.query.area) : undefined;
      const counts = await repo.countSitesByCategory(pool, area?.path ?? user.jurisdictionPath);
      return { area: area?.code ?? user.jurisdictionCode, counts };
    },
  );

  typed.get(
    '/api/sites/:id',
    {
      schema: {
        tags: ['sites'],
        summary: 'One site',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: SiteFeature, ...errors },
      },
    },
    async (request) => {
      const site = await repo.getSite(pool, request.params.id, currentUser(request).jurisdictionPath);
      if (!site) throw notFound(`No site ${request.params.id} in your jurisdiction`);
      return site;
    },
  );
}
