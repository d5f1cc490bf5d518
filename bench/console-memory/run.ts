import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { pool } from '../consultation/clients.ts';
import { guardBenchmark } from '../guard.ts';

// Memory of the staff console with 20 open chats (C-12: light on a shared, slow machine).
// Starts the whole product as `madoguchi dev` does (embedded PostgreSQL in a temporary DATA_DIR, the LINE
// simulator, the demo city) on free ports, creates CHATS web consultations with MESSAGES consultee messages
// each (POST /api/consult/start, then /ws/consult, one acknowledged message after the other), signs in as
// counselor1 in headless Chromium (1280×800) and opens each chat in 相談対応. Then it forces a garbage
// collection (CDP HeapProfiler.collectGarbage) and reads Performance.getMetrics (JS heap, DOM nodes) and
// the memory of the renderer process (/proc/<pid>/smaps_rollup, Linux). The same figures are taken once
// before the first chat is opened (the queue only), for comparison.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted; the child and
// its temporary directory are removed at the end. Needs the built console (npm run build -w @madoguchi/console).
//
// Environment:
//   CHROMIUM_PATH   the Chromium binary (default /usr/bin/chromium)

const CHATS = 20;
const MESSAGES = 50;
const HARD_LIMIT_MS = 115_000;
const PASSWORD = 'Bench-Console-Pass-2026';
const DESK = { slug: 'ijime', accessCode: 'demo-school' };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The product in a child process (its own process group, so that PostgreSQL goes with it). */
function startProduct(port: number, simulatorPort: number, dataDir: string) {
  const base = `http://127.0.0.1:${port}`;
  const sim = `http://127.0.0.1:${simulatorPort}`;
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'apps/server/bin/madoguchi.js'),
      'dev',
      '--port',
      String(port),
      '--simulator-port',
      String(simulatorPort),
    ],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DEMO_ADMIN_PASSWORD: PASSWORD,
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        LINE_API_BASE_URL: sim,
        LINE_DATA_API_BASE_URL: sim,
        LINE_OAUTH_BASE_URL: sim,
        LOG_LEVEL: 'warn',
      },
    },
  );
  const output: string[] = [];
  let seeded = false;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 40) output.shift();
      // The dev command prints the URLs once the demo city is seeded.
      if (line.includes('/console/')) seeded = true;
    });
  }
  return { child, base, output, isSeeded: () => seeded };
}

/** The embedded PostgreSQL's postmaster (first line of postmaster.pid), or null. */
function postmasterPid(dataDir: string): number | null {
  try {
    return (
      Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) || null
    );
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * SIGTERM to the dev process, which stops its embedded PostgreSQL; then waits for the postmaster too (it
 * may still write its shutdown checkpoint after the dev process exited). SIGKILL to the whole process
 * group when either takes too long. Then removes the data directory.
 */
async function stopProduct(child: ChildProcess, dataDir: string): Promise<void> {
  const pg = postmasterPid(dataDir);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  if (!exited()) child.kill('SIGTERM');
  const stopped = (await until(exited, 20_000)) && (pg === null || (await until(() => !alive(pg), 10_000)));
  if (!stopped) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    if (pg !== null && alive(pg)) process.kill(pg, 'SIGKILL');
    await until(() => exited() && (pg === null || !alive(pg)), 5000);
  }
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  if (existsSync(dataDir)) throw new Error(`could not remove ${dataDir}`);
}

