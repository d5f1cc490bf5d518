// A stand-in for payjp.js v2 (https://js.pay.jp/v2/pay.js), served at /payjp/pay.js: the subset a
// card page uses — `Payjp(publicKey)`, `payjp.elements().create('card')`, `element.mount(selector)`,
// `payjp.createToken(element)` resolving to a token `{id, card, …}` or `{error: {code, message}}`.
// Real payjp.js draws the card fields in an iframe of js.pay.jp; this one draws plain labelled
// inputs in the mount point (44 px high) and posts them to the stand-in's /payjp/v1/tokens with
// the public key — the card number never reaches the product's server either way.

export const PAYJP_JS = `(() => {
  'use strict';
  const script = document.currentScript;
  const apiBase = new URL(script ? script.src : location.href).origin + '/payjp/v1';
  const LABELS = {
    ja: { number: 'カード番号', exp: '有効期限（月/年 例: 12/34）', cvc: 'セキュリティコード' },
    en: { number: 'Card number', exp: 'Expiry (MM/YY, e.g. 12/34)', cvc: 'Security code' },
  };
  let seq = 0;
  function field(root, id, label, autocomplete) {
    const wrap = document.createElement('div');
    wrap.style.marginTop = '0.75rem';
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = label;
    l.style.display = 'block';
    l.style.fontWeight = '600';
    const i = document.createElement('input');
    i.id = id;
    i.inputMode = 'numeric';
    i.autocomplete = autocomplete;
    i.required = true;
    i.setAttribute('aria-required', 'true');
    i.style.cssText = 'display:block;box-sizing:border-box;width:100%;min-height:44px;font-size:1rem;padding:.5rem;border:1px solid #6b6b6b;border-radius:4px';
    wrap.append(l, i);
    root.append(wrap);
    return i;
  }
  function CardElement(options) {
    this.lang = (options && options.lang) === 'en' ? 'en' : 'ja';
    this.inputs = null;
  }
  CardElement.prototype.mount = function (target) {
    const root = typeof target === 'string' ? document.querySelector(target) : target;
    if (!root) throw new Error('payjp.js: mount point not found');
    const n = ++seq;
    const t = LABELS[this.lang];
    root.textContent = '';
    this.inputs = {
      number: field(root, 'payjp-card-number-' + n, t.number, 'cc-number'),
      exp: field(root, 'payjp-card-exp-' + n, t.exp, 'cc-exp'),
      cvc: field(root, 'payjp-card-cvc-' + n, t.cvc, 'cc-csc'),
    };
  };
  CardElement.prototype.focus = function () { if (this.inputs) this.inputs.number.focus(); };
  function Payjp(publicKey) {
    if (!(typeof publicKey === 'string' && /^pk_(test|live)_/.test(publicKey))) throw new Error('payjp.js: a public key is required');
    return {
      elements: () => ({ create: (type, options) => {
        if (type !== 'card') throw new Error('payjp.js stand-in: only the card element');
        return new CardElement(options);
      } }),
      createToken: async (element) => {
        const inputs = element && element.inputs;
        if (!inputs) return { error: { code: 'invalid_element', message: 'The card element is not mounted' } };
        const exp = inputs.exp.value.replace(/\\s/g, '').split('/');
        const year = exp[1] ? (exp[1].length === 2 ? '20' + exp[1] : exp[1]) : '';
        const body = new URLSearchParams({
          'card[number]': inputs.number.value.replace(/\\D/g, ''),
          'card[exp_month]': (exp[0] || '').replace(/^0/, ''),
          'card[exp_year]': year,
          'card[cvc]': inputs.cvc.value.trim(),
        });
        try {
          const r = await fetch(apiBase + '/tokens', {
            method: 'POST',
            headers: { authorization: 'Basic ' + btoa(publicKey + ':'), 'content-type': 'application/x-www-form-urlencoded' },
            body: body.toString(),
          });
          const j = await r.json();
          return r.ok ? j : { error: j.error || { code: 'server_error', message: 'token failed' } };
        } catch (e) {
          return { error: { code: 'network_error', message: String(e) } };
        }
      },
    };
  }
  window.Payjp = Payjp;
})();
`;
