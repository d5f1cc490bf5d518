import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../../db/connection.ts';
import type { Db } from '../../db/database.ts';
import { AppError, databaseUnavailable } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { parseJsonMessage } from '../../platform/http/input-rules.ts';
import type { Realtime } from '../../platform/realtime.ts';
import type { ConsultationService } from './consultation.service.ts';
import { assertOwner, findConsultee, forConsultee } from './consultee-identity.ts';
import type { Presence } from './presence.ts';

// The consultee's chat socket (C-01, C-09): messages with client IDs (acknowledged; a resent
// message is stored once), presence and typing, and replies pushed as they arrive.

const incoming = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), clientId: z.string().min(1).max(64), text: z.string().max(10_000) }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('visibility'), visible: z.boolean() }),
  z.object({ type: z.literal('resume'), afterId: z.string().regex(/^\d+$/).nullable() }),
]);

export function registerConsulteeSocket(
  app: Api,
  deps: { db: Db; service: ConsultationService; realtime: Realtime; presence: Presence },
): void {
  const sockets = new Map<string, Set<WebSocket>>();
  const send = (ws: WebSocket, data: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(data));
  };

  deps.realtime.subscribe(async (e) => {
    if (e.t === 'desks' || e.t === 'alive' || e.t === 'maint') return;
    const targets = sockets.get(e.c);
    if (!targets?.size) return;
    if (e.t === 'msg') {
      // Internal notes never reach the consultee; the consultee's own messages come back as acks.
      if (e.k !== 'text' || e.s === 'consultee') return;
      const m = await deps.service.message(e.m, e.c);
      if (m?.kind !== 'text') return; // checked again on the stored row
      for (const ws of targets) send(ws, { type: 'message', message: forConsultee(m) });
    } else if (e.t === 'cons') {
      const c = await deps.service.load(e.c);
      for (const ws of targets) send(ws, { type: 'status', status: c.status });
    }
  });

  app.get(
    '/ws/consult',
    {
      websocket: true,
      schema: { querystring: z.object({ consultationId: z.string().max(64) }), hide: true },
      config: { staff: false },
    },
    (socket, request) => {
      const consultationId = (request.query as { consultationId: string }).consultationId;
      let visible = false;
      let set: Set<WebSocket> | undefined;
      // Listeners are attached at once (frames sent right after "open" must not be lost); each
      // waits for the ownership check. The socket opens first so the page can tell "not yours /
      // gone" (an error frame) from a network failure.
      const authorized = (async () => {
        try {
          const c = await deps.service.load(consultationId);
          assertOwner(c, await findConsultee(deps.db, request));
          set = sockets.get(consultationId) ?? new Set();
          sockets.set(consultationId, set);
          set.add(socket);
          deps.presence.connected(consultationId);
          send(socket, { type: 'status', status: c.status });
          return true;
        } catch {
          send(socket, { type: 'error', code: 'NOT_FOUND', message: '相談が見つかりません' });
          socket.close(4404, 'not found');
          return false;
        }
      })();

      // Frames are handled one after another, so messages are stored in the order they were sent.
      let queue: Promise<void> = Promise.resolve();
      socket.on('message', (raw: Buffer) => {
        queue = queue
          .then(() => handle(raw))
          .catch((err) => request.log.error({ err }, 'consult socket error'));
      });
      const handle = async (raw: Buffer) => {
        if (!(await authorized)) return;
        let msg: z.infer<typeof incoming>;
        try {
          msg = incoming.parse(parseJsonMessage(raw));
        } catch {
          send(socket, {
            type: 'error',
            code: 'INVALID_MESSAGE',
            message: '送信内容の形式が正しくありません',
          });
          return;
        }
        try {
          if (msg.type === 'message') {
            const c = await deps.service.load(consultationId);
            const message = await deps.service.consulteeMessage(c, msg.clientId, msg.text);
            send(socket, { type: 'ack', clientId: msg.clientId, message });
          } else if (msg.type === 'typing') {
            deps.presence.typing(consultationId);
          } else if (msg.type === 'visibility') {
            deps.presence.visibility(consultationId, msg.visible, visible);
            visible = msg.visible;
          } else {
            const messages = await deps.service.messages(consultationId, {
              afterId: msg.afterId,
              includeNotes: false,
            });
            send(socket, { type: 'messages', messages });
          }
        } catch (err) {
          const e =
            err instanceof AppError
              ? err
              : isDatabaseUnavailable(err)
                ? databaseUnavailable()
                : new AppError(500, 'INTERNAL_ERROR', '送信できませんでした。もう一度お試しください');
          if (!(err instanceof AppError)) request.log.error({ err }, 'consult socket error');
          send(socket, {
            type: 'error',
            code: e.code,
            message: e.message,
            ...(msg.type === 'message' ? { clientId: msg.clientId } : {}),
          });
        }
      };

      socket.on('close', async () => {
        if (!(await authorized) || !set) return;
        set.delete(socket);
        if (set.size === 0) sockets.delete(consultationId);
        deps.presence.disconnected(consultationId, visible);
      });
    },
  );
}
