import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { createInflateRaw } from 'node:zlib';
import { guardBenchmark } from '../guard.ts';
import { startServerChild } from '../webhook/child.ts';
import { machineBusyPct } from '../webhook/cpu.ts';
import type { ServerChildReady, ServerProcessStats } from '../webhook/protocol.ts';

// Memory of the attribute export (D-08, issue 10): BENCH_FRIENDS (200,000) following friends with
// registration answers are seeded (segments' seeding, as bench/delivery does), then an admin downloads
// GET /api/friends/attributes.xlsx and .csv, one after the other (xlsx first, so its figure is not
// raised by the CSV's). The server runs in a child process (server.ts, started as production starts
// it); this process samples that child's resident memory from /proc/<pid>/status every 10 ms while a
// download runs (from outside, so a blocked event loop cannot hide a peak) and reports for each
// format: RSS before, the peak while downloading, the growth, the kernel's high-water mark (VmHWM,
// since the child started), time to the response headers and to the last byte, the file size, the
// server's longest event-loop stall, and a check that the file holds a header and one row per friend
// (the xlsx worksheet is inflated as a stream and its <row> elements counted). The server also samples
// its own process.memoryUsage() meanwhile (`watch` / `watched`): the V8 heap in use and reserved and the
// external memory at their peaks, to tell rows kept from garbage not yet collected.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//
// Environment:
//   DATABASE_URL   PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_EXPORT   friends (default: the attribute export) or survey (GET /api/surveys/:id/responses.*
//                  of a survey with BENCH_ANSWERS answers, default 100000; Q-04)
//   BENCH_FRIENDS  friends to seed (default 200000)
//   BENCH_FORMATS  formats to download, in order (default xlsx,csv)
//   BENCH_READ_KIB_S  read the downloads at most this fast (KiB/s), as a slow connection would

const HARD_LIMIT_MS = 540_000;
const FRIENDS = (() => {
  const v = Number(process.env.BENCH_FRIENDS);
  return Number.isInteger(v) && v >= 1 ? v : 200_000;
})();
const FORMATS = (process.env.BENCH_FORMATS ?? 'xlsx,csv')
  .split(',')
  .map((f) => f.trim())
  .filter((f): f is 'xlsx' | 'csv' => f === 'xlsx' || f === 'csv');

const READ_KIB_S = Number(process.env.BENCH_READ_KIB_S) > 0 ? Number(process.env.BENCH_READ_KIB_S) : null;

/** Passes the download on at most READ_KIB_S (whole chunks, then a pause as long as they took). */
function throttle(): Transform {
  const started = performance.now();
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      const due = started + (bytes / 1024 / READ_KIB_S!) * 1000;
      setTimeout(() => done(null, chunk), Math.max(0, due - performance.now()));
    },
  });
}

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const fmt = (n: number) => n.toLocaleString('en-US');
const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** VmRSS and VmHWM of a process, in KiB. */
function memoryOf(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** Counts the rows of the first worksheet of an xlsx file and returns the start of its XML. */
async function xlsxRows(file: string): Promise<{ rows: number; head: string }> {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const tail = Buffer.alloc(Math.min(size, 65_557));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0) throw new Error('no zip end record');
    const entries = tail.readUInt16LE(end + 10);
    const dirSize = tail.readUInt32LE(end + 12);
    const dirOffset = tail.readUInt32LE(end + 16);
    const dir = Buffer.alloc(dirSize);
    readSync(fd, dir, 0, dirSize, dirOffset);
    for (let p = 0, i = 0; i < entries; i++) {
      const method = dir.readUInt16LE(p + 10);
      const packed = dir.readUInt32LE(p + 20);
      const nameLength = dir.readUInt16LE(p + 28);
      const skip = nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
      const localOffset = dir.readUInt32LE(p + 42);
      const name = dir.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      p += 46 + skip;
      if (name !== 'xl/worksheets/sheet1.xml') continue;
      if (method !== 8) throw new Error(`worksheet stored with method ${method}`);
      const local = Buffer.alloc(30);
      readSync(fd, local, 0, 30, localOffset);
      const start = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      let rows = 0;
      let carry = '';
      let head = '';
      await pipeline(
        createReadStream(file, { start, end: start + packed - 1 }),
        createInflateRaw(),
        async (src) => {
          for await (const chunk of src as AsyncIterable<Buffer>) {
            // '<row' is 4 characters: one split between two chunks is found in the last 3 + the next.
            const text = carry + chunk.toString('latin1');
            if (head.length < 4096) head += chunk.toString('utf8').slice(0, 4096 - head.length);
            for (let at = text.indexOf('<row'); at >= 0; at = text.indexOf('<row', at + 4)) rows++;
            carry = text.slice(-3);
          }
        },
      );
      return { rows, head };
    }
    throw new Error('no xl/worksheets/sheet1.xml');
  } finally {
    closeSync(fd);
  }
}

