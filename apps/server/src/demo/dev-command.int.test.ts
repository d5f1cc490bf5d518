import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS } from './seed-demo.ts';

// `npm start` as a newcomer runs it (D-05, issue 9): the real `madoguchi dev` with PORT,
// SIMULATOR_PORT and EMBEDDED_PG_PORT set to free ports, an empty DATA_DIR and the embedded
// PostgreSQL. Everything must use those ports, the demo delivery must reach its virtual friends,
// and Ctrl-C — SIGINT to the whole process group, as a terminal sends it — must stop it cleanly.

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/madoguchi.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

const threeFreePorts = async () => ({
  port: await freePort(),
  simulatorPort: await freePort(),
  pgPort: await freePort(),
});

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-dev-cmd-'));
let child: ChildProcess | null = null;

afterAll(() => {
  // Only when the test failed half-way: nothing may be left running.
  if (child && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {}
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `madoguchi dev` in its own process group and waits until it printed its URLs. */
async function startDev(ports: { port: number; simulatorPort: number; pgPort: number }) {
  let output = '';
  const proc = spawn(process.execPath, [bin, 'dev'], {
    cwd: path.resolve(path.dirname(bin), '../../..'),
    // Its own process group, so the test can signal the group as a terminal's Ctrl-C does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(ports.port),
      SIMULATOR_PORT: String(ports.simulatorPort),
      EMBEDDED_PG_PORT: String(ports.pgPort),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PUBLIC_URL: '',
      LOG_LEVEL: 'warn',
    },
  });
  child = proc;
  const collect = (c: Buffer) => {
    output += c.toString('utf8');
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  // Started: the URLs are printed after the demo seed.
  const until = Date.now() + 100_000;
  while (!output.includes('API 仕様')) {
    if (proc.exitCode !== null) throw new Error(`madoguchi dev exited early:\n${output}`);
    if (Date.now() > until) throw new Error(`madoguchi dev did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { proc, exited, output: () => output, port: ports.port };
}

describe('madoguchi dev (npm start)', () => {
  it('honours PORT / SIMULATOR_PORT / EMBEDDED_PG_PORT and stops cleanly on Ctrl-C', async () => {
    const [port, simulatorPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const dev = await startDev({ port, simulatorPort, pgPort });
    const { proc, exited } = dev;
    const output = dev.output();
    // The simulator sends the demo channels' webhooks to this server and opens its LIFF here.
    const sim = (p: string) => fetch(`http://127.0.0.1:${simulatorPort}${p}`).then((r) => r.json());
    const channels = (await sim('/_sim/channels')) as {
      channelId: string;
      webhookUrl: string;
      liffApps: { endpointUrl: string }[];
    }[];
    expect(channels).toHaveLength(2);
    for (const c of channels) {
      expect(new URL(c.webhookUrl).port).toBe(String(port));
      for (const liff of c.liffApps) expect(new URL(liff.endpointUrl).port).toBe(String(port));
    }

    // The demo delivery reached its recipients: the seed says how many, and their inboxes hold it.
    const sentTo = Number(
      output.match(/親子講座のご案内（美浜区・稲毛区）」を (\d+) 人に送りました/)?.[1] ?? 0,
    );
    expect(sentTo).toBeGreaterThan(0);
    const production = DEMO_CHANNELS[0].lineChannelId;
    const users = (await sim('/_sim/users')) as { userId: string }[];
    let received = 0;
    for (const u of users) {
      const inbox = (await sim(`/_sim/users/${u.userId}/inbox?channelId=${production}`)) as {
        messages: { message: { text?: string } }[];
      };
      if (inbox.messages.some((m) => m.message.text?.includes('親子でふれあい講座'))) received++;
    }
    expect(received).toBe(sentTo);

    // Ctrl-C: a clean stop in order, exit code 0, no connection cut under the server.
    process.kill(-proc.pid!, 'SIGINT');
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running after 30 s'), 30_000)),
    ]);
    expect(code, dev.output()).toBe(0);
    expect(dev.output()).not.toContain('terminating connection due to administrator command');
    expect(dev.output()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    expect(dev.output()).not.toMatch(/error/i);
    expect(await portIsFree(port)).toBe(true);
    expect(await portIsFree(simulatorPort)).toBe(true);
    expect(await portIsFree(pgPort)).toBe(true); // the embedded PostgreSQL stopped too
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 150_000);

  it('S-08: a second start says how to reset the admin password, which works; killed outright (SIGKILL) it leaves no PostgreSQL behind', async () => {
    const [port, simulatorPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const { proc, exited, output } = await startDev({ port, simulatorPort, pgPort });
    expect(await portIsFree(pgPort)).toBe(false);
    // A second start does not show the admin password again; it says how to set a new one.
    expect(output()).not.toContain('パスワード E2e');
    expect(output()).toContain('npx madoguchi account reset-password --login-id admin --demo');
    process.kill(-proc.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The embedded server is in its own process group; its watcher stops it once we are gone.
    let freed = false;
    for (let i = 0; i < 60 && !freed; i++) {
      await new Promise((r) => setTimeout(r, 500));
      freed = (await portIsFree(pgPort)) && !existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
    }
    expect(freed).toBe(true);

    // What that message says works on the demo's data: the new password signs in next time.
    const reset = spawnSync(
      process.execPath,
      [bin, 'account', 'reset-password', '--login-id', 'admin', '--demo'],
      {
        cwd: path.resolve(path.dirname(bin), '../../..'),
        input: 'Demo-Reset-Pass-2026\n',
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ENCRYPTION_KEY: '', PUBLIC_URL: '' },
      },
    );
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('admin のパスワードを設定しました');
    const again = await startDev(await threeFreePorts());
    const login = await fetch(`http://127.0.0.1:${again.port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'admin', password: 'Demo-Reset-Pass-2026' }),
    });
    expect(login.status).toBe(200);
    process.kill(-again.proc.pid!, 'SIGINT');
    expect(await again.exited).toBe(0);
  }, 150_000);
});