async function waitReady(product: ReturnType<typeof startProduct>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (product.child.exitCode !== null)
      throw new Error(`the server exited (${product.child.exitCode}):\n${product.output.join('\n')}`);
    if (product.isSeeded()) {
      const ready = await fetch(`${product.base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
    }
    await sleep(250);
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${product.output.join('\n')}`);
}

/** One web consultee: a consultation and MESSAGES messages, each sent after the previous one was acknowledged. */
async function webConsultation(base: string, index: number): Promise<string> {
  const start = await fetch(`${base}/api/consult/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deskSlug: DESK.slug, accessCode: DESK.accessCode }),
  });
  if (!start.ok) throw new Error(`consult/start: ${start.status} ${await start.text()}`);
  const cookie = start.headers
    .getSetCookie()
    .find((c) => c.startsWith('madoguchi_consultee='))
    ?.split(';')[0];
  if (!cookie) throw new Error('consult/start: no madoguchi_consultee cookie');
  const { consultationId } = (await start.json()) as { consultationId: string };
  const url = `${base.replace(/^http/, 'ws')}/ws/consult?consultationId=${consultationId}`;
  // Node's WebSocket (undici) accepts headers; the DOM type does not know them.
  const ws = new WebSocket(url, { headers: { cookie } } as unknown as string[]);
  let acked: ((clientId: string) => void) | null = null;
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as { type: string; clientId?: string; code?: string };
    if (m.type === 'ack' && m.clientId) acked?.(m.clientId);
    if (m.type === 'error') console.error(`chat ${index}: error frame ${m.code}`);
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`socket ${url} refused`)), { once: true });
  });
  try {
    for (let n = 1; n <= MESSAGES; n++) {
      const clientId = `bench-${index}-${n}`;
      const ack = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${clientId}`)), 10_000);
        acked = (id) => {
          if (id !== clientId) return;
          clearTimeout(timer);
          resolve();
        };
      });
      ws.send(
        JSON.stringify({
          type: 'message',
          clientId,
          text: `相談者 ${index + 1} のメッセージ ${n}。学校のこと、友だちのこと、家のことで悩んでいます。`,
        }),
      );
      await ack;
    }
  } finally {
    ws.close();
  }
  return consultationId;
}

type Figures = {
  jsHeapUsedMb: number;
  jsHeapTotalMb: number;
  domNodes: number;
  jsEventListeners: number;
  rendererRssMb: number | null;
  rendererPssMb: number | null;
  renderers: number;
};

/** Linux: RSS and PSS of a process in bytes, or null. */
function processMemory(pid: number): { rss: number; pss: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return null;
  }
}

async function measure(browser: Browser, cdp: CDPSession): Promise<Figures> {
  await cdp.send('HeapProfiler.collectGarbage');
  await sleep(200);
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  // The renderer processes of this browser (one tab: the console; a spare renderer may exist): the largest.
  let renderer: { rss: number; pss: number } | null = null;
  let renderers = 0;
  try {
    const session = await browser.newBrowserCDPSession();
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    await session.detach();
    for (const p of info.processInfo.filter((x) => x.type === 'renderer')) {
      renderers++;
      const m = processMemory(p.id);
      if (m && (!renderer || m.rss > renderer.rss)) renderer = m;
    }
  } catch {
    // Not Chromium's CDP or no /proc: the renderer figures stay null.
  }
  return {
    jsHeapUsedMb: mb(metric('JSHeapUsedSize')),
    jsHeapTotalMb: mb(metric('JSHeapTotalSize')),
    domNodes: metric('Nodes'),
    jsEventListeners: metric('JSEventListeners'),
    rendererRssMb: renderer && Number.isFinite(renderer.rss) ? mb(renderer.rss) : null,
    rendererPssMb: renderer && Number.isFinite(renderer.pss) ? mb(renderer.pss) : null,
    renderers,
  };
}

function describe(f: Figures): string {
  const renderer =
    f.rendererRssMb === null
      ? 'renderer memory not available'
      : `renderer RSS ${f.rendererRssMb} MiB, PSS ${f.rendererPssMb} MiB (${f.renderers} renderer process${f.renderers === 1 ? '' : 'es'})`;
  return `JS heap used ${f.jsHeapUsedMb} MiB (total ${f.jsHeapTotalMb} MiB), ${f.domNodes} DOM nodes, ${f.jsEventListeners} listeners; ${renderer}`;
}

async function openChat(page: Page, id: string): Promise<number> {
  const t0 = performance.now();
  await page.evaluate((target) => {
    window.location.hash = target;
  }, `#/consultations/${id}`);
  const log = page.getByRole('log', { name: 'メッセージ' });
  // The queue row of this chat is current (so the chat on screen is this one) and its messages are shown.
  await page.waitForFunction(
    ({ href, count }) => {
      const current = document.querySelector('nav a[aria-current="page"][href^="#/consultations/"]');
      const el = document.querySelector('[role=log]');
      return current?.getAttribute('href') === href && !!el && el.querySelectorAll('li').length >= count;
    },
    { href: `#/consultations/${encodeURIComponent(id)}`, count: MESSAGES },
    { timeout: 15_000 },
  );
  await log.waitFor();
  return performance.now() - t0;
}

