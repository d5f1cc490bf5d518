import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { createTestDatabase } from './testing/test-database.ts';

// A migration that lands after one with a later timestamp (parallel branches) still runs on a
// database that is already past it (operations: upgrades never refuse to start).

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: { db: Db; pool: { end(): Promise<void> } };

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(database.url, 2);
});

afterAll(async () => {
  await handle.pool.end();
  await database.drop();
});

const tableExists = async (name: string) =>
  (await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(handle.db)).rows[0]
    ?.found !== null;

describe('migrations', () => {
  it('runs a migration merged after a later-dated one on a database already past it', async () => {
    // As it happened: reservations (…03) was merged first; reports (…02) and the mail outbox (…04,
    // which alters a reports table) came after it.
    const late = ['2026120402_reports', '2026120404_mail_outbox'];
    const before = Object.fromEntries(
      Object.entries(migrations).filter(
        ([name]) => name <= '2026120403_reservations' && !late.includes(name),
      ),
    );

    const first = await migrateToLatest(handle.db, before);
    expect(first).toEqual(Object.keys(before));
    expect(first).toContain('2026120403_reservations');
    expect(await tableExists('reports')).toBe(false);

    const second = await migrateToLatest(handle.db);
    expect(second.slice(0, 2)).toEqual(late);
    expect([...first, ...second].sort()).toEqual(Object.keys(migrations).sort());
    expect(await tableExists('reports')).toBe(true);
    expect(await tableExists('mail_outbox')).toBe(true);
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });
});
