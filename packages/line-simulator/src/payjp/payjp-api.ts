import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeStripeForm, type FormValue } from '../payments/stripe-form.ts';
import { PAYJP_JS } from './pay-js.ts';
import { chargeJson, PAYJP_TEST_CARDS, type PayjpCharge, type PayjpSim } from './payjp-state.ts';

// The PAY.JP API subset the official `payjp` SDK and payjp.js use (A-02, issue 15), under /payjp/v1:
//   POST /v1/tokens                 (payjp.js, Basic auth with the PUBLIC key; CORS for the browser)
//   POST /v1/charges                card (token), amount, currency, three_d_secure, metadata[…]
//   GET  /v1/charges                since, limit, offset (newest first)
//   GET  /v1/charges/:id
//   POST /v1/charges/:id/tds_finish
//   POST /v1/charges/:id/refund     amount, refund_reason
//   GET  /v1/tds/:id/start?publickey=…&back_url=<JWS>   the 3-D Secure page (a browser navigates here)
// Charges need Basic auth with the SECRET key (the key as user name, no password); errors are
// PAY.JP's {error: {type, code, message, status}}. Faults hit the server's POSTs only (down: 500,
// timeout: no answer, lose-response: done but answered 500).
// Also GET /payjp/pay.js: a payjp.js v2 stand-in (Payjp(pk), elements().create('card'), createToken).

class PayjpHttpError extends Error {
  readonly status: number;
  readonly error: { type: string; code?: string; message: string };
  constructor(status: number, error: { type: string; code?: string; message: string }) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

const invalid = (message: string, code = 'invalid_param') =>
  new PayjpHttpError(400, { type: 'client_error', code, message });

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const str = (v: FormValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function intParam(v: FormValue | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const s = str(v);
  if (s === undefined || !/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw invalid(`Invalid ${name}: ${String(s)}`);
  }
  return Number(s);
}

function formOf(req: FastifyRequest): Record<string, FormValue> {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const j = JSON.parse(raw) as Record<string, unknown>;
      const out: Record<string, FormValue> = {};
      for (const [k, v] of Object.entries(j)) out[k] = typeof v === 'object' ? (v as FormValue) : String(v);
      return out;
    } catch {
      throw invalid('Invalid JSON body');
    }
  }
  const f = decodeStripeForm(raw);
  if (!f) throw invalid('Malformed form body');
  return f;
}

const STYLE = `
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; }
  main { max-width: 28rem; margin: 0 auto; padding: 1.5rem 1rem; }
  h1 { font-size: 1.25rem; }
  .test { display: inline-block; background: #ffe9a8; color: #5c4100; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
  button { display: block; box-sizing: border-box; width: 100%; min-height: 44px; margin-top: 1rem; font-size: 1rem; border-radius: 6px; }
  button.primary { background: #0b57d0; color: #fff; border: 0; }
  button.secondary { background: #fff; color: #0b57d0; border: 1px solid #0b57d0; }
  :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
`;

