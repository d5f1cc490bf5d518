import { PgBoss } from 'pg-boss';
import { connectionOptions } from '../db/connection.ts';
import { ageSeconds, defineFigures, type Reading } from './http/metrics.ts';

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
  /**
   * Readiness (O-03): the queue client is started and its schema answers. A `--no-workers` node
   * checks the client it sends jobs with.
   */
  ready(): Promise<boolean>;
  /** Per queue: jobs waiting, running, failed (kept), and how long the oldest due one has waited. */
  queueFigures(): Promise<QueueFigure[]>;
}

export interface QueueFigure {
  name: string;
  queued: number;
  active: number;
  failed: number;
  oldestWaitingSeconds: number;
}

export const JOBS_SCHEMA = 'pgboss';

export function createJobs(
  databaseUrl: string,
  onError: (err: unknown) => void,
  schema: string = JOBS_SCHEMA,
): Jobs {
  const boss = new PgBoss({
    // With a multi-host DATABASE_URL the pool's Client picks the read-write host and the LISTEN
    // connection (a plain pg.Client from a copy of these options) goes to the one found last.
    ...connectionOptions(databaseUrl),
    schema,
    max: 6,
    useListenNotify: true,
  });
  boss.on('error', onError);
  const defs = new Map<string, JobDefinition<object>>();
  let started = false;
  let workersHere = false;
  return {
    workersHere: () => workersHere,
    async ready() {
      if (!started) return false;
      try {
        return await boss.isInstalled();
      } catch {
        return false;
      }
    },
    async queueFigures() {
      if (!started) throw new Error('job queue not started');
      // pg-boss keeps the counts per queue (its monitor refreshes them); the oldest due job's wait
      // comes from the job table through its index on waiting jobs (job_i11).
      const [queues, oldest] = await Promise.all([
        boss.getQueues(),
        boss.getDb().executeSql(
          `select name, min(start_after) as due from ${schema}.job
            where state < 'active' and not blocked and start_after <= now() group by name`,
        ),
      ]);
      const dueSince = new Map(
        (oldest.rows as { name: string; due: Date }[]).map((r) => [r.name, ageSeconds(r.due)]),
      );
      return queues.map((q) => ({
        name: q.name,
        queued: q.queuedCount,
        active: q.activeCount,
        failed: q.failedCount,
        oldestWaitingSeconds: dueSince.get(q.name) ?? 0,
      }));
    },
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

const perQueue = (figures: QueueFigure[], pick: (f: QueueFigure) => number): Reading[] =>
  figures.map((f) => ({ labels: { queue: f.name }, value: pick(f) }));

defineFigures({
  source: 'jobs',
  gauges: {
    madoguchi_job_queue_queued: {
      help: 'Jobs waiting in a pg-boss queue (due or later)',
      labelNames: ['queue'],
    },
    madoguchi_job_queue_active: { help: 'Jobs running now, per queue', labelNames: ['queue'] },
    madoguchi_job_queue_failed: {
      help: 'Failed jobs still kept by pg-boss (its retention), per queue',
      labelNames: ['queue'],
    },
    madoguchi_job_queue_oldest_waiting_seconds: {
      help: 'How long the oldest due job of a queue has waited to start (0 when none waits)',
      labelNames: ['queue'],
    },
  },
  async read({ jobs }) {
    const figures = await jobs.queueFigures();
    return {
      madoguchi_job_queue_queued: perQueue(figures, (f) => f.queued),
      madoguchi_job_queue_active: perQueue(figures, (f) => f.active),
      madoguchi_job_queue_failed: perQueue(figures, (f) => f.failed),
      madoguchi_job_queue_oldest_waiting_seconds: perQueue(figures, (f) => f.oldestWaitingSeconds),
    };
  },
});
