// Finds or makes a PostgreSQL database with PostGIS and ltree, so that `npm start` and `npm test`
// work on a fresh Debian machine with no settings. With DATABASE_URL it only prepares that database.
// Without it: a reachable local server (TCP as postgres, then the unix socket), starting a stopped
// cluster, or — as root on Debian/Ubuntu — installing the packages with apt. Anything it cannot do
// by itself ends in an Error whose message is the exact command to run.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';

export interface ResolveOptions {
  log: (line: string) => void;
  /** Database to create on the local server; default `PGDATABASE` or `ecc`. Ignored with a DATABASE_URL. */
  databaseName?: string;
  /** Defaults to `process.env.DATABASE_URL`. */
  databaseUrl?: string | undefined;
}

export const requiredExtensions = ['postgis', 'ltree'] as const;

const socketDirs = ['/var/run/postgresql', '/tmp'];
const connectTimeoutMs = 3000;

export async function resolveDatabase(options: ResolveOptions): Promise<string> {
  const explicit = options.databaseUrl ?? (process.env.DATABASE_URL || undefined);
  if (explicit !== undefined) {
    options.log(`database: using DATABASE_URL (${describeUrl(explicit)})`);
    await prepareDatabase(explicit, options.log);
    return explicit;
  }
  const adminUrl = await resolveLocalServer(options);
  const name = options.databaseName ?? (process.env.PGDATABASE || 'ecc');
  const url = withDatabase(adminUrl, name);
  await prepareDatabase(url, options.log);
  return url;
}

/**
 * A connection string to the `postgres` database of a local server, as a role that may create
 * databases, on a server where PostGIS is available. Starts or installs the server if it must.
 */
export async function resolveLocalServer(options: Pick<ResolveOptions, 'log'>): Promise<string> {
  const log = options.log;
  let probe = await probeCandidates(localCandidates());
  if (probe.found === undefined) {
    await startOrInstallServer(log, probe.failures);
    probe = await waitForServer(30_000);
  }
  if (probe.found === undefined && isRoot() && probe.failures.some((f) => f.kind === 'auth')) {
    // A fresh Debian install trusts only the postgres OS user (peer); give root a role of its own.
    await makeRootRole(log);
    probe = await probeCandidates(localCandidates());
  }
  const found = probe.found;
  if (found === undefined) {
    throw new Error(
      'Cannot connect to the local PostgreSQL server:\n' +
        probe.failures.map((f) => `  ${f.target}: ${f.message}`).join('\n') +
        '\nEither set DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or let the current user connect, e.g.:\n' +
        `  sudo -u postgres createuser --superuser ${os.userInfo().username}`,
    );
  }
  log(`database: PostgreSQL ${found.version} at ${describeUrl(found.url)} as ${found.user}`);
  if (!found.postgisAvailable) {
    const pkg = postgisPackage(found.major);
    if (!isRoot() || !isDebian()) {
      throw new Error(`PostGIS is not installed for PostgreSQL ${found.major}. Install it with:\n  sudo apt-get install -y ${pkg}`);
    }
    log(`database: installing ${pkg} with apt-get (a minute or two)...`);
    await aptInstall([pkg], log);
  }
  return found.url;
}

/** Creates the database if it is missing and the extensions if they are missing. */
export async function prepareDatabase(url: string, log: (line: string) => void): Promise<void> {
  let client: pg.Client;
  try {
    client = await connect(url);
  } catch (error) {
    if (pgCode(error) !== '3D000') throw friendlyConnectError(url, error);
    const name = databaseOf(url);
    await createDatabase(withDatabase(url, 'postgres'), name);
    log(`database: created ${name}`);
    client = await connect(url);
  }
  try {
    const present = await installedExtensions(client);
    const missing = requiredExtensions.filter((name) => !present.has(name));
    if (missing.length === 0) return;
    const available = new Set(
      (await client.query<{ name: string }>('SELECT name FROM pg_available_extensions WHERE name = ANY($1)', [missing])).rows
        .map((row) => row.name),
    );
    const unavailable = missing.filter((name) => !available.has(name));
    if (unavailable.length > 0) {
      const major = await serverMajor(client);
      throw new Error(
        `${unavailable.join(' and ')} ${unavailable.length > 1 ? 'are' : 'is'} not available on the server of ${describeUrl(url)}. ` +
          `Install on that server:\n  sudo apt-get install -y ${postgisPackage(major)}`,
      );
    }
    for (const name of missing) {
      try {
        await client.query(`CREATE EXTENSION IF NOT EXISTS ${name}`);
      } catch (error) {
        // Two processes creating the same extension at once: the loser sees a unique violation.
        if (pgCode(error) === '23505') continue;
        if (pgCode(error) === '42501') {
          throw new Error(
            `The role in ${describeUrl(url)} may not create the ${name} extension. As a superuser, run in that database:\n` +
              `  CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS ltree;`,
          );
        }
        throw error;
      }
    }
    log(`database: extensions ${missing.join(', ')} created`);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE that tolerates a concurrent creator. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = await connect(adminUrl);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
    }
  } catch (error) {
    if (pgCode(error) !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- pure helpers (unit-tested)

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The same server and role, another database. Works for TCP and unix-socket URLs. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** host:port/database without the password, for log lines and errors. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get('host');
    const port = socket ? parsed.searchParams.get('port') : parsed.port;
    const where = `${socket ?? parsed.hostname}${port ? `:${port}` : ''}`;
    return `${where}/${databaseOf(url)}`;
  } catch {
    return 'the given DATABASE_URL';
  }
}

