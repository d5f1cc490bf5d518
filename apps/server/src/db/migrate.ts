import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.ts';

/**
 * Applies every pending migration; throws with the failing migration's name.
 *
 * Unordered migrations are allowed: features are built on parallel branches, so a migration may
 * land after one with a later timestamp (2026120402_reports landed after 2026120403_reservations).
 * A database that already ran the later one then runs the earlier one too, instead of refusing to
 * start. Each migration therefore touches only its own tables, never one of a later timestamp.
 */
export async function migrateToLatest<T>(
  db: Kysely<T>,
  available: Record<string, Migration> = migrations,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => available },
    migrationTableName: 'madoguchi_migrations',
    migrationLockTableName: 'madoguchi_migrations_lock',
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
