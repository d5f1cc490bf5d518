import {
  CUT_MARKER,
  LINE_MESSAGES_MAX,
  LINE_TEXT_MAX,
  type MailCondition,
  type MailRuleDefinition,
  type MatchOp,
} from '@madoguchi/contracts/mail-bridge.ts';
import { patternProblem, regexReplace, regexTest } from './bounded-regex.ts';
import type { ParsedMail } from './mail-parse.ts';

// The rules of an address (issue 14), pure: no I/O. In order, the first enabled rule whose
// conditions all hold (AND) wins; matching is on NFKC-normalised text (full-width and half-width
// letters, digits and katakana alike) on both sides. The winner's changes make the LINE texts:
// cut from a keyword (E-03), remove lines, replace (E-06), append (E-04), then LINE's 5,000
// characters (split into ≤ 5 messages, the last cut with CUT_MARKER if even that is not enough; or
// cut at once). The audience: everyone, or the choices of a registration item named in the mail
// (E-01); an urgent keyword sends to everyone instead (E-02, E-07) and may switch disaster mode.

export interface RuleInput {
  id: string | null;
  name: string;
  definition: MailRuleDefinition;
}

export interface ChoiceLabel {
  id: string;
  label: string;
}

export type RuleOutcome =
  | { kind: 'unmatched'; reason: string }
  | {
      kind: 'matched';
      rule: RuleInput;
      messages: string[];
      /** null: the item's values were looked for and none was named (whenNone 'none'): not delivered. */
      audience: { kind: 'all' } | { kind: 'choices'; itemId: string; choices: ChoiceLabel[] } | null;
      urgent: boolean;
      disasterGroupId: string | null;
    };

export const nfkc = (s: string) => s.normalize('NFKC');

/**
 * Text normalised character by character, with where each normalised character came from, so a
 * keyword found in the normalised text cuts the original at the right place. (Per character: a
 * half-width katakana with a separate voiced mark stays two characters; whole-string matching uses nfkc.)
 */
function normalisedWithMap(s: string): { norm: string; origin: number[] } {
  let norm = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of s) {
    const n = ch.normalize('NFKC');
    norm += n;
    for (let k = 0; k < n.length; k++) origin.push(i);
    i += ch.length;
  }
  origin.push(s.length);
  return { norm, origin };
}

function matches(op: MatchOp, value: string, text: string): boolean {
  return op === 'contains' ? nfkc(text).includes(nfkc(value)) : regexTest(value, nfkc(text));
}

function fieldOf(mail: ParsedMail, c: MailCondition): string {
  return c.field === 'from' ? mail.from : c.field === 'subject' ? mail.subject : mail.text;
}

