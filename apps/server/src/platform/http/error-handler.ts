import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../../db/connection.ts';
import { AppError, databaseUnavailable } from '../errors.ts';
import { databaseErrorAsAppError } from './database-errors.ts';

// Every failure leaves the server as { code, message[, details] } with a fitting status.
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const fromDatabase = databaseErrorAsAppError(err);
    if (fromDatabase) {
      // Logged so a missing check in a schema or service still shows up (as a warning, not a 500).
      request.log.warn({ err }, 'database refused input');
      return reply
        .status(fromDatabase.status)
        .send({ code: fromDatabase.code, message: fromDatabase.message });
    }
    if (err instanceof AppError) {
      return reply
        .status(err.status)
        .send({ code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: String(v.instancePath ?? '')
          .replace(/^\//, '')
          .replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      return reply
        .status(400)
        .send({ code: 'VALIDATION_FAILED', message: '入力内容に誤りがあります', details });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply
          .status(413)
          .send({ code: 'PAYLOAD_TOO_LARGE', message: '送信されたデータが大きすぎます' });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply
          .status(415)
          .send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Content-Type が対応していません' });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send({ code: 'INVALID_JSON', message: 'JSON の形式が正しくありません' });
    }
    if (err.statusCode === 400 && err.message.includes('JSON')) {
      return reply.status(400).send({ code: 'INVALID_JSON', message: 'JSON の形式が正しくありません' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ code: err.code ?? 'BAD_REQUEST', message: err.message });
    }
    if (isDatabaseUnavailable(err)) {
      // The database is down or failing over (C-13): the client may try again, LINE redelivers.
      request.log.warn({ err }, 'database unavailable');
      const e = databaseUnavailable();
      return reply.status(e.status).header('retry-after', '5').send({ code: e.code, message: e.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL_ERROR', message: 'サーバーでエラーが発生しました' });
  });
}

/**
 * Fastify's `frameworkErrors` option: errors raised while routing, before any handler or hook (a
 * path that is not valid UTF-8 after decoding, a path parameter over maxParamLength), in the same
 * shape with a stable code.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.status(414).send({ code: 'URL_TOO_LONG', message: 'URL が長すぎます' });
  } else if (err.code === 'FST_ERR_BAD_URL') {
    reply.status(400).send({ code: 'INVALID_URL', message: 'URL の形式が正しくありません' });
  } else {
    reply
      .status(err.statusCode ?? 400)
      .send({ code: 'BAD_REQUEST', message: 'リクエストの形式が正しくありません' });
  }
}
