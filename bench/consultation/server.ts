import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createAccount } from '../../apps/server/src/modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../../apps/server/src/modules/accounts/roles.repository.ts';
import { createConsultationService } from '../../apps/server/src/modules/consultation/consultation.service.ts';
import { createConsultationKeys } from '../../apps/server/src/modules/consultation/consultation-keys.ts';
import { insertWebConsultee } from '../../apps/server/src/modules/consultation/consultations.repository.ts';
import { CONSULTEE_COOKIE } from '../../apps/server/src/modules/consultation/consultee-identity.ts';
import { createDeskCache } from '../../apps/server/src/modules/consultation/desk-cache.ts';
import { createDesk, getDesk } from '../../apps/server/src/modules/consultation/desks.service.ts';
import { createPresence } from '../../apps/server/src/modules/consultation/presence.ts';
import { createCipher, randomToken, sha256Hex } from '../../apps/server/src/platform/crypto.ts';
import { createRealtime } from '../../apps/server/src/platform/realtime.ts';
import { runBenchServer } from '../webhook/server-child.ts';
import { pool } from './clients.ts';
import { instrumentPg, type StatementFigures } from './instrument.ts';
import type { ConsultationServerStats, ConsulteesCreated, StoredMessages } from './protocol.ts';

// The server side of the consultation benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime and the command loop). Before it reports
// ready it creates BENCH_COUNSELORS counselor accounts and one desk open around the clock for web
// consultees (no access code, 20 chats per counselor, no risk words). Commands (one JSON line each):
//   consultees N -> ConsulteesCreated: N web consultees with a consultation each, made through the
//                   server's own repository and consultation service (the HTTP start endpoint allows
//                   30 starts per minute and address), so each gets the same greeting and events
//   stats        -> ConsultationServerStats (CPU, memory, event-loop delay, PostgreSQL processes, the
//                   server's queries and pool waits (instrument.ts), PostgreSQL's commit and WAL counters)
//   messages     -> StoredMessages (rows of consultation_messages by sender)
//   statements   -> { statements: StatementFigures[] } since the last "statements" (instrument.ts)
//   profile-start, profile-stop FILE -> CPU profile of this process (node:inspector) written to FILE
//   reset, stop  -> see server-child.ts

const DESK_SLUG = 'bench';
const pgCounters = instrumentPg();
let inspector: Session | null = null;
const PER_COUNSELOR = 20;

