import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { AreaChildren, AreaFeature, AreaParams, AreaSearchQuery, AreaSearchResult } from '../contracts/areas.ts';
import type { AuthUser } from '../auth/index.ts';
import { currentUser } from '../auth/index.ts';
import type { Pool } from '../infra/db.ts';
import { forbidden, notFound } from '../errors.ts';
import * as repo from './areas.repository.ts';

/** Resolves an area the user may see: 404 when it does not exist, 403 outside the jurisdiction. */
export async function areaInScope(pool: Pool, user: AuthUser, code: string): Promise<repo.AreaScopeRow> {
  const area = await repo.findAreaPath(pool, code);
  if (!area) throw notFound(`No area with code ${code} / 无此区划代码`);
  if (!repo.pathWithin(area.path, user.jurisdictionPath)) {
    throw forbidden(`Area ${code} is outside your jurisdiction ${user.jurisdictionCode} / 超出管辖范围`);
  }
  return area;
}

export default async function areasRoutes(app: FastifyInstance, deps: { pool: Pool }) {
  const { pool } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

  typed.get(
    '/api/areas/search',
    {
      schema: {
        tags: ['areas'],
        summary: 'Find areas by Chinese or English name or by code, inside your jurisdiction',
        querystring: AreaSearchQuery,
        response: { 200: AreaSearchResult, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const items = await repo.searchAreas(pool, request.query.q.trim(), user.jurisdictionPath, request.query.limit ?? 20);
      return { items };
    },
  );

  typed.get(
    '/api/areas/:code',
    {
      schema: {
        tags: ['areas'],
        summary: 'One area as a GeoJSON Feature with its ancestors',
        params: AreaParams,
        response: { 200: AreaFeature, ...errors },
      },
    },
    async (request) => {
      await areaInScope(pool, currentUser(request), request.params.code);
      const feature = await repo.getAreaFeature(pool, request.params.code);
      if (!feature) throw notFound(`No area with code ${request.params.code}`);
      return feature;
    },
  );

  typed.get(
    '/api/areas/:code/children',
    {
      schema: {
        tags: ['areas'],
        summary: 'The child areas (geometry simplified for display); 310000 is the city',
        params: AreaParams,
        response: { 200: AreaChildren, ...errors },
      },
    },
    async (request) => {
      const { code } = request.params;
      await areaInScope(pool, currentUser(request), code);
      const [parent, children] = await Promise.all([repo.getAreaRef(pool, code), repo.getChildren(pool, code)]);
      if (!parent) throw notFound(`No area with code ${code}`);
      return {
        type: 'FeatureCollection' as const,
        parent,
        features: children.map((child) => ({
          type: 'Feature' as const,
          id: child.properties.code,
          geometry: child.geometry as AreaChildren['features'][number]['geometry'],
          properties: child.properties,
        })),
      };
    },
  );
}
