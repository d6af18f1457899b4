import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { Alert, AlertAction, AlertList, AlertListQuery, AlertParams, alertHandlerRoles } from '../contracts/alerts.ts';
import type { Role } from '../contracts/auth.ts';
import { currentUser, requireRole } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import type { Pool } from '../infra/db.ts';
import { conflict, notFound } from '../errors.ts';
import * as repo from './alerts.repository.ts';

const handlerRoles: ReadonlySet<Role> = new Set(alertHandlerRoles);

export default async function alertRoutes(app: FastifyInstance, deps: { pool: Pool }) {
  const { pool } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

  typed.get(
    '/api/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts in your jurisdiction (or one area of it), newest first; they name places and figures, never people (the wall gets no handler notes)',
        querystring: AlertListQuery,
        response: { 200: AlertList, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { area, status, kind, before, limit } = request.query;
      const scopePath = area ? (await areaInScope(pool, user, area)).path : user.jurisdictionPath;
      const page = await repo.listAlerts(pool, {
        scopePath,
        status: status ?? 'active',
        ...(kind ? { kind } : {}),
        ...(before ? { before } : {}),
        limit: limit ?? 50,
      });
      // A handler's note is free text that may name a person: never on the wall.
      return user.role === 'wall' ? { ...page, items: page.items.map((alert) => ({ ...alert, note: null })) } : page;
    },
  );

  for (const [action, to] of [['acknowledge', 'acknowledged'], ['close', 'closed']] as const) {
    typed.post(
      `/api/alerts/:id/${action}`,
      {
        schema: {
          tags: ['alerts'],
          summary: action === 'acknowledge' ? 'Acknowledge an open alert (who and when are kept)' : 'Close an alert (who and when are kept)',
          params: AlertParams,
          body: AlertAction,
          response: { 200: Alert, ...errors },
        },
        // A note is optional, and so is the body that would carry it.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const user = requireRole(request, handlerRoles, `${action} alerts`);
        const { id } = request.params;
        const found = await repo.findAlert(pool, id, user.jurisdictionPath);
        if (!found) throw notFound(`No alert ${id} in your jurisdiction / 无此预警`);
        const moved = await repo.transitionAlert(pool, id, to, user.username, request.body.note?.trim() || null);
        if (!moved) throw conflict(`Alert ${id} is already ${found.status} / 预警已${found.status === 'closed' ? '关闭' : '确认'}`);
        const [updated] = await repo.alertsByIds(pool, [id]);
        return updated!.alert;
      },
    );
  }
}
