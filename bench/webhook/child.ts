import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

// A Node child process that speaks JSON lines on stdout (answers) and plain lines on stdin (commands).
// Lines on stdout that are not JSON objects are ignored; stderr is passed through.

export class JsonLineChild {
  readonly proc: ChildProcess;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly exited: Promise<unknown>;

  constructor(script: string, opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}) {
    this.proc = spawn(process.execPath, [...(opts.execArgv ?? []), script], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: opts.env ?? process.env,
    });
    this.exited = once(this.proc, 'exit');
    // Writing to a child that already exited must not crash the parent.
    this.proc.stdin!.on('error', () => {});
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.waiting.shift()?.(line);
    });
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The next JSON line, parsed; rejects on timeout, on exit, or when the object has an `error`. */
  next<T>(timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.running) {
        reject(new Error(`child exited (code ${this.proc.exitCode}) before ${what}`));
        return;
      }
      const onExit = () => {
        clearTimeout(timer);
        reject(new Error(`child exited (code ${this.proc.exitCode}) before ${what}`));
      };
      const timer = setTimeout(() => {
        this.proc.off('exit', onExit);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.proc.once('exit', onExit);
      this.waiting.push((line) => {
        clearTimeout(timer);
        this.proc.off('exit', onExit);
        const parsed = JSON.parse(line) as T & { error?: string };
        if (parsed.error) reject(new Error(parsed.error));
        else resolve(parsed);
      });
    });
  }

  /** Sends a command line and waits for its one-line answer. */
  ask<T>(command: string, timeoutMs: number): Promise<T> {
    const answer = this.next<T>(timeoutMs, `answer to ${command}`);
    this.proc.stdin!.write(`${command}\n`);
    return answer;
  }

  /**
   * Ends the child: sends `lastCommand` (if any) and closes its stdin, which the benchmark's children
   * take as the signal to clean up and exit; SIGTERM after `graceMs`, SIGKILL 5 s later.
   */
  async stop(lastCommand?: string, graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.proc.stdin!.end(lastCommand ? `${lastCommand}\n` : undefined);
    const term = setTimeout(() => this.proc.kill('SIGTERM'), graceMs);
    const kill = setTimeout(() => this.proc.kill('SIGKILL'), graceMs + 5000);
    await this.exited;
    clearTimeout(term);
    clearTimeout(kill);
  }
}

/**
 * Starts a benchmark's server child (see server-child.ts): DATABASE_URL, if set, becomes
 * BENCH_ADMIN_DATABASE_URL (the server on which the child creates a scratch database) and is not passed
 * on; `env` is added; with `cpuProfDir` the child runs with --cpu-prof writing there.
 */
export function startServerChild(
  script: string,
  opts: { env?: Record<string, string>; cpuProfDir?: string | undefined } = {},
): JsonLineChild {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.DATABASE_URL;
  if (process.env.DATABASE_URL) env.BENCH_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
  return new JsonLineChild(script, {
    env,
    execArgv: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.cpuProfDir)}`] : [],
  });
}
