import type { Db } from '../../db/database.ts';

export type IpArea = 'admin' | 'counselor';

export interface IpEntry {
  cidr: string;
  note: string;
}

export async function listIpEntries(db: Db): Promise<Record<IpArea, IpEntry[]>> {
  const rows = await db
    .selectFrom('ip_allowlist_entries')
    .select(['area', 'cidr', 'note'])
    .orderBy('area')
    .orderBy('position')
    .execute();
  return {
    admin: rows.filter((r) => r.area === 'admin').map(({ cidr, note }) => ({ cidr, note })),
    counselor: rows.filter((r) => r.area === 'counselor').map(({ cidr, note }) => ({ cidr, note })),
  };
}

export async function replaceIpEntries(db: Db, area: IpArea, entries: IpEntry[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ip_allowlist_entries').where('area', '=', area).execute();
    if (entries.length > 0) {
      await trx
        .insertInto('ip_allowlist_entries')
        .values(entries.map((e, position) => ({ area, cidr: e.cidr, note: e.note, position })))
        .execute();
    }
  });
}
