import { TEST_IDENTITIES } from './jpki-identities.ts';

// The stand-in's authorization page (the part the デジタル認証アプリ shows on the phone): the
// citizen picks a test card and enters its 4-digit PIN. Japanese, labelled controls, errors tied to
// the field (aria-invalid, aria-describedby) and announced (role=alert), 44 px targets.

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font-family:system-ui,"Noto Sans JP",sans-serif;margin:0;background:#f1f1f4;color:#1a1a1c;line-height:1.7}
main{max-width:32rem;margin:0 auto;padding:1rem}
h1{font-size:1.375rem;margin:.5rem 0 1rem}
.card{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem;border:1px solid #c8c8cb}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:700;margin-bottom:.5rem}
.choice{display:flex;align-items:center;gap:.75rem;min-height:44px;padding:.25rem 0}
.choice input{width:24px;height:24px}
label.pin{display:block;font-weight:700;margin-bottom:.25rem}
.req{display:inline-block;margin-left:.5rem;padding:0 .375rem;border-radius:4px;background:#b3261e;color:#fff;font-size:.8125rem}
input.pin{font-size:1.5rem;letter-spacing:.5rem;width:8rem;min-height:44px;padding:0 .5rem;border:1px solid #595959;border-radius:6px}
input.pin[aria-invalid=true]{border:2px solid #b3261e}
.error{color:#b3261e;font-weight:700}
.hint{color:#4d4d4d;font-size:.9375rem}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}
button{min-height:48px;min-width:44px;padding:0 1.25rem;font-size:1rem;border-radius:8px;cursor:pointer}
button.primary{background:#0031d8;color:#fff;border:0}
button.secondary{background:#fff;color:#0031d8;border:1px solid #0031d8}
button:focus-visible,input:focus-visible{outline:3px solid #ffb700;outline-offset:2px}
`;

export function authorizePage(p: {
  requestId: string;
  clientName: string;
  signDigest?: string;
  selected?: string;
  error?: string;
}): string {
  const errorId = 'pin-error';
  const options = TEST_IDENTITIES.map(
    (i, n) =>
      `<div class="choice"><input type="radio" name="identity" id="identity-${esc(i.id)}" value="${esc(i.id)}"${
        (p.selected ?? TEST_IDENTITIES[0]!.id) === i.id ? ' checked' : ''
      }${n === 0 ? ' required' : ''}><label for="identity-${esc(i.id)}">${esc(i.name)}（${esc(i.kana)}）<span class="hint">${esc(
        i.certificate === 'valid'
          ? ''
          : i.certificate === 'expired'
            ? ' 証明書の有効期限切れ'
            : ' 証明書が失効',
      )}</span></label></div>`,
  ).join('\n');
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>マイナンバーカードで本人確認（テスト用）</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>マイナンバーカードで本人確認</h1>
<p class="hint">これは開発用の代わりのサービスです（デジタル認証アプリの代わり）。本物のカードは使いません。</p>
<div class="card">
<p><strong>${esc(p.clientName)}</strong> が、あなたの氏名・住所・生年月日・性別（基本4情報）の確認を求めています。</p>
${p.signDigest ? `<p>申請書への電子署名（署名用電子証明書）も求めています。署名する内容の SHA-256: <code>${esc(p.signDigest)}</code></p>` : ''}
</div>
<form method="post" class="card" novalidate>
<input type="hidden" name="request" value="${esc(p.requestId)}">
<fieldset>
<legend>使うマイナンバーカード（テスト用）<span class="req">※必須</span></legend>
${options}
</fieldset>
<label class="pin" for="pin">利用者証明用暗証番号（数字4桁）<span class="req">※必須</span></label>
<p class="hint" id="pin-hint">テスト用のカードの暗証番号は 1234 です。3回続けて間違えるとロックされます。</p>
${p.error ? `<p class="error" id="${errorId}" role="alert">${esc(p.error)}</p>` : ''}
<input class="pin" id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="4" pattern="[0-9]{4}" required aria-describedby="pin-hint${p.error ? ` ${errorId}` : ''}"${p.error ? ' aria-invalid="true"' : ''}>
<div class="actions">
<button class="primary" type="submit" name="action" value="submit">確認する</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>やめる</button>
</div>
</form>
</main>
</body>
</html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>本人確認のエラー（テスト用）</title><style>${STYLE}</style></head>
<body><main><h1>本人確認を始められません</h1><p class="error" role="alert">${esc(message)}</p></main></body></html>`;
}
