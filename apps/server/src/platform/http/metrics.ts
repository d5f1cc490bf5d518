import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../../db/database.ts';
import type { Jobs } from '../jobs.ts';

// Prometheus metrics at GET /metrics (O-03). Two kinds:
// - counters and histograms this process counts (HTTP, webhook intake, …), defined where they count;
// - scrape-time figures read from the database and the job queue — the same on every node, so an
//   alert works whichever node Prometheus scrapes. Each owning module declares its figures once with
//   `defineFigures` (its `<module>.metrics.ts`, reading through its own repository); one collector
//   reads every source at most once per FIGURES_CACHE_MS, each within FIGURES_TIMEOUT_MS, and says
//   per source whether the read worked (madoguchi_metrics_source_up).
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'madoguchi_http_request_duration_seconds',
  help: 'HTTP request duration',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const lineEventsReceived = new Counter({
  name: 'madoguchi_line_events_received_total',
  help: 'LINE webhook events stored (duplicates excluded)',
  labelNames: ['type'],
  registers: [registry],
});

const version = (() => {
  try {
    const pkg = new URL('../../../package.json', import.meta.url);
    return String((JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
})();

new Gauge({
  name: 'madoguchi_build_info',
  help: 'Always 1; the version of the running server in the label',
  labelNames: ['version', 'node'],
  registers: [registry],
  collect() {
    this.set({ version, node: process.version }, 1);
  },
});

/** What a scrape-time figure may read: this process's database pool and job queue. */
export interface FigureContext {
  db: Db;
  jobs: Jobs;
}

export interface Reading {
  labels: Record<string, string>;
  value: number;
}

export interface FigureSource<K extends string> {
  /** The `source` label of madoguchi_metrics_source_up (the owning module or platform part). */
  source: string;
  /** Gauge name → its help text and label names. */
  gauges: Record<K, { help: string; labelNames?: readonly string[] }>;
  /** One read of every gauge: a number, or one reading per label set. */
  read(ctx: FigureContext): Promise<Record<K, number | Reading[]>>;
}

export const FIGURES_CACHE_MS = 5000;
export const FIGURES_TIMEOUT_MS = 2000;

interface Snapshot {
  at: number;
  figures: Promise<Record<string, number | Reading[]> | null>;
}

const sources: { def: FigureSource<string>; last: Snapshot | null }[] = [];
let context: FigureContext | null = null;

/** The database and job queue scrape-time figures read (the last app built in this process). */
export function readFiguresFrom(ctx: FigureContext): void {
  context = ctx;
  for (const s of sources) s.last = null;
}

function snapshot(entry: (typeof sources)[number]) {
  const now = Date.now();
  if (entry.last && now - entry.last.at < FIGURES_CACHE_MS) return entry.last.figures;
  const ctx = context;
  const figures = ctx
    ? new Promise<Record<string, number | Reading[]> | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), FIGURES_TIMEOUT_MS);
        entry.def.read(ctx).then(
          (f) => {
            clearTimeout(timer);
            resolve(f);
          },
          () => {
            clearTimeout(timer);
            resolve(null);
          },
        );
      })
    : Promise.resolve(null);
  entry.last = { at: now, figures };
  return figures;
}

/** Declares scrape-time gauges read together from one source (once per process, at import). */
export function defineFigures<K extends string>(def: FigureSource<K>): void {
  const entry = { def: def as unknown as FigureSource<string>, last: null };
  sources.push(entry);
  for (const [name, g] of Object.entries(def.gauges) as [string, { help: string; labelNames?: string[] }][]) {
    new Gauge({
      name,
      help: g.help,
      labelNames: g.labelNames ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        const figures = await snapshot(entry);
        const value = figures?.[name];
        if (value === undefined) return;
        if (typeof value === 'number') this.set(value);
        else for (const r of value) this.set(r.labels, r.value);
      },
    });
  }
}

new Gauge({
  name: 'madoguchi_metrics_source_up',
  help: 'Whether the last read of a source of scrape-time figures worked within the time limit (1) or not (0)',
  labelNames: ['source'],
  registers: [registry],
  async collect() {
    this.reset();
    for (const entry of sources) this.set({ source: entry.def.source }, (await snapshot(entry)) ? 1 : 0);
  },
});

/** Seconds since `at` (0 for none, never negative): the age of the oldest waiting item. */
export function ageSeconds(at: Date | string | null | undefined): number {
  if (!at) return 0;
  return Math.max(0, (Date.now() - new Date(at).getTime()) / 1000);
}

export function registerMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { config: { staff: false } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
