import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CitizenApplicationView, NextStep, ProcedureDetail } from '@madoguchi/contracts/applications.ts';
import type { ReportCategoryView, ReportPhotoAccepted } from '@madoguchi/contracts/reports.ts';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../demo/demo-desks.ts';
import { createDesk } from '../modules/consultation/desks.service.ts';
import { createCipher } from '../platform/crypto.ts';
import { sniffImageType } from '../platform/images/image-normalise.ts';
import { citizenOf, expectJson as json } from '../testing/citizen-client.ts';
import { runMadoguchi } from '../testing/cli.ts';
import { type LineWorld, startLineWorld } from '../testing/line-world.ts';
import { seedFriendsWithAttributes } from '../testing/seed-friends.ts';
import { createStaff, staffClient } from '../testing/test-server.ts';
import { waitFor } from '../testing/wait-for.ts';
import { listPublicColumns, listPublicTables } from './handover.repository.ts';
import type { Layout } from './handover-export.ts';
import { dataTables, unclassifiedColumns } from './handover-export.ts';
import { COLUMN_RULES, EXCLUDED_TABLES } from './handover-tables.ts';

// Contract end, end to end (C-16, D-10, S-13): data in many modules (friends with attributes, a
// consultation with a message, a fault report with a photo, an application with verified identity
// attributes), `madoguchi export` as the real command, then `purge` and `certificate verify`.

let w: LineWorld;
let dir: string;
const run = (args: string[], env: Record<string, string> = {}) => runMadoguchi(w.server, args, env);

const MESSAGE = '引き渡し確認用の相談文です';
const REPORT_TEXT = '歩道の段差が大きく危険です（引き渡し確認）';
const INSIDE = { lat: 35.7219, lng: 139.9311 }; // 市川市役所
/** Tests that run the command several times (each a process of its own, seconds on a busy machine). */
const CLI_TIMEOUT = 180_000;

async function rowsOf(table: string) {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(w.server.db);
  return Number(r.rows[0]!.n);
}

/** Every file under `root` (relative paths). */
function filesUnder(root: string, at = ''): string[] {
  return readdirSync(path.join(root, at), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(root, path.join(at, e.name)) : [path.join(at, e.name)],
  );
}

