import { describe, expect, it } from 'vitest';
import { messageIdOf, parseMail } from './mail-parse.ts';
import { fixture } from './testing/mail-world.ts';

// Parsing the sample mails (issue 14; testing/fixtures/README.md says how they were made).

const parsed = async (name: string) => {
  const r = await parseMail(fixture(name));
  if (!r.ok) throw new Error(r.reason);
  return r.mail;
};

describe('mail parsing (E-01, issue 14)', () => {
  it('reads ISO-2022-JP (7bit, B-encoded subject) with its Message-ID', async () => {
    const m = await parsed('mail-2-raw-iso2022jp.eml');
    expect(m.subject).toBe('【ちばし安全・安心メール】大雨警報（中央区）');
    expect(m.from).toBe('anzen@mail.city.chiba.example');
    expect(m.text.split('\n')[0]).toBe('千葉市危機管理課からのお知らせです。');
    expect(m.text).toContain('千葉市中央区に大雨警報（浸水害）が発表されました。');
    expect(messageIdOf(fixture('mail-2-raw-iso2022jp.eml'))).toBe(
      '20261203140211.A1@mail.city.chiba.example',
    );
  });

  it('reads Shift_JIS in base64 (half-width katakana kept as sent)', async () => {
    const m = await parsed('mail-sjis-base64.eml');
    expect(m.subject).toBe('防犯情報（稲毛区）');
    expect(m.text).toBe('稲毛区で不審者の目撃情報がありました。ｶﾀｶﾅ半角も含みます。');
  });

  it('reads UTF-8 quoted-printable', async () => {
    const m = await parsed('mail-utf8-qp.eml');
    expect(m.subject).toBe('光化学スモッグ注意報（緑区）');
    expect(m.text).toBe('緑区に光化学スモッグ注意報が発令されました。\n屋外での運動は控えてください。');
  });

  it('turns an HTML-only multipart/alternative into text', async () => {
    const m = await parsed('mail-html-only.eml');
    expect(m.text).toContain('若葉区の給水所を開設しました。');
    expect(m.text).toContain('場所: 若葉区役所');
    expect(m.text).not.toContain('<');
  });

  it('keeps what it cannot read as parse_failed with the reason: not a mail, unknown charset', async () => {
    const notMime = await parseMail(fixture('mail-not-mime.txt'));
    expect(notMime).toEqual({ ok: false, reason: expect.stringContaining('メールの形式ではありません') });
    const unknown = await parseMail(fixture('mail-unknown-charset.eml'));
    expect(unknown).toEqual({ ok: false, reason: expect.stringContaining('x-madoguchi-unknown') });
    expect(messageIdOf(fixture('mail-not-mime.txt'))).toBeNull();
  });
});
