import type { PaymentLine } from './payments.service.ts';

// Our card page for PAY.JP (A-02, issue 15): PAY.JP v1 has no hosted payment page, so this page
// shows OUR amount and lines, loads payjp.js (PAYJP_JS_URL), mounts its card element, makes a token
// with the public key and posts only the token to us (card.js, no inline script). Japanese first,
// English with ?lang=en; 44 px targets; errors in an alert region.

export type CardPageLang = 'ja' | 'en';

export const CARD_PAGE_TEXT = {
  ja: {
    title: 'カードでのお支払い',
    test: 'テスト環境',
    lead: 'お支払いの内容を確かめて、カード情報を入力してください。カード情報は決済サービス（PAY.JP）に直接送られ、市のサーバーには届きません。',
    caption: 'お支払いの内容',
    item: '項目',
    unit: '単価 × 数量',
    amount: '金額',
    total: '合計',
    card: 'カード情報',
    required: '※必須',
    pay: (yen: string) => `${yen}を支払う`,
    processing: '処理しています。画面を閉じずにお待ちください…',
    back: '支払わずに戻る',
    other: 'English',
    paid: 'このお支払いは完了しています。',
    closed: 'このお支払いは終了しています。もう一度お手続きをやり直してください。',
    toReturn: '元の画面に戻る',
    retryCheck: 'もう一度確認する',
    errors: {
      card_invalid: 'カード情報を確かめてください（番号・有効期限・セキュリティコード）',
      card_declined: 'カードが承認されませんでした。カードの内容を確かめるか、別のカードをお使いください',
      tds_failed: '本人認証（3D セキュア）ができませんでした。お支払いは行われていません',
      pending: '決済サービスで確認できませんでした。しばらくしてから「もう一度確認する」を押してください',
      unavailable:
        '決済サービスに接続できません。しばらくしてからもう一度お試しください（二重に請求されることはありません）',
      failed: 'お支払いできませんでした。もう一度お試しください',
    },
  },
  en: {
    title: 'Pay by card',
    test: 'Test mode',
    lead: 'Check the payment and enter your card. The card details go straight to the payment service (PAY.JP), never to the city’s server.',
    caption: 'What you pay',
    item: 'Item',
    unit: 'Price × quantity',
    amount: 'Amount',
    total: 'Total',
    card: 'Card',
    required: 'Required',
    pay: (yen: string) => `Pay ${yen}`,
    processing: 'Processing. Please keep this page open…',
    back: 'Go back without paying',
    other: '日本語',
    paid: 'This payment is complete.',
    closed: 'This payment is closed. Please start the procedure again.',
    toReturn: 'Back to the procedure',
    retryCheck: 'Check again',
    errors: {
      card_invalid: 'Check the card number, expiry and security code.',
      card_declined: 'The card was declined. Check it or use another card.',
      tds_failed: 'Card authentication (3-D Secure) failed. Nothing was charged.',
      pending: 'The payment service could not confirm it yet. Press “Check again” in a moment.',
      unavailable:
        'The payment service cannot be reached. Please try again later (you will not be charged twice).',
      failed: 'The payment did not go through. Please try again.',
    },
  },
} as const;

export type CardPageError = keyof (typeof CARD_PAGE_TEXT)['ja']['errors'];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const yen = (n: number, lang: CardPageLang) =>
  lang === 'ja' ? `${n.toLocaleString('ja-JP')} 円` : `¥${n.toLocaleString('en-US')}`;

const STYLE = `
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; line-height: 1.6; }
  main { max-width: 30rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  .test { display: inline-block; background: #ffe9a8; color: #5c4100; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
  .lang { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; color: #0b57d0; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; background: #fff; }
  caption { text-align: left; font-weight: 600; padding: .25rem 0; }
  th, td { padding: .5rem; border-bottom: 1px solid #ddd; text-align: left; }
  td.n { text-align: right; white-space: nowrap; }
  fieldset { border: 1px solid #6b6b6b; border-radius: 6px; background: #fff; padding: .5rem 1rem 1rem; margin: 0; }
  legend { font-weight: 600; padding: 0 .25rem; }
  .req { background: #b3261e; color: #fff; border-radius: 3px; font-size: .75rem; padding: 0 .3rem; margin-left: .4rem; }
  #card-element { min-height: 44px; }
  .error { color: #b3261e; font-weight: 600; }
  button, a.button { display: flex; align-items: center; justify-content: center; box-sizing: border-box; width: 100%; min-height: 44px; margin-top: 1.25rem; font-size: 1rem; border-radius: 6px; text-align: center; }
  button.primary { background: #0b57d0; color: #fff; border: 0; }
  button[disabled] { background: #5f6368; }
  a.button { background: #fff; color: #0b57d0; border: 1px solid #0b57d0; text-decoration: none; }
  :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
`;

