import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import type { ConsultationKeys } from './consultation-keys.ts';
import { consultationExport } from './consultation-stats.ts';
import { deleteAllConsultations, listAllMessagesForExport } from './consultations.repository.ts';

// Contract end (C-16): every consultation is handed to the city first if asked (`madoguchi
// consultation export`), then deleted (`madoguchi consultation purge`). Both are operator commands
// on the server, recorded in the audit log. Backups still hold the sealed rows: destroying
// ENCRYPTION_KEY afterwards makes them unreadable for good (each consultation's data key is sealed
// with it).

/** Writes consultations.csv (with records) and messages.csv (decrypted) into `dir`. */
export async function exportAllConsultations(db: Db, keys: ConsultationKeys, dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const all = await consultationExport(db, keys, {
    from: new Date(0),
    to: new Date(Date.now() + 86_400_000),
  });
  writeFileSync(path.join(dir, 'consultations.csv'), toCsv(all.header, all.rows), { mode: 0o600 });

  const messages = await listAllMessagesForExport(db);
  const rows = await Promise.all(
    messages.map(async (m) => [
      m.consultation_id,
      tokyoDateTime(m.created_at),
      { consultee: '相談者', counselor: '相談員', system: 'システム' }[m.sender],
      m.kind === 'note' ? '内部メモ' : 'メッセージ',
      m.sender === 'counselor' ? (m.display_name ?? '') : '',
      (await keys.forConsultation(m.consultation_id, m.data_key_enc))
        .decryptBytes(m.body_enc)
        .toString('utf8'),
    ]),
  );
  writeFileSync(
    path.join(dir, 'messages.csv'),
    toCsv(['相談ID', '日時', '送信者', '種別', '相談員', '本文'], rows),
    { mode: 0o600 },
  );
  await recordAudit(db, {
    accountId: null,
    loginId: 'cli',
    ip: null,
    action: 'consultation.contract-export',
    result: 'success',
    count: all.rows.length,
    detail: { messages: rows.length },
  });
  return { consultations: all.rows.length, messages: rows.length };
}

/** Deletes every consultation, message, record and consultee (one transaction). */
export async function purgeAllConsultations(db: Db) {
  const counts = await db.transaction().execute(deleteAllConsultations);
  await recordAudit(db, {
    accountId: null,
    loginId: 'cli',
    ip: null,
    action: 'consultation.contract-purge',
    result: 'success',
    count: counts.consultations,
    detail: counts,
  });
  return counts;
}
