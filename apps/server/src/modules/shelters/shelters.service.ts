import type {
  DisasterType,
  ShelterImportResult,
  ShelterLayout,
  ShelterStatus,
  ShelterView,
} from '@madoguchi/contracts/shelters.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { accountDisplayNames } from '../accounts/accounts.service.ts';
import { parseShelterCsv, type ShelterRow } from './shelter-csv.ts';
import {
  allShelterRows,
  countShelterRows,
  countSheltersByStatus,
  findShelterRow,
  listShelterRows,
  lockSheltersForImport,
  type ShelterRecord,
  type ShelterWrite,
  updateShelterStatusRow,
  upsertShelterRows,
} from './shelters.repository.ts';

// Shelters: the list and one-tap status changes for staff, the CSV import.

/** The LINE message asking for the phone's location (other modules end their flows with it: X-02). */
export { askLocationMessage } from './shelter-line.ts';

export async function viewsOf(db: Db, rows: ShelterRecord[]): Promise<ShelterView[]> {
  const ids = [...new Set(rows.map((r) => r.status_changed_by).filter((x): x is string => !!x))];
  const names = await accountDisplayNames(db, ids);
  return rows.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    name: r.name,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    capacity: r.capacity,
    disasterTypes: r.disaster_types as DisasterType[],
    kind: r.kind,
    status: r.status,
    statusChangedAt: r.status_changed_at ? r.status_changed_at.toISOString() : null,
    statusChangedBy: r.status_changed_by ? (names.get(r.status_changed_by) ?? null) : null,
    note: r.note,
  }));
}

export async function listShelters(
  db: Db,
  q: { q?: string | undefined; status?: ShelterStatus | undefined; limit: number; offset: number },
) {
  const filter = { text: q.q, status: q.status };
  const [rows, total, counts] = await Promise.all([
    listShelterRows(db, { ...filter, limit: q.limit, offset: q.offset }),
    countShelterRows(db, filter),
    countSheltersByStatus(db),
  ]);
  return { items: await viewsOf(db, rows), total, counts };
}

/** Sets a shelter's status; the time and the account are recorded (shown to citizens: the time). */
export async function changeShelterStatus(
  db: Db,
  id: string,
  status: ShelterStatus,
  accountId: string | null,
): Promise<{ before: ShelterStatus; view: ShelterView }> {
  const current = await findShelterRow(db, id);
  if (!current) throw notFound('避難所');
  const row = current.status === status ? current : await updateShelterStatusRow(db, id, status, accountId);
  if (!row) throw notFound('避難所');
  const [view] = await viewsOf(db, [row]);
  return { before: current.status, view: view! };
}

const writeOf = (r: ShelterRow, layout: ShelterLayout): ShelterWrite => ({
  external_id: r.externalId,
  name: r.name,
  name_kana: r.nameKana,
  address: r.address,
  latitude: r.latitude,
  longitude: r.longitude,
  capacity: r.capacity,
  disaster_types: r.disasterTypes,
  kind: r.kind,
  phone: r.phone,
  note: r.note,
  source_layout: layout,
});

const sameAs = (w: ShelterWrite, e: ShelterRecord) =>
  w.name === e.name &&
  w.name_kana === e.name_kana &&
  w.address === e.address &&
  w.latitude === e.latitude &&
  w.longitude === e.longitude &&
  (w.capacity ?? null) === e.capacity &&
  w.kind === e.kind &&
  w.phone === e.phone &&
  w.note === e.note &&
  w.source_layout === e.source_layout &&
  w.disaster_types.join(',') === e.disaster_types.join(',');

function diff(writes: ShelterWrite[], existing: ShelterRecord[]) {
  const byId = new Map(existing.map((e) => [e.external_id, e]));
  const inFile = new Set(writes.map((w) => w.external_id));
  const created: ShelterWrite[] = [];
  const updated: ShelterWrite[] = [];
  let unchanged = 0;
  for (const w of writes) {
    const e = byId.get(w.external_id);
    if (!e) created.push(w);
    else if (sameAs(w, e)) unchanged += 1;
    else updated.push(w);
  }
  const missing = existing
    .filter((e) => !inFile.has(e.external_id))
    .map((e) => ({ externalId: e.external_id, name: e.name }))
    .sort((a, b) => a.externalId.localeCompare(b.externalId));
  return { created, updated, unchanged, missing };
}

/**
 * Reads the file and compares it with the registered shelters. A dry run stops there; a real import
 * saves every created and updated row in one transaction, and only when no row has a problem (a bad
 * row refuses the whole file: nothing is half imported). Shelters the file does not list are kept
 * and reported (`missingFromFile`); their status is never changed by an import.
 */
export async function importShelters(
  db: Db,
  bytes: Buffer,
  opts: { dryRun: boolean; layout?: ShelterLayout | 'auto' },
): Promise<ShelterImportResult> {
  const parsed = parseShelterCsv(bytes, { layout: opts.layout ?? 'auto' });
  const writes = parsed.rows.map((r) => writeOf(r, parsed.layout));
  const base = {
    encoding: parsed.encoding,
    layout: parsed.layout,
    rows: parsed.rowCount,
    valid: parsed.rows.length,
    problems: parsed.problems,
  };
  if (opts.dryRun) {
    const d = diff(writes, await allShelterRows(db));
    return {
      ...base,
      dryRun: true,
      created: d.created.length,
      updated: d.updated.length,
      unchanged: d.unchanged,
      missingFromFile: d.missing,
      applied: false,
    };
  }
  if (parsed.problems.length > 0) {
    throw new AppError(
      422,
      'SHELTER_IMPORT_INVALID',
      `問題のある行が ${parsed.problems.length} 件あるため登録しませんでした。確認（登録なし）で内容を確かめ、ファイルを直してください`,
      parsed.problems.slice(0, 200).map((p) => ({ path: String(p.line), code: p.code, message: p.message })),
    );
  }
  if (writes.length === 0) throw new AppError(400, 'SHELTER_CSV_NO_ROWS', '登録する行がありません');
  return db.transaction().execute(async (trx) => {
    await lockSheltersForImport(trx);
    const d = diff(writes, await allShelterRows(trx));
    await upsertShelterRows(trx, [...d.created, ...d.updated]);
    return {
      ...base,
      dryRun: false,
      created: d.created.length,
      updated: d.updated.length,
      unchanged: d.unchanged,
      missingFromFile: d.missing,
      applied: true,
    };
  });
}