/** A unix-socket URL that both pg and psql understand (the WHATWG URL parser rejects `user@/db`). */
export function socketUrl(dir: string, user: string, database = 'postgres', port = '5432'): string {
  return `postgresql:///${encodeURIComponent(database)}?host=${dir}&port=${port}&user=${encodeURIComponent(user)}`;
}

export function postgisPackage(major: number): string {
  return `postgresql-${major}-postgis-3`;
}

/** The major version the `postgresql` metapackage would install, from `apt-cache depends postgresql`. */
export function majorFromAptDepends(output: string): number | undefined {
  const match = /Depends:\s*postgresql-(\d+)\b/.exec(output);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

export interface ClusterLine {
  version: number;
  name: string;
  port: number;
  online: boolean;
  owner: string;
}

/** Parses `pg_lsclusters --no-header` output. */
export function parseClusters(output: string): ClusterLine[] {
  const clusters: ClusterLine[] = [];
  for (const line of output.split('\n')) {
    const [version, name, port, status, owner] = line.trim().split(/\s+/);
    if (!version || !name || !port || !status || !owner || !/^\d+(\.\d+)?$/.test(version)) continue;
    clusters.push({ version: Number(version), name, port: Number(port), online: status.startsWith('online'), owner });
  }
  return clusters;
}

// ---------------------------------------------------------------- probing

interface Candidate {
  url: string;
  target: string;
}

interface Found {
  url: string;
  user: string;
  version: string;
  major: number;
  postgisAvailable: boolean;
}

interface Failure {
  target: string;
  kind: 'down' | 'auth' | 'privilege' | 'other';
  message: string;
}

interface Probe {
  found: Found | undefined;
  failures: Failure[];
}

function localCandidates(): Candidate[] {
  const port = process.env.PGPORT || '5432';
  const candidates: Candidate[] = [
    { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, target: `127.0.0.1:${port} as postgres` },
  ];
  const users = [...new Set([os.userInfo().username, 'postgres'])];
  for (const dir of socketDirs) {
    if (!existsSync(`${dir}/.s.PGSQL.${port}`)) continue;
    for (const user of users) {
      const url = socketUrl(dir, user, 'postgres', port);
      candidates.push({ url, target: `socket ${dir} as ${user}` });
    }
  }
  return candidates;
}

async function probeCandidates(candidates: Candidate[]): Promise<Probe> {
  const failures: Failure[] = [];
  for (const candidate of candidates) {
    let client: pg.Client | undefined;
    try {
      client = await connect(candidate.url);
      const row = (
        await client.query<{ user: string; version: string; num: string; can_create: boolean; postgis: boolean }>(
          `SELECT current_user AS user, current_setting('server_version') AS version,
                  current_setting('server_version_num') AS num,
                  (SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user) AS can_create,
                  EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS postgis`,
        )
      ).rows[0];
      if (!row) throw new Error('no answer');
      if (!row.can_create) {
        failures.push({ target: candidate.target, kind: 'privilege', message: `role ${row.user} may not create databases` });
        continue;
      }
      return {
        found: {
          url: candidate.url,
          user: row.user,
          version: row.version.split(' ')[0] ?? row.version,
          major: Math.floor(Number(row.num) / 10000),
          postgisAvailable: row.postgis,
        },
        failures,
      };
    } catch (error) {
      failures.push({ target: candidate.target, ...classify(error) });
    } finally {
      await client?.end().catch(() => undefined);
    }
  }
  return { found: undefined, failures };
}

async function waitForServer(timeoutMs: number): Promise<Probe> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await probeCandidates(localCandidates());
    // Stop waiting once the server answers, even if only to refuse us.
    if (probe.found !== undefined || probe.failures.some((f) => f.kind !== 'down') || Date.now() > deadline) return probe;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function classify(error: unknown): Omit<Failure, 'target'> {
  const code = pgCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === '28P01' || code === '28000' || /password|authentication|role .* does not exist/i.test(message)) {
    return { kind: 'auth', message };
  }
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === '57P03' || /timeout|ECONNREFUSED|ENOENT|starting up/i.test(message)) {
    return { kind: 'down', message: 'not reachable' };
  }
  return { kind: 'other', message };
}

// ---------------------------------------------------------------- starting and installing

