import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { cardPagePolicy } from '../../platform/http/security-headers.ts';
import { CARD_PAGE_JS, type CardPageError, cardPageHtml } from './payjp-card-page.ts';
import { PAYJP_CARD_PAGE_PATH } from './payjp-provider.ts';
import { cardPayment, finishCardPayment, type PaymentsDeps, payWithCardToken } from './payments.service.ts';

// Our card page for a provider without a hosted payment page (PAY.JP, A-02, issue 15). Public
// routes (the payment's UUID is the bearer, as a provider's checkout URL is):
//   GET  /pay/payjp/:paymentId          the page (our amount and lines; payjp.js; ?lang=en; ?error=…)
//   GET  /pay/payjp/card.js             its script
//   POST /pay/payjp/:paymentId/charge   {token} → {next: 'three_d_secure'|'return', url}
//   GET  /pay/payjp/:paymentId/back     back from 3-D Secure: tds_finish + a server-side read, then
//                                       the caller's page (?payment=…) or the card page with an error
// The page's Content-Security-Policy adds PAYJP_JS_URL's origin for script, frame and connect.

/** Card submits per payment in 15 minutes (a double tap and a few declined cards fit). */
export const CARD_ATTEMPTS_PER_PAYMENT = 10;

const params = z.object({ paymentId: z.uuid() });
const pageQuery = z.object({
  lang: z.enum(['ja', 'en']).optional(),
  error: z.enum(['tds_failed', 'pending', 'card_declined', 'unavailable', 'failed']).optional(),
});
const chargeBody = z.object({ token: z.string().regex(/^tok_[A-Za-z0-9_]{1,200}$/) });

export function registerPayjpCardRoutes(app: Api, db: Db, deps: PaymentsDeps, config: Config): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const policy = cardPagePolicy(config);

  api.get(
    `${PAYJP_CARD_PAGE_PATH}/card.js`,
    {
      schema: { tags: ['payments'], summary: 'カード支払い画面のスクリプト（PAY.JP）', hide: true },
      config: { staff: false },
    },
    async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CARD_PAGE_JS),
  );

  api.get(
    `${PAYJP_CARD_PAGE_PATH}/:paymentId`,
    {
      schema: {
        tags: ['payments'],
        summary: 'カード支払い画面（PAY.JP、3D セキュア）',
        params,
        querystring: pageQuery,
      },
      config: { staff: false },
    },
    async (request, reply) => {
      const { payment: p, card, returnUrl } = await cardPayment(db, deps, request.params.paymentId);
      const lang = request.query.lang ?? 'ja';
      const error: CardPageError | null =
        request.query.error ?? (p.status === 'failed' ? 'tds_failed' : null);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', policy)
        .send(
          cardPageHtml({
            lang,
            paymentId: p.id,
            status: p.status,
            amount: p.amount,
            lines: p.lines,
            description: p.description,
            publicKey: card.publicKey,
            jsUrl: card.jsUrl,
            returnUrl,
            error,
            testMode: card.publicKey.startsWith('pk_test_'),
          }),
        );
    },
  );

  api.post(
    `${PAYJP_CARD_PAGE_PATH}/:paymentId/charge`,
    {
      schema: {
        tags: ['payments'],
        summary: 'カードのトークンで支払う（金額はこのサーバーの支払いのもの）',
        params,
        body: chargeBody,
      },
      // Card testing (trying stolen cards on one payment) is limited per payment.
      config: {
        staff: false,
        rateLimit: {
          max: CARD_ATTEMPTS_PER_PAYMENT,
          timeWindow: 15 * 60_000,
          keyGenerator: (request) => `payjp-card:${(request.params as { paymentId: string }).paymentId}`,
        },
      },
    },
    async (request) =>
      payWithCardToken(db, deps, { paymentId: request.params.paymentId, token: request.body.token }),
  );

  api.get(
    `${PAYJP_CARD_PAGE_PATH}/:paymentId/back`,
    {
      schema: { tags: ['payments'], summary: '3D セキュアからの戻り（サーバー側で確認）', params },
      config: { staff: false },
    },
    async (request, reply) => {
      const id = request.params.paymentId;
      const state = await finishCardPayment(db, deps, id);
      const { returnUrl } = await cardPayment(db, deps, id);
      if (state.status === 'paid') return reply.redirect(returnUrl, 303);
      const error = state.status === 'pending' ? 'pending' : 'tds_failed';
      return reply.redirect(`${PAYJP_CARD_PAGE_PATH}/${id}?error=${error}`, 303);
    },
  );
}
