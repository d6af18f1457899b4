// Names of the test databases: the demo template (named by a fingerprint of what goes into it,
// so any change of schema or demo data makes a new one), the runs' copies, and what is left over;
// and copying the template and dropping a copy.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../../server/infra/local-postgres.ts';

/**
 * Copies the template into a new database. Run it holding the template lock (templateLockKey): a
 * template can be copied only while nobody else uses it. FILE_COPY (PostgreSQL 15+) copies the files
 * instead of WAL-logging every block.
 */
export async function copyTemplate(admin: pg.Client, template: string, name: string): Promise<void> {
  const version = Number((await admin.query<{ num: string }>(`SELECT current_setting('server_version_num') AS num`)).rows[0]?.num ?? 0);
  const strategy = version >= 150000 ? ' STRATEGY FILE_COPY' : '';
  await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}${strategy}`);
}

/** Drops a test database, ending its connections. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Advisory lock under which templates are built, copied and cleaned up, one at a time. */
export const templateLockKey = 'ecc-test-template';

/** `ecc_tpl_<fingerprint>`: reused for as long as its inputs stay the same. */
export async function templateName(root: string): Promise<string> {
  return `ecc_tpl_${(await templateFingerprint(root)).slice(0, 16)}`;
}

/** `ecc_test_<time>_<pid>[_<label>]`: one per run and project, dropped at the end of the run. */
export function runDatabaseName(label = '', now = Date.now(), pid = process.pid): string {
  const suffix = label.replace(/[^a-z0-9]/gi, '').toLowerCase();
  return `ecc_test_${now}_${pid}${suffix ? `_${suffix}` : ''}`;
}

export const templateInputs = ['db/migrations', 'data', 'server/auth/demo-users.ts', 'server/inspection/demo-round.ts'];

/** sha256 over the relative paths and contents of every input file, in a stable order. */
export async function templateFingerprint(root: string, inputs: readonly string[] = templateInputs): Promise<string> {
  const files: string[] = [];
  for (const input of inputs) files.push(...(await listFiles(root, input)));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    hash.update(await readFile(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

// Tests and dotfiles do not change what the loader puts into the database.
const ignored = (name: string): boolean => name.startsWith('.') || /\.test\.[cm]?[jt]sx?$/.test(name);

async function listFiles(root: string, relative: string): Promise<string[]> {
  const absolute = path.join(root, relative);
  let entries;
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return [relative];
    if (code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (ignored(entry.name)) continue;
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, child)));
    else if (entry.isFile()) files.push(child);
  }
  return files;
}

/** Templates of other fingerprints (another branch or work tree) are kept while they are in use. */
export const templateKeepMs = 6 * 3600 * 1000;

/** The database comment a template carries, updated at every copy. */
export function templateNote(now = Date.now()): string {
  return `ecc test template; last-used=${now}`;
}

/**
 * True for a template (other than the caller's current one) not copied for six hours, and for a
 * run's or a template build's database whose process is gone (killed before its teardown) or that
 * is more than a day old.
 */
export function isLeftover(name: string, now = Date.now(), alive: (pid: number) => boolean = processAlive, note: string | null = null): boolean {
  if (name.startsWith('ecc_tpl_')) {
    const lastUsed = Number(/last-used=(\d+)/.exec(note ?? '')?.[1] ?? 0);
    return now - lastUsed > templateKeepMs;
  }
  const match = /^ecc_(?:test|tplbuild)_(\d+)_(\d+)/.exec(name);
  if (!match) return false;
  // ecc_test_<time>_<pid>; ecc_tplbuild_<pid>_<time>
  const [first, second] = [Number(match[1]), Number(match[2])];
  const [time, pid] = name.startsWith('ecc_test_') ? [first, second] : [second, first];
  const dayMs = 24 * 3600 * 1000;
  return now - time > dayMs || !alive(pid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
