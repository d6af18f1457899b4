import type { FastifyInstance } from 'fastify';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';

export default async function nucleicTestRoutes(_app: FastifyInstance, _deps: { pool: Pool; config: Config }) {}
