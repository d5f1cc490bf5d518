import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

// The hand-over's SQL (C-16, D-10, S-13). Unlike a module's repository it names no table: it reads
// the database's catalog for the tables of the `public` schema and then reads, counts and deletes
// every one of them by the name the catalog gave. It is the one place that touches every table, and
// only for the contract-end commands (`madoguchi export`, `madoguchi purge`).

export interface CatalogTable {
  name: string;
  comment: string | null;
}

export interface CatalogColumn {
  table: string;
  name: string;
  /** PostgreSQL's own spelling (format_type), e.g. `timestamp with time zone`, `text[]`. */
  type: string;
  nullable: boolean;
  comment: string | null;
}

export interface CatalogCheck {
  table: string;
  definition: string;
}

/** Ordinary and partitioned tables of `public` (partitions are read through their parent). */
export async function listPublicTables(db: Db | Transaction<Database>): Promise<CatalogTable[]> {
  const r = await sql<CatalogTable>`
    select c.relname as name, obj_description(c.oid, 'pg_class') as comment
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname
  `.execute(db);
  return r.rows;
}

export async function listPublicColumns(db: Db | Transaction<Database>): Promise<CatalogColumn[]> {
  const r = await sql<CatalogColumn>`
    select c.relname as "table", a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           not a.attnotnull as nullable, col_description(c.oid, a.attnum) as comment
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum
  `.execute(db);
  return r.rows;
}

export async function listPublicChecks(db: Db | Transaction<Database>): Promise<CatalogCheck[]> {
  const r = await sql<CatalogCheck>`
    select conrelid::regclass::text as "table", pg_get_constraintdef(oid) as definition
    from pg_constraint
    where contype = 'c' and connamespace = 'public'::regnamespace
    order by conrelid::regclass::text, conname
  `.execute(db);
  return r.rows;
}

export async function countRows(db: Db | Transaction<Database>, table: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * Every row of a table, `batch` rows at a time, through a cursor (FETCH FORWARD): one pass over the
 * table, and only one page in memory. Run it in one REPEATABLE READ transaction (the cursor lives in
 * it, and every table is read in the same snapshot).
 */
export async function* readTablePages(
  trx: Transaction<Database>,
  table: string,
  batch = 1000,
): AsyncGenerator<Record<string, unknown>[]> {
  if (!Number.isInteger(batch) || batch < 1) throw new Error('batch must be a positive integer');
  const cursor = sql.id('handover_rows');
  await sql`declare ${cursor} no scroll cursor for select * from ${sql.table(table)}`.execute(trx);
  try {
    for (;;) {
      const r = await sql<
        Record<string, unknown>
      >`fetch forward ${sql.raw(String(batch))} from ${cursor}`.execute(trx);
      if (!r.rows.length) return;
      yield r.rows;
      if (r.rows.length < batch) return;
    }
  } finally {
    await sql`close ${cursor}`.execute(trx);
  }
}

/** The job queue's tables (pg-boss) that hold jobs, where they exist. */
async function jobTables(db: Db | Transaction<Database>): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'pgboss' and c.relname in ('job', 'archive') and not c.relispartition
    order by c.relname
  `.execute(db);
  return r.rows.map((t) => `pgboss.${t.name}`);
}

/** Rows per table, read in one snapshot (the purge's dry run and its certificate). */
export async function countAll(db: Db, tables: string[]) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const counts: Record<string, number> = {};
      for (const t of [...tables, ...(await jobTables(trx))]) counts[t] = await countRows(trx, t);
      return counts;
    });
}

/**
 * Deletes every row of `tables` and the job queue's jobs in one transaction (one TRUNCATE over all
 * of them, so foreign keys between them need no order); returns the rows each held just before.
 */
export async function truncateAll(db: Db, tables: string[]) {
  return db.transaction().execute(async (trx) => {
    const all = [...tables, ...(await jobTables(trx))];
    // Nobody writes while we count and delete: the counts are exactly what is deleted.
    await sql`lock table ${sql.join(all.map((t) => sql.table(t)))} in access exclusive mode`.execute(trx);
    const counts: Record<string, number> = {};
    for (const t of all) counts[t] = await countRows(trx, t);
    await sql`truncate table ${sql.join(all.map((t) => sql.table(t)))}`.execute(trx);
    return counts;
  });
}

/** VACUUM (FULL) rewrites each table's files, so the deleted rows' old bytes are not left in them. */
export async function vacuumTables(db: Db, tables: string[]) {
  for (const t of tables) await sql`vacuum (full, analyze) ${sql.table(t)}`.execute(db);
}
