import { startSimulator } from '../../packages/line-simulator/src/index.ts';

// The LINE simulator for the webhook benchmark, in a process of its own so that neither the server nor
// the load generator pays for it. Prints {"url": ...} as one JSON line on stdout; stops when stdin
// closes (run.ts ended) or on SIGTERM/SIGINT. Profile fetches the server makes for follow events come
// here; the benchmark's channel is not registered in the simulator, so they are answered 401, which the
// server handles like any failed profile fetch (it records that it tried).

const sim = await startSimulator({ port: 0, rateLimits: false });
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await sim.close().catch(() => {});
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
