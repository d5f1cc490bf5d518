import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { connectionOptions } from './connection.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// bigint columns (identity ids, counts) arrive as strings; keep them strings except count(*) results,
// which the repositories convert where they need numbers.
export function createDb(databaseUrl: string, poolSize = 20): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ ...connectionOptions(databaseUrl), max: poolSize });
  // A dropped connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // pg-pool takes its own error listener off a connection while it is checked out: a connection
  // that dies during a query (the server crashed or failed over, C-13) would emit 'error' to no one
  // and end the process. The query itself fails with the error, and the pool drops the connection.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
