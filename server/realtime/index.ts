// socket.io namespace /live: a client watches areas, gets their figures at once (the ack), then
// `counts:updated` with full figures whenever they change. With REDIS_URL set, several server
// processes share the feed: each tells the others which area-days changed, and each sends its own
// clients the current figures of the areas they watch, read from the database on every tick.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Compile } from 'typebox/compile';
import type { Config } from '../config.ts';
import type { Pool } from '../infra/db.ts';
import { cityDay } from '../infra/city-time.ts';
import { userFromCookies, type AuthUser } from '../auth/index.ts';
import { findAreaPaths, pathWithin } from '../areas/areas.repository.ts';
import { countsForAreas, countsForKeys } from '../stats/stats.repository.ts';
import {
  WatchRequest,
  liveNamespace,
  maxAlertsPerPush,
  type InspectionUpdate,
  type LiveClientToServerEvents,
  type LiveServerToClientEvents,
  type WatchReply,
} from '../contracts/live.ts';
import type { AlertWithPath } from '../alerts/alerts.repository.ts';
import type { ReportsUpdate } from '../contracts/reports.ts';
import { createChangeBatcher, type AreaDayKey } from './counts-batcher.ts';

export interface LivePublisher {
  /** Area-days whose figures changed (coalesced: each area sent at most four times a second). */
  publishCounts(keys: readonly AreaDayKey[]): void;
  /** New alerts, to every client watching their grid or any of its ancestors (once per client). */
  publishAlerts(alerts: readonly AlertWithPath[]): void;
  /** Daily-report compliance of areas after a submission or a sweep, to each area's watchers. */
  publishReports(updates: readonly ReportsUpdate[]): void;
  /** A change of a supervision round, to the watchers of the given area codes (any level). */
  publishInspection(update: InspectionUpdate, areaCodes: readonly string[]): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LivePublisher;
  }
}

interface SocketData {
  user: AuthUser;
  /** the watched areas' ltree paths, by code (to drop those a changed jurisdiction no longer holds) */
  watched: Map<string, string>;
}

/**
 * How often every socket's session is checked again: a logout, an expired session, a disabled user, a
 * revoked wall token or a changed jurisdiction reaches the live feed within this long (a socket is
 * otherwise only checked when it connects).
 */
export const sessionRecheckMs = 10_000;

interface PeerEvents {
  'counts:changed': (keys: AreaDayKey[]) => void;
}

type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, PeerEvents, SocketData>;

const watchRequest = Compile(WatchRequest);
const roomOf = (area: string) => `area:${area}`;

function refuse(code: string, message: string): WatchReply {
  return { error: { code, message } };
}

