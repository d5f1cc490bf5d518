import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Db } from '../../db/database.ts';
import { hasPermission } from '../../platform/auth/permissions.ts';
import {
  loadStaffPrincipal,
  type StaffAuthOptions,
  type StaffPrincipal,
} from '../../platform/auth/staff-auth.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import type { Realtime } from '../../platform/realtime.ts';
import { type ConsultationService, summaryView } from './consultation.service.ts';
import { visibleDeskIds } from './consultations.routes.ts';
import type { DeskCache } from './desk-cache.ts';
import type { Presence } from './presence.ts';

// The console's live feed (C-04, C-09): new and changed consultations, messages, presence and risk
// alerts, for the desks each counselor may see; supervisors see everything. Watching is silent.

interface ConsoleClient {
  socket: WebSocket;
  staff: StaffPrincipal;
  deskIds: string[] | undefined;
}

export function registerConsoleSocket(
  app: Api,
  deps: {
    db: Db;
    auth: StaffAuthOptions;
    service: ConsultationService;
    realtime: Realtime;
    presence: Presence;
    desks: DeskCache;
  },
): void {
  const clients = new Set<ConsoleClient>();
  const deskOf = new Map<string, string>();
  const send = (client: ConsoleClient, data: string) => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(data);
  };
  /**
   * Sends to the clients that may see the consultation's desk; with `assignee`, messages of an
   * assigned consultation go only to that counselor and to supervisors (who may watch any chat).
   */
  const broadcast = (consultationId: string, payload: unknown, assignee?: string | null) => {
    if (clients.size === 0) return;
    const deskId = deskOf.get(consultationId);
    const data = JSON.stringify(payload);
    for (const c of clients) {
      const supervisor = c.staff.permissions.includes('consultation.monitor');
      if (assignee && !supervisor && c.staff.accountId !== assignee) continue;
      if (!c.deskIds || (deskId && c.deskIds.includes(deskId))) send(c, data);
    }
  };
  const deskFor = async (consultationId: string) => {
    if (!deskOf.has(consultationId))
      deskOf.set(consultationId, (await deps.service.load(consultationId)).desk_id);
  };

  deps.realtime.subscribe(async (e) => {
    if (clients.size === 0 || e.t === 'pres' || e.t === 'desks' || e.t === 'alive') return;
    try {
      if (e.t === 'cons') {
        const c = await deps.service.load(e.c);
        deskOf.set(c.id, c.desk_id);
        broadcast(c.id, { type: 'consultation', consultation: summaryView(c, deps.presence) });
      } else if (e.t === 'msg') {
        const message = await deps.service.message(e.m, e.c);
        if (!message) return;
        await deskFor(e.c);
        broadcast(e.c, { type: 'message', consultationId: e.c, message }, e.a);
      } else if (e.t === 'risk') {
        await deskFor(e.c);
        broadcast(e.c, { type: 'risk', consultationId: e.c, word: e.w });
      }
    } catch (err) {
      app.log.error({ err }, 'console feed failed');
    }
  });
  deps.presence.onChange((consultationId, state) => {
    if (clients.size === 0) return;
    deskFor(consultationId)
      .then(() => broadcast(consultationId, { type: 'presence', consultationId, ...state }))
      .catch(() => {});
  });

  app.get(
    '/ws/console',
    {
      websocket: true,
      schema: { hide: true },
      config: { staff: false },
      preValidation: async (request) => {
        if (!(await deps.auth.ipAllowlists.isAllowed('counselor', request.ip))) {
          throw new AppError(403, 'IP_NOT_ALLOWED', 'この接続元 IP アドレスからは利用できません');
        }
        request.staff = await loadStaffPrincipal(deps.auth, request);
        const p = request.staff.permissions;
        if (!hasPermission(p, 'consultation.handle') && !hasPermission(p, 'consultation.monitor'))
          throw forbidden();
      },
    },
    async (socket, request) => {
      const staff = request.staff!;
      const client: ConsoleClient = { socket, staff, deskIds: await visibleDeskIds(deps.desks, staff) };
      clients.add(client);
      socket.on('close', () => clients.delete(client));
      // The console sends nothing but keep-alives; anything else is ignored.
      socket.on('message', () => {});
    },
  );
}
