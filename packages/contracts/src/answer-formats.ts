// The formatted answers of the form engine, one rule each, shared by the server (which decides) and the
// citizen pages (which tell the citizen before sending): number, date, postal code, phone, e-mail,
// and the character rules of free text (全角のみ / 半角のみ / 半角英数 / カタカナ). Pure, no zod.

import { FORM_LIMITS, type TextCharset } from './forms.ts';

export type FormatResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const ok = <T>(value: T): FormatResult<T> => ({ ok: true, value });
const fail = (code: string, message: string): FormatResult<never> => ({ ok: false, code, message });

/** Full-width digits and hyphen look-alikes as the half-width ones (what people type on phones). */
export function halfWidthDigits(text: string): string {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[‐‑‒–—―−ー－﹣]/g, '-')
    .trim();
}

export function checkNumber(
  value: unknown,
  name: string,
  rule: { minValue?: number; maxValue?: number; integer?: boolean },
): FormatResult<number> {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail('FORM_NUMBER_INVALID', `${name}は数値で入力してください`);
  if (rule.integer && !Number.isInteger(value))
    return fail('FORM_NUMBER_NOT_INTEGER', `${name}は整数で入力してください`);
  const { minValue: min, maxValue: max } = rule;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `${min}から${max}の間`
        : min !== undefined
          ? `${min}以上`
          : `${max}以下`;
    return fail('FORM_NUMBER_RANGE', `${name}は${range}で入力してください`);
  }
  return ok(value);
}

/** A calendar date as YYYY-MM-DD. */
export function checkDate(value: string, name: string): FormatResult<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (y >= 1800 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) return ok(m[0]);
  }
  return fail('FORM_DATE_INVALID', `${name}は正しい日付（例: 2026-04-01）で入力してください`);
}

/** A postal code of 7 digits (a hyphen after the third allowed): answers the 7 digits. */
export function checkPostalCode(value: string, name: string): FormatResult<string> {
  const m = /^(\d{3})-?(\d{4})$/.exec(halfWidthDigits(value));
  return m
    ? ok(`${m[1]}${m[2]}`)
    : fail('FORM_POSTAL_CODE_INVALID', `${name}は7桁の数字で入力してください（例: 272-0021）`);
}

/** A Japanese phone number: 10 or 11 digits starting with 0, hyphens allowed; answers it half-width. */
export function checkPhone(value: string, name: string): FormatResult<string> {
  const text = halfWidthDigits(value).replace(/[()（）\s]/g, (c) => (c.trim() ? '-' : ''));
  const digits = text.replace(/-/g, '');
  if (/^[0-9-]+$/.test(text) && /^0\d{9,10}$/.test(digits) && !/--|^-|-$/.test(text)) return ok(text);
  return fail(
    'FORM_PHONE_INVALID',
    `${name}は0から始まる10桁か11桁の番号で入力してください（例: 047-334-1111）`,
  );
}

/** An e-mail address (ASCII, one @, a dot in the domain, at most 254 characters). */
export function checkEmail(value: string, name: string): FormatResult<string> {
  const text = value.trim();
  if (
    text.length <= FORM_LIMITS.email &&
    /^[\x21-\x7e]+$/.test(text) &&
    /^[^@]+@[^@.]+(\.[^@.]+)+$/.test(text)
  )
    return ok(text);
  return fail('FORM_EMAIL_INVALID', `${name}はメールアドレスの形式（例: name@example.jp）で入力してください`);
}

const CHARSET_RULES: Record<TextCharset, { pattern: RegExp; message: string }> = {
  // No ASCII and no half-width katakana; line breaks are checked elsewhere.
  zenkaku: { pattern: /^[^\x21-\x7e\uff61-\uff9f]*$/u, message: '全角文字で入力してください' },
  hankaku: { pattern: /^[\x20-\x7e\uff61-\uff9f\r\n]*$/u, message: '半角文字で入力してください' },
  hankaku_alnum: { pattern: /^[A-Za-z0-9]*$/, message: '半角英数字で入力してください' },
  katakana: { pattern: /^[\u30a0-\u30ff\u3000 \r\n]*$/u, message: '全角カタカナで入力してください' },
};

/** Whether a free text keeps to its item's character rule. */
export function checkCharset(text: string, name: string, charset: TextCharset): FormatResult<string> {
  const rule = CHARSET_RULES[charset];
  return rule.pattern.test(text) ? ok(text) : fail('FORM_TEXT_CHARSET', `${name}は${rule.message}`);
}
