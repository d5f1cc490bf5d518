import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb } from '../../apps/server/src/db/database.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../apps/server/src/db/migrate.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { haversineMeters, nearestShelters } from '../../apps/server/src/modules/shelters/shelter-nearby.ts';
import {
  type ShelterWrite,
  upsertShelterRows,
} from '../../apps/server/src/modules/shelters/shelters.repository.ts';
import { guardBenchmark } from '../guard.ts';

// Nearest-shelter search: BENCH_SHELTERS (10,000) shelters clustered around 60 towns across
// Japan, a third of them open, then the nearest 5 open shelters (the LINE reply and the citizen page's
// query: GiST KNN, then the exact second step, see shelter-nearby.ts) for BENCH_POINTS (1,000) random
// points in Japan, one at a time, after 50 warm-up queries. Also the nearest 5 of every status, and
// an exactness check against a full scan ranked by haversine for the first 100 points.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//   DATABASE_URL    PostgreSQL server for a scratch database (else embedded PostgreSQL)
//   BENCH_SHELTERS  shelters to insert (default 10000)
//   BENCH_POINTS    query points (default 1000, at least 1000 for the p99)

const SHELTERS = Number(process.env.BENCH_SHELTERS ?? 10_000);
const POINTS = Number(process.env.BENCH_POINTS ?? 1000);
const WARMUP = 50;
const CHECKED = 100;
const HARD_LIMIT_MS = 300_000;

const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

// A deterministic random stream (the same shelters and points every run).
let seed = 20261202;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const gauss = () => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
// Town centres spread over Japan's land (a coarse band from Kyushu to Hokkaido).
const towns = Array.from({ length: 60 }, (_, i) => {
  const t = i / 59;
  return { lat: 31.5 + t * 12 + (rnd() - 0.5) * 1.5, lon: 130.5 + t * 11 + (rnd() - 0.5) * 2 };
});
const nearTown = (spreadDeg: number) => {
  const town = towns[Math.floor(rnd() * towns.length)]!;
  return { lat: town.lat + gauss() * spreadDeg, lon: town.lon + gauss() * spreadDeg };
};
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

const dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-shelters-'));
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dir, { database: 'postgres' });
const database = await createScratchDatabase(process.env.DATABASE_URL || embedded!.url, 'madoguchi_bench');
const { db, pool } = createDb(database.url, 4);
const cleanUp = async () => {
  await db.destroy().catch(() => {});
  await database.drop().catch(() => {});
  await embedded?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
const guard = guardBenchmark(cleanUp, HARD_LIMIT_MS);
try {
  await migrateToLatest(db);
  log(`inserting ${SHELTERS.toLocaleString('en-US')} shelters`);
  const rows: ShelterWrite[] = Array.from({ length: SHELTERS }, (_, i) => {
    const p = nearTown(0.08);
    return {
      external_id: `BENCH-${i}`,
      name: `ベンチ避難所 ${i}`,
      address: '',
      latitude: p.lat,
      longitude: p.lon,
      capacity: 100 + (i % 900),
      disaster_types: i % 2 ? ['earthquake', 'large_fire'] : ['flood', 'earthquake', 'tsunami'],
      kind: 'emergency_site',
      source_layout: 'bench',
    };
  });
  const insertStart = performance.now();
  await db.transaction().execute((trx) => upsertShelterRows(trx, rows));
  // A third open (the rest stay not opened), set directly: the benchmark measures the search.
  await pool.query(
    `update shelters set status = 'open', status_changed_at = now() where external_id ~ '[0-9]*[036]$'`,
  );
  await pool.query('analyze shelters');
  const open = Number(
    (await pool.query(`select count(*) from shelters where status = 'open'`)).rows[0].count,
  );
  log(`inserted in ${round((performance.now() - insertStart) / 1000, 1)} s; ${open} open`);

  const points = Array.from({ length: WARMUP + POINTS }, () => nearTown(0.25));
  const measure = async (statuses: ('open' | 'closed_not_opened' | 'full' | 'shut')[]) => {
    const times: number[] = [];
    for (const [i, p] of points.entries()) {
      const t0 = performance.now();
      const got = await nearestShelters(db, { lat: p.lat, lon: p.lon, statuses, limit: 5 });
      const dt = performance.now() - t0;
      if (got.length !== 5) throw new Error(`expected 5 results at ${p.lat},${p.lon}, got ${got.length}`);
      if (i >= WARMUP) times.push(dt);
    }
    times.sort((a, b) => a - b);
    return {
      queries: times.length,
      p50Ms: round(pct(times, 50)),
      p99Ms: round(pct(times, 99)),
      maxMs: round(times.at(-1)!),
      meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    };
  };
  const openOnly = await measure(['open']);
  log(
    `nearest 5 open:  p50 ${openOnly.p50Ms} ms, p99 ${openOnly.p99Ms} ms, max ${openOnly.maxMs} ms (${openOnly.queries} points)`,
  );
  const anyStatus = await measure(['open', 'closed_not_opened', 'full', 'shut']);
  log(`nearest 5 any:   p50 ${anyStatus.p50Ms} ms, p99 ${anyStatus.p99Ms} ms, max ${anyStatus.maxMs} ms`);

  // Exactness: the answer equals a full scan ranked by haversine distance.
  const all = (
    await pool.query(`select external_id, latitude, longitude from shelters where status = 'open'`)
  ).rows as {
    external_id: string;
    latitude: number;
    longitude: number;
  }[];
  let exact = 0;
  for (const p of points.slice(WARMUP, WARMUP + CHECKED)) {
    const got = await nearestShelters(db, { lat: p.lat, lon: p.lon, statuses: ['open'], limit: 5 });
    const want = all
      .map((s) => ({ id: s.external_id, d: haversineMeters(p.lat, p.lon, s.latitude, s.longitude) }))
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
      .slice(0, 5);
    if (got.every((g, i) => Math.abs(g.distanceMeters - want[i]!.d) < 1e-6)) exact++;
  }
  log(`exact against a full scan: ${exact} / ${CHECKED}`);
  clearTimeout(guard);
  console.log(
    JSON.stringify({
      benchmark: 'shelters',
      shelters: SHELTERS,
      open,
      nearest5Open: openOnly,
      nearest5Any: anyStatus,
      exactChecked: CHECKED,
      exact,
      cpus: os.cpus().length,
    }),
  );
} finally {
  await cleanUp();
}
