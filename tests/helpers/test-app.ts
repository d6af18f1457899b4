// The real application, in process, on the run's throw-away database (see database-setup.ts).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool, type Pool } from '../../server/infra/db.ts';
import { sessionCookie } from '../../server/auth/index.ts';

export interface TestApp {
  app: FastifyInstance;
  pool: Pool;
  /** Signs a demo user in and returns the Cookie header for their session. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export const demoPassword = 'demo-password';

export async function createTestApp(): Promise<TestApp> {
  const pool = createPool(inject('databaseUrl'), 4);
  const app = await buildApp({ pool, config: { ...loadConfig({}), logLevel: 'warn', sweepIntervalSeconds: 0 }, logger: false });
  await app.ready();
  return {
    app,
    pool,
    async login(username: string) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: demoPassword } });
      const session = response.cookies.find((cookie) => cookie.name === sessionCookie);
      if (response.statusCode !== 200 || !session) throw new Error(`login as ${username} failed: ${response.body}`);
      return `${sessionCookie}=${session.value}`;
    },
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

export function json<T>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