await runBenchServer({
  name: 'consultation bench server',
  async setup(server) {
    pgCounters.exclude(server.statsClient);
    const db = server.rt.db;
    const count = Math.max(1, Number(process.env.BENCH_COUNSELORS) || 25);
    const role = await findRoleByKey(db, 'counselor');
    if (!role) throw new Error('no built-in counselor role');
    const password = `Bench-${randomToken(12)}-9`;
    // argon2id hashing runs on libuv's thread pool (4 threads).
    const counselors = await pool(
      Array.from({ length: count }, (_, i) => `bench-counselor-${String(i + 1).padStart(3, '0')}`),
      4,
      async (loginId, i) => ({
        loginId,
        accountId: await createAccount(db, {
          loginId,
          displayName: `ベンチ 相談員${i + 1}`,
          roleId: role.id,
          password,
          mustChangePassword: false,
        }),
      }),
    );
    const everyDay = Object.fromEntries(
      ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
    );
    const desk = await createDesk(db, {
      channelId: null,
      name: 'ベンチマーク相談',
      slug: DESK_SLUG,
      description: '負荷計測用の窓口です。',
      hours: everyDay,
      closedOnHolidays: false,
      closedYearEnd: false,
      closedDates: [],
      greeting: 'ベンチマーク相談です。ご相談内容を入力してください。相談員が順番にお返事します。',
      outOfHoursReply: 'ただいま受付時間外です。',
      emergencyContacts: [{ name: 'いのちの電話', phone: '0570-783-556', hours: '24時間' }],
      recordFields: [{ key: 'summary', label: '相談概要', type: 'textarea', required: true }],
      allowIncompleteRecords: false,
      cannedResponses: [],
      webEnabled: true,
      accessCode: null,
      maxConcurrent: PER_COUNSELOR,
      riskWords: [],
      keywords: [],
      counselorIds: [],
    });
    return { deskId: desk.id, deskSlug: desk.slug, counselors, password };
  },
  commands: (server) => ({
    async consultees(argument): Promise<ConsulteesCreated> {
      const n = Number(argument);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`consultees: bad count ${argument}`);
      const t0 = performance.now();
      const db = server.rt.db;
      // A service of our own, as the server wires it (consultation.module.ts): its events go through
      // PostgreSQL NOTIFY, so the server's sockets see these consultations exactly like started ones.
      const realtime = await createRealtime(server.rt.databaseUrl, db, {
        error: (o, m) => console.error(m, o),
      });
      try {
        const service = createConsultationService({
          db,
          keys: createConsultationKeys(db, createCipher(server.encryptionKey)),
          realtime,
          presence: createPresence(realtime),
          desks: createDeskCache(db, realtime),
          notifyLine: async () => {},
        });
        const desk = (await db
          .selectFrom('desks')
          .select('id')
          .where('slug', '=', DESK_SLUG)
          .executeTakeFirst())!;
        const deskRow = await getDesk(db, desk.id);
        const consultees = await pool(Array.from({ length: n }), 8, async () => {
          // As createWebConsultee does for POST /api/consult/start without a cookie.
          const token = randomToken(32);
          const c = await insertWebConsultee(
            db,
            sha256Hex(token),
            `Web 相談者 ${token.slice(0, 4).toUpperCase()}`,
          );
          const consultation = await service.start(deskRow, c.id, 'web');
          return { consultationId: consultation.id, cookie: `${CONSULTEE_COOKIE}=${token}` };
        });
        return { consultees, ms: Math.round(performance.now() - t0) };
      } finally {
        await realtime.close();
      }
    },
    async stats(): Promise<ConsultationServerStats> {
      const counters = pgCounters.counters();
      pgCounters.resetMaxWaiting();
      const proc = await server.processStats();
      const x = await server.statsClient.query<{ xact_commit: string }>(
        'select xact_commit from pg_stat_database where datname = current_database()',
      );
      // pg_stat_wal exists from PostgreSQL 14 on.
      const wal = await server.statsClient
        .query<{ wal_records: string; wal_sync: string }>('select wal_records, wal_sync from pg_stat_wal')
        .catch(() => null);
      return {
        ...proc,
        ...counters,
        xactCommit: Number(x.rows[0]?.xact_commit ?? 0),
        walRecords: wal ? Number(wal.rows[0]!.wal_records) : null,
        walSync: wal ? Number(wal.rows[0]!.wal_sync) : null,
      };
    },
    /** Starts the CPU profiler (node:inspector) in this process; "profile-stop <file>" writes it. */
    async 'profile-start'() {
      inspector ??= new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      return { profiling: true };
    },
    async 'profile-stop'(file) {
      if (!inspector) throw new Error('profiler not started');
      const { profile } = await inspector.post('Profiler.stop');
      inspector.disconnect();
      inspector = null;
      writeFileSync(file, JSON.stringify(profile));
      return { written: file };
    },
    /** Figures per SQL statement since the last "statements" command (the first one starts counting). */
    statements: async (): Promise<{ statements: StatementFigures[] }> => ({
      // BENCH_STATEMENTS=0: no grouping at all (it costs ~1.5 % of the server's time at 500 chats).
      statements: process.env.BENCH_STATEMENTS === '0' ? [] : pgCounters.takeStatements(),
    }),
    async messages(): Promise<StoredMessages> {
      const r = await server.statsClient.query<StoredMessages>(
        `select (count(*) filter (where sender = 'consultee'))::int as consultee,
                (count(*) filter (where sender = 'counselor'))::int as counselor,
                (count(*) filter (where sender = 'system'))::int as system,
                count(client_id)::int as "withClientId",
                (count(distinct (consultation_id, client_id)) filter (where client_id is not null))::int
                  as "distinctClientIds"
         from consultation_messages`,
      );
      return r.rows[0]!;
    },
  }),
});
