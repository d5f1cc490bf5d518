import type { LineError } from './line-errors.ts';
import type { JsonObject } from './model.ts';
import { badInput } from './sim-errors.ts';

// Injected faults (`POST /_sim/faults`) for testing a client's error handling against what LINE can
// do: answer 429 or 5xx, answer late, or lose the answer of a request it did carry out. The first
// `skip` matching requests pass untouched.
//   when "before": the next `count` matching requests are answered with `status` and nothing is done;
//   when "after":  they are carried out as usual (messages delivered, retry key accepted), then the
//                  answer is delayed by `delayMs` and, with `status`, replaced — as when LINE accepted a
//                  request but the client saw a 5xx or a timeout.
// Bodies are LINE's: 429 "The API rate limit has been exceeded. Try again later.", 5xx
// "Internal server error" (or `message`), with `Retry-After: <retryAfter>` when given.

export interface Fault {
  id: number;
  path: string;
  method: string | undefined;
  channelId: string | undefined;
  status: number | undefined;
  when: 'before' | 'after';
  delayMs: number;
  retryAfter: number | undefined;
  message: string | undefined;
  /** Matching requests still to let through before the fault applies. */
  skip: number;
  /** Matching requests still to be hit. */
  remaining: number;
  /** Requests hit so far. */
  hits: number;
}

const defaultMessage = (status: number) =>
  status === 429
    ? 'The API rate limit has been exceeded. Try again later.'
    : status >= 500
      ? 'Internal server error'
      : 'Injected fault';

export class FaultStore {
  #next = 1;
  #faults: Fault[] = [];

  add(o: JsonObject): Fault {
    const path = o.path;
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw badInput('path is required (e.g. /v2/bot/message/multicast)');
    const when = o.when ?? 'before';
    if (when !== 'before' && when !== 'after') throw badInput('when must be "before" or "after"');
    const status = o.status;
    if (
      status !== undefined &&
      (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
    ) {
      throw badInput('status must be an HTTP error status (400–599)');
    }
    if (when === 'before' && status === undefined) throw badInput('status is required when "before"');
    const count = o.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
      throw badInput('count must be an integer between 1 and 1,000,000');
    }
    const delayMs = o.delayMs ?? 0;
    if (typeof delayMs !== 'number' || delayMs < 0 || delayMs > 120_000)
      throw badInput('delayMs must be 0–120000');
    const skip = o.skip ?? 0;
    if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0 || skip > 1_000_000) {
      throw badInput('skip must be an integer between 0 and 1,000,000');
    }
    const retryAfter = o.retryAfter;
    if (retryAfter !== undefined && (typeof retryAfter !== 'number' || retryAfter < 0 || retryAfter > 3600)) {
      throw badInput('retryAfter must be 0–3600 (seconds)');
    }
    const str = (name: string) => {
      const v = o[name];
      if (v !== undefined && typeof v !== 'string') throw badInput(`${name} must be a string`);
      return v as string | undefined;
    };
    const fault: Fault = {
      id: this.#next++,
      path,
      method: str('method')?.toUpperCase(),
      channelId: str('channelId'),
      status: status as number | undefined,
      when,
      delayMs,
      retryAfter: retryAfter as number | undefined,
      message: str('message'),
      skip,
      remaining: count,
      hits: 0,
    };
    this.#faults.push(fault);
    return fault;
  }

  /** Takes one hit of the first fault matching this request (or none). */
  take(method: string, path: string, channelId: string): Fault | undefined {
    const f = this.#faults.find(
      (x) =>
        x.remaining > 0 &&
        x.path === path &&
        (x.method === undefined || x.method === method) &&
        (x.channelId === undefined || x.channelId === channelId),
    );
    if (!f) return undefined;
    if (f.skip > 0) {
      f.skip -= 1;
      return undefined;
    }
    f.remaining -= 1;
    f.hits += 1;
    return f;
  }

  list(): Fault[] {
    return this.#faults.filter((f) => f.remaining > 0);
  }

  all(): Fault[] {
    return [...this.#faults];
  }

  clear(): void {
    this.#faults = [];
  }
}

/** The answer a fault with a status gives. */
export function faultError(f: Fault & { status: number }): LineError {
  return {
    status: f.status,
    body: { message: f.message ?? defaultMessage(f.status) },
    ...(f.retryAfter !== undefined ? { headers: { 'retry-after': String(f.retryAfter) } } : {}),
  };
}
