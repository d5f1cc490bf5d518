import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';
import type { PipelineRow, Progress } from './protocol.ts';

// The server side of the chatbot benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime — production's, with in-process job
// workers — and the command loop). Before it reports ready it creates one production channel and an
// admin account (bench-admin.ts). Commands (one JSON line each):
//   progress   -> Progress: line_events not dispatched yet, outbox rows pending / sent / failed
//   pipeline   -> {rows: PipelineRow[]}: per stored webhook event, the database's own timestamps
//                 (epoch ms) of its way through the server: stored (received_at, the intake's
//                 transaction), dispatched (the dispatch transaction), its reply recorded in the outbox
//                 (created_at, same transaction) and sent (sent_at, after LINE answered), and the
//                 reply's status and HTTP status
//   queries    -> with BENCH_QUERY_STATS=1 (diagnosis): the server's SQL statements since the last
//                 "queries", by text: calls and total ms from sending to the answer (pg's Client.query,
//                 every pool of the process: the server's, pg-boss's); then the counts start again
//   stats, reset, stop -> see server-child.ts

const LINE_CHANNEL_ID = '1234567891';

const queryStats = new Map<string, { calls: number; ms: number }>();
if (process.env.BENCH_QUERY_STATS === '1') {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '?'))
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    const t = performance.now();
    const done = () => {
      const q = queryStats.get(text) ?? { calls: 0, ms: 0 };
      q.calls += 1;
      q.ms += performance.now() - t;
      queryStats.set(text, q);
    };
    const r = query.apply(this, args) as unknown;
    if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(done, done);
    return r;
  } as typeof pg.Client.prototype.query;
}

await runBenchServer({
  name: 'chatbot bench server',
  setup: (server) => createBenchCity(server, LINE_CHANNEL_ID),
  commands: (server) => ({
    async progress(): Promise<Progress> {
      const r = await server.statsClient.query<Progress>(
        `select (select count(*)::int from line_events where dispatched_at is null) as "undispatched",
                (select count(*)::int from line_events where dispatch_error is not null) as "dispatchFailed",
                (select count(*)::int from line_outbox where status = 'pending') as "outboxPending",
                (select count(*)::int from line_outbox where status = 'sent') as "outboxSent",
                (select count(*)::int from line_outbox where status = 'failed') as "outboxFailed"`,
      );
      return r.rows[0]!;
    },

    async pipeline(): Promise<{ rows: PipelineRow[] }> {
      // On the benchmark's own connection: the server's pool may still be busy with a backlog.
      const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
      const r = await server.statsClient.query<PipelineRow>(
        `select e.webhook_event_id as "webhookEventId",
                ${ms('e.received_at')} as "storedMs",
                ${ms('e.dispatched_at')} as "dispatchedMs",
                ${ms('min(o.created_at)')} as "outboxMs",
                ${ms('min(o.sent_at)')} as "sentMs",
                min(o.status) as "outboxStatus",
                min(o.http_status) as "httpStatus",
                count(o.id)::int as "replies"
         from line_events e
         left join line_outbox o on o.line_event_id = e.id and o.kind = 'reply'
         group by e.id`,
      );
      return { rows: r.rows };
    },

    async queries() {
      const list = [...queryStats].map(([text, q]) => ({ text, calls: q.calls, ms: Math.round(q.ms) }));
      queryStats.clear();
      return { queries: list.sort((a, b) => b.ms - a.ms).slice(0, 40) };
    },

    stats: () => server.processStats(),
  }),
});