/** The body from the first keyword onwards removed (the earliest of them). */
export function cutFrom(text: string, keywords: string[]): string {
  if (keywords.length === 0) return text;
  const { norm, origin } = normalisedWithMap(text);
  let at = -1;
  for (const k of keywords) {
    const i = norm.indexOf(nfkc(k));
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at < 0 ? text : text.slice(0, origin[at]).trimEnd();
}

/** LINE texts of at most 5,000 characters, at most 5 (split at line ends where possible). */
export function fitToLine(text: string, mode: 'split' | 'cut'): string[] {
  const chars = [...text];
  if (chars.length <= LINE_TEXT_MAX) return [text];
  const cut = (cs: string[]) => cs.slice(0, LINE_TEXT_MAX - [...CUT_MARKER].length).join('') + CUT_MARKER;
  if (mode === 'cut') return [cut(chars)];
  const parts: string[] = [];
  let rest = chars;
  while (rest.length > 0 && parts.length < LINE_MESSAGES_MAX - 1) {
    if (rest.length <= LINE_TEXT_MAX) break;
    const window = rest.slice(0, LINE_TEXT_MAX);
    const nl = window.lastIndexOf('\n');
    const end = nl > LINE_TEXT_MAX / 2 ? nl + 1 : LINE_TEXT_MAX;
    parts.push(rest.slice(0, end).join('').trimEnd());
    rest = rest.slice(end);
  }
  if (rest.length > 0) parts.push(rest.length <= LINE_TEXT_MAX ? rest.join('') : cut(rest));
  return parts;
}

/** The LINE texts a rule makes of a mail. */
export function composeMessages(mail: ParsedMail, d: MailRuleDefinition): string[] {
  let body = cutFrom(mail.text, d.cutFrom);
  if (d.removeLines.length > 0) {
    body = body
      .split('\n')
      .filter((line) => !d.removeLines.some((r) => matches(r.op, r.value, line)))
      .join('\n');
  }
  for (const r of d.replacements) {
    body = r.regex ? regexReplace(r.find, body, r.replace) : body.split(r.find).join(r.replace);
  }
  let text = d.includeSubject && mail.subject ? `${mail.subject}\n\n${body.trim()}` : body.trim();
  if (d.appendText.trim()) text = `${text}\n\n${d.appendText.trim()}`;
  return fitToLine(text.replace(/\n{3,}/g, '\n\n').trim(), d.longText);
}

/**
 * Evaluates the rules in order. `choicesOf(itemId)` gives an item's choices with their labels
 * (the registration form's, read by the service). A regex that runs too long throws
 * RegexTimeoutError (the caller fails the mail).
 */
export function evaluateRules(
  mail: ParsedMail,
  rules: RuleInput[],
  choicesOf: (itemId: string) => ChoiceLabel[],
): RuleOutcome {
  for (const rule of rules) {
    const d = rule.definition;
    if (!d.conditions.every((c) => matches(c.op, c.value, fieldOf(mail, c)))) continue;
    const messages = composeMessages(mail, d);
    const named = nfkc(`${mail.subject}\n${mail.text}`);
    const urgent = d.urgentKeywords.some((k) => named.includes(nfkc(k)));
    let audience: Extract<RuleOutcome, { kind: 'matched' }>['audience'] = { kind: 'all' };
    if (!urgent && d.audience.kind === 'fromMail') {
      // The values are looked for in what is sent (the footer cut away names no 区 by accident).
      const sent = nfkc(`${mail.subject}\n${cutFrom(mail.text, d.cutFrom)}`);
      const wanted = new Set(d.audience.choiceIds);
      const found = choicesOf(d.audience.itemId).filter(
        (c) => wanted.has(c.id) && c.label && sent.includes(nfkc(c.label)),
      );
      if (found.length > 0) audience = { kind: 'choices', itemId: d.audience.itemId, choices: found };
      else audience = d.audience.whenNone === 'all' ? { kind: 'all' } : null;
    }
    const disasterGroupId =
      d.disaster && (d.disaster.when === 'always' || urgent) ? d.disaster.groupId : null;
    return { kind: 'matched', rule, messages, audience, urgent, disasterGroupId };
  }
  return {
    kind: 'unmatched',
    reason: rules.length === 0 ? 'ルールがありません' : 'どのルールにも当てはまりません',
  };
}

/** Every regex of a rule definition that cannot be used, with its path (400 MAIL_RULE_REGEX_INVALID). */
export function regexProblems(d: MailRuleDefinition, base = 'definition') {
  const out: { path: string; message: string }[] = [];
  d.conditions.forEach((c, i) => {
    const p = c.op === 'regex' ? patternProblem(c.value) : null;
    if (p) out.push({ path: `${base}.conditions.${i}.value`, message: p });
  });
  d.removeLines.forEach((r, i) => {
    const p = r.op === 'regex' ? patternProblem(r.value) : null;
    if (p) out.push({ path: `${base}.removeLines.${i}.value`, message: p });
  });
  d.replacements.forEach((r, i) => {
    const p = r.regex ? patternProblem(r.find) : null;
    if (p) out.push({ path: `${base}.replacements.${i}.find`, message: p });
  });
  return out;
}
