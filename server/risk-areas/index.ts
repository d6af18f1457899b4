import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import {
  RiskAreaCollection,
  RiskAreaFeature,
  RiskAreaHistory,
  RiskAreaInput,
  RiskAreaListQuery,
  RiskAreaParams,
} from '../contracts/risk-areas.ts';
import { currentUser, requireWriter, type AuthUser } from '../auth/index.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import { conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { bumpLayerVersion } from '../tiles/tiles.repository.ts';
import { findGeometryProblems, toWgs84 } from './risk-geometry.ts';
import * as repo from './risk-areas.repository.ts';

/** A risk area smaller than a building plot or larger than a district is almost surely a mistake. */
export const minAreaM2 = 100;
export const maxAreaKm2 = 1000;
/** Outlines drawn along a boundary may stray slightly outside it. */
const maxOutsideShare = 0.01;

async function validatedRecord(pool: Pool, user: AuthUser, input: RiskAreaInput): Promise<repo.RiskAreaRecord> {
  const { properties } = input;
  const problems = findGeometryProblems(input.geometry);
  if (problems.length > 0) throw validationFailed('The polygon is not usable / 多边形无效', problems);

  const validFrom = new Date(properties.validFrom);
  const validTo = properties.validTo ? new Date(properties.validTo) : null;
  if (validTo && validTo <= validFrom) {
    throw validationFailed('validTo must be after validFrom / 结束时间须晚于开始时间', [
      { field: 'properties.validTo', message: 'must be after validFrom' },
    ]);
  }

  const crs = properties.crs ?? 'wgs84';
  const geometry = toWgs84(input.geometry, crs);
  const verdict = await repo.checkGeometry(pool, geometry, user.jurisdictionCode);
  if (!verdict.valid) {
    throw validationFailed(`Invalid polygon: ${verdict.reason} / 多边形无效 (如自相交)`, [
      { field: 'geometry', message: verdict.reason },
    ]);
  }
  if (verdict.areaM2 < minAreaM2 || verdict.areaM2 > maxAreaKm2 * 1e6) {
    throw validationFailed(
      `A risk area must cover between ${minAreaM2} m² and ${maxAreaKm2} km²; this one covers ${(verdict.areaM2 / 1e6).toFixed(4)} km² / 面积不合理`,
      [{ field: 'geometry', message: `area ${verdict.areaM2.toFixed(0)} m²` }],
    );
  }
  if (verdict.outsideShare > maxOutsideShare) {
    const where = user.jurisdictionLevel === 'city' ? 'the city' : `your jurisdiction ${user.jurisdictionCode}`;
    throw validationFailed(
      `The polygon lies ${(verdict.outsideShare * 100).toFixed(1)} % outside ${where} / 多边形超出管辖范围`,
      [{ field: 'geometry', message: `${(verdict.outsideShare * 100).toFixed(1)} % outside ${where}` }],
    );
  }
  return {
    name: properties.name.trim(),
    level: properties.level,
    reason: properties.reason?.trim() ?? '',
    validFrom: validFrom.toISOString(),
    validTo: validTo?.toISOString() ?? null,
    sourceCrs: crs,
    geometry,
  };
}

