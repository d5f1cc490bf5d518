import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ServerProcessStats } from './protocol.ts';

// CPU accounting for the benchmarks (Linux /proc): the whole machine, the server child (its own
// process.cpuUsage, from a "stats" answer), the PostgreSQL processes working for the bench database,
// this load generator, and helper processes (e.g. the LINE simulator). What is left of the machine's
// busy time is "other processes": work that skews the figures.

/**
 * Busy, stolen (taken by the hypervisor for other guests) and total jiffies of the whole machine
 * (Linux /proc/stat), or null elsewhere.
 */
export function machineCpu(): { busy: number; steal: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const steal = f[7] ?? 0;
    return { busy: total - idle - steal, steal, total };
  } catch {
    return null;
  }
}

/** CPU time (ms) used so far by each of these processes that still runs (Linux /proc; empty elsewhere). */
export function processCpuMs(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
      out.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // The process ended; its CPU time is lost to this measurement.
    }
  }
  return out;
}

/**
 * CPU time (ms) these processes used between two readings: processes new in the second reading count
 * in full (they started in between), processes that ended in between are not counted.
 */
export function cpuDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** How busy the whole machine is over `ms` (in % of all cores), or null when /proc/stat is unavailable. */
export async function machineBusyPct(ms = 1000): Promise<number | null> {
  const a = machineCpu();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpu();
  return a && b ? round(((b.busy - a.busy) / (b.total - a.total)) * 100) : null;
}

/**
 * Measures how busy the machine is before a benchmark starts its processes (1 s) and logs it with the
 * load average, warning when other work runs (it skews every figure); answers the percentage.
 */
export async function logMachineBusy(log: (msg: string) => void): Promise<number | null> {
  const busy = await machineBusyPct(1000);
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  log(
    `machine busy before start: ${busy ?? '?'}% (load average ${load})` +
      `${busy !== null && busy > 10 ? ' — OTHER WORK IS RUNNING, figures are skewed' : ''}`,
  );
  return busy;
}

/** The CPU counters at one moment, for cpuReport. */
export interface CpuSnapshot {
  at: number;
  machine: ReturnType<typeof machineCpu>;
  serverUserMs: number;
  serverSystemMs: number;
  pgPids: number[];
  pg: Map<number, number>;
  client: NodeJS.CpuUsage;
  helperPids: number[];
  helpers: Map<number, number>;
}

/**
 * Reads the counters now. `server` is a fresh "stats" answer of the server child; `helperPids` are
 * helper processes whose CPU is reported apart (LINE simulator); `previous` is the snapshot this one
 * will be compared with (the PostgreSQL processes of both are read, as in the webhook benchmark).
 */
export function cpuSnapshot(
  server: Pick<ServerProcessStats, 'cpuUserMs' | 'cpuSystemMs' | 'pgPids'>,
  helperPids: number[] = [],
  previous?: CpuSnapshot,
): CpuSnapshot {
  const pgPids = previous ? [...new Set([...previous.pgPids, ...server.pgPids])] : server.pgPids;
  return {
    at: performance.now(),
    machine: machineCpu(),
    serverUserMs: server.cpuUserMs,
    serverSystemMs: server.cpuSystemMs,
    pgPids,
    pg: processCpuMs(pgPids),
    client: process.cpuUsage(),
    helperPids,
    helpers: processCpuMs(helperPids),
  };
}

/** CPU between two snapshots, each in % of one core (200 % = both cores of a 2-core machine). */
export interface CpuReport {
  /** The server process, and the kernel's part of it. */
  serverCpuPct: number;
  serverCpuSystemPct: number;
  /** PostgreSQL for this benchmark (see ServerProcessStats.pgPids), approximately. */
  postgresCpuPct: number | null;
  /** This load generator. */
  clientCpuPct: number;
  /** The helper processes (null when there are none). */
  helperCpuPct: number | null;
  /** Share of the whole machine that was busy (in % of all cores). */
  machineCpuPct: number | null;
  /** Share of the machine's CPU time the hypervisor gave to other guests (a VM's neighbours). */
  stealPct: number | null;
  /** Everything else on the machine (other work skews the figures). */
  otherCpuPct: number | null;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export function cpuReport(a: CpuSnapshot, b: CpuSnapshot, cores: number): CpuReport {
  const ms = b.at - a.at;
  const pct = (used: number) => round((used / ms) * 100);
  const client = (b.client.user - a.client.user + b.client.system - a.client.system) / 1000;
  const report: CpuReport = {
    serverCpuPct: pct(b.serverUserMs + b.serverSystemMs - a.serverUserMs - a.serverSystemMs),
    serverCpuSystemPct: pct(b.serverSystemMs - a.serverSystemMs),
    postgresCpuPct: b.pg.size > 0 ? pct(cpuDeltaMs(a.pg, b.pg)) : null,
    clientCpuPct: pct(client),
    helperCpuPct: b.helpers.size > 0 ? pct(cpuDeltaMs(a.helpers, b.helpers)) : null,
    machineCpuPct:
      a.machine && b.machine
        ? round(((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * 100)
        : null,
    stealPct:
      a.machine && b.machine
        ? round(((b.machine.steal - a.machine.steal) / (b.machine.total - a.machine.total)) * 100)
        : null,
    otherCpuPct: null,
  };
  if (report.machineCpuPct !== null && report.postgresCpuPct !== null) {
    const ours =
      report.serverCpuPct + report.postgresCpuPct + report.clientCpuPct + (report.helperCpuPct ?? 0);
    report.otherCpuPct = round(Math.max(0, report.machineCpuPct * cores - ours));
  }
  return report;
}
