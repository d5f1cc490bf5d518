import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

// `madoguchi worker` has no public HTTP server; with WORKER_METRICS_PORT it answers only the
// operations routes (O-03) — /healthz, /readyz, /metrics — on that port, through the app's own
// routes, so a worker's counters can be scraped and a container platform can probe it.

const PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export async function serveWorkerEndpoints(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' || !PATHS.has(path)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'NOT_FOUND', message: 'リソースが見つかりません' }));
      return;
    }
    app.inject({ method: 'GET', url: path }).then(
      (r) => {
        res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'text/plain') });
        res.end(r.body);
      },
      () => {
        res.writeHead(503).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return server;
}
