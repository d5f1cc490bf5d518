import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StripeSession, StripeSim } from './stripe-state.ts';

// The stand-in's hosted payment page (what Stripe Checkout is to a real session), in Japanese:
// GET /pay/checkout/:id shows the lines and a card form; POST pays with a test card:
//   4242 4242 4242 4242 → paid (checkout.session.completed, then the browser to success_url)
//   4000 0000 0000 0002 → declined (the page again with the error; the session stays open)
//   4000 0000 0000 3220 → a 3-D Secure challenge page (/pay/3ds/:id): 認証する → paid, 失敗 → declined
// 「支払わずに戻る」 sends the browser to cancel_url (the session stays open, as at Stripe).

export const TEST_CARDS = {
  ok: '4242424242424242',
  declined: '4000000000000002',
  threeDSecure: '4000000000003220',
} as const;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const yen = (n: number) => `${n.toLocaleString('ja-JP')} 円`;

const STYLE = `
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; }
  main { max-width: 28rem; margin: 0 auto; padding: 1.5rem 1rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  .test { display: inline-block; background: #ffe9a8; color: #5c4100; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; background: #fff; }
  th, td { padding: .5rem; border-bottom: 1px solid #ddd; text-align: left; }
  td.n { text-align: right; white-space: nowrap; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  .req { background: #b3261e; color: #fff; border-radius: 3px; font-size: .75rem; padding: 0 .3rem; margin-left: .4rem; }
  input { display: block; box-sizing: border-box; width: 100%; min-height: 44px; font-size: 1rem; padding: .5rem; border: 1px solid #6b6b6b; border-radius: 4px; }
  input[aria-invalid="true"] { border: 2px solid #b3261e; }
  .hint { color: #4a4a4a; font-size: .85rem; margin: .25rem 0 0; }
  .error { color: #b3261e; font-weight: 600; }
  button, a.button { display: block; box-sizing: border-box; width: 100%; min-height: 44px; margin-top: 1.25rem; font-size: 1rem; border-radius: 6px; text-align: center; }
  button.primary { background: #0b57d0; color: #fff; border: 0; }
  button.secondary, a.button { background: #fff; color: #0b57d0; border: 1px solid #0b57d0; padding: .6rem; text-decoration: none; }
  :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function linesTable(s: StripeSession): string {
  const rows = s._lines
    .map(
      (l) =>
        `<tr><td>${esc(l.description)}</td><td class="n">${yen(l.price.unit_amount)} × ${l.quantity}</td><td class="n">${yen(l.amount_total)}</td></tr>`,
    )
    .join('');
  return `<table><caption class="hint">お支払いの内容</caption>
<thead><tr><th scope="col">項目</th><th scope="col">単価 × 数量</th><th scope="col">金額</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row" colspan="2">合計</th><td class="n"><strong>${yen(s.amount_total)}</strong></td></tr></tfoot></table>`;
}

