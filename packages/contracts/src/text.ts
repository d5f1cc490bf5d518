import { z } from 'zod';

/** Free text shown to people: no control characters, and no angle brackets (no markup can get in). */
export const displayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, '入力してください')
    .max(max, `${max}文字以内で入力してください`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, '制御文字は使えません')
    .regex(/^[^<>]*$/, '記号 < > は使えません');

/** Descriptions and notes: like displayText, but may be empty and may hold line breaks. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${max}文字以内で入力してください`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, '制御文字は使えません')
    .regex(/^[^<>]*$/, '記号 < > は使えません');
