// Listens, and closes gracefully: in-flight requests finish, then the pool closes.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Pool } from './infra/db.ts';
import { buildApp } from './app.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(deps: { pool: Pool; config: Config; handleSignals?: boolean; logger?: boolean }): Promise<RunningServer> {
  const app = await buildApp({ pool: deps.pool, config: deps.config, ...(deps.logger === undefined ? {} : { logger: deps.logger }) });
  await app.listen({ port: deps.config.port, host: deps.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.config.port;
  const url = `http://localhost:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await deps.pool.end();
    })();
    return closing;
  };
  if (deps.handleSignals ?? true) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        app.log.info(`${signal}: closing`);
        void close().then(() => process.exit(0), () => process.exit(1));
      });
    }
  }
  return { app, url, close };
}
