// Builds the Fastify application: plugins and features registered explicitly, in order.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { Config } from './config.ts';
import type { Pool } from './infra/db.ts';
import { registerErrorHandler } from './errors.ts';
import auth from './auth/index.ts';
import audit from './audit/index.ts';
import health from './health/index.ts';
import areas from './areas/index.ts';
import sites from './sites/index.ts';
import riskAreas from './risk-areas/index.ts';
import tiles from './tiles/index.ts';
import realtime from './realtime/index.ts';
import screening from './screening/index.ts';
import stats from './stats/index.ts';
import alerts from './alerts/index.ts';
import people from './people/index.ts';
import quarantine from './quarantine/index.ts';
import nucleicTests from './nucleic-tests/index.ts';
import inspection from './inspection/index.ts';
import routing from './routing/index.ts';
import reports from './reports/index.ts';
import admin from './admin/index.ts';

export const clientDist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');

export interface AppDeps {
  pool: Pool;
  config: Config;
  logger?: boolean;
  /** Sees every route as it is registered (tests enumerate the API with it). */
  onRoute?: (route: RouteOptions) => void;
}

/** Security headers; the CSP is what the built client (MapLibre's blob workers, deck.gl, ECharts) works under. */
function securityHeaders(config: Config): FastifyHelmetOptions {
  // An online basemap style may load its tiles, glyphs and sprites from any host it names.
  const remote = config.basemapStyleUrl ? ['https:'] : [];
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Swagger UI (/docs) adds <style> elements, ECharts' tooltips style attributes in their markup.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...remote],
        fontSrc: ["'self'", 'data:'],
        // 'self' covers the socket.io WebSocket on the same host.
        connectSrc: ["'self'", ...remote],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Only behind HTTPS: over plain HTTP the header is ignored at best, and a wrong one locks a host out.
    strictTransportSecurity: config.secureCookies ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    frameguard: { action: 'deny' },
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { pool, config } = deps;
  const app = Fastify({
    logger: deps.logger === false ? false : { level: config.logLevel },
    // Bulk imports set larger limits on their own routes; uploads have multipart's (server/sheets).
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false } },
    // Tiles make hundreds of requests a minute: log each request only when debugging.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
    clientErrorHandler: (error, socket) => {
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || !socket.writable) return;
      const body = JSON.stringify({ code: 'bad_request', message: `Malformed HTTP request: ${error.message}` });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
    },
  });

  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  registerErrorHandler(app);
  await app.register(helmet, securityHeaders(config));
  // Closed unless CORS_ORIGINS names the other sites that may call the API with their users' cookies.
  await app.register(cors, { origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, credentials: true });
  await app.register(cookie);
  await app.register(compress, {
    threshold: 1024,
    customTypes: /^(application\/(json|vnd\.mapbox-vector-tile)|text\/)/,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '疫情防控指挥中心 API / Epidemic Control Command Centre API',
        version: '0.1.0',
        description: 'Areas (city → district → street → community → grid), key sites, risk areas and vector tiles. '
          + 'Every route except /api/health and /api/auth/login needs the session cookie from POST /api/auth/login. '
          + 'Errors are { code, message }.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ecc_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(auth, { pool, config });
  await app.register(audit, { pool });
  await app.register(health, { pool });
  await app.register(areas, { pool });
  await app.register(sites, { pool });
  await app.register(riskAreas, { pool });
  await app.register(tiles, { pool, config });
  await app.register(realtime, { pool, config });
  await app.register(screening, { pool, config });
  await app.register(stats, { pool, config });
  await app.register(alerts, { pool });
  await app.register(people, { pool, config });
  await app.register(quarantine, { pool, config });
  await app.register(nucleicTests, { pool, config });
  await app.register(inspection, { pool, config });
  await app.register(routing, { pool, config });
  await app.register(reports, { pool, config });
  await app.register(admin, { pool, config });

  const clientBuilt = existsSync(path.join(clientDist, 'index.html'));
  if (clientBuilt) {
    await app.register(fastifyStatic, {
      root: clientDist,
      // Files are looked up per request, so a rebuild of the client under a running server is served.
      wildcard: true,
      setHeaders: (res, filePath) => {
        // Vite fingerprints assets, so they never change under the same name.
        res.setHeader('Cache-Control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    // Client-side routes get their page: the wall display is a kiosk bundle of its own.
    if (clientBuilt && request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/tiles/') && !path.extname(url)) {
      const page = (url === '/wall' || url.startsWith('/wall/')) && existsSync(path.join(clientDist, 'wall.html')) ? 'wall.html' : 'index.html';
      return reply.header('Cache-Control', 'no-cache').sendFile(page);
    }
    return reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${url}` });
  });
  return app;
}