async function consultationWithMessage() {
  await createDesk(w.server.db, {
    ...demoDesks(null as unknown as string)[1]!,
    channelId: null,
    accessCode: null,
  });
  const start = await fetch(`${w.server.url}/api/consult/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deskSlug: 'ijime' }),
  });
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const { consultationId } = (await start.json()) as { consultationId: string };
  const chat = new WebSocket(
    `${w.server.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`,
    {
      headers: { cookie },
    } as never,
  );
  const acked = new Promise<void>((resolve) =>
    chat.addEventListener('message', (e) => {
      if ((JSON.parse(String(e.data)) as { type: string }).type === 'ack') resolve();
    }),
  );
  await new Promise((r) => chat.addEventListener('open', r));
  chat.send(JSON.stringify({ type: 'message', clientId: 'handover-1', text: MESSAGE }));
  await acked;
  chat.close();
}

async function reportWithPhoto(admin: Awaited<ReturnType<typeof staffClient>>) {
  const road = await json<ReportCategoryView>(
    admin.request('POST', '/api/reports/categories', {
      channelId: w.channelId,
      name: '道路',
      emails: ['doro@city.example.jp'],
    }),
    201,
  );
  const c = await citizenOf(w, '通報 太郎');
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#885533' } })
    .jpeg()
    .toBuffer();
  const photo = await json<ReportPhotoAccepted>(
    fetch(`${w.server.url}/api/citizen/reports/photos`, {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'image/jpeg' },
      body: new Uint8Array(jpeg),
    }),
    201,
  );
  await json(
    c.call('POST', '/api/citizen/reports', {
      categoryId: road.id,
      text: REPORT_TEXT,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      location: INSIDE,
      photoIds: [photo.photoId],
      requestKey: 'h'.repeat(24),
    }),
    201,
  );
  return photo.photoId;
}

/** An application whose identity step went through the JPKI stand-in (平川 花子). */
async function applicationWithIdentity(admin: Awaited<ReturnType<typeof staffClient>>) {
  const procedure = await json<ProcedureDetail>(
    admin.request('POST', '/api/procedures', {
      channelId: w.channelId,
      slug: 'juminhyo',
      nameJa: '住民票の写し',
      identityLevel: 'basic',
      fee: { unitFee: 0 },
    }),
    201,
  );
  await json(
    admin.request('POST', `/api/forms/${procedure.formId}/items`, {
      key: 'delivery',
      type: 'single',
      label: '受け取り方法',
      required: true,
      choices: [{ label: '窓口で受け取る' }, { label: '郵送' }],
    }),
    201,
  );
  await json(admin.request('PATCH', `/api/procedures/${procedure.id}`, { active: true }), 200);
  const c = await citizenOf(w, '申請 本人');
  const app = await json<CitizenApplicationView>(
    c.call('POST', '/api/citizen/applications', { procedureId: procedure.id }),
    201,
  );
  const step = await json<NextStep>(c.call('POST', `/api/citizen/applications/${app.id}/identity`, {}), 200);
  const page = await (await fetch(step.url!)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
  const answered = await fetch(step.url!.split('?')[0]!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, identity: 'hanako', pin: '1234', action: 'submit' }),
  });
  const location = new URL(answered.headers.get('location')!);
  const back = await fetch(`${w.server.url}${location.pathname}${location.search}`, {
    redirect: 'manual',
    headers: { cookie: c.cookie },
  });
  expect(back.status).toBe(303);
  expect(new URL(back.headers.get('location')!, 'http://x.invalid').searchParams.get('identityStatus')).toBe(
    'verified',
  );
}

beforeAll(async () => {
  w = await startLineWorld('2400000161', { identity: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-handover-'));
  const admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  await seedFriendsWithAttributes(w.server.db, { channelId: w.channelId, count: 30 });
  await consultationWithMessage();
  await reportWithPhoto(admin);
  await applicationWithIdentity(admin);
  // A still database from here on (an operator stops the servers first): the export's counts are
  // then exactly the purge's. The access log is written in batches: once a last request is in it,
  // every request before it is too.
  await w.server.jobs.stop();
  await fetch(`${w.server.url}/handover-still`);
  await waitFor(
    () =>
      sql<{ n: number }>`select count(*)::int as n from access_log where path = '/handover-still'`.execute(
        w.server.db,
      ),
    (r) => r.rows[0]!.n === 1,
    { what: 'the access log to hold the last request' },
  );
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

describe('contract-end hand-over (C-16, D-10, S-13)', () => {
  it('D-10: every table and column of the database has a Japanese meaning (COMMENT ON)', async () => {
    const tables = await listPublicTables(w.server.db);
    expect(tables.length).toBeGreaterThan(70);
    expect(tables.filter((t) => !t.comment).map((t) => t.name)).toEqual([]);
    const columns = await listPublicColumns(w.server.db);
    expect(columns.filter((c) => !c.comment).map((c) => `${c.table}.${c.name}`)).toEqual([]);
  });

  it('C-16: every table is exported or excluded by name; every binary or sealed column has a rule', async () => {
    const names = (await listPublicTables(w.server.db)).map((t) => t.name);
    // No exclusion names a table that does not exist (a stale list would hide nothing but mislead).
    expect(Object.keys(EXCLUDED_TABLES).filter((t) => !names.includes(t))).toEqual([]);
    const exported = (await dataTables(w.server.db)).map((t) => t.name);
    expect([...exported, ...Object.keys(EXCLUDED_TABLES)].sort()).toEqual([...names].sort());
    const columns = await listPublicColumns(w.server.db);
    expect(unclassifiedColumns(columns)).toEqual([]);
    const existing = new Set(columns.map((c) => `${c.table}.${c.name}`));
    expect(Object.keys(COLUMN_RULES).filter((k) => !existing.has(k))).toEqual([]);
  });

  let layout: Layout;
  let out: string;

  it(
    'C-16/D-10: `madoguchi export` writes every table as CSV with BOM, personal data decrypted, secrets left out, the layout documented, audited',
    async () => {
      out = path.join(dir, 'export');
      const r = run(['export', '--out', out, '--operator', 'vendor-ops']);
      expect(r.status, r.stderr).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o700);

      layout = JSON.parse(readFileSync(path.join(out, 'schema.json'), 'utf8')) as Layout;
      const exported = (await dataTables(w.server.db)).map((t) => t.name);
      expect(layout.tables.map((t) => t.name)).toEqual(exported);
      for (const t of layout.tables) {
        const csv = readFileSync(path.join(out, t.file));
        expect(csv.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), t.name).toBe(true);
        const header = csv.toString('utf8').slice(1).split('\r\n')[0]!;
        const exportedColumns = t.columns.filter((c) => c.exportedAs !== 'omitted').map((c) => c.name);
        expect(header.split(','), t.name).toEqual(exportedColumns);
        // Every table and column documented, in the JSON and in the Japanese document.
        expect(t.meaning, t.name).toBeTruthy();
        expect(
          t.columns.filter((c) => !c.meaning).map((c) => c.name),
          t.name,
        ).toEqual([]);
        expect(statSync(path.join(out, t.file)).mode & 0o777).toBe(0o600);
      }
      const rowsOf = (t: string) => layout.tables.find((x) => x.name === t)!.rows;
      expect(rowsOf('friends')).toBeGreaterThanOrEqual(30);
      expect(rowsOf('form_responses')).toBeGreaterThan(0);
      expect(rowsOf('consultation_messages')).toBeGreaterThanOrEqual(1);
      expect(rowsOf('reports')).toBe(1);
      expect(rowsOf('identity_verifications')).toBe(1);

      const readme = readFileSync(path.join(out, 'README-データ仕様.md'), 'utf8');
      for (const t of layout.tables) expect(readme).toContain(`## ${t.name}\n`);
      expect(readme).toContain(
        '| status | text | 不可 | 状態（コード値） | そのまま | `waiting` 待機中、`active` 対応中、`closed` 終了 |',
      );
      const consultations = layout.tables.find((t) => t.name === 'consultations')!;
      expect(consultations.columns.find((c) => c.name === 'status')!.codes).toEqual([
        { code: 'waiting', meaning: '待機中' },
        { code: 'active', meaning: '対応中' },
        { code: 'closed', meaning: '終了' },
      ]);

      const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
      // Decrypted personal data, in plain, under the column's name without _enc.
      expect(read('consultation_messages.csv').split('\r\n')[0]).toContain(',body,');
      expect(read('consultation_messages.csv')).toContain(MESSAGE);
      expect(read('reports.csv')).toContain(REPORT_TEXT);
      expect(read('identity_verifications.csv')).toContain('平川 花子');
      expect(read('identity_verifications.csv')).toContain('平川市本町一丁目2番3号');
      // The photo as a file, referenced from the CSV, decrypted (a real JPEG).
      const photoRef = /files\/report_photos\/bytes\/[0-9a-f-]+\.jpg/.exec(read('report_photos.csv'))?.[0];
      expect(photoRef).toBeTruthy();
      const photo = readFileSync(path.join(out, photoRef!));
      expect(sniffImageType(photo)).toBe('image/jpeg');
      expect(statSync(path.join(out, photoRef!)).mode & 0o777).toBe(0o600);

      // No ciphertext of a sealed column anywhere, no *_enc column, and no secret.
      const cipher = createCipher(w.server.config.ENCRYPTION_KEY);
      const channel = await w.server.db
        .selectFrom('channels')
        .select(['channel_secret_enc', 'access_token_enc'])
        .executeTakeFirstOrThrow();
      const secrets = [cipher.decrypt(channel.channel_secret_enc), cipher.decrypt(channel.access_token_enc)];
      const account = await w.server.db
        .selectFrom('staff_accounts')
        .select('password_hash')
        .executeTakeFirstOrThrow();
      for (const f of filesUnder(out).filter((f) => f.endsWith('.csv'))) {
        const text = read(f);
        expect(text, f).not.toMatch(/\bv1\.[A-Za-z0-9_-]{20,}/);
        expect(
          text
            .split('\r\n')[0]!
            .split(',')
            .filter((h) => h.endsWith('_enc')),
          f,
        ).toEqual([]);
        for (const s of [...secrets, account.password_hash]) expect(text.includes(s), f).toBe(false);
      }
      expect(read('staff_accounts.csv').split('\r\n')[0]).not.toContain('password_hash');
      const omitted = layout.tables
        .flatMap((t) =>
          t.columns.filter((c) => c.exportedAs === 'omitted').map((c) => `${t.name}.${c.sourceColumn}`),
        )
        .sort();
      expect(omitted).toEqual(
        Object.entries(COLUMN_RULES)
          .filter(([, rule]) => rule.kind === 'secret')
          .map(([k]) => k)
          .sort(),
      );

      const entry = await w.server.db
        .selectFrom('audit_log')
        .select(['login_id', 'count', 'detail'])
        .where('action', '=', 'data.export')
        .executeTakeFirstOrThrow();
      expect(entry.login_id).toBe('vendor-ops');
      expect(entry.count).toBe(layout.tables.reduce((s, t) => s + t.rows, 0));
      expect((entry.detail as { tables: number }).tables).toBe(layout.tables.length);
    },
    CLI_TIMEOUT,
  );

  it(
    'C-16: export refuses bad input: no --out, a non-empty directory, a file, a blank operator, another ENCRYPTION_KEY (exit 2)',
    () => {
      const none = run(['export']);
      expect(none.status).not.toBe(0);
      expect(none.stderr).toContain("required option '--out <dir>'");
      const again = run(['export', '--out', out]);
      expect([again.status, again.stderr]).toEqual([2, expect.stringContaining('out_not_empty')]);
      const file = path.join(dir, 'a-file');
      writeFileSync(file, 'x');
      const onFile = run(['export', '--out', file]);
      expect([onFile.status, onFile.stderr]).toEqual([2, expect.stringContaining('out_not_directory')]);
      const blank = run(['export', '--out', ' ']);
      expect(blank.status).toBe(2);
      const operator = run(['export', '--out', path.join(dir, 'o'), '--operator', ' ']);
      expect([operator.status, operator.stderr]).toEqual([2, expect.stringContaining('bad_operator')]);
      // Another ENCRYPTION_KEY: the sealed rows do not open; refused by name, not a crash.
      const otherKey = run(['export', '--out', path.join(dir, 'wrong-key')], {
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      });
      expect([otherKey.status, otherKey.stderr]).toEqual([2, expect.stringContaining('cannot_decrypt')]);
    },
    CLI_TIMEOUT,
  );

  it(
    'S-13: purge refuses bad input and without --yes (exit 2, nothing deleted); --dry-run deletes nothing',
    async () => {
      const before = await rowsOf('friends');
      const certDir = path.join(dir, 'cert');
      for (const args of [
        ['purge'],
        ['purge', '--out', certDir],
        ['purge', '--yes'],
        ['purge', '--yes', '--out', certDir, '--certificate', path.join(dir, 'c.txt')],
        ['purge', '--yes', '--dry-run'],
        ['purge', '--yes', '--out', certDir, '--operator', ''],
      ]) {
        const r = run(args);
        expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      }
      const days = run(['purge', '--yes', '--out', certDir, '--backup-retention-days', 'eight']);
      expect(days.status).not.toBe(0);
      expect(days.stderr).toContain('a number of days');
      const badKey = run(['purge', '--yes', '--out', certDir], { CERTIFICATE_SIGNING_KEY: 'not a key' });
      expect([badKey.status, badKey.stderr]).toEqual([2, expect.stringContaining('CERTIFICATE_SIGNING_KEY')]);
      // A certificate already there: refused before anything is deleted.
      const taken = path.join(dir, 'taken.txt');
      writeFileSync(taken, 'x');
      const exists = run(['purge', '--yes', '--certificate', taken]);
      expect([exists.status, exists.stderr]).toEqual([2, expect.stringContaining('certificate_exists')]);

      const dry = run(['purge', '--dry-run']);
      expect(dry.status, dry.stderr).toBe(0);
      const plan = JSON.parse(dry.stdout.trim().split('\n').at(-1)!) as { counts: Record<string, number> };
      expect(plan.counts.friends).toBe(before);
      expect(await rowsOf('friends')).toBe(before);
      expect(existsSync(certDir)).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    'S-13: `purge --yes` empties every table and the job queue, destroys the data keys, writes a signed certificate whose counts match the export',
    async () => {
      const certDir = path.join(dir, 'cert');
      const r = run(['purge', '--yes', '--out', certDir, '--operator', 'vendor-ops'], {
        CITY_NAME: '平川市',
      });
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        counts: Record<string, number>;
        dataKeys: number;
      };
      for (const t of [...(await listPublicTables(w.server.db)).map((x) => x.name), 'pgboss.job'])
        if (!t.startsWith('madoguchi_migrations')) expect([t, await rowsOf(t)]).toEqual([t, 0]);
      expect(summary.dataKeys).toBeGreaterThanOrEqual(1);

      const file = path.join(certDir, '削除証明書.txt');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('団体名: 平川市');
      expect(text).toContain('実行者: vendor-ops');
      expect(text).toContain('PostgreSQL DELETE/TRUNCATE + crypto-shredding (keys destroyed)');
      expect(text).toMatch(
        /削除日時: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d（日本時間） \/ \d{4}-\d\d-\d\dT[\d:.]+Z（UTC）/,
      );
      expect(text).toMatch(/ENCRYPTION_KEY（指紋: SHA-256 の先頭 16 桁 [0-9a-f]{16}）/);
      expect(text).toContain('保持期間（8 日）');
      // The key material the database held, named: destroyed with its rows.
      expect(text).toContain('相談ごとのデータ鍵');
      expect(text).toContain('staff_accounts.totp_secret_enc');
      expect(text).toContain('channels.access_token_enc');
      expect(text).toMatch(/行 ID \d+、ハッシュ [0-9a-f]{64}、行数 \d+/);
      // The certificate's counts are the export's: the same rows, deleted (the audit log has the
      // export's entry and the purge's own entry besides).
      const certified = Object.fromEntries(
        [...text.matchAll(/^ {2}([a-z_.]+) +(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]),
      );
      expect(certified).toEqual(summary.counts);
      for (const t of layout.tables) {
        const expected = t.name === 'audit_log' ? t.rows + 2 : t.rows;
        expect([t.name, certified[t.name]]).toEqual([t.name, expected]);
      }
      expect(text).toContain(`合計`);

      const ok = run(['certificate', 'verify', file]);
      expect([ok.status, ok.stdout]).toEqual([0, expect.stringContaining('OK')]);
      const tampered = path.join(dir, 'tampered.txt');
      writeFileSync(
        tampered,
        text.replace(/consultations( +)(\d+)/, (_m, s, n) => `consultations${s}${Number(n) + 1}`),
      );
      writeFileSync(`${tampered}.sig`, readFileSync(`${file}.sig`));
      writeFileSync(`${tampered}.pub`, readFileSync(`${file}.pub`));
      expect(run(['certificate', 'verify', tampered]).status).toBe(1);
      const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
      writeFileSync(path.join(dir, 'other.pub'), other);
      expect(run(['certificate', 'verify', file, '--public-key', path.join(dir, 'other.pub')]).status).toBe(
        1,
      );
      expect(run(['certificate', 'verify', path.join(dir, 'missing.txt')]).status).toBe(2);
      writeFileSync(path.join(dir, 'garbage.sig'), 'not a signature');
      expect(run(['certificate', 'verify', file, '--signature', path.join(dir, 'garbage.sig')]).status).toBe(
        1,
      );
      writeFileSync(path.join(dir, 'garbage.pub'), 'not a key');
      expect(run(['certificate', 'verify', file, '--public-key', path.join(dir, 'garbage.pub')]).status).toBe(
        1,
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'S-13: with CERTIFICATE_SIGNING_KEY the certificate is signed by that key (the city keeps its public key)',
    () => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const cert = path.join(dir, 'second', 'cert.txt');
      const r = run(['purge', '--yes', '--certificate', cert], { CERTIFICATE_SIGNING_KEY: pem });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(cert, 'utf8')).toContain(
        'CERTIFICATE_SIGNING_KEY に設定された署名鍵で署名しました',
      );
      const kept = path.join(dir, 'vendor.pub');
      writeFileSync(kept, publicKey.export({ type: 'spki', format: 'pem' }));
      expect(run(['certificate', 'verify', cert, '--public-key', kept]).status).toBe(0);
    },
    CLI_TIMEOUT,
  );
});
