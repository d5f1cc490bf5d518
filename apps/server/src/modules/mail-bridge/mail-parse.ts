import { htmlToText } from 'html-to-text';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';

// Parsing a received mail (issue 14) with mailparser: ISO-2022-JP, Shift_JIS, UTF-8, quoted-printable
// and base64, HTML-only mails turned into text. What it cannot read safely is not guessed at: a mail
// with no header block (not MIME / not a mail) or a charset that neither iconv-lite nor mailparser's
// Japanese decoder knows ends as parse_failed with the reason, and is never delivered.

export interface ParsedMail {
  subject: string;
  from: string;
  text: string;
}

export type ParseResult = { ok: true; mail: ParsedMail } | { ok: false; reason: string };

const HEADER_LINE = /^[!-9;-~]+:/;

/** The header block of a raw mail (up to the first empty line), or null when there is none. */
function headerBlock(raw: Buffer): string | null {
  const head = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end <= 0) return null;
  const block = head.slice(0, end);
  const first = block.split(/\r?\n/, 1)[0] ?? '';
  return HEADER_LINE.test(first) ? block : null;
}

/** Every charset the mail names (headers of the mail and of its parts). */
function namedCharsets(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const found = new Set<string>();
  for (const m of text.matchAll(/charset\s*=\s*"?([A-Za-z0-9_.:+-]+)"?/gi)) found.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/=\?([A-Za-z0-9_.:+-]+?)(?:\*[A-Za-z-]+)?\?[BbQq]\?/g))
    found.add(m[1]!.toLowerCase());
  return [...found];
}

const known = (charset: string) => /^iso-2022-jp/.test(charset) || iconv.encodingExists(charset);

export async function parseMail(raw: Buffer): Promise<ParseResult> {
  const head = headerBlock(raw);
  if (!head) return { ok: false, reason: 'メールの形式ではありません（ヘッダーがありません）' };
  if (!/^(from|subject|date|message-id|mime-version|content-type):/im.test(head)) {
    return { ok: false, reason: 'メールの形式ではありません（From・Subject などのヘッダーがありません）' };
  }
  const unknown = namedCharsets(raw).filter((c) => !known(c));
  if (unknown.length > 0) {
    return { ok: false, reason: `読めない文字コードです: ${unknown.join(', ')}` };
  }
  try {
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    // A multipart/alternative with only an HTML part gives no text from mailparser: converted here.
    const plain = mail.text?.trim() || (mail.html ? htmlToText(mail.html, { wordwrap: false }) : '');
    const text = plain.replace(/\r\n?/g, '\n').trim();
    if (!text && !mail.subject) return { ok: false, reason: '本文も件名もありません' };
    return {
      ok: true,
      mail: {
        subject: mail.subject ?? '',
        from: mail.from?.value[0]?.address?.toLowerCase() ?? '',
        text,
      },
    };
  } catch (err) {
    return {
      ok: false,
      reason: `メールを読めませんでした: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** The Message-ID header of a raw mail (without < >), read from the header block only. */
export function messageIdOf(raw: Buffer): string | null {
  const head = headerBlock(raw);
  if (!head) return null;
  const m = head.replace(/\r?\n[ \t]+/g, ' ').match(/^message-id:\s*<?([^>\r\n]+?)>?\s*$/im);
  return m ? m[1]!.trim().slice(0, 500) : null;
}

/** The Subject header decoded (for the list of a mail that may later fail to parse). */
export function rawSubjectOf(raw: Buffer): string {
  const head = headerBlock(raw);
  if (!head) return '';
  const m = head.replace(/\r?\n[ \t]+/g, ' ').match(/^subject:\s*(.*)$/im);
  return m ? m[1]!.trim().slice(0, 500) : '';
}

/** The address of a header (Return-Path, From): inside <…>, else the first word with an @. */
export function headerAddressOf(raw: Buffer, name: string): string | null {
  const head = headerBlock(raw);
  if (!head) return null;
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return null;
  const value = line.slice(name.length + 1);
  const m = value.match(/<([^<>\s]*@[^<>\s]+)>/) ?? value.match(/([^\s<>"]+@[^\s<>"]+)/);
  return m ? m[1]!.slice(0, 254) : null;
}
