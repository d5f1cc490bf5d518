import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { sendTablePages } from '../../platform/http/table-export.ts';
import { registerPayjpCardRoutes } from './payjp-card.routes.ts';
import { reconciliationExport } from './payment-export.ts';
import { paymentDetail, paymentList, webhookEventList } from './payment-staff.ts';
import {
  paymentListQuery,
  paymentParams,
  reconciliationQuery,
  refundSchema,
  webhookEventQuery,
} from './payments.schema.ts';
import { type PaymentsDeps, receiveWebhook, refreshPayment, refundPayment } from './payments.service.ts';

// POST /webhooks/payments/:provider — the payment provider's webhook (raw body: the signature
// covers the exact bytes). Staff: the payments list and one payment (payments.read), a server-side
// check and a refund (payments.manage), the webhook events, and the reconciliation export (CSV with
// BOM / xlsx) of a range of days.

const WEBHOOK_BODY_LIMIT = 512 * 1024;

export function registerPaymentRoutes(app: Api, db: Db, deps: PaymentsDeps, config: Config): void {
  registerPayjpCardRoutes(app, db, deps, config);
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/webhooks/payments/:provider',
      {
        schema: {
          tags: ['webhooks'],
          summary: '決済サービスの Webhook（Stripe: Stripe-Signature、PAY.JP: X-Payjp-Webhook-Token）',
          params: z.object({ provider: z.string().max(50) }),
        },
        config: { staff: false },
      },
      async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return receiveWebhook(db, deps, request.params.provider, raw, request.headers);
      },
    );
  });

  app.get(
    '/api/payments',
    {
      schema: {
        tags: ['payments'],
        summary: '支払いの一覧（新しい順、絞り込み）',
        querystring: paymentListQuery,
      },
      config: { permission: ['payments.read', 'payments.manage'] },
    },
    async (request) => paymentList(db, request.query),
  );

  app.get(
    '/api/payments/webhook-events',
    {
      schema: {
        tags: ['payments'],
        summary: '決済サービスから受けた Webhook（新しい順）',
        querystring: webhookEventQuery,
      },
      config: { permission: ['payments.read', 'payments.manage'] },
    },
    async (request) => webhookEventList(db, request.query),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/payments/reconciliation.${format}`,
      {
        schema: {
          tags: ['payments'],
          summary:
            format === 'csv' ? '決済の照合データ CSV（UTF-8 BOM 付き）' : '決済の照合データ Excel ファイル',
          querystring: reconciliationQuery,
        },
        config: { permission: ['payments.read', 'payments.manage'], audit: { action: 'payment.export' } },
      },
      async (request, reply) => {
        const { header, pages } = reconciliationExport(db, request.query);
        request.auditTarget = { detail: { format, ...request.query } };
        return sendTablePages(
          reply,
          format,
          { name: `payments-${request.query.from}_${request.query.to}`, sheet: '決済照合' },
          { header, pages },
        );
      },
    );
  }

  app.get(
    '/api/payments/:paymentId',
    {
      schema: { tags: ['payments'], summary: '支払い（明細・返金・Webhook）', params: paymentParams },
      config: { permission: ['payments.read', 'payments.manage'] },
    },
    async (request) => paymentDetail(db, request.params.paymentId),
  );

  app.post(
    '/api/payments/:paymentId/refresh',
    {
      schema: { tags: ['payments'], summary: '決済サービスに状態を問い合わせる', params: paymentParams },
      config: { permission: 'payments.manage', audit: { action: 'payment.refresh', targetType: 'payment' } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.paymentId };
      await refreshPayment(db, deps, request.params.paymentId);
      return paymentDetail(db, request.params.paymentId);
    },
  );

  app.post(
    '/api/payments/:paymentId/refund',
    {
      schema: { tags: ['payments'], summary: '全額を返金する', params: paymentParams, body: refundSchema },
      config: { permission: 'payments.manage', audit: { action: 'payment.refund', targetType: 'payment' } },
    },
    async (request) => {
      request.auditTarget = { id: request.params.paymentId };
      const result = await refundPayment(db, deps, {
        paymentId: request.params.paymentId,
        reason: request.body.reason,
        actorId: request.staff!.accountId,
      });
      return { ...result, payment: await paymentDetail(db, request.params.paymentId) };
    },
  );
}
