import { PgBoss } from 'pg-boss';
import { connectionOptions } from '../db/connection.ts';

// Background jobs on pg-boss in the same PostgreSQL. Modules define their jobs once; `serve` runs
// the workers in-process by default and `worker` runs them alone so they can scale out.

export interface JobDefinition<T extends object> {
  name: string;
  handler: (items: T[]) => Promise<void>;
  batchSize?: number;
  retryLimit?: number;
  /** Cron expression (Asia/Tokyo) for recurring jobs. */
  cron?: string;
}

export interface Jobs {
  define<T extends object>(def: JobDefinition<T>): void;
  send(name: string, data: object, options?: { singletonKey?: string; startAfter?: Date }): Promise<void>;
  start(opts: { workers: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Whether this process runs the job workers (started with `workers`, and not stopped). */
  workersHere(): boolean;
}

export function createJobs(databaseUrl: string, onError: (err: unknown) => void): Jobs {
  const boss = new PgBoss({
    // With a multi-host DATABASE_URL the pool's Client picks the read-write host and the LISTEN
    // connection (a plain pg.Client from a copy of these options) goes to the one found last.
    ...connectionOptions(databaseUrl),
    schema: 'pgboss',
    max: 6,
    useListenNotify: true,
  });
  boss.on('error', onError);
  const defs = new Map<string, JobDefinition<object>>();
  let started = false;
  let workersHere = false;
  return {
    workersHere: () => workersHere,
    define(def) {
      defs.set(def.name, def as JobDefinition<object>);
    },
    async send(name, data, options) {
      if (!started) throw new Error(`job queue not started (sending ${name})`);
      await boss.send(name, data, {
        ...(options?.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options?.startAfter ? { startAfter: options.startAfter } : {}),
      });
    },
    async start({ workers }) {
      await boss.start();
      started = true;
      workersHere = workers;
      for (const def of defs.values()) {
        await boss.createQueue(def.name, {
          retryLimit: def.retryLimit ?? 5,
          retryBackoff: true,
          retryDelay: 2,
          notify: true,
        });
        if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Tokyo' });
        if (workers) {
          await boss.work<object>(
            def.name,
            // A job due later (startAfter: a scheduled end, a retry's backoff) gets no NOTIFY when it
            // becomes due: pg-boss's relaxed poll under NOTIFY (30 s by default) would start it up to
            // 30 s late. Polling stays every 2 s; NOTIFY only makes a job sent now start at once.
            { batchSize: def.batchSize ?? 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
            async (jobs) => {
              await def.handler(jobs.map((j) => j.data));
            },
          );
        }
      }
    },
    async stop() {
      workersHere = false;
      if (started) await boss.stop({ graceful: true, timeout: 10_000 });
      started = false;
    },
  };
}

/**
 * Coalesces many "there is work" signals into at most one job per interval (e.g. one dispatch job for
 * a burst of webhooks); the job itself processes everything pending.
 */
export function coalescedTrigger(
  jobs: Jobs,
  name: string,
  onError: (err: unknown) => void,
  intervalMs: number,
): () => void {
  let timer: NodeJS.Timeout | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      jobs.send(name, {}).catch(onError);
    }, intervalMs);
    timer.unref();
  };
}
