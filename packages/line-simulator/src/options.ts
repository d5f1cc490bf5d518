// Options of the simulator and their defaults.

export interface SimulatorLogger {
  info(o: unknown, msg?: string): void;
  warn(o: unknown, msg?: string): void;
  error(o: unknown, msg?: string): void;
}

/** One rate limit: at most `requests` per `perMs` milliseconds (a token bucket of that size). */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** Rate-limited endpoint groups. `other` covers every Messaging API endpoint not listed. */
export type RateLimitGroup =
  | 'reply'
  | 'push'
  | 'multicast'
  | 'narrowcast'
  | 'broadcast'
  | 'richMenuCreate'
  | 'richMenuDelete'
  | 'other';

export type RateLimitTable = Record<RateLimitGroup, RateLimit>;

/** LINE's published per-channel limits. */
export const LINE_RATE_LIMITS: RateLimitTable = {
  reply: { requests: 2_000, perMs: 1_000 },
  push: { requests: 2_000, perMs: 1_000 },
  multicast: { requests: 200, perMs: 1_000 },
  narrowcast: { requests: 60, perMs: 3_600_000 },
  broadcast: { requests: 60, perMs: 3_600_000 },
  richMenuCreate: { requests: 100, perMs: 3_600_000 },
  richMenuDelete: { requests: 100, perMs: 3_600_000 },
  other: { requests: 2_000, perMs: 1_000 },
};

export interface SimulatorOptions {
  /** 0 = random. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** URL the browser uses to reach the simulator (default http://host:port). */
  publicUrl?: string;
  /** Optional JSON persistence of channels, users, follows, rich menus and inboxes. */
  stateFile?: string;
  /** Default true (LINE's real limits). `false` disables them; an object overrides some groups. */
  rateLimits?: boolean | Partial<RateLimitTable>;
  /** Timeout of one webhook delivery. Default 10,000 ms. */
  webhookTimeoutMs?: number;
  logger?: SimulatorLogger;
  /** The Messaging API OpenAPI document. Default: packages/line-openapi/messaging-api.yml (vendored). */
  openapiFile?: string | URL;
  /** Clock in epoch milliseconds (tests inject one to expire reply tokens and ID tokens). */
  clock?: () => number;
  /** Directory of the built virtual phone. Default: packages/line-simulator/phone/dist. */
  phoneDir?: string | URL;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  publicUrl: string | undefined;
  stateFile: string | undefined;
  rateLimits: RateLimitTable | null;
  webhookTimeoutMs: number;
  logger: SimulatorLogger;
  openapiFile: string | URL;
  clock: () => number;
  phoneDir: string | URL;
}

const silentLogger: SimulatorLogger = {
  info() {},
  warn() {},
  error() {},
};

/** LINE's OpenAPI documents, vendored in packages/line-openapi. */
export const LINE_OPENAPI_DIR = new URL('../../line-openapi/', import.meta.url);
export const DEFAULT_OPENAPI_FILE = new URL('messaging-api.yml', LINE_OPENAPI_DIR);
export const DEFAULT_PHONE_DIR = new URL('../phone/dist/', import.meta.url);

export function resolveOptions(opts: SimulatorOptions): ResolvedOptions {
  let rateLimits: RateLimitTable | null;
  if (opts.rateLimits === false) rateLimits = null;
  else if (opts.rateLimits === true || opts.rateLimits === undefined) rateLimits = { ...LINE_RATE_LIMITS };
  else rateLimits = { ...LINE_RATE_LIMITS, ...opts.rateLimits };
  return {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    publicUrl: opts.publicUrl?.replace(/\/+$/, ''),
    stateFile: opts.stateFile,
    rateLimits,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 10_000,
    logger: opts.logger ?? silentLogger,
    openapiFile: opts.openapiFile ?? DEFAULT_OPENAPI_FILE,
    clock: opts.clock ?? Date.now,
    phoneDir: opts.phoneDir ?? DEFAULT_PHONE_DIR,
  };
}
