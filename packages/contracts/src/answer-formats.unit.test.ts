import { describe, expect, it } from 'vitest';
import {
  checkCharset,
  checkDate,
  checkEmail,
  checkNumber,
  checkPhone,
  checkPostalCode,
  halfWidthDigits,
} from './answer-formats.ts';

// The formatted answers of the form engine: one rule each, shared by server and citizen pages.

const value = <T>(r: { ok: true; value: T } | { ok: false; code: string }) => (r.ok ? r.value : r.code);

describe('answer formats (Q-01)', () => {
  it('Q-01: numbers: range, whole numbers, not-a-number', () => {
    expect(value(checkNumber(42, '年齢', { minValue: 0, maxValue: 120, integer: true }))).toBe(42);
    expect(value(checkNumber(12.5, '年齢', { integer: true }))).toBe('FORM_NUMBER_NOT_INTEGER');
    expect(value(checkNumber(121, '年齢', { minValue: 0, maxValue: 120 }))).toBe('FORM_NUMBER_RANGE');
    expect(value(checkNumber('42', '年齢', {}))).toBe('FORM_NUMBER_INVALID');
    expect(value(checkNumber(Number.NaN, '年齢', {}))).toBe('FORM_NUMBER_INVALID');
  });

  it('Q-01: dates are calendar dates', () => {
    expect(value(checkDate('2028-02-29', '日付'))).toBe('2028-02-29');
    expect(value(checkDate('2026-02-29', '日付'))).toBe('FORM_DATE_INVALID');
    expect(value(checkDate('2026/04/01', '日付'))).toBe('FORM_DATE_INVALID');
  });

  it('Q-01: postal codes and phone numbers as people type them (full-width, hyphens)', () => {
    expect(halfWidthDigits('２７２－００２１')).toBe('272-0021');
    expect(value(checkPostalCode('２７２－００２１', '郵便番号'))).toBe('2720021');
    expect(value(checkPostalCode('27200', '郵便番号'))).toBe('FORM_POSTAL_CODE_INVALID');
    expect(value(checkPhone('047-334-1111', '電話'))).toBe('047-334-1111');
    expect(value(checkPhone('０９０１２３４５６７８', '電話'))).toBe('09012345678');
    expect(value(checkPhone('12345', '電話'))).toBe('FORM_PHONE_INVALID');
    expect(value(checkPhone('047--334-1111', '電話'))).toBe('FORM_PHONE_INVALID');
  });

  it('Q-01: e-mail addresses', () => {
    expect(value(checkEmail(' taro@example.jp ', 'メール'))).toBe('taro@example.jp');
    for (const bad of ['taro@', 'taro@example', 'たろう@example.jp', 'a b@example.jp'])
      expect([bad, value(checkEmail(bad, 'メール'))]).toEqual([bad, 'FORM_EMAIL_INVALID']);
  });

  it('Q-01: 全角のみ / 半角のみ / 半角英数 / カタカナ', () => {
    expect(value(checkCharset('市川　太郎', '氏名', 'zenkaku'))).toBe('市川　太郎');
    expect(value(checkCharset('市川 Taro', '氏名', 'zenkaku'))).toBe('FORM_TEXT_CHARSET');
    expect(value(checkCharset('ｲﾁｶﾜ abc', '氏名', 'hankaku'))).toBe('ｲﾁｶﾜ abc');
    expect(value(checkCharset('市川', '氏名', 'hankaku'))).toBe('FORM_TEXT_CHARSET');
    expect(value(checkCharset('abc123', 'ID', 'hankaku_alnum'))).toBe('abc123');
    expect(value(checkCharset('abc-123', 'ID', 'hankaku_alnum'))).toBe('FORM_TEXT_CHARSET');
    expect(value(checkCharset('イチカワ タロウ', 'カナ', 'katakana'))).toBe('イチカワ タロウ');
    expect(value(checkCharset('いちかわ', 'カナ', 'katakana'))).toBe('FORM_TEXT_CHARSET');
  });
});