async function main() {
  const cores = os.availableParallelism();
  log(`console memory benchmark — ${cores} cores, Node ${process.version}`);
  if (!existsSync(path.join(root, 'apps/console/dist/index.html')))
    throw new Error('the console is not built: run `npm run build -w @madoguchi/console` first');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-console-memory-'));
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const product = startProduct(port, simulatorPort, dataDir);
  let browser: Browser | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => {
    cleaning ??= (async () => {
      await browser?.close().catch(() => {});
      await stopProduct(product.child, dataDir);
    })();
    return cleaning;
  };
  const hardLimit = guardBenchmark(cleanUp, HARD_LIMIT_MS);

  try {
    await waitReady(product, 75_000);
    log(`product ready at ${product.base} (simulator port ${simulatorPort}, DATA_DIR ${dataDir})`);

    const t0 = performance.now();
    // POST /api/consult/start allows 30 per minute and address: CHATS (20) stay below that.
    const ids = await pool(
      Array.from({ length: CHATS }, (_, i) => i),
      5,
      (i) => webConsultation(product.base, i),
    );
    log(
      `${CHATS} web consultations with ${MESSAGES} acknowledged messages each (${Math.round(performance.now() - t0)} ms)`,
    );

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${product.base}/console/`);
    await page.getByLabel('ログインID').fill('counselor1');
    await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByTestId('account-name').waitFor();
    await page.evaluate(() => {
      window.location.hash = '#/consultations';
    });
    const waiting = page.getByRole('region', { name: /^待機中/ }).getByRole('link');
    await page.waitForFunction(
      (count) => document.querySelectorAll('nav[aria-label="相談の一覧"] a').length >= count,
      CHATS,
      { timeout: 15_000 },
    );
    log(`counselor1 signed in; ${await waiting.count()} waiting consultations in the queue`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await sleep(500);
    const before = await measure(browser, cdp);
    log(`queue only:          ${describe(before)}`);

    const openMs: number[] = [];
    for (const id of ids) openMs.push(await openChat(page, id));
    const rendered = await page.getByRole('log', { name: 'メッセージ' }).locator('li').count();
    log(
      `${CHATS} chats opened one after the other (open → ${MESSAGES} messages shown: median ` +
        `${Math.round([...openMs].sort((a, b) => a - b)[Math.floor(openMs.length / 2)] ?? 0)} ms, ` +
        `max ${Math.round(Math.max(...openMs))} ms); the last one shows ${rendered} messages`,
    );
    await sleep(500);
    const after = await measure(browser, cdp);
    log(`after ${CHATS} chats:      ${describe(after)}`);
    log(
      `difference: JS heap +${Math.round((after.jsHeapUsedMb - before.jsHeapUsedMb) * 10) / 10} MiB, ` +
        `DOM nodes ${after.domNodes - before.domNodes >= 0 ? '+' : ''}${after.domNodes - before.domNodes}`,
    );
    if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 3).join(' | ')}`);

    await cleanUp();
    log('stopped the product and removed the temporary directory');
    console.log(
      JSON.stringify({
        bench: 'console-memory',
        chats: CHATS,
        messagesPerChat: MESSAGES,
        jsHeapUsedMb: after.jsHeapUsedMb,
        domNodes: after.domNodes,
        jsHeapTotalMb: after.jsHeapTotalMb,
        jsEventListeners: after.jsEventListeners,
        rendererRssMb: after.rendererRssMb,
        rendererPssMb: after.rendererPssMb,
        queueOnly: {
          jsHeapUsedMb: before.jsHeapUsedMb,
          domNodes: before.domNodes,
          rendererRssMb: before.rendererRssMb,
          rendererPssMb: before.rendererPssMb,
        },
        openChatMedianMs: Math.round([...openMs].sort((a, b) => a - b)[Math.floor(openMs.length / 2)] ?? 0),
        pageErrors: pageErrors.length,
        cores,
        node: process.version,
      }),
    );
  } catch (error) {
    await cleanUp();
    throw error;
  } finally {
    clearTimeout(hardLimit);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
