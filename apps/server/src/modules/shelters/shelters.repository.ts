import type { Insertable, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, SheltersTable } from '../../db/schema.ts';

// The only SQL of the shelters module (X-03 … X-05).

type Conn = Db | Transaction<Database>;
export type ShelterRecord = Omit<Selectable<SheltersTable>, 'location'>;
export type ShelterStatusValue = ShelterRecord['status'];
export type ShelterWrite = Omit<Insertable<SheltersTable>, 'location' | 'status' | 'status_changed_at'>;

const COLUMNS = [
  'id',
  'external_id',
  'name',
  'name_kana',
  'address',
  'latitude',
  'longitude',
  'capacity',
  'disaster_types',
  'kind',
  'phone',
  'note',
  'source_layout',
  'status',
  'status_changed_at',
  'status_changed_by',
  'created_at',
  'updated_at',
] as const;

type ListFilter = { text?: string | undefined; status?: ShelterStatusValue | undefined };

function filtered(db: Conn, q: ListFilter) {
  let query = db.selectFrom('shelters');
  if (q.text) {
    const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('name', 'ilike', like), eb('address', 'ilike', like), eb('name_kana', 'ilike', like)]),
    );
  }
  if (q.status) query = query.where('status', '=', q.status);
  return query;
}

export function listShelterRows(db: Conn, q: ListFilter & { limit: number; offset: number }) {
  return filtered(db, q)
    .select(COLUMNS)
    .orderBy('name_kana')
    .orderBy('name')
    .orderBy('id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
}

export async function countShelterRows(db: Conn, q: ListFilter): Promise<number> {
  const row = await filtered(db, q)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Count per status (of every shelter, not only a page). */
export async function countSheltersByStatus(db: Conn): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('shelters')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export const findShelterRow = (db: Conn, id: string) =>
  db.selectFrom('shelters').select(COLUMNS).where('id', '=', id).executeTakeFirst();

/** Every shelter as the import compares it (external ID and the imported fields). */
export const allShelterRows = (db: Conn) => db.selectFrom('shelters').select(COLUMNS).execute();

/** Keeps two imports from interleaving: the second waits for the first to commit. */
export async function lockSheltersForImport(trx: Transaction<Database>): Promise<void> {
  await sql`lock table shelters in share row exclusive mode`.execute(trx);
}

/** Inserts or updates by external ID (the imported fields only: the status stays as staff set it). */
export async function upsertShelterRows(trx: Transaction<Database>, rows: ShelterWrite[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('shelters')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.column('external_id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_kana: eb.ref('excluded.name_kana'),
          address: eb.ref('excluded.address'),
          latitude: eb.ref('excluded.latitude'),
          longitude: eb.ref('excluded.longitude'),
          capacity: eb.ref('excluded.capacity'),
          disaster_types: eb.ref('excluded.disaster_types'),
          kind: eb.ref('excluded.kind'),
          phone: eb.ref('excluded.phone'),
          note: eb.ref('excluded.note'),
          source_layout: eb.ref('excluded.source_layout'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
}

export const updateShelterStatusRow = (
  db: Conn,
  id: string,
  status: ShelterStatusValue,
  accountId: string | null,
) =>
  db
    .updateTable('shelters')
    .set({
      status,
      status_changed_at: sql<Date>`now()`,
      status_changed_by: accountId,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();

export interface NearbyFilter {
  lat: number;
  lon: number;
  statuses: readonly ShelterStatusValue[];
  types: readonly string[];
}

const nearbyBase = (db: Conn, f: NearbyFilter) => {
  let query = db
    .selectFrom('shelters')
    .select(COLUMNS)
    .where('status', 'in', [...f.statuses]);
  if (f.types.length) query = query.where('disaster_types', '@>', sql<string[]>`${[...f.types]}::text[]`);
  return query;
};

/** The `limit` nearest by the index's planar distance in degrees (`<->` on point(lon, lat)). */
export const knnShelterRows = (db: Conn, f: NearbyFilter, limit: number) =>
  nearbyBase(db, f).orderBy(sql`location <-> point(${f.lon}, ${f.lat})`).limit(limit).execute();

/** Every shelter within `radiusDegrees` (planar, in degrees) of the point, through the GiST index. */
export const shelterRowsWithinDegrees = (db: Conn, f: NearbyFilter, radiusDegrees: number) =>
  nearbyBase(db, f)
    .where(sql<boolean>`location <@ circle(point(${f.lon}, ${f.lat}), ${radiusDegrees})`)
    .execute();
