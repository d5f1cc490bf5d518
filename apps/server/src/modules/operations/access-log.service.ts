import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import {
  type AccessLogInsert,
  accessLogsBetween,
  deleteAccessLogsBefore,
  insertAccessLogs,
} from './access-log.repository.ts';

// The access log (S-05): every HTTP request's method, route, path (never its query string, which may
// carry tokens; never a body), status, duration, client address (TRUSTED_PROXIES respected), the
// signed-in staff account and the user agent. Rows are buffered in memory and written every second
// or every BATCH rows, so a request never waits for it; when the database is down the buffer holds
// at most MAX_BUFFERED rows and drops the oldest (a warning is logged). Kept
// ACCESS_LOG_RETENTION_DAYS, then deleted by the daily `operations.access-log-retention` job.

export const ACCESS_LOG_RETENTION_JOB = 'operations.access-log-retention';
const FLUSH_MS = 1000;
const BATCH = 500;
const MAX_BUFFERED = 20_000;
const UA_MAX = 200;
const PATH_MAX = 500;

export interface AccessLog {
  close(): Promise<void>;
}

export function registerAccessLog(app: FastifyInstance, db: Db): AccessLog {
  let buffer: AccessLogInsert[] = [];
  let writing: Promise<void> | null = null;
  let dropped = 0;

  const flush = async (): Promise<void> => {
    while (buffer.length) {
      const batch = buffer.splice(0, BATCH);
      try {
        await insertAccessLogs(db, batch);
      } catch (err) {
        // keep the rows for the next flush, up to the cap
        buffer = [...batch, ...buffer];
        if (buffer.length > MAX_BUFFERED) {
          dropped += buffer.length - MAX_BUFFERED;
          buffer = buffer.slice(buffer.length - MAX_BUFFERED);
        }
        app.log.warn({ err, buffered: buffer.length, dropped }, 'access log write failed; retrying');
        return;
      }
    }
  };
  const kick = () => {
    writing ??= flush().finally(() => {
      writing = null;
    });
  };
  const timer = setInterval(kick, FLUSH_MS);
  timer.unref();

  app.addHook('onResponse', async (request, reply) => {
    buffer.push({
      at: new Date(Date.now() - Math.round(reply.elapsedTime)),
      method: request.method,
      route: request.is404 ? null : (request.routeOptions.url ?? null),
      path: (request.url.split('?')[0] ?? '').slice(0, PATH_MAX),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
      ip: request.ip ?? null,
      account_id: request.staff?.accountId ?? null,
      user_agent: request.headers['user-agent']?.slice(0, UA_MAX) ?? null,
    });
    if (buffer.length > MAX_BUFFERED) {
      dropped += buffer.length - MAX_BUFFERED;
      buffer.splice(0, buffer.length - MAX_BUFFERED);
    }
    if (buffer.length >= BATCH) kick();
  });

  return {
    async close() {
      clearInterval(timer);
      await writing;
      await flush();
    },
  };
}

/** The access log of a period [from, to) as CSV (UTF-8 with BOM): the console's download and `madoguchi logs export`. */
export async function accessLogCsv(db: Db, from: Date, to: Date) {
  const rows = await accessLogsBetween(db, from, to);
  const csv = toCsv(
    [
      '日時',
      'メソッド',
      'ルート',
      'パス',
      'ステータス',
      '処理時間(ms)',
      'IPアドレス',
      'アカウントID',
      'ユーザーエージェント',
    ],
    rows.map((r) => [
      tokyoDateTime(r.at),
      r.method,
      r.route,
      r.path,
      r.status,
      r.duration_ms,
      r.ip,
      r.account_id,
      r.user_agent,
    ]),
  );
  return { csv, count: rows.length };
}

/** Deletes the rows older than `days` days (the retention job). */
export const applyAccessLogRetention = (db: Db, days: number, now = new Date()) =>
  deleteAccessLogsBefore(db, new Date(now.getTime() - days * 86400_000));
