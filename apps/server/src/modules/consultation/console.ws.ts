import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Db } from '../../db/database.ts';
import { hasPermission } from '../../platform/auth/permissions.ts';
import {
  livePermissions,
  type StaffAuthOptions,
  type StaffPrincipal,
} from '../../platform/auth/staff-auth.ts';
import type { Api } from '../../platform/http/api.ts';
import type { Realtime } from '../../platform/realtime.ts';
import { type ConsultationService, summaryView } from './consultation.service.ts';
import { isSupervisor, worksAt } from './consultation-access.ts';
import type { DeskCache } from './desk-cache.ts';
import type { Presence } from './presence.ts';

// The console's live feed (C-04, C-09): new and changed consultations, messages, presence and risk
// alerts, for the desks each counselor may see; supervisors see everything. Watching is silent.
// Desk membership is decided at every event (a counselor taken off a desk stops receiving it at
// once), and the session behind each socket is checked again every minute: a signed-out (or reset)
// session, a disabled account, the absolute session limit, or a role that lost the consultation
// permissions disconnects it. (The idle limit is left to HTTP: watching an empty queue is not idle.)

const RECHECK_EVERY_MS = 60_000;

interface ConsoleClient {
  socket: WebSocket;
  staff: StaffPrincipal;
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
  const broadcast = async (consultationId: string, payload: unknown, assignee?: string | null) => {
    if (clients.size === 0) return;
    const deskId = deskOf.get(consultationId);
    const desk = deskId ? (await deps.desks.all()).find((d) => d.id === deskId) : undefined;
    const data = JSON.stringify(payload);
    for (const c of clients) {
      const supervisor = isSupervisor(c.staff);
      if (assignee && !supervisor && c.staff.accountId !== assignee) continue;
      if (supervisor || (desk && worksAt(desk, c.staff))) send(c, data);
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
        await broadcast(c.id, { type: 'consultation', consultation: summaryView(c, deps.presence) });
      } else if (e.t === 'msg') {
        const message = await deps.service.message(e.m, e.c);
        if (!message) return;
        await deskFor(e.c);
        await broadcast(e.c, { type: 'message', consultationId: e.c, message }, e.a);
      } else if (e.t === 'risk') {
        await deskFor(e.c);
        await broadcast(e.c, { type: 'risk', consultationId: e.c, word: e.w });
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
      // Counselor allow-list, session and permission are checked from this declaration.
      config: { permission: ['consultation.handle', 'consultation.monitor'] },
    },
    async (socket, request) => {
      const client: ConsoleClient = { socket, staff: request.staff! };
      clients.add(client);
      // Read without touching the session: an open console alone does not keep a session alive.
      const recheck = setInterval(() => {
        livePermissions(deps.db, client.staff.sessionHash)
          .then((live) => {
            const p = live ?? [];
            const ok =
              live && (hasPermission(p, 'consultation.handle') || hasPermission(p, 'consultation.monitor'));
            if (!ok) {
              clients.delete(client);
              socket.close(4401, 'session ended');
              return;
            }
            client.staff = { ...client.staff, permissions: p };
          })
          .catch((err) => app.log.error({ err }, 'console session check failed'));
      }, RECHECK_EVERY_MS);
      recheck.unref();
      socket.on('close', () => {
        clearInterval(recheck);
        clients.delete(client);
      });
      // The console sends nothing but keep-alives; anything else is ignored.
      socket.on('message', () => {});
    },
  );
}
