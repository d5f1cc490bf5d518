import type { AddressInfo } from 'node:net';
import { buildSimulatorApp } from './app.ts';
import type { SimulatorOptions } from './options.ts';

// The LINE simulator: a local stand-in for the LINE Platform (Messaging API, webhooks,
// LINE Login / LIFF) with a /_sim admin API and a virtual phone at /phone/.

export type { SimulatorApp } from './app.ts';
export { buildSimulatorApp } from './app.ts';
export type { SimContext } from './context.ts';
export type {
  RateLimit,
  RateLimitGroup,
  RateLimitTable,
  SimulatorLogger,
  SimulatorOptions,
} from './options.ts';
export { LINE_RATE_LIMITS } from './options.ts';
export { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const app = await buildSimulatorApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  app.sim.baseUrl = opts.publicUrl?.replace(/\/+$/, '') ?? url;
  opts.logger?.info({ url, publicUrl: app.sim.baseUrl }, 'LINE simulator listening');
  return {
    url,
    close: async () => {
      await app.close();
    },
  };
}