async function startOrInstallServer(log: (line: string) => void, failures: Failure[]): Promise<void> {
  if (failures.some((f) => f.kind !== 'down')) return; // a server answers; starting another would not help
  const clusters = await listClusters();
  if (clusters !== undefined && clusters.length > 0) {
    const port = Number(process.env.PGPORT || '5432');
    const cluster = clusters.find((c) => c.port === port && !c.online);
    if (cluster === undefined) return; // running, or not on our port: the final error lists what was tried
    const command = `pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} start`;
    if (!isRoot() && os.userInfo().username !== cluster.owner) {
      throw new Error(`PostgreSQL ${cluster.version} is installed but not running. Start it with:\n  sudo ${command}`);
    }
    log(`database: starting PostgreSQL ${cluster.version} (${cluster.name})...`);
    await run(command.split(' '));
    return;
  }
  const installed = installedMajors();
  if (installed.length > 0 && clusters !== undefined) {
    const major = Math.max(...installed);
    const command = `pg_createcluster ${major} main --start`;
    if (!isRoot()) throw new Error(`PostgreSQL ${major} is installed but has no cluster. Create one with:\n  sudo ${command}`);
    log(`database: creating the PostgreSQL ${major} cluster...`);
    await run(command.split(' '));
    return;
  }
  if (!isRoot() || !isDebian()) {
    throw new Error(
      'PostgreSQL with PostGIS is needed. Install it with:\n  sudo apt-get install -y postgresql postgresql-15-postgis-3\n' +
        '(use the postgis package matching your PostgreSQL major version), or set DATABASE_URL to a PostGIS database.',
    );
  }
  log('database: PostgreSQL is not installed; installing it with apt-get (a few minutes)...');
  await aptUpdate(log);
  const depends = await run(['apt-cache', 'depends', 'postgresql']).catch(() => '');
  const major = majorFromAptDepends(depends);
  if (major !== undefined) {
    await aptInstall(['postgresql', postgisPackage(major)], log, false);
  } else {
    await aptInstall(['postgresql'], log, false);
    const after = installedMajors();
    if (after.length === 0) throw new Error('apt-get installed postgresql but no server version was found in /usr/lib/postgresql');
    await aptInstall([postgisPackage(Math.max(...after))], log, false);
  }
  // The package normally creates and starts the main cluster; without an init system it may not start it.
  const after = (await listClusters()) ?? [];
  const cluster = after.find((c) => !c.online);
  if (after.length === 0) {
    const newest = Math.max(...installedMajors());
    await run(['pg_createcluster', String(newest), 'main', '--start']);
  } else if (cluster !== undefined) {
    await run(['pg_ctlcluster', '--skip-systemctl-redirect', String(cluster.version), cluster.name, 'start']);
  }
  log('database: PostgreSQL installed and running');
}

async function makeRootRole(log: (line: string) => void): Promise<void> {
  log('database: creating a PostgreSQL superuser role for root (peer login on the local socket)');
  await run([
    'runuser', '-u', 'postgres', '--', 'psql', '-p', process.env.PGPORT || '5432', '-v', 'ON_ERROR_STOP=1', '-qAtc',
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'root') THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END $$",
  ]);
}

let aptUpdated = false;

async function aptUpdate(log: (line: string) => void): Promise<void> {
  if (aptUpdated) return;
  log('database: apt-get update...');
  await run(['apt-get', 'update', '-q'], { DEBIAN_FRONTEND: 'noninteractive' });
  aptUpdated = true;
}

export async function aptInstall(packages: string[], log: (line: string) => void, update = true): Promise<void> {
  if (update) await aptUpdate(log);
  log(`apt-get install -y ${packages.join(' ')}...`);
  await run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
}

async function listClusters(): Promise<ClusterLine[] | undefined> {
  try {
    return parseClusters(await run(['pg_lsclusters', '--no-header']));
  } catch {
    return undefined; // postgresql-common is not installed
  }
}

function installedMajors(): number[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+$/.test(name) && existsSync(`/usr/lib/postgresql/${name}/bin/postgres`))
      .map(Number);
  } catch {
    return [];
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function isDebian(): boolean {
  return existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

/** Runs a command without a shell; resolves with stdout, rejects with the tail of its output. */
export function run(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${argv.join(' ')} failed: ${error.message.split('\n')[0]}\n${tail}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

// ---------------------------------------------------------------- pg helpers

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'ecc-bootstrap' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

async function installedExtensions(client: pg.Client): Promise<Set<string>> {
  const rows = (await client.query<{ extname: string }>('SELECT extname FROM pg_extension')).rows;
  return new Set(rows.map((row) => row.extname));
}

async function serverMajor(client: pg.Client): Promise<number> {
  const row = (await client.query<{ num: string }>(`SELECT current_setting('server_version_num') AS num`)).rows[0];
  return Math.floor(Number(row?.num ?? '150000') / 10000);
}

export function pgCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function friendlyConnectError(url: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`Cannot connect to ${describeUrl(url)}: ${message}. Check DATABASE_URL and that the server is running.`);
}
