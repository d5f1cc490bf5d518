import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';

// Every failure leaves the server as { code, message[, details] } with a fitting status.
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
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
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL_ERROR', message: 'サーバーでエラーが発生しました' });
  });
}
