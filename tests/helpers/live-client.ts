// Real socket.io clients of the /live namespace, and a real server process to talk to.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { LiveClientToServerEvents, LiveServerToClientEvents, WatchReply } from '../../server/contracts/live.ts';
import type { AreaDayCounts } from '../../server/contracts/stats.ts';
import { projectRoot } from '../../server/infra/client-build.ts';
import { sessionCookie } from '../../server/contracts/auth.ts';

export type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/** `ecc_session=…` from a sign-in's answer (which may set other cookies too). */
export function sessionCookieOf(response: Response): string {
  const set = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${sessionCookie}=`));
  if (!set) throw new Error(`no session cookie in the answer (${response.status})`);
  return set.split(';')[0]!;
}

export async function loginCookie(baseUrl: string, username: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo-password' }),
  });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status}`);
  return sessionCookieOf(response);
}

export function connectLive(baseUrl: string, cookie: string | undefined): LiveSocket {
  return io(`${baseUrl}/live`, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
}

export function connected(socket: LiveSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

export function watch(socket: LiveSocket, areas: unknown): Promise<WatchReply> {
  return socket.timeout(10_000).emitWithAck('areas:watch', areas as { areas: string[] });
}

/** Collects every counts:updated message the socket receives. */
export function recordUpdates(socket: LiveSocket): AreaDayCounts[] {
  const received: AreaDayCounts[] = [];
  socket.on('counts:updated', (update) => received.push(update));
  return received;
}

export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts tests/helpers/serve.ts in its own process. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests/helpers/serve.ts')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!.replace('localhost', '127.0.0.1'),
          child,
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server process exited (${code}): ${output}`)));
  });
}