function checkoutHtml(
  s: StripeSession,
  values: { card?: string } = {},
  error: string | null = s._error,
): string {
  const errId = 'card-error';
  const invalid = error ? ' aria-invalid="true"' : '';
  const described = error ? `card-hint ${errId}` : 'card-hint';
  return page(
    'お支払い（テスト）',
    `<h1>お支払い <span class="test">テスト環境</span></h1>
<p class="hint">これは決済サービスの代わりの画面です。本物のカードは使えません。</p>
${linesTable(s)}
${error ? `<p id="${errId}" class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/pay/checkout/${esc(s.id)}" novalidate>
  <label for="card">カード番号<span class="req">※必須</span></label>
  <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" required aria-describedby="${described}"${invalid} value="${esc(values.card ?? '')}">
  <p id="card-hint" class="hint">テスト用: 4242 4242 4242 4242（成功）、4000 0000 0000 0002（拒否）、4000 0000 0000 3220（3D セキュア）</p>
  <label for="exp">有効期限（月/年）<span class="req">※必須</span></label>
  <input id="exp" name="exp" inputmode="numeric" autocomplete="cc-exp" placeholder="12/34" required>
  <label for="cvc">セキュリティコード<span class="req">※必須</span></label>
  <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
  <button type="submit" class="primary">${yen(s.amount_total)}を支払う</button>
</form>
${s.cancel_url ? `<a class="button" href="/pay/checkout/${esc(s.id)}/cancel">支払わずに戻る</a>` : ''}`,
  );
}

function closedHtml(s: StripeSession): string {
  const text =
    s.status === 'complete' ? 'このお支払いは完了しています。' : 'このお支払いの期限が切れました。';
  return page('お支払い（テスト）', `<h1>お支払い</h1><p role="status">${text}</p>`);
}

function threeDsHtml(s: StripeSession): string {
  return page(
    '本人認証（3D セキュア・テスト）',
    `<h1>本人認証（3D セキュア） <span class="test">テスト環境</span></h1>
<p>カード会社の本人認証の代わりの画面です。金額: <strong>${yen(s.amount_total)}</strong></p>
<form method="post" action="/pay/3ds/${esc(s.id)}">
  <button type="submit" name="result" value="complete" class="primary">認証する</button>
  <button type="submit" name="result" value="fail" class="secondary">認証に失敗する</button>
</form>`,
  );
}

const successUrl = (s: StripeSession) => (s.success_url ?? '').replace('{CHECKOUT_SESSION_ID}', s.id);

export function registerCheckoutPages(app: FastifyInstance, sim: StripeSim): void {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  const find = (id: string) => sim.sessions.get(id);

  app.get<{ Params: { id: string } }>('/pay/checkout/:id', async (req, reply) => {
    const s = find(req.params.id);
    if (!s) return html(reply, 404, page('お支払い', '<h1>お支払いが見つかりません</h1>'));
    if (s.status !== 'open') return html(reply, 200, closedHtml(s));
    return html(reply, 200, checkoutHtml(s));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>(
    '/pay/checkout/:id',
    async (req, reply) => {
      const s = find(req.params.id);
      if (!s) return html(reply, 404, page('お支払い', '<h1>お支払いが見つかりません</h1>'));
      if (s.status !== 'open') return html(reply, 200, closedHtml(s));
      const card = String(req.body?.card ?? '').replace(/[\s-]/g, '');
      if (card === TEST_CARDS.ok) {
        sim.completeSession(s);
        return reply.redirect(successUrl(s), 303);
      }
      if (card === TEST_CARDS.threeDSecure) {
        const pi = (s.payment_intent && sim.intents.get(s.payment_intent)) || sim.newIntent(s);
        pi.status = 'requires_action';
        return reply.redirect(`/pay/3ds/${s.id}`, 303);
      }
      if (card === TEST_CARDS.declined) {
        sim.declineSession(s, 'card_declined', 'カードが拒否されました。別のカードをお試しください。');
        return html(reply, 402, checkoutHtml(s, { card: req.body?.card ?? '' }));
      }
      return html(
        reply,
        400,
        checkoutHtml(
          s,
          { card: req.body?.card ?? '' },
          'カード番号が正しくありません（テスト用のカード番号を入力してください）。',
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>('/pay/checkout/:id/cancel', async (req, reply) => {
    const s = find(req.params.id);
    if (!s?.cancel_url) return html(reply, 404, page('お支払い', '<h1>お支払いが見つかりません</h1>'));
    return reply.redirect(s.cancel_url, 303);
  });

  app.get<{ Params: { id: string } }>('/pay/3ds/:id', async (req, reply) => {
    const s = find(req.params.id);
    if (!s) return html(reply, 404, page('お支払い', '<h1>お支払いが見つかりません</h1>'));
    if (s.status !== 'open') return html(reply, 200, closedHtml(s));
    return html(reply, 200, threeDsHtml(s));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/pay/3ds/:id', async (req, reply) => {
    const s = find(req.params.id);
    if (!s) return html(reply, 404, page('お支払い', '<h1>お支払いが見つかりません</h1>'));
    if (s.status !== 'open') return html(reply, 200, closedHtml(s));
    if (req.body?.result === 'complete') {
      sim.completeSession(s);
      return reply.redirect(successUrl(s), 303);
    }
    sim.declineSession(
      s,
      'authentication_required',
      '本人認証（3D セキュア）に失敗しました。もう一度お試しください。',
    );
    return reply.redirect(`/pay/checkout/${s.id}`, 303);
  });
}
