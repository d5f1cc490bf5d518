import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CITY_COLORS, templateAreas } from '../../packages/contracts/src/richmenu-constants.ts';
import { registerBenchChannel, signInBench, simulatorApi } from '../bench-admin.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { machineBusyPct } from '../webhook/cpu.ts';

// Disaster mode at scale (X-01; target: under 10 s each way on this machine). Three processes: the
// server (server.ts, started as production starts it, with in-process job workers), the LINE simulator
// with LINE's real rate limits (../delivery/line-sim.ts) and this one. Steps:
//   1. set-up (not measured): BENCH_FRIENDS (200,000) following friends in the server and the
//      simulator; a normal menu published as the default; another menu published to a segment of
//      BENCH_PERSONAL (20,000) of them (their per-user menu, linked by the product's bulk link job);
//      a `kind=disaster` group; the simulator's effective menus counted (the "before" picture);
//   2. on: POST /api/richmenus/disaster/prepare, then the clock starts at POST …/confirm and stops
//      when every following friend's effective menu in the simulator is the disaster menu (polled with
//      GET /_sim/richmenus/effective, every friend at once);
//   3. off: the same, until every friend's effective menu is what it was before — the 20,000 their
//      personal menu (same users: MD5 of the sorted user IDs), everyone else the default.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//   DATABASE_URL    PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_FRIENDS   friends (default 200000); BENCH_PERSONAL friends with a personal menu (default 20000)

const TARGET_MS = 10_000;
const HARD_LIMIT_MS = 600_000;
/** Longest wait for a switch to reach everyone before the run reports a failure. */
const WAIT_LIMIT_MS = 240_000;
const POLL_MS = 100;
const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 1 ? v : fallback;
};
const FRIENDS = envInt('BENCH_FRIENDS', 200_000);
const PERSONAL = Math.min(envInt('BENCH_PERSONAL', 20_000), FRIENDS);

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toLocaleString('en-US');
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

type Effective = {
  followers: number;
  none: number;
  byMenu: Record<string, { user: number; default: number; md5?: string }>;
};

const SIZE = { width: 2500, height: 843 };
const group = (channelId: string, name: string, kind: 'normal' | 'disaster') => ({
  channelId,
  name,
  kind,
  tabs: [
    {
      label: name,
      chatBarText: name.slice(0, 14),
      size: SIZE,
      image: {
        kind: 'template',
        layout: '1x2',
        colors: { ...CITY_COLORS },
        cells: [
          { label: kind === 'disaster' ? '避難のご案内' : 'お知らせ', icon: 'info' },
          { label: '避難所', icon: 'shelter' },
        ],
      },
      areas: templateAreas('1x2', SIZE, 1, 0, [
        { type: 'postback', data: kind === 'disaster' ? 'guide=start' : 'action=disaster-info' },
        { type: 'postback', data: 'action=shelters' },
      ]),
    },
  ],
});