async function realtimePlugin(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const io = new Server<LiveClientToServerEvents, LiveServerToClientEvents, PeerEvents, SocketData>(app.server, {
    serveClient: false,
    // Same origin only: the page and the socket are served by this process.
    cors: { origin: false },
    maxHttpBufferSize: 1e5,
  });

  const redisClients: Array<ReturnType<typeof createClient>> = [];
  if (config.redisUrl) {
    const publisher = createClient({ url: config.redisUrl });
    const subscriber = publisher.duplicate();
    publisher.on('error', (error) => app.log.warn({ err: error }, 'redis publisher'));
    subscriber.on('error', (error) => app.log.warn({ err: error }, 'redis subscriber'));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    redisClients.push(publisher, subscriber);
    io.adapter(createAdapter(publisher, subscriber, { key: config.redisChannel }));
  }

  const live = io.of(liveNamespace);
  live.use(async (socket, next) => {
    try {
      const user = await userFromCookies(pool, app.parseCookie(socket.handshake.headers.cookie ?? ''));
      if (!user) return next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated', message: 'Please sign in / 请先登录' } }));
      socket.data.user = user;
      socket.data.watched = new Map();
      next();
    } catch (error) {
      next(error as Error);
    }
  });

  /** The socket's user as its session stands now (undefined once it has ended); rooms outside the jurisdiction are left. */
  async function currentUser(socket: LiveSocket): Promise<AuthUser | undefined> {
    const user = await userFromCookies(pool, app.parseCookie(socket.handshake.headers.cookie ?? ''));
    if (!user) return undefined;
    socket.data.user = user;
    for (const [code, path] of socket.data.watched) {
      if (!pathWithin(path, user.jurisdictionPath)) {
        socket.data.watched.delete(code);
        await socket.leave(roomOf(code));
      }
    }
    return user;
  }

  live.on('connection', (socket) => {
    socket.on('areas:watch', async (request, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const user = await currentUser(socket);
        if (!user) {
          ack(refuse('unauthenticated', 'Your session has ended: please sign in again / 会话已结束，请重新登录'));
          socket.disconnect(true);
          return;
        }
        if (!watchRequest.Check(request)) {
          const first = watchRequest.Errors(request)[0];
          return ack(refuse('validation_failed', `areas:watch expects { areas: [area code, ...] } (1–500): ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim()));
        }
        const codes = [...new Set(request.areas)];
        const found = new Map((await findAreaPaths(pool, codes)).map((area) => [area.code, area.path]));
        const unknown = codes.filter((code) => !found.has(code));
        if (unknown.length > 0) return ack(refuse('not_found', `No area with code ${unknown.join(', ')} / 无此区划代码`));
        const outside = codes.filter((code) => !pathWithin(found.get(code)!, user.jurisdictionPath));
        if (outside.length > 0) return ack(refuse('forbidden', `Outside your jurisdiction: ${outside.join(', ')} / 超出管辖范围`));
        for (const room of socket.rooms) {
          if (room.startsWith('area:') && !codes.includes(room.slice(5))) await socket.leave(room);
        }
        await socket.join(codes.map(roomOf));
        socket.data.watched = new Map(codes.map((code) => [code, found.get(code)!]));
        ack({ data: await countsForAreas(pool, codes, cityDay(new Date(), config.cityTimeZone)) });
      } catch (error) {
        app.log.error({ err: error }, 'areas:watch failed');
        ack(refuse('internal', 'Could not read the figures / 读取失败'));
      }
    });
  });

  // Only the area-days some client of this process watches are read and sent, and only to them
  // (`local`): the other processes do the same for theirs.
  const batcher = createChangeBatcher(async (keys) => {
    const watched = keys.filter((key) => (live.adapter.rooms.get(roomOf(key.area))?.size ?? 0) > 0);
    if (watched.length === 0) return;
    try {
      for (const row of await countsForKeys(pool, watched)) live.local.to(roomOf(row.area)).emit('counts:updated', row);
    } catch (error) {
      app.log.warn({ err: error }, 'reading live figures failed; the next change sends them again');
    }
  });
  if (config.redisUrl) live.on('counts:changed', (keys) => batcher.add(keys));

  // Alerts go out every quarter second: the newest few one by one, a surge beyond them as a count
  // (to the rooms of the alerts left out), so a mass event cannot flood a wall with messages.
  const alertFlushMs = 250;
  let pendingAlerts: AlertWithPath[] = [];
  let alertTimer: ReturnType<typeof setTimeout> | undefined;
  const flushAlerts = () => {
    alertTimer = undefined;
    const batch = pendingAlerts;
    pendingAlerts = [];
    const sent = batch.slice(-maxAlertsPerPush);
    for (const { alert, path } of sent) live.to(path.map(roomOf)).emit('alert:raised', alert);
    const leftOut = batch.slice(0, batch.length - sent.length);
    if (leftOut.length > 0) {
      const rooms = [...new Set(leftOut.flatMap(({ path }) => path))].map(roomOf);
      live.to(rooms).emit('alerts:more', { count: leftOut.length });
    }
  };
  app.decorate('live', {
    publishCounts: (keys) => {
      batcher.add(keys);
      if (config.redisUrl && keys.length > 0) live.serverSideEmit('counts:changed', [...keys]);
    },
    publishAlerts: (alerts) => {
      pendingAlerts.push(...alerts);
      alertTimer ??= setTimeout(flushAlerts, alertFlushMs);
    },
    publishReports: (updates) => {
      for (const update of updates) live.to(roomOf(update.area)).emit('reports:updated', update);
    },
    publishInspection: (update, areaCodes) => {
      if (areaCodes.length > 0) live.to(areaCodes.map(roomOf)).emit('inspection:updated', update);
    },
  } satisfies LivePublisher);

  const recheck = setInterval(() => {
    for (const socket of live.sockets.values()) {
      currentUser(socket)
        .then((user) => user ?? socket.disconnect(true))
        .catch((error: unknown) => app.log.warn({ err: error }, 'checking a live session failed; the next round tries again'));
    }
  }, sessionRecheckMs);
  recheck.unref();

  app.addHook('preClose', async () => {
    clearInterval(recheck);
    if (alertTimer) {
      clearTimeout(alertTimer);
      flushAlerts();
    }
    await batcher.close();
    live.disconnectSockets(true);
    io.engine.close();
    await Promise.all(redisClients.map((client) => client.quit().catch(() => undefined)));
  });
}

export default fp(realtimePlugin, { name: 'realtime', dependencies: ['@fastify/cookie'] });
