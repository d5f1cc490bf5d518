import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUnsafeMethod, matchedAccess, type RouteAccess } from '../../platform/auth/route-access.ts';
import { AppError } from '../../platform/errors.ts';
import type { MaintenanceState } from './maintenance.service.ts';

// What maintenance mode stops (O-04). While a window is active:
// - every staff API route answers 503 MAINTENANCE (signed-in staff included: the CLI switches the
//   mode off), and so does staff sign-in (POST /api/session, a public write);
// - every other write under /api/ (the citizens' sign-in, answers, reports, applications …) answers
//   503 MAINTENANCE before its body is read, so nothing is half accepted;
// - everything else stays open: LINE and payment webhooks (/webhooks/…: received and stored as
//   always), the web apps' pages (the console's login page and the citizen pages show the notice),
//   reads, the public notice itself, health, readiness and metrics.

export function maintenanceBlocks(method: string, url: string, access: RouteAccess): boolean {
  if (access.kind === 'staff') return true;
  return access.kind === 'public' && isUnsafeMethod(method) && url.startsWith('/api/');
}

const blocked = (request: FastifyRequest) => {
  const access = matchedAccess(request);
  return access !== null && maintenanceBlocks(request.method, request.routeOptions.url ?? '', access);
};

export function registerMaintenanceGate(app: FastifyInstance, state: MaintenanceState): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!blocked(request)) return;
    const w = await state.active();
    if (!w) return;
    if (w.ends_at)
      reply.header('retry-after', String(Math.max(1, Math.ceil((w.ends_at.getTime() - Date.now()) / 1000))));
    throw new AppError(503, 'MAINTENANCE', w.message_ja);
  });
}