/** Counts the CRLF-ended lines of a CSV file and returns its first line. */
async function csvRows(file: string): Promise<{ rows: number; head: string }> {
  let rows = 0;
  let head = '';
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (head.length < 4096) head += chunk.toString('utf8').slice(0, 4096 - head.length);
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) rows++;
  }
  return { rows, head: head.split('\r\n')[0]! };
}

interface HeapPeaks {
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

interface Ready extends ServerChildReady {
  channelId: string;
  loginId: string;
  password: string;
}

async function main() {
  log(
    `export-memory benchmark — ${os.availableParallelism()} cores, Node ${process.version}, ${fmt(FRIENDS)} friends` +
      (READ_KIB_S ? `, downloads read at ${fmt(READ_KIB_S)} KiB/s` : ''),
  );
  const busy = await machineBusyPct(1000);
  log(
    `machine busy before start: ${busy ?? '?'}%${busy !== null && busy > 10 ? ' — OTHER WORK IS RUNNING, figures are skewed' : ''}`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-export-'));
  const server = startServerChild(path.join(here, 'server.ts'));
  const stop = async () => {
    await server.stop('stop');
    rmSync(dir, { recursive: true, force: true });
  };
  const hardLimit = guardBenchmark(stop, HARD_LIMIT_MS);

  let exitCode = 0;
  try {
    const ready = await server.next<Ready>(120_000, 'server ready line');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}`);
    const survey = process.env.BENCH_EXPORT === 'survey';
    const answers = Number(process.env.BENCH_ANSWERS ?? 100_000);
    const seeded = survey
      ? await server
          .ask<{ surveyId: string; responses: number; seedMs: number }>(`survey ${answers}`, 300_000)
          .then((r) => ({ friends: r.responses, registered: 0, seedMs: r.seedMs, surveyId: r.surveyId }))
      : {
          ...(await server.ask<{ friends: number; registered: number; seedMs: number }>(
            `seed ${FRIENDS}`,
            300_000,
          )),
          surveyId: '',
        };
    log(
      survey
        ? `seeded a survey with ${fmt(seeded.friends)} answers in ${fmt(seeded.seedMs)} ms`
        : `seeded ${fmt(seeded.friends)} friends (${fmt(seeded.registered)} registered) in ${fmt(seeded.seedMs)} ms`,
    );
    const exportUrl = (format: string) =>
      survey
        ? `${ready.url}/api/surveys/${seeded.surveyId}/responses.${format}`
        : `${ready.url}/api/friends/attributes.${format}?channelId=${ready.channelId}`;

    const login = await fetch(`${ready.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: ready.loginId, password: ready.password }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

    const results = [];
    for (const format of FORMATS) {
      await server.ask('reset', 10_000);
      const heapBefore = await server.ask<ServerProcessStats>('stats', 10_000);
      await server.ask('watch', 10_000);
      const before = memoryOf(ready.pid);
      let peakKb = before.rssKb;
      const sampler = setInterval(() => {
        peakKb = Math.max(peakKb, memoryOf(ready.pid).rssKb);
      }, 10);
      const file = path.join(dir, `attributes.${format}`);
      const t0 = performance.now();
      const res = await fetch(exportUrl(format), { headers: { cookie } });
      const headersMs = performance.now() - t0;
      if (res.status !== 200 || !res.body)
        throw new Error(`${format} export: ${res.status} ${await res.text()}`);
      const body = Readable.fromWeb(res.body as WebReadableStream);
      await (READ_KIB_S
        ? pipeline(body, throttle(), createWriteStream(file))
        : pipeline(body, createWriteStream(file)));
      const totalMs = performance.now() - t0;
      clearInterval(sampler);
      const after = memoryOf(ready.pid);
      peakKb = Math.max(peakKb, after.rssKb);
      const heap = await server.ask<HeapPeaks>('watched', 10_000);
      const stats = await server.ask<ServerProcessStats>('stats', 10_000);
      const check = format === 'xlsx' ? await xlsxRows(file) : await csvRows(file);
      const dataRows = check.rows - 1;
      const headerOk = check.head.includes(survey ? '回答ID' : '友だちID');
      const result = {
        format,
        rssBeforeMb: mib(before.rssKb),
        rssPeakMb: mib(peakKb),
        rssGrowthMb: mib(peakKb - before.rssKb),
        rssAfterMb: mib(after.rssKb),
        vmHwmMb: mib(after.hwmKb),
        headersMs: Math.round(headersMs),
        totalMs: Math.round(totalMs),
        bytes: statSync(file).size,
        rows: dataRows,
        rowsOk: dataRows === seeded.friends && headerOk,
        loopDelayMaxMs: Math.round(stats.loopDelayMaxMs),
        heapUsedBeforeMb: mib(heapBefore.heapUsedMb * 1024),
        heapUsedPeakMb: heap.heapUsedMb,
        heapTotalPeakMb: heap.heapTotalMb,
        externalBeforeMb: mib(heapBefore.externalMb * 1024),
        externalPeakMb: heap.externalMb,
        arrayBuffersPeakMb: heap.arrayBuffersMb,
      };
      results.push(result);
      log(
        `${format}: RSS ${fmt(result.rssBeforeMb)} → peak ${fmt(result.rssPeakMb)} MiB (+${fmt(result.rssGrowthMb)}), ` +
          `VmHWM ${fmt(result.vmHwmMb)} MiB; headers after ${fmt(result.headersMs)} ms, done in ${fmt(result.totalMs)} ms; ` +
          `${fmt(result.bytes)} bytes, ${fmt(dataRows)} rows${result.rowsOk ? '' : ' — WRONG (header or row count)'}; ` +
          `longest event-loop stall ${fmt(result.loopDelayMaxMs)} ms; V8 heap used ${fmt(result.heapUsedBeforeMb)} → peak ` +
          `${fmt(result.heapUsedPeakMb)} MiB (heap ${fmt(result.heapTotalPeakMb)} MiB), external ${fmt(result.externalBeforeMb)} → ` +
          `peak ${fmt(result.externalPeakMb)} MiB (array buffers ${fmt(result.arrayBuffersPeakMb)} MiB)`,
      );
      rmSync(file, { force: true });
      if (!result.rowsOk) exitCode = 1;
    }
    console.log(
      JSON.stringify({
        benchmark: 'export-memory',
        export: survey ? 'survey' : 'friends',
        node: process.version,
        friends: seeded.friends,
        readKibPerS: READ_KIB_S,
        registered: seeded.registered,
        database: ready.database,
        results,
        ok: exitCode === 0,
      }),
    );
  } catch (err) {
    console.error('benchmark failed:', err);
    exitCode = 1;
  } finally {
    clearTimeout(hardLimit);
    await stop();
  }
  process.exitCode = exitCode;
}

await main();