export default async function riskAreaRoutes(app: FastifyInstance, deps: { pool: Pool }) {
  const { pool } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const writeErrors = { ...errors, 409: ErrorResponse, 422: ErrorResponse };

  async function visibleRiskArea(user: AuthUser, id: number) {
    const found = await repo.getRiskArea(pool, id, user.jurisdictionCode);
    if (!found) throw notFound(`No risk area ${id} in your jurisdiction / 无此风险区`);
    return found;
  }

  /**
   * A risk area the user may change: visible (it touches the jurisdiction) is not enough, it must lie
   * within it, as a new one must; one reaching into a neighbour's area is changed by an office above both.
   */
  async function ownedRiskArea(user: AuthUser, id: number) {
    const found = await visibleRiskArea(user, id);
    if ((await repo.riskAreaOutsideShare(pool, id, user.jurisdictionCode)) > maxOutsideShare) {
      throw forbidden(`Risk area ${id} reaches beyond your jurisdiction ${user.jurisdictionCode} / 风险区超出管辖范围，须由上级修改`);
    }
    return found;
  }

  typed.get(
    '/api/risk-areas',
    {
      schema: {
        tags: ['risk-areas'],
        summary: 'Risk areas touching your jurisdiction',
        querystring: RiskAreaListQuery,
        response: { 200: RiskAreaCollection, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const features = await repo.listRiskAreas(pool, user.jurisdictionCode, request.query.status ?? 'current');
      return { type: 'FeatureCollection' as const, features };
    },
  );

  typed.get(
    '/api/risk-areas/:id',
    { schema: { tags: ['risk-areas'], summary: 'One risk area', params: RiskAreaParams, response: { 200: RiskAreaFeature, ...errors } } },
    async (request) => (await visibleRiskArea(currentUser(request), request.params.id)).feature,
  );

  typed.get(
    '/api/risk-areas/:id/history',
    {
      schema: {
        tags: ['risk-areas'],
        summary: 'Every version of a risk area: created, each change, retirement',
        params: RiskAreaParams,
        response: { 200: RiskAreaHistory, ...errors },
      },
    },
    async (request) => {
      await visibleRiskArea(currentUser(request), request.params.id);
      return { id: request.params.id, versions: await repo.getHistory(pool, request.params.id) };
    },
  );

  typed.post(
    '/api/risk-areas',
    {
      schema: {
        tags: ['risk-areas'],
        summary: 'Declare a risk area: a GeoJSON Feature (Polygon or MultiPolygon) in wgs84, gcj02 or bd09',
        body: RiskAreaInput,
        response: { 201: RiskAreaFeature, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireWriter(request);
      const record = await validatedRecord(pool, user, request.body);
      const id = await withTransaction(pool, async (client) => {
        const newId = await repo.insertRiskArea(client, record, user.username);
        await repo.recordVersion(client, newId, 'created', user.username);
        await bumpLayerVersion(client, 'risk-areas');
        return newId;
      });
      const { feature } = await visibleRiskArea(user, id);
      return reply.status(201).header('Location', `/api/risk-areas/${id}`).send(feature);
    },
  );

  typed.put(
    '/api/risk-areas/:id',
    {
      schema: {
        tags: ['risk-areas'],
        summary: 'Change a risk area (its previous version stays in the history)',
        params: RiskAreaParams,
        body: RiskAreaInput,
        response: { 200: RiskAreaFeature, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireWriter(request);
      const { id } = request.params;
      const existing = await ownedRiskArea(user, id);
      if (existing.retired) throw conflict(`Risk area ${id} is retired and cannot be changed / 已撤销`);
      const record = await validatedRecord(pool, user, request.body);
      const changed = await withTransaction(pool, async (client) => {
        if (!(await repo.updateRiskArea(client, id, record, user.username))) return false;
        await repo.recordVersion(client, id, 'updated', user.username);
        await bumpLayerVersion(client, 'risk-areas');
        return true;
      });
      if (!changed) throw conflict(`Risk area ${id} was retired meanwhile / 已撤销`);
      return (await visibleRiskArea(user, id)).feature;
    },
  );

  typed.delete(
    '/api/risk-areas/:id',
    {
      schema: {
        tags: ['risk-areas'],
        summary: 'Retire a risk area; it and its history are kept',
        params: RiskAreaParams,
        response: { 200: RiskAreaFeature, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireWriter(request);
      const { id } = request.params;
      const existing = await ownedRiskArea(user, id);
      if (existing.retired) throw conflict(`Risk area ${id} is already retired / 已撤销`);
      await withTransaction(pool, async (client) => {
        if (!(await repo.retireRiskArea(client, id, user.username))) throw conflict(`Risk area ${id} is already retired`);
        await repo.recordVersion(client, id, 'retired', user.username);
        await bumpLayerVersion(client, 'risk-areas');
      });
      return (await visibleRiskArea(user, id)).feature;
    },
  );
}
