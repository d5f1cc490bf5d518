import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { registerBenchChannel, signInBench, simulatorApi } from '../bench-admin.ts';
import type { DeliveryReady, DeliveryRow, Seeded } from '../delivery/protocol.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { logMachineBusy } from '../webhook/cpu.ts';

// Disaster mail → LINE at 200,000 friends (issue 14; targets: from the end of the SMTP DATA to the
// first multicast request < 5 s, to the last < 60 s, on this 2-core machine with LINE's real rate
// limits). Three processes, as in bench/delivery: the server (../delivery/server.ts with the mail
// bridge's SMTP listener on, BENCH_MAIL_IN=1), the LINE simulator with LINE's rate limits
// (../delivery/line-sim.ts) and this one. Steps:
//   1. set-up (not measured): BENCH_FRIENDS (200,000) friends with registration answers, in the server
//      and the simulator; a receiving address and one rule (everyone: the mail says 「緊急」; footer cut,
//      fixed text appended) through the staff API;
//   2. the sample ISO-2022-JP mail (with its 【緊急】 subject) sent over a raw SMTP conversation; the
//      clock starts as the DATA terminator "\r\n.\r\n" is written;
//   3. wait for the delivery to be sent; first and last multicast request from the simulator's log
//      (its `at` time stamps, same machine clock); every recipient exactly once.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//   DATABASE_URL    PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_FRIENDS   friends (default 200000)

const TARGET_FIRST_MS = 5_000;
const TARGET_LAST_MS = 60_000;
const HARD_LIMIT_MS = 480_000;
const FRIENDS = (() => {
  const v = Number(process.env.BENCH_FRIENDS);
  return Number.isInteger(v) && v >= 1 ? v : 200_000;
})();
const FROM = 'anzen@mail.city.chiba.example';
const TO = 'bousai@madoguchi.city.example';

const here = path.dirname(fileURLToPath(import.meta.url));
const sample = readFileSync(
  path.join(here, '../../apps/server/src/modules/mail-bridge/testing/fixtures/mail-urgent-iso2022jp.eml'),
);
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toLocaleString('en-US');

/** A minimal SMTP client: answers the time (Date.now()) the DATA terminator was written and the final reply. */
async function sendOverSmtp(port: number, raw: Buffer): Promise<{ endOfData: number; reply: string }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (;;) {
      const i = buffer.indexOf('\r\n');
      if (i < 0) break;
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (/^\d{3} /.test(line)) waiters.shift()?.(line);
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const expectCode = async (code: string, what: string) => {
    const line = await reply();
    if (!line.startsWith(code)) throw new Error(`SMTP ${what}: ${line}`);
    return line;
  };
  const greeting = expectCode('220', 'greeting');
  await greeting;
  const step = async (command: string, code: string) => {
    const answer = expectCode(code, command);
    socket.write(`${command}\r\n`);
    return answer;
  };
  await step('EHLO bench.example', '250');
  await step(`MAIL FROM:<${FROM}>`, '250');
  await step(`RCPT TO:<${TO}>`, '250');
  await step('DATA', '354');
  const body = raw.toString('latin1').replace(/\r\n\./g, '\r\n..');
  socket.write(Buffer.from(body.endsWith('\r\n') ? body : `${body}\r\n`, 'latin1'));
  const final = expectCode('250', 'end of DATA');
  const endOfData = Date.now();
  socket.write('.\r\n');
  const line = await final;
  socket.end('QUIT\r\n');
  return { endOfData, reply: line };
}