interface PageInput {
  lang: CardPageLang;
  paymentId: string;
  status: string;
  amount: number;
  lines: PaymentLine[];
  description: string;
  publicKey: string;
  jsUrl: string;
  returnUrl: string;
  error: CardPageError | null;
  testMode: boolean;
}

export function cardPageHtml(i: PageInput): string {
  const t = CARD_PAGE_TEXT[i.lang];
  const self = `/pay/payjp/${encodeURIComponent(i.paymentId)}`;
  const other = i.lang === 'ja' ? `${self}?lang=en` : self;
  const rows = i.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.label)}</td><td class="n">${yen(l.unitAmount, i.lang)} × ${l.quantity}</td><td class="n">${yen(l.unitAmount * l.quantity, i.lang)}</td></tr>`,
    )
    .join('');
  const table = `<table><caption>${esc(t.caption)}: ${esc(i.description)}</caption>
<thead><tr><th scope="col">${t.item}</th><th scope="col">${t.unit}</th><th scope="col">${t.amount}</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row" colspan="2">${t.total}</th><td class="n"><strong>${yen(i.amount, i.lang)}</strong></td></tr></tfoot></table>`;
  const errorText = i.error ? t.errors[i.error] : '';
  const alert = `<p id="card-error" class="error" role="alert">${esc(errorText)}</p>`;
  let body: string;
  if (i.status === 'paid') {
    body = `<p role="status">${t.paid}</p><a class="button" href="${esc(i.returnUrl)}">${t.toReturn}</a>`;
  } else if (i.status !== 'pending') {
    body = `${alert}<p role="status">${t.closed}</p><a class="button" href="${esc(i.returnUrl)}">${t.toReturn}</a>`;
  } else {
    const errors = Object.fromEntries(Object.entries(t.errors));
    body = `${alert}
<form id="card-form" novalidate data-public-key="${esc(i.publicKey)}" data-payment-id="${esc(i.paymentId)}" data-lang="${i.lang}"
  data-messages="${esc(JSON.stringify({ processing: t.processing, ...errors }))}">
  <fieldset aria-describedby="card-error">
    <legend>${t.card}<span class="req">${t.required}</span></legend>
    <div id="card-element"></div>
  </fieldset>
  <p id="card-status" role="status" aria-live="polite"></p>
  <button type="submit" class="primary" id="pay-button">${esc(t.pay(yen(i.amount, i.lang)))}</button>
</form>
${i.error === 'pending' ? `<a class="button" href="${self}/back">${t.retryCheck}</a>` : ''}
<a class="button" href="${esc(withCanceled(i.returnUrl))}">${t.back}</a>
<script src="${esc(i.jsUrl)}"></script>
<script src="/pay/payjp/card.js"></script>`;
  }
  return `<!doctype html>
<html lang="${i.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><style>${STYLE}</style></head>
<body><main>
<p><a class="lang" href="${esc(other)}" lang="${i.lang === 'ja' ? 'en' : 'ja'}">${t.other}</a></p>
<h1>${t.title}${i.testMode ? ` <span class="test">${t.test}</span>` : ''}</h1>
<p>${t.lead}</p>
${table}
${body}
</main></body></html>`;
}

function withCanceled(url: string): string {
  const u = new URL(url);
  u.searchParams.set('paymentCanceled', '1');
  return u.toString();
}

/** The card page's script (served from our origin: the page policy allows no inline script). */
export const CARD_PAGE_JS = `(() => {
  'use strict';
  const form = document.getElementById('card-form');
  if (!form || typeof window.Payjp !== 'function') return;
  const messages = JSON.parse(form.dataset.messages);
  const errorBox = document.getElementById('card-error');
  const status = document.getElementById('card-status');
  const button = document.getElementById('pay-button');
  const payjp = window.Payjp(form.dataset.publicKey);
  const card = payjp.elements().create('card', { lang: form.dataset.lang });
  card.mount('#card-element');
  const fail = (text) => {
    status.textContent = '';
    errorBox.textContent = text;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    for (const input of form.querySelectorAll('#card-element input')) input.setAttribute('aria-invalid', 'true');
  };
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    errorBox.textContent = '';
    status.textContent = messages.processing;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const token = await payjp.createToken(card);
      if (!token || token.error || !token.id) return fail(messages.card_invalid);
      const r = await fetch('/pay/payjp/' + encodeURIComponent(form.dataset.paymentId) + '/charge', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: token.id }),
      });
      const j = await r.json().catch(() => ({}));
      if (r.ok && typeof j.url === 'string') { location.assign(j.url); return; }
      const code = j && j.code;
      fail(code === 'PAYMENT_CARD_DECLINED' ? messages.card_declined
        : code === 'PAYMENT_3DS_FAILED' ? messages.tds_failed
        : code === 'PAYMENT_PROVIDER_UNAVAILABLE' ? messages.unavailable
        : messages.failed);
    } catch (e) {
      fail(messages.unavailable);
    } finally {
      busy = false;
    }
  });
})();
`;
