import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthResponse } from '../contracts/common.ts';
import type { Pool } from '../infra/db.ts';

export default async function healthRoutes(app: FastifyInstance, deps: { pool: Pool }) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/health',
    { schema: { tags: ['health'], summary: 'Liveness and the PostGIS version', response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      try {
        const { rows } = await deps.pool.query<{ version: string }>('SELECT postgis_lib_version() AS version');
        return { ok: true, postgis: rows[0]?.version ?? '' };
      } catch {
        return reply.status(503).send({ ok: false, postgis: '' });
      }
    },
  );
}