async function main() {
  log(`disaster-mode benchmark — ${os.availableParallelism()} cores, Node ${process.version}`);
  log(`${fmt(FRIENDS)} friends, ${fmt(PERSONAL)} of them with a personal menu`);
  const busy = await machineBusyPct(1000);
  log(`machine busy before start: ${busy ?? '?'}% (load average ${load()})`);

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
    server = startServerChild(path.join(here, 'server.ts'), { env: { BENCH_LINE_API_URL: simReady.url } });
    const ready = await server.next<{
      url: string;
      pid: number;
      database: string;
      channelId: string;
      lineChannelId: string;
      channelSecret: string;
      accessToken: string;
      loginId: string;
      password: string;
    }>(120_000, 'server ready line');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}`);
    const simCall = simulatorApi(simReady.url);
    await registerBenchChannel(simCall, ready);
    const effective = (hash = false) =>
      simCall<Effective>('GET', `/_sim/richmenus/effective?channelId=${ready.lineChannelId}&hash=${hash}`);

    // --- 1. Set-up -----------------------------------------------------------------------------------
    const seeded = await server.ask<{ friends: number; personal: number; seedMs: number; linkMs: number }>(
      `seed ${FRIENDS},${PERSONAL}`,
      300_000,
    );
    log(
      `seeded ${fmt(seeded.friends)} friends in ${fmt(seeded.seedMs)} ms; simulator users linked in ${fmt(seeded.linkMs)} ms`,
    );

    const api = await signInBench(ready.url, ready);
    type View = {
      id: string;
      status: string;
      publications: { id: string; status: string; linkedCount: number }[];
    };
    const menuOf = async (groupId: string) => {
      const v = await api<View>('GET', `/api/richmenus/${groupId}`);
      const tabs = (v as unknown as { tabs: { onLine: boolean }[] }).tabs;
      if (v.status !== 'ready' || !tabs.every((t) => t.onLine)) throw new Error(`group ${groupId} not ready`);
      return v;
    };
    const normal = await api<View>(
      'POST',
      '/api/richmenus',
      group(ready.channelId, '平常メニュー', 'normal'),
    );
    const personal = await api<View>(
      'POST',
      '/api/richmenus',
      group(ready.channelId, '個別メニュー', 'normal'),
    );
    const disaster = await api<View>(
      'POST',
      '/api/richmenus',
      group(ready.channelId, '災害時メニュー', 'disaster'),
    );
    for (const g of [normal, personal, disaster]) await menuOf(g.id);
    await api('POST', `/api/richmenus/${normal.id}/publications`, { target: 'default' });
    const segment = await api<{ id: string }>('POST', '/api/segments', {
      channelId: ready.channelId,
      name: '個別メニューの友だち',
      tree: { type: 'test', value: true },
    });
    const tSeg = performance.now();
    await api('POST', `/api/richmenus/${personal.id}/publications`, {
      target: 'segment',
      segmentId: segment.id,
    });
    for (;;) {
      const v = await api<View>('GET', `/api/richmenus/${personal.id}`);
      const p = v.publications[0]!;
      if (p.status === 'active') {
        log(
          `segment publication active: ${fmt(p.linkedCount)} friends linked in ${fmt(Math.round(performance.now() - tSeg))} ms (set-up)`,
        );
        break;
      }
      if (performance.now() - tSeg > WAIT_LIMIT_MS) throw new Error('segment publication did not finish');
      await sleep(500);
    }
    const before = await effective(true);
    const entries = Object.entries(before.byMenu);
    const personalMenu = entries.find(([, e]) => e.user > 0);
    const defaultMenu = entries.find(([, e]) => e.default > 0);
    if (
      !personalMenu ||
      !defaultMenu ||
      personalMenu[1].user !== PERSONAL ||
      defaultMenu[1].default !== FRIENDS - PERSONAL
    ) {
      throw new Error(`unexpected starting menus: ${JSON.stringify(before)}`);
    }
    log(
      `before: ${fmt(personalMenu[1].user)} friends on their personal menu, ${fmt(defaultMenu[1].default)} on the default`,
    );

    /** Polls until `done` holds for the simulator's picture; answers the time since `from` (ms). */
    const until = async (from: number, what: string, done: (e: Effective) => boolean) => {
      let polls = 0;
      for (;;) {
        const e = await effective();
        polls += 1;
        if (done(e)) return { ms: Math.round(performance.now() - from), polls };
        if (performance.now() - from > WAIT_LIMIT_MS)
          throw new Error(`${what}: not reached in ${WAIT_LIMIT_MS} ms: ${JSON.stringify(e)}`);
        await sleep(POLL_MS);
      }
    };

    // --- 2. On ---------------------------------------------------------------------------------------
    const prepOn = await api<{ token: string; friends: number }>('POST', '/api/richmenus/disaster/prepare', {
      channelId: ready.channelId,
      groupId: disaster.id,
      on: true,
    });
    const loadOn = load();
    const tOn = performance.now();
    await api('POST', '/api/richmenus/disaster/confirm', { token: prepOn.token });
    const confirmOnMs = Math.round(performance.now() - tOn);
    let disasterMenu = '';
    const on = await until(tOn, 'on', (e) => {
      const all = Object.entries(e.byMenu).find(([, x]) => x.user + x.default === FRIENDS);
      if (all && all[0] !== defaultMenu[0] && all[0] !== personalMenu[0]) disasterMenu = all[0];
      return !!all && disasterMenu === all[0];
    });
    log(
      `ON: every friend (${fmt(prepOn.friends)}) sees the disaster menu ${fmt(on.ms)} ms after confirm (confirm answered in ${fmt(confirmOnMs)} ms; ${on.polls} polls; load average ${loadOn})`,
    );
    const during = await effective();
    log(
      `  of them: ${fmt(during.byMenu[disasterMenu]!.user)} by a per-user link, ${fmt(during.byMenu[disasterMenu]!.default)} by the default`,
    );
    // Let the switch's job finish (status active) before switching off.
    for (;;) {
      const s = await api<{ active: boolean; status?: string }>(
        'GET',
        `/api/richmenus/disaster?channelId=${ready.channelId}`,
      );
      if (s.status === 'active') break;
      if (performance.now() - tOn > WAIT_LIMIT_MS) throw new Error('switch on did not reach active');
      await sleep(200);
    }
    const activeMs = Math.round(performance.now() - tOn);
    log(`  the switch reported active ${fmt(activeMs)} ms after confirm`);

    // --- 3. Off --------------------------------------------------------------------------------------
    const prepOff = await api<{ token: string }>('POST', '/api/richmenus/disaster/prepare', {
      channelId: ready.channelId,
      on: false,
    });
    const loadOff = load();
    const tOff = performance.now();
    await api('POST', '/api/richmenus/disaster/confirm', { token: prepOff.token });
    const confirmOffMs = Math.round(performance.now() - tOff);
    const off = await until(
      tOff,
      'off',
      (e) =>
        e.byMenu[personalMenu[0]]?.user === PERSONAL &&
        e.byMenu[defaultMenu[0]]?.default === FRIENDS - PERSONAL,
    );
    const after = await effective(true);
    const samePeople = after.byMenu[personalMenu[0]]?.md5 === personalMenu[1].md5;
    log(
      `OFF: every friend is back on their previous menu ${fmt(off.ms)} ms after confirm (confirm answered in ${fmt(confirmOffMs)} ms; ${off.polls} polls; load average ${loadOff})`,
    );
    log(`  the same ${fmt(PERSONAL)} friends have their personal menu again: ${samePeople ? 'yes' : 'NO'}`);
    const pass = on.ms < TARGET_MS && off.ms < TARGET_MS && samePeople;
    log(`target < ${TARGET_MS / 1000} s each way: ${pass ? 'met' : 'NOT met'}`);
    if (!samePeople) exitCode = 1;
    console.log(
      JSON.stringify({
        benchmark: 'disaster',
        friends: FRIENDS,
        personal: PERSONAL,
        onMs: on.ms,
        offMs: off.ms,
        confirmOnMs,
        confirmOffMs,
        activeMs,
        restoredExactly: samePeople,
        targetMs: TARGET_MS,
        targetMet: pass,
        loadAverageOn: loadOn,
        loadAverageOff: loadOff,
        busyBeforePct: busy,
        cores: os.availableParallelism(),
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
