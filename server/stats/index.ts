import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { AreaCounts, AreaDayCounts, AreaTrend, ChildrenCounts, StatsParams, StatsQuery, TrendQuery } from '../contracts/stats.ts';
import { currentUser, requireRole } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { dayOrToday } from '../infra/city-time.ts';
import { countsForAreas, countsForChildren, countsTrend, findCaseEndMismatches, findCountMismatches } from './stats.repository.ts';

export default async function statsRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

  typed.get(
    '/api/stats/consistency',
    {
      schema: {
        tags: ['stats'],
        summary: 'Rebuild a day\'s figures from the events and list every area where they differ from the live counters (admin)',
        querystring: StatsQuery,
        response: {
          200: Type.Object({
            day: Type.String(),
            consistent: Type.Boolean(),
            mismatches: Type.Array(Type.Object({
              area: Type.String(),
              differences: Type.Record(Type.String(), Type.Object({ stored: Type.Integer(), rebuilt: Type.Integer() }), {
                description: 'counter column → maintained and rebuilt values',
              }),
            })),
            caseEndMismatches: Type.Array(Type.Object({
              area: Type.String(),
              plannedEnd: Type.String(),
              stored: Type.Integer(),
              rebuilt: Type.Integer(),
            }), { description: 'active cases per area and planned release day that differ from the cases' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, new Set(['admin']), 'run the consistency check');
      const day = dayOrToday(request.query.day, config.cityTimeZone);
      const [mismatches, caseEndMismatches] = await Promise.all([findCountMismatches(pool, day), findCaseEndMismatches(pool)]);
      return { day, consistent: mismatches.length === 0 && caseEndMismatches.length === 0, mismatches, caseEndMismatches };
    },
  );

  typed.get(
    '/api/stats/:areaCode',
    {
      schema: {
        tags: ['stats'],
        summary: 'An area\'s live figures for a day (any level; default today in the city\'s time zone)',
        params: StatsParams,
        querystring: StatsQuery,
        response: { 200: AreaDayCounts, ...errors },
      },
    },
    async (request) => {
      const area = await areaInScope(pool, currentUser(request), request.params.areaCode);
      const [counts] = await countsForAreas(pool, [area.code], dayOrToday(request.query.day, config.cityTimeZone));
      return counts!;
    },
  );

  typed.get(
    '/api/stats/:areaCode/children',
    {
      schema: {
        tags: ['stats'],
        summary: 'Each child area\'s figures for a day: what a choropleth of the area joins to its geometry by code',
        params: StatsParams,
        querystring: StatsQuery,
        response: { 200: ChildrenCounts, ...errors },
      },
    },
    async (request) => {
      const area = await areaInScope(pool, currentUser(request), request.params.areaCode);
      const day = dayOrToday(request.query.day, config.cityTimeZone);
      return { area: area.code, day, children: await countsForChildren(pool, area.code, day) };
    },
  );

  typed.get(
    '/api/stats/:areaCode/trend',
    {
      schema: {
        tags: ['stats'],
        summary: 'An area\'s figures day by day (default the last 14 days)',
        params: StatsParams,
        querystring: TrendQuery,
        response: { 200: AreaTrend, ...errors },
      },
    },
    async (request) => {
      const area = await areaInScope(pool, currentUser(request), request.params.areaCode);
      const until = dayOrToday(request.query.until, config.cityTimeZone);
      return { area: area.code, days: await countsTrend(pool, area.code, until, request.query.days ?? 14) };
    },
  );
}