async function main() {
  const cores = os.availableParallelism();
  log(`mail bridge benchmark — ${cores} cores, Node ${process.version}, ${fmt(FRIENDS)} friends`);
  const backgroundCpuPct = await logMachineBusy(log);
  const sim = new JsonLineChild(path.join(here, '../delivery/line-sim.ts'));
  let server: JsonLineChild | null = null;
  const stopAll = async () => {
    await server?.stop('stop');
    await sim.stop();
  };
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);
  let exitCode = 0;
  try {
    const simReady = await sim.next<{ url: string; pid: number }>(30_000, 'simulator ready line');
    log(`LINE simulator ${simReady.url} (pid ${simReady.pid}), LINE's rate limits on`);
    server = startServerChild(path.join(here, '../delivery/server.ts'), {
      env: { BENCH_LINE_API_URL: simReady.url, BENCH_MAIL_IN: '1' },
    });
    const ready = await server.next<DeliveryReady>(120_000, 'server ready line');
    if (!ready.smtpPort) throw new Error('the server reported no SMTP port');
    log(
      `server ${ready.url} (pid ${ready.pid}), SMTP 127.0.0.1:${ready.smtpPort}; database: ${ready.database}`,
    );
    const simCall = simulatorApi(simReady.url);
    await registerBenchChannel(simCall, ready);

    // --- 1. Set-up (not measured) ---------------------------------------------------------------------
    const seeded = await server.ask<Seeded>(`seed ${FRIENDS}`, 300_000);
    log(
      `seeded ${fmt(seeded.friends)} friends in ${fmt(seeded.seedMs)} ms (+ ${fmt(seeded.linkMs)} ms in the simulator)`,
    );
    const api = await signInBench(ready.url, ready);
    const address = await api<{ id: string }>('POST', '/api/mail-bridge/addresses', {
      channelId: ready.channelId,
      address: TO,
      allowedSenders: [FROM],
    });
    await api('POST', '/api/mail-bridge/rules', {
      addressId: address.id,
      name: '緊急は全員へ',
      definition: {
        conditions: [{ field: 'subject', op: 'contains', value: '緊急' }],
        cutFrom: ['──────'],
        appendText: '※千葉市からの自動配信です。',
        urgentKeywords: ['緊急'],
      },
    });

    // --- 2. The mail ------------------------------------------------------------------------------------
    const sent = await sendOverSmtp(ready.smtpPort, sample);
    log(`SMTP: ${sent.reply}`);
    const [mail] = await api<{ id: string; status: string; deliveryId: string | null }[]>(
      'GET',
      `/api/mail-bridge/messages?addressId=${address.id}`,
    );
    let deliveryId = mail?.deliveryId ?? null;
    const t0 = performance.now();
    while (!deliveryId) {
      if (performance.now() - t0 > 60_000) throw new Error('the mail was not processed within 60 s');
      await sleep(50);
      const [m] = await api<{ deliveryId: string | null; status: string }[]>(
        'GET',
        `/api/mail-bridge/messages?addressId=${address.id}`,
      );
      if (m && m.status !== 'received' && !m.deliveryId) throw new Error(`mail ended as ${m.status}`);
      deliveryId = m?.deliveryId ?? null;
    }
    let row: DeliveryRow;
    for (;;) {
      row = await server.ask<DeliveryRow>(`delivery ${deliveryId}`, 10_000);
      if (row.status === 'sent' || row.status === 'failed') break;
      if (performance.now() - t0 > 180_000)
        throw new Error(`delivery not finished after 180 s: ${row.status}`);
      await sleep(100);
    }

    // --- 3. The simulator's record ------------------------------------------------------------------------
    const requests = (await (
      await fetch(
        `${simReady.url}/_sim/requests?channelId=${ready.lineChannelId}&path=/v2/bot/message/multicast`,
      )
    ).json()) as { at: string; status?: number; body: { to: string[] } }[];
    const ok = requests.filter((r) => r.status === 200);
    const times = ok.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
    const firstMs = times.length ? times[0]! - sent.endOfData : Number.NaN;
    const lastMs = times.length ? times[times.length - 1]! - sent.endOfData : Number.NaN;
    const recipients = ok.flatMap((r) => r.body.to);
    const distinct = new Set(recipients).size;
    const exactlyOnce = recipients.length === distinct && distinct === (row.recipients ?? -1);
    log(
      `delivery ${row.status}: ${fmt(row.recipients ?? 0)} recipients in ${row.batches} batches; ${ok.length} multicast requests answered 200` +
        ` (${requests.length - ok.length} others, e.g. 429 and retried); every recipient once: ${exactlyOnce}`,
    );
    log(`end of DATA → first multicast ${fmt(firstMs)} ms (target < ${fmt(TARGET_FIRST_MS)})`);
    log(`end of DATA → last multicast  ${fmt(lastMs)} ms (target < ${fmt(TARGET_LAST_MS)})`);
    // Where the time to the first request goes (the database's clock, same machine).
    const at = (iso: string | null) => (iso ? Date.parse(iso) - sent.endOfData : Number.NaN);
    const parts = {
      deliveryCreatedMs: at(row.createdAt),
      deliveryTakenMs: at(row.startedAt),
      recipientsStoredMs: at(row.resolvedAt),
    };
    log(
      `after the end of DATA: mail processed and delivery created ${fmt(parts.deliveryCreatedMs)} ms, taken by the runner ` +
        `${fmt(parts.deliveryTakenMs)} ms, ${fmt(row.recipients ?? 0)} recipients stored in batches ${fmt(parts.recipientsStoredMs)} ms`,
    );
    const met = firstMs < TARGET_FIRST_MS && lastMs < TARGET_LAST_MS && exactlyOnce && row.status === 'sent';
    console.log(
      JSON.stringify({
        benchmark: 'mail-bridge',
        cores,
        node: process.version,
        database: ready.database,
        backgroundCpuPct,
        friends: seeded.friends,
        recipients: row.recipients,
        batches: row.batches,
        multicastRequests: ok.length,
        otherRequests: requests.length - ok.length,
        firstMulticastMs: firstMs,
        lastMulticastMs: lastMs,
        exactlyOnce,
        ...parts,
        targetFirstMs: TARGET_FIRST_MS,
        targetLastMs: TARGET_LAST_MS,
        met,
      }),
    );
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    clearTimeout(hardLimit);
    await stopAll();
  }
  process.exit(exitCode);
}

await main();
