import { mailRuleDefinitionSchema } from '@madoguchi/contracts/mail-bridge.schema.ts';
import { CUT_MARKER, LINE_TEXT_MAX } from '@madoguchi/contracts/mail-bridge.ts';
import { describe, expect, it } from 'vitest';
import { RegexTimeoutError } from './bounded-regex.ts';
import {
  composeMessages,
  cutFrom,
  evaluateRules,
  fitToLine,
  type RuleInput,
  regexProblems,
} from './mail-rules.ts';

// The rules, pure (issue 14): NFKC matching, AND of conditions, first match wins, text changes,
// LINE's 5,000 characters, audiences from the mail's content, urgency.

const rule = (definition: unknown, name = 'r'): RuleInput => ({
  id: name,
  name,
  definition: mailRuleDefinitionSchema.parse(definition),
});
const mail = {
  from: 'anzen@city.example',
  subject: '【防災】大雨警報（中央区）',
  text: '中央区に大雨警報。\n\n----\n配信停止はこちら',
};
const wards = [
  { id: '1', label: '中央区' },
  { id: '2', label: '美浜区' },
];

describe('mail rules (E-01 … E-07)', () => {
  it('E-05: conditions AND, first matching rule wins, none → unmatched', () => {
    const a = rule(
      {
        conditions: [
          { field: 'subject', op: 'contains', value: '防災' },
          { field: 'from', op: 'contains', value: 'nobody' },
        ],
      },
      'a',
    );
    const b = rule({ conditions: [{ field: 'subject', op: 'contains', value: '防災' }] }, 'b');
    const c = rule({}, 'c');
    const out = evaluateRules(mail, [a, b, c], () => []);
    expect(out.kind === 'matched' && out.rule.id).toBe('b');
    expect(evaluateRules(mail, [a], () => [])).toEqual({
      kind: 'unmatched',
      reason: 'どのルールにも当てはまりません',
    });
  });

  it('matches full-width and half-width alike (NFKC on both sides), in contains and regex', () => {
    const m = { ...mail, subject: 'ＡＢＣ１２３ ｶﾀｶﾅ' };
    expect(
      evaluateRules(
        m,
        [rule({ conditions: [{ field: 'subject', op: 'contains', value: 'abc123' }] })],
        () => [],
      ).kind,
    ).toBe('unmatched');
    expect(
      evaluateRules(
        m,
        [rule({ conditions: [{ field: 'subject', op: 'contains', value: 'ABC123 カタカナ' }] })],
        () => [],
      ).kind,
    ).toBe('matched');
    expect(
      evaluateRules(
        m,
        [rule({ conditions: [{ field: 'subject', op: 'regex', value: '^ABC\\d{3}' }] })],
        () => [],
      ).kind,
    ).toBe('matched');
  });

  it('E-03, E-04, E-06: cut from a keyword, remove lines, replace, append', () => {
    const d = mailRuleDefinitionSchema.parse({
      cutFrom: ['－－－－', '配信停止'],
      removeLines: [{ op: 'regex', value: '^\\s*$' }],
      replacements: [{ find: '大雨警報', replace: '【大雨警報】' }],
      appendText: '千葉市',
      includeSubject: false,
    });
    // The full-width keyword finds the half-width ---- (NFKC) and cuts the original there.
    expect(composeMessages(mail, d)).toEqual(['中央区に【大雨警報】。\n\n千葉市']);
    expect(cutFrom('本文ＡＢＣ以降', ['abc'])).toBe('本文ＡＢＣ以降');
    expect(cutFrom('本文ＡＢＣ以降', ['ABC'])).toBe('本文');
  });

  it("respects LINE's 5,000 characters: split at line ends into ≤ 5 messages, or cut with the marker", () => {
    const line = `${'あ'.repeat(99)}\n`;
    const long = line.repeat(120); // 12,000 characters
    const parts = fitToLine(long, 'split');
    expect(parts.length).toBe(3);
    expect(parts.every((p) => [...p].length <= LINE_TEXT_MAX)).toBe(true);
    expect(parts.join('\n').replace(/\n/g, '')).toBe(long.replace(/\n/g, ''));
    const huge = line.repeat(400); // 40,000: more than 5 × 5,000
    const five = fitToLine(huge, 'split');
    expect(five).toHaveLength(5);
    expect(five[4]!.endsWith(CUT_MARKER)).toBe(true);
    const cut = fitToLine(long, 'cut');
    expect(cut).toHaveLength(1);
    expect([...cut[0]!].length).toBe(LINE_TEXT_MAX);
    expect(cut[0]!.endsWith(CUT_MARKER)).toBe(true);
  });

  it('E-01, E-02, E-07: the 区 named in the mail picks the audience; an urgent keyword sends to everyone', () => {
    const r = rule({
      cutFrom: ['----'],
      audience: {
        kind: 'fromMail',
        itemId: '00000000-0000-4000-8000-000000000001',
        choiceIds: ['1', '2'],
        whenNone: 'none',
      },
      urgentKeywords: ['緊急'],
      disaster: { groupId: '00000000-0000-4000-8000-000000000002', when: 'urgent' },
    });
    const out = evaluateRules(mail, [r], () => wards);
    expect(out.kind === 'matched' && out.audience).toEqual({
      kind: 'choices',
      itemId: '00000000-0000-4000-8000-000000000001',
      choices: [wards[0]],
    });
    expect(out.kind === 'matched' && out.disasterGroupId).toBeNull();
    const none = evaluateRules({ ...mail, subject: '大雨', text: '市内全域' }, [r], () => wards);
    expect(none.kind === 'matched' && none.audience).toBeNull();
    const urgent = evaluateRules({ ...mail, subject: '【緊急】避難指示（美浜区）' }, [r], () => wards);
    expect(urgent.kind === 'matched' && urgent.audience).toEqual({ kind: 'all' });
    expect(urgent.kind === 'matched' && urgent.urgent).toBe(true);
    expect(urgent.kind === 'matched' && urgent.disasterGroupId).toBe('00000000-0000-4000-8000-000000000002');
  });

  it('regexes: invalid ones are named with their path; a catastrophic one is stopped by the time bound', () => {
    const d = mailRuleDefinitionSchema.parse({
      conditions: [{ field: 'body', op: 'regex', value: '(' }],
      replacements: [{ find: '[', replace: '', regex: true }],
    });
    expect(regexProblems(d).map((p) => p.path)).toEqual([
      'definition.conditions.0.value',
      'definition.replacements.0.find',
    ]);
    const slow = rule({ conditions: [{ field: 'subject', op: 'regex', value: '^(a+)+$' }] });
    expect(() => evaluateRules({ ...mail, subject: `${'a'.repeat(40)}!` }, [slow], () => [])).toThrow(
      RegexTimeoutError,
    );
  });
});
