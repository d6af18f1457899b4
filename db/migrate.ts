// Applies the plain-SQL migrations in db/migrations in name order, each in its own transaction,
// recording each one's checksum so that an edited, already-applied migration is refused.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export async function migrate(connectionString: string, log: (line: string) => void = () => undefined): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One migrator at a time, even when several processes start together.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['ecc-migrations']);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows
        .map((row) => [row.name, row.checksum]),
    );
    const files = (await readdir(migrationsDir)).filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file)).sort();
    const result: MigrationResult = { applied: [], skipped: [] };
    for (const file of files) {
      const sql = await readFile(path.join(migrationsDir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`migration ${file} was changed after it was applied; add a new migration instead`);
        }
        result.skipped.push(file);
        continue;
      }
      log(`applying migration ${file}`);
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      result.applied.push(file);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end();
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const { resolveDatabase } = await import('../server/infra/local-postgres.ts');
  try {
    const url = await resolveDatabase({ log: console.log });
    const result = await migrate(url, console.log);
    console.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already in place`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
