import { parseArgs } from 'node:util';
import { startSimulator } from './index.ts';

// node packages/line-simulator/src/cli.ts [--port 8787] [--host 127.0.0.1] [--public-url URL]
//                                        [--state-file .data/line-simulator.json] [--no-rate-limits]

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-url': { type: 'string' },
    'state-file': { type: 'string' },
    'no-rate-limits': { type: 'boolean', default: false },
  },
});

const log = (level: string) => (o: unknown, msg?: string) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...(o as object) }));

const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
  ...(values['state-file'] ? { stateFile: values['state-file'] } : {}),
  rateLimits: !values['no-rate-limits'],
  logger: { info: log('info'), warn: log('warn'), error: log('error') },
});
console.log(`LINE simulator: ${sim.url}  (virtual phone: ${sim.url}/phone/)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
