import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningSimulator, startSimulator } from '../index.ts';
import type { SimulatorOptions } from '../options.ts';

// Test helpers: a webhook receiver standing in for the product, and a simulator with one channel.

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { destination: string; events: Record<string, unknown>[] };
}

export interface WebhookReceiver {
  url: string;
  calls: ReceivedWebhook[];
  /** Status the receiver answers with (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: '', calls: [], status: 200, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.calls.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export const CHANNEL = {
  channelId: '2000000001',
  name: 'テスト市',
  channelSecret: 'test-channel-secret',
  accessToken: 'test-access-token',
  loginChannelId: '2000000002',
  loginChannelSecret: 'test-login-secret',
};

export interface TestSimulator {
  sim: RunningSimulator;
  url: string;
  receiver: WebhookReceiver;
  /** Calls the simulator; JSON in and out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** Calls the Messaging API with the channel's access token. */
  line(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** Creates a virtual user, by default a friend of the channel. */
  createUser(displayName?: string, opts?: { follow?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestSimulator(
  options: SimulatorOptions = {},
  channel: Record<string, unknown> = {},
): Promise<TestSimulator> {
  const receiver = await startWebhookReceiver();
  const sim = await startSimulator({ rateLimits: false, ...options });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> => {
    const res = await fetch(sim.url + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const created = await call('POST', '/_sim/channels', { ...CHANNEL, webhookUrl: receiver.url, ...channel });
  if (created.status !== 200) throw new Error(`channel setup failed: ${JSON.stringify(created.body)}`);
  const token = String(channel.accessToken ?? CHANNEL.accessToken);
  const channelId = String(channel.channelId ?? CHANNEL.channelId);
  return {
    sim,
    url: sim.url,
    receiver,
    call,
    line: (method, path, body, headers = {}) =>
      call(method, path, body, { authorization: `Bearer ${token}`, ...headers }),
    async createUser(displayName = '山田 花子', opts = {}) {
      const user = await call('POST', '/_sim/users', { displayName });
      if (opts.follow !== false) await call('POST', `/_sim/users/${user.body.userId}/follow`, { channelId });
      return user.body.userId as string;
    },
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

/** A PNG header (signature + IHDR) of the given size; enough for the rich menu image checks. */
export function pngOfSize(width: number, height: number, totalBytes = 64): Buffer<ArrayBuffer> {
  const buf = Buffer.alloc(Math.max(totalBytes, 33));
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buf, 0);
  buf.writeUInt32BE(13, 8);
  buf.write('IHDR', 12, 'latin1');
  buf.writeUInt32BE(width, 16);
  buf.writeUInt32BE(height, 20);
  buf[24] = 8;
  buf[25] = 2;
  return buf;
}

/** A JPEG header (SOI, APP0, SOF0) of the given size. */
export function jpegOfSize(width: number, height: number): Buffer<ArrayBuffer> {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0, 0, 1, 0, 1, 0, 0,
  ]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  sof[9] = 3;
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}