function challengeHtml(c: PayjpCharge, backUrl: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>本人認証（3D セキュア・テスト）</title><style>${STYLE}</style></head>
<body><main>
<h1>本人認証（3D セキュア） <span class="test">テスト環境</span></h1>
<p>カード会社の本人認証の代わりの画面です（PAY.JP の代わり）。</p>
<p>金額: <strong>${c.amount.toLocaleString('ja-JP')} 円</strong>（カード末尾 ${esc(c.card.last4)}）</p>
<form method="post" action="/payjp/v1/tds/${esc(c.id)}/challenge">
  <input type="hidden" name="back_url" value="${esc(backUrl)}">
  <button type="submit" name="result" value="ok" class="primary">認証する</button>
  <button type="submit" name="result" value="cancel" class="secondary">キャンセル</button>
</form>
</main></body></html>`;
}

export function registerPayjpApi(app: FastifyInstance, sim: PayjpSim): void {
  app.get('/payjp/pay.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(PAYJP_JS),
  );

  // The browser's token request comes from the product's card page (another origin).
  const cors = (reply: FastifyReply) =>
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-allow-methods', 'POST, OPTIONS');
  app.options('/payjp/v1/tokens', async (_req, reply) => cors(reply).code(204).send());

  // The 3-D Secure result from the challenge page (a plain form: the app's formbody parser).
  app.post<{ Params: { id: string }; Body: { back_url?: string; result?: string } }>(
    '/payjp/v1/tds/:id/challenge',
    async (req, reply) => {
      const c = sim.charges.get(req.params.id);
      const back = sim.backUrl(String(req.body?.back_url ?? ''));
      if (!c || !back)
        return reply.code(400).type('text/plain; charset=utf-8').send('bad 3-D Secure request');
      sim.authenticate(c, req.body?.result === 'ok');
      return reply.redirect(back, 303);
    },
  );

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err, _req, reply) => {
      if (err instanceof PayjpHttpError) {
        return reply.code(err.status).send({ error: { ...err.error, status: err.status } });
      }
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      return reply.code(status).send({
        error: {
          type: status >= 500 ? 'server_error' : 'client_error',
          message: String((err as Error)?.message ?? err),
          status,
        },
      });
    });

    /** One API call: key check, fault (server POSTs), request log. */
    async function handle(
      req: FastifyRequest,
      reply: FastifyReply,
      need: 'secret' | 'public',
      run: () => unknown,
    ): Promise<unknown> {
      const key = sim.keyOf(req.headers.authorization);
      const path = req.url.split('?')[0]!;
      const log = (status: number, fault: string | null = null) =>
        sim.requests.push({ method: req.method, path, key, status, fault, at: new Date().toISOString() });
      if (key !== need && !(need === 'public' && key === 'secret')) {
        log(401);
        throw new PayjpHttpError(401, {
          type: 'auth_error',
          code: 'invalid_api_key',
          message: 'Invalid API Key',
        });
      }
      const fault = need === 'secret' && req.method === 'POST' ? sim.takeFault() : null;
      if (fault === 'down') {
        log(500, fault);
        throw new PayjpHttpError(500, {
          type: 'server_error',
          message: 'The stand-in is down (injected fault).',
        });
      }
      if (fault === 'timeout') {
        log(0, fault);
        await new Promise((resolve) => sim.later(30_000, () => resolve(undefined)));
        return reply.code(504).send({ error: { type: 'server_error', message: 'timeout', status: 504 } });
      }
      try {
        const out = run();
        if (fault === 'lose-response') {
          log(500, fault);
          throw new PayjpHttpError(500, {
            type: 'server_error',
            message: 'The answer was lost (injected fault).',
          });
        }
        log(200);
        return out;
      } catch (err) {
        if (err instanceof PayjpHttpError && fault !== 'lose-response') log(err.status);
        throw err;
      }
    }

    const charge = (id: string) => {
      const c = sim.charges.get(id);
      if (!c) {
        throw new PayjpHttpError(404, {
          type: 'client_error',
          code: 'invalid_id',
          message: `No such charge: ${id}`,
        });
      }
      return c;
    };

    scope.post('/payjp/v1/tokens', async (req, reply) => {
      cors(reply);
      return handle(req, reply, 'public', () => {
        const f = formOf(req);
        const card = typeof f.card === 'object' && !Array.isArray(f.card) ? f.card : {};
        const number = (str(card.number) ?? '').replace(/\D/g, '');
        if (!/^\d{14,16}$/.test(number)) {
          throw new PayjpHttpError(402, {
            type: 'card_error',
            code: 'invalid_number',
            message: 'Invalid card number',
          });
        }
        const month = intParam(card.exp_month, 'exp_month', 1, 12);
        const year = intParam(card.exp_year, 'exp_year', 2000, 2100);
        if (month === undefined || year === undefined) {
          throw new PayjpHttpError(402, {
            type: 'card_error',
            code: 'invalid_expiry_month',
            message: 'Invalid expiry',
          });
        }
        if (!/^\d{3,4}$/.test(str(card.cvc) ?? '')) {
          throw new PayjpHttpError(402, { type: 'card_error', code: 'invalid_cvc', message: 'Invalid CVC' });
        }
        const t = sim.createToken({ number, exp_month: month, exp_year: year });
        const { _number, ...json } = t;
        return json;
      });
    });

    scope.post('/payjp/v1/charges', async (req, reply) =>
      handle(req, reply, 'secret', () => {
        const f = formOf(req);
        const amount = intParam(f.amount, 'amount', 50, 9_999_999);
        if (amount === undefined) throw invalid('amount is required', 'missing_param');
        if (str(f.currency) !== 'jpy') throw invalid('currency must be jpy');
        const tokenId = str(f.card);
        const token = tokenId ? sim.tokens.get(tokenId) : undefined;
        if (!token) throw invalid(`No such token: ${String(tokenId)}`, 'invalid_id');
        if (token.used) throw invalid('The token is already used', 'token_already_used');
        if (token._number === PAYJP_TEST_CARDS.declined) {
          token.used = true;
          throw new PayjpHttpError(402, {
            type: 'card_error',
            code: 'card_declined',
            message: 'Card declined',
          });
        }
        const md = typeof f.metadata === 'object' && !Array.isArray(f.metadata) ? f.metadata : {};
        const metadata: Record<string, string> = {};
        for (const [k, v] of Object.entries(md)) if (typeof v === 'string') metadata[k] = v;
        return chargeJson(
          sim.createCharge({
            token,
            amount,
            description: str(f.description) ?? null,
            metadata,
            threeDSecure: str(f.three_d_secure) === 'true',
          }),
        );
      }),
    );

    scope.get('/payjp/v1/charges', async (req, reply) =>
      handle(req, reply, 'secret', () => {
        const q = req.query as Record<string, string | undefined>;
        const since = intParam(q.since, 'since', 0, 9_999_999_999) ?? 0;
        const limit = intParam(q.limit, 'limit', 1, 100) ?? 10;
        const offset = intParam(q.offset, 'offset', 0, 1_000_000) ?? 0;
        const all = [...sim.charges.values()].filter((c) => c.created >= since).reverse();
        const data = all.slice(offset, offset + limit);
        return {
          object: 'list',
          url: '/v1/charges',
          count: data.length,
          has_more: all.length > offset + limit,
          data: data.map(chargeJson),
        };
      }),
    );

    scope.get<{ Params: { id: string } }>('/payjp/v1/charges/:id', async (req, reply) =>
      handle(req, reply, 'secret', () => chargeJson(charge(req.params.id))),
    );

    scope.post<{ Params: { id: string } }>('/payjp/v1/charges/:id/tds_finish', async (req, reply) =>
      handle(req, reply, 'secret', () => {
        const c = charge(req.params.id);
        if (c.three_d_secure_status === 'unverified' || c.three_d_secure_status === null) {
          throw invalid('3-D Secure has not been done for this charge', 'invalid_three_d_secure_status');
        }
        sim.finish(c);
        return chargeJson(c);
      }),
    );

    scope.post<{ Params: { id: string } }>('/payjp/v1/charges/:id/refund', async (req, reply) =>
      handle(req, reply, 'secret', () => {
        const c = charge(req.params.id);
        if (!c.paid || !c.captured) throw invalid('The charge is not captured', 'not_captured');
        if (c.refunded) throw invalid('The charge is already refunded', 'already_refunded');
        const f = formOf(req);
        const amount = intParam(f.amount, 'amount', 1, 9_999_999) ?? c.amount - c.amount_refunded;
        if (amount > c.amount - c.amount_refunded) throw invalid('amount exceeds the refundable amount');
        sim.refund(c, amount, str(f.refund_reason) ?? null);
        return chargeJson(c);
      }),
    );

    // The 3-D Secure start (PAY.JP: https://api.pay.jp/v1/tds/{charge}/start?publickey=…&back_url=…).
    scope.get<{ Params: { id: string }; Querystring: { publickey?: string; back_url?: string } }>(
      '/payjp/v1/tds/:id/start',
      async (req, reply) => {
        const c = sim.charges.get(req.params.id);
        const back = sim.backUrl(String(req.query.back_url ?? ''));
        const text = (s: string) => reply.code(400).type('text/plain; charset=utf-8').send(s);
        if (!c) return text('no such charge');
        if (req.query.publickey !== sim.config.publicKey) return text('publickey is wrong');
        if (!back) return text('back_url must be a JWS (HS256, the secret key) of {"url": …}');
        if (c.three_d_secure_status !== 'unverified') return reply.redirect(back, 303);
        if (c._number === PAYJP_TEST_CARDS.challenge) {
          return reply.type('text/html; charset=utf-8').send(challengeHtml(c, String(req.query.back_url)));
        }
        sim.authenticate(c, true);
        return reply.redirect(back, 303);
      },
    );
  });
}
