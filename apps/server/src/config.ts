import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { parseDatabaseUrl } from './db/connection.ts';
import { parseCidr } from './platform/security/cidr.ts';

// Every setting of the server, read once from the environment at boot.
// A wrong or missing value stops the process with a message naming the variable.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const base64Key = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  );

/** A private key as PEM (PKCS#8 / SEC1 / PKCS#1) or a JWK (JSON with "d"), RSA or EC P-256. */
export function parsePrivateKey(text: string) {
  const t = text.trim();
  const key = t.startsWith('{')
    ? createPrivateKey({ key: JSON.parse(t), format: 'jwk' })
    : createPrivateKey(t.replace(/\\n/g, '\n'));
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && !(type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'))
    throw new Error('must be an RSA or EC P-256 key');
  return key;
}

/** An Ed25519 private key as PEM (PKCS#8), `\n` escapes allowed (one-line environment values). */
export function parseEd25519PrivateKey(text: string) {
  const key = createPrivateKey(text.trim().replace(/\\n/g, '\n'));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('must be an Ed25519 key');
  return key;
}

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const configSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().describe('Public base URL of this server, used in webhook URLs and LINE links'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .superRefine((v, ctx) => {
      try {
        parseDatabaseUrl(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    })
    .optional()
    .describe(
      'PostgreSQL URL; several hosts for failover as in libpq (postgres://u@a:5432,b:5432/db?target_session_attrs=read-write); when unset an embedded PostgreSQL is started in DATA_DIR',
    ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  DATA_DIR: z.string().default('./.data'),
  EMBEDDED_PG_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('Port of the embedded PostgreSQL (when DATABASE_URL is unset); default 54329, or a free one'),
  ENCRYPTION_KEY: base64Key.describe('AES-256-GCM key for secrets and personal data'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  COOKIE_SECURE: bool
    .optional()
    .describe('Force the Secure cookie flag; default: on when PUBLIC_URL is https'),
  TLS_CERT_FILE: z
    .string()
    .optional()
    .describe('PEM certificate (chain) file: the server itself speaks HTTPS, TLS 1.2 or newer (S-01)'),
  TLS_KEY_FILE: z.string().optional().describe('PEM private key file of TLS_CERT_FILE'),
  TRUSTED_PROXIES: csv.default([]).describe('CIDRs of reverse proxies whose X-Forwarded-For is trusted'),
  BASIC_AUTH: z
    .string()
    .regex(/^[^:]+:.+$/, 'must be user:password')
    .optional()
    .describe('Optional HTTP Basic authentication in front of the staff console and API'),
  WORKERS_IN_PROCESS: bool.default(true),
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('`madoguchi worker` only: port answering /healthz, /readyz and /metrics (O-03); unset: none'),
  LINE_API_BASE_URL: z.url().default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: z.url().default('https://api-data.line.me'),
  LINE_OAUTH_BASE_URL: z.url().default('https://api.line.me'),
  LIFF_SDK_URL: z.url().default('https://static.line-scdn.net/liff/edge/2/sdk.js'),
  CITY_NAME: z
    .string()
    .max(50)
    .optional()
    .describe("The city's name in the citizen pages' header; default: the production channel's name"),
  DISASTER_CONTACT: z
    .string()
    .max(200)
    .optional()
    .describe("The city's disaster contact told by the evacuation guidance (X-02); default: the demo's"),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  DELIVERY_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .max(2000)
    .default(200)
    .describe("Multicast requests per second per channel (LINE's limit is 200)"),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  DELIVERY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  DISPATCH_PARTITIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(4)
    .describe('LINE event dispatchers side by side (partitions of the users); the same on every node'),
  AUDIT_CHECKPOINT_FILE: z
    .string()
    .optional()
    .describe('JSON-lines file the audit chain head is appended to every 10 minutes (S-09)'),
  AUDIT_CHECKPOINT_SYSLOG: z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port (or [IPv6]:port)')
    .transform((v) => {
      const i = v.lastIndexOf(':');
      return { host: v.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(v.slice(i + 1)) };
    })
    .refine((t) => t.port >= 1 && t.port <= 65535, 'port must be 1–65535')
    .optional()
    .describe('Also send each audit checkpoint as an RFC 5424 syslog UDP datagram to host:port'),
  CITY_BOUNDARY_FILE: z
    .string()
    .optional()
    .describe('GeoJSON of the city boundary; fault reports outside it are refused (default: Ichikawa)'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe('SMTP server for notification mails; unset: mails stay pending (a warning at start)'),
  MAIL_FROM: z.string().max(200).default('Madoguchi <no-reply@madoguchi.invalid>'),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  MAIL_IN_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('Port of the inbound SMTP listener for disaster mails (issue 14); unset: off; 0: a free port'),
  MAIL_IN_HOST: z.string().default('0.0.0.0').describe('Address the inbound SMTP listener binds to'),
  MAIL_IN_TLS_CERT: z
    .string()
    .optional()
    .describe('PEM certificate file for STARTTLS on the inbound SMTP listener (with MAIL_IN_TLS_KEY)'),
  MAIL_IN_TLS_KEY: z
    .string()
    .optional()
    .describe('PEM private key file for STARTTLS (with MAIL_IN_TLS_CERT)'),
  MAIL_IN_IMAP_CA_FILE: z
    .string()
    .optional()
    .describe(
      "PEM file of CA certificates trusted for IMAP servers besides the system's (a city's own CA; issue 14)",
    ),
  MAIL_IN_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe('Largest inbound mail accepted (bytes; each address may set less)'),
  FORWARDING_ALLOWED_CIDRS: csv
    .default([])
    .refine(
      (list) => list.every((c) => parseCidr(c) !== null),
      'must be comma-separated IP addresses or CIDRs',
    )
    .describe('Private/loopback addresses webhook forwarding targets may reach (W-01); default: none'),
  FORWARDING_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  FORWARDING_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  FORWARDING_RETRY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 24 * 3_600_000)
    .default(24 * 3_600_000)
    .describe('How long a forwarded event is retried before it is dead-lettered (default 24 h)'),
  FORWARDING_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  MAIL_IN_AUTH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(3000)
    .describe('Longest SPF/DKIM/DMARC check of an inbound mail before the 250 (then temperror; issue 14)'),
  MAIL_IN_DNS_SERVERS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    )
    .describe('DNS servers for the SPF/DKIM checks (comma separated); unset: the system resolver'),
  MAIL_IN_RETRY_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(60_000)
    .describe('First wait after a mail whose processing failed (then x4; failed for good after 3 attempts)'),
  PAYMENT_PROVIDER: z
    .enum(['stripe', 'payjp', 'none'])
    .default('none')
    .describe('Online payment provider (A-02): stripe, payjp or none (payments refused)'),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'must be a Stripe secret key (sk_test_… / sk_live_…)')
    .optional()
    .describe('Stripe secret (or restricted) API key; sk_test_… for test mode'),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, 'must be a Stripe webhook signing secret (whsec_…)')
    .optional()
    .describe('Signing secret of the Stripe webhook endpoint /webhooks/payments/stripe'),
  STRIPE_API_BASE: z
    .url()
    .optional()
    .describe('Stripe API base URL (the local stand-in in development and tests); default: Stripe'),
  PAYJP_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_[A-Za-z0-9_]+$/, 'must be a PAY.JP secret key (sk_test_… / sk_live_…)')
    .optional()
    .describe('PAY.JP secret API key; sk_test_… for test mode'),
  PAYJP_PUBLIC_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, 'must be a PAY.JP public key (pk_test_… / pk_live_…)')
    .optional()
    .describe('PAY.JP public key (the card form and the 3-D Secure start page)'),
  PAYJP_WEBHOOK_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe('Token PAY.JP sends in X-Payjp-Webhook-Token to /webhooks/payments/payjp'),
  PAYJP_JS_URL: z
    .url()
    .default('https://js.pay.jp/v2/pay.js')
    .describe('payjp.js loaded by the PAY.JP card page (the only other origin that page may use)'),
  PAYJP_API_BASE: z
    .url()
    .optional()
    .describe('PAY.JP API base URL (a local stand-in in tests); default: PAY.JP'),
  PAYMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(15_000)
    .describe('Longest wait for one payment provider API call'),
  PAYMENT_RECONCILE_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10)
    .describe('A payment pending this long is checked with the provider (lost webhook, provider down)'),
  IDENTITY_PROVIDER: z
    .enum(['digital-auth-app', 'none'])
    .default('none')
    .describe(
      "Identity verification with the My Number card (A-01): the Digital Agency's デジタル認証アプリ, or none",
    ),
  IDENTITY_ISSUER: z
    .url()
    .optional()
    .describe('OpenID issuer of the identity provider (discovery at /.well-known/openid-configuration)'),
  IDENTITY_CLIENT_ID: z
    .string()
    .regex(/^[0-9A-Za-z_.-]{1,255}$/, 'must be 1–255 letters, digits, _ . -')
    .optional()
    .describe('Client ID the identity provider issued to the city'),
  IDENTITY_PRIVATE_KEY: z
    .string()
    .refine((v) => {
      try {
        parsePrivateKey(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be a PEM or JWK private key (RSA or EC P-256)')
    .optional()
    .describe('Private key for private_key_jwt client authentication at the identity provider (PEM or JWK)'),
  CERTIFICATE_SIGNING_KEY: z
    .string()
    .refine((v) => {
      try {
        parseEd25519PrivateKey(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)')
    .optional()
    .describe('Ed25519 private key (PEM) that signs deletion certificates (S-13); unset: a one-time key'),
  IDENTITY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe('Days the verified attributes are kept before the retention job deletes them'),
  ACCESS_LOG_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(400)
    .describe('Days an access log row is kept before the daily retention job deletes it (S-05)'),
  MADOGUCHI_REVISION: z
    .string()
    .regex(/^[0-9A-Za-z._+-]{1,64}$/, 'must be 1–64 letters, digits, . _ + -')
    .optional()
    .describe('The build revision (e.g. the git commit) recorded in the change record at every start (O-05)'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Rules across the IDENTITY_* variables: what a provider needs; https unless local outside production. */
function identityIssues(c: z.infer<typeof configSchema>): string[] {
  if (c.IDENTITY_PROVIDER === 'none') return [];
  const issues: string[] = [];
  for (const name of ['IDENTITY_ISSUER', 'IDENTITY_CLIENT_ID', 'IDENTITY_PRIVATE_KEY'] as const)
    if (!c[name]) issues.push(`${name} is required but not set`);
  if (c.IDENTITY_ISSUER) {
    const u = new URL(c.IDENTITY_ISSUER);
    const local = c.NODE_ENV !== 'production' && LOCAL_HOSTS.has(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local))
      issues.push('IDENTITY_ISSUER: must be https (http only for localhost outside production)');
  }
  return issues;
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Parses the environment; throws ConfigError listing each bad variable by name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(config)');
        return input[name] === undefined ? `${name} is required but not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  const cross = identityIssues(parsed.data);
  if (cross.length) throw new ConfigError(cross);
  return Object.freeze(parsed.data);
}

/** Markdown table of the variables, used to keep the README in step with the schema. */
export function describeConfig(): { name: string; description: string; required: boolean }[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
    required: !schema.safeParse(undefined).success,
  }));
}
