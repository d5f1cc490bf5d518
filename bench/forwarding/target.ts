import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

// The city's server of the forwarding benchmark (run.ts), a process of its own: it answers 200, or
// 503 while "down", and remembers when each forwarded event (x-madoguchi-event-id) was first accepted
// (epoch ms) and how often it was accepted. Prints {url}, then answers commands on stdin:
//   down | up  -> {down}
//   summary    -> {accepted, duplicates, refused}
//   arrivals   -> {ids: string[], at: number[]}: first acceptance of each event
// A closed stdin ends it.

const firstAt = new Map<string, number>();
let duplicates = 0;
let refused = 0;
let down = false;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['x-madoguchi-event-id'] ?? '');
    if (down) {
      refused += 1;
      res.writeHead(503).end('maintenance');
      return;
    }
    if (firstAt.has(id)) duplicates += 1;
    else firstAt.set(id, Date.now());
    res.writeHead(200).end('ok');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/foryou` })}\n`);
});

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'down' || cmd === 'up') {
    down = cmd === 'down';
    out({ down });
  } else if (cmd === 'summary') out({ accepted: firstAt.size, duplicates, refused });
  else if (cmd === 'arrivals') out({ ids: [...firstAt.keys()], at: [...firstAt.values()] });
  else if (cmd === 'stop') process.exit(0);
  else if (cmd) out({ error: `unknown command ${cmd}` });
});
lines.on('close', () => process.exit(0));
