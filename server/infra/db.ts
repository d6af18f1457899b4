import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// bigint ids and counts arrive as numbers: every id in this schema is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function createPool(connectionString: string, max = 10): pg.Pool {
  // JIT off: the API's statements are short reads and writes that never repay compilation, and a
  // misestimated one can pay it on every call (docs/benchmarks.md, read).
  const pool = new pg.Pool({ connectionString, max, application_name: 'ecc', options: '-c jit=off' });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in a transaction: on a connection of its own from a pool, or on one already held. */
export async function withTransaction<T>(db: pg.Pool | pg.PoolClient, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const ownConnection = db instanceof pg.Pool;
  const client = ownConnection ? await db.connect() : db;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (ownConnection) client.release();
  }
}
