import { performance } from 'node:perf_hooks';
import pg from 'pg';

// Bench-only instrumentation of the `pg` driver inside the server child: counts the queries the server
// process sends (with the time until each answer), and how long pool checkouts wait for a free
// connection. It wraps pg.Client.prototype.query and pg.Pool.prototype.connect before the server
// starts, so it sees the server's pool (kysely), its LISTEN connection and pg-boss; the cost is a
// counter and a clock read per call. Figures are totals since the start; run.ts takes differences.
// Once takeStatements() was called, queries are also grouped by their SQL text (a client-side
// pg_stat_statements: how often each statement ran and how long its answers took).

export interface PgCounters {
  queries: number;
  /** Sum of the times from sending a query to its answer (promise-style calls only), in ms. */
  queryMs: number;
  /** Pool checkouts, and the sum of their waits for a connection, in ms. */
  checkouts: number;
  checkoutWaitMs: number;
  /** Largest number of checkouts waiting at once (sampled every 10 ms since the last reset). */
  maxWaiting: number;
}

/** Queries of one shape (the SQL text, whitespace collapsed, cut at 160 characters). */
export interface StatementFigures {
  sql: string;
  count: number;
  /** Sum of the times from sending to the answer, in ms. */
  totalMs: number;
}

export function instrumentPg(): {
  counters(): PgCounters;
  resetMaxWaiting(): void;
  /** Figures per statement since the last call (the first call starts counting). */
  takeStatements(): StatementFigures[];
  /** Leaves this connection's queries out (the benchmark's own statistics connection). */
  exclude(client: pg.Client): void;
} {
  const excluded = new WeakSet<pg.Client>();
  const c: PgCounters = { queries: 0, queryMs: 0, checkouts: 0, checkoutWaitMs: 0, maxWaiting: 0 };
  let statements: Map<string, StatementFigures> | null = null;
  // The key is the statement's text cut at 160 characters (a slice, no copy of the whole text: this runs
  // for every query); whitespace is collapsed once, when a new statement is first seen.
  const keyOf = (arg: unknown) => {
    const text =
      typeof arg === 'string'
        ? arg
        : typeof (arg as { text?: unknown } | null)?.text === 'string'
          ? (arg as { text: string }).text
          : '(other)';
    return text.length > 160 ? text.slice(0, 160) : text;
  };
  const pools = new Set<pg.Pool>();
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: unknown }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    if (excluded.has(this)) return query.apply(this, args);
    c.queries++;
    let st: StatementFigures | undefined;
    if (statements) {
      const key = keyOf(args[0]);
      st = statements.get(key);
      if (!st) {
        st = { sql: key.replace(/\s+/g, ' ').trim(), count: 0, totalMs: 0 };
        statements.set(key, st);
      }
      st.count++;
    }
    const t0 = performance.now();
    const result = query.apply(this, args);
    if (result instanceof Promise) {
      const done = () => {
        const ms = performance.now() - t0;
        c.queryMs += ms;
        if (st) st.totalMs += ms;
      };
      result.then(done, done);
    }
    return result;
  };
  const connect = pg.Pool.prototype.connect as (...args: unknown[]) => unknown;
  (pg.Pool.prototype as unknown as { connect: unknown }).connect = function (
    this: pg.Pool,
    ...args: unknown[]
  ) {
    pools.add(this);
    c.checkouts++;
    const t0 = performance.now();
    const result = connect.apply(this, args);
    if (result instanceof Promise)
      result.then(
        () => {
          c.checkoutWaitMs += performance.now() - t0;
        },
        () => {},
      );
    return result;
  };
  setInterval(() => {
    for (const p of pools) c.maxWaiting = Math.max(c.maxWaiting, p.waitingCount);
  }, 10).unref();
  return {
    counters: () => ({ ...c }),
    resetMaxWaiting() {
      c.maxWaiting = 0;
    },
    exclude(client) {
      excluded.add(client);
    },
    takeStatements() {
      const list = statements ? [...statements.values()] : [];
      statements = new Map();
      return list;
    },
  };
}
