// A benchmark's own database on the local PostgreSQL server: created when missing, migrated, and
// holding the demo city (loaded once; later runs find it there).
import { migrate } from '../db/migrate.ts';
import { loadDemo } from '../data/load-demo.ts';
import { prepareDatabase, resolveLocalServer, withDatabase } from '../server/infra/local-postgres.ts';

export async function benchDatabase(name: string, log: (line: string) => void = console.log): Promise<string> {
  const adminUrl = await resolveLocalServer({ log: () => undefined });
  const url = withDatabase(adminUrl, name);
  await prepareDatabase(url, log);
  await migrate(url);
  await loadDemo(url, { log: (line) => log(`demo: ${line}`) });
  return url;
}
