import { performance } from 'node:perf_hooks';
import { buildSimulatorApp } from '../../packages/line-simulator/src/index.ts';
import type { SimReply } from './protocol.ts';

// The LINE simulator for the chatbot benchmark, in a process of its own, with LINE's real rate limits
// (reply: 2,000 requests/s per channel). Two additions for the benchmark, under /_bench/:
//
// - Reply tokens the benchmark mints itself. run.ts plays the LINE Platform and builds the webhook
//   events, so their reply tokens are not ones the simulator issued. A bench token is 32 hex digits
//   like LINE's: the first 8 are the index of its user in the list given by POST /_bench/users, the
//   rest random. The simulator accepts it once, for that user, as it accepts its own tokens
//   (a second reply with it is refused with 400 "Invalid reply token", as LINE does).
// - The receipt of every POST /v2/bot/message/reply, timed in the onRequest hook (before the body is
//   read and validated), per reply token: when the first call arrived (epoch ms, sub-millisecond:
//   performance.timeOrigin + performance.now()), how many calls came with that token, and the postback
//   data of the buttons in the reply (template actions, quick replies, flex buttons), so that run.ts
//   can answer a question with one of its choices. GET /_bench/replies?after=SEQ lists the replies
//   recorded after SEQ; DELETE /_bench/replies forgets them.
//
// Prints {"url": ..., "pid": ...} as one JSON line on stdout; stops when stdin closes or on a signal.

type ReplyRecord = SimReply;

const app = await buildSimulatorApp({ rateLimits: true });
const store = app.sim.replyTokens;
let benchUsers: string[] = [];
const usedBenchTokens = new Set<string>();
const consume = store.consume.bind(store);
store.consume = (channelId: string, token: string) => {
  const own = consume(channelId, token);
  if (own !== undefined) return own;
  if (!/^[0-9a-f]{32}$/.test(token) || usedBenchTokens.has(token)) return undefined;
  const userId = benchUsers[Number.parseInt(token.slice(0, 8), 16)];
  if (userId === undefined) return undefined;
  usedBenchTokens.add(token);
  return userId;
};

const replies = new Map<string, ReplyRecord>();
let log: ReplyRecord[] = [];
let seq = 0;
const receivedAt = new WeakMap<object, number>();

function postbacksOf(value: unknown, out: string[]): string[] {
  if (Array.isArray(value)) for (const v of value) postbacksOf(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'postback' && typeof o.data === 'string') out.push(o.data);
    for (const v of Object.values(o)) if (v && typeof v === 'object') postbacksOf(v, out);
  }
  return out;
}

app.addHook('onRequest', async (req) => {
  if (req.method === 'POST' && req.url === '/v2/bot/message/reply')
    receivedAt.set(req, performance.timeOrigin + performance.now());
});
app.addHook('preValidation', async (req) => {
  const at = receivedAt.get(req);
  if (at === undefined) return;
  const body = req.body as { replyToken?: unknown; messages?: unknown } | undefined;
  const token = typeof body?.replyToken === 'string' ? body.replyToken : '';
  const known = replies.get(token);
  if (known) {
    known.calls += 1;
    return;
  }
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const first = messages.find((m) => (m as { type?: unknown }).type === 'text') as
    | { text?: string }
    | undefined;
  const userIndex = /^[0-9a-f]{32}$/.test(token) ? Number.parseInt(token.slice(0, 8), 16) : -1;
  const record: ReplyRecord = {
    seq: ++seq,
    token,
    userId: benchUsers[userIndex] ?? null,
    atMs: at,
    calls: 1,
    postbacks: postbacksOf(messages, []),
    text: first?.text ?? null,
  };
  replies.set(token, record);
  log.push(record);
});

app.post('/_bench/users', async (req) => {
  const { userIds } = req.body as { userIds: string[] };
  benchUsers = userIds;
  return { users: benchUsers.length };
});
app.get('/_bench/replies', async (req) => {
  const after = Number((req.query as { after?: string }).after ?? 0);
  // seq is increasing along the log: binary search for the first record after `after`.
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.seq <= after) lo = mid + 1;
    else hi = mid;
  }
  return { replies: log.slice(lo), last: seq };
});
app.delete('/_bench/replies', async () => {
  replies.clear();
  log = [];
  return { cleared: true };
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
app.sim.baseUrl = url;

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await app.close().catch(() => {});
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
