import { startSimulator } from '../../packages/line-simulator/src/index.ts';

// The LINE simulator for the delivery benchmark, in a process of its own, with LINE's real rate
// limits (multicast: 200 requests per second per channel). Prints {"url": ...} as one JSON line on
// stdout; stops when stdin closes (run.ts ended) or on SIGTERM/SIGINT.

const sim = await startSimulator({ port: 0 });
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
process.stdout.write(`${JSON.stringify({ url: sim.url, pid: process.pid })}\n`);
