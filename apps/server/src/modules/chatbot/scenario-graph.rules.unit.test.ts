import { scenarioDraftSchema } from '@madoguchi/contracts/chatbot.schema.ts';
import type { ScenarioGraph, ScenarioNode } from '@madoguchi/contracts/chatbot.ts';
import { describe, expect, it } from 'vitest';
import { type GraphContext, validateDraft, validateGraph } from './scenario-graph.rules.ts';
import {
  evacuationDraft,
  GREETING_TEXT,
  greetingDraft,
  greetingGraph,
  templateDraft,
  WELCOME_BACK_TEXT,
} from './scenario-templates.ts';
import { triggerConflicts } from './trigger-conflicts.rules.ts';

// The graph checks and trigger conflicts (B-02, B-03): what stops a draft from being published.

const ITEM = '00000000-0000-4000-8000-000000000001';
const RETIRED = '00000000-0000-4000-8000-000000000002';
const ctx: GraphContext = {
  attributes: new Map([
    [
      ITEM,
      {
        retired: false,
        choices: new Map([
          ['11', false],
          ['12', true],
        ]),
      },
    ],
    [RETIRED, { retired: true, choices: new Map() }],
  ]),
  deskSlugs: new Set(['kosodate']),
  mediaIds: new Set(),
};
const at = { title: '', position: { x: 0, y: 0 } };
const msg = (id: string, next: string | null): ScenarioNode => ({
  id,
  ...at,
  type: 'message',
  messages: [{ kind: 'text', text: id }],
  next,
});
const codes = (g: ScenarioGraph) => validateGraph(g, ctx).map((p) => `${p.code}:${p.nodeId ?? ''}`);

describe('scenario graph rules (B-02, B-03)', () => {
  it('B-02: the templates are valid, and their drafts pass the request schema', () => {
    for (const t of ['blank', 'keywordReply', 'greeting', 'evacuation'] as const) {
      const d = templateDraft(t, '名前', {
        contact: '0000',
        registrationUrl: 'https://liff.line.me/1-x?page=register',
      });
      expect(validateDraft(d, ctx).filter((p) => p.severity === 'error')).toEqual([]);
      expect(scenarioDraftSchema.safeParse(d).success).toBe(true);
    }
    expect(validateGraph(evacuationDraft('0000').graph, ctx)).toEqual([]);
  });

  it('B-02/G-02: the greeting template is the built-in greeting: registered → welcome back, else the invitation, both to the registration page', () => {
    const url = 'https://liff.line.me/1-x?page=register';
    const d = templateDraft('greeting', 'あいさつ', { contact: '0000', registrationUrl: url });
    expect(d.graph).toEqual(greetingGraph(url));
    expect(d.triggers).toEqual([{ kind: 'follow' }]);
    expect(greetingDraft(url).triggers).toEqual(d.triggers);
    expect(validateDraft(d, ctx)).toEqual([]);
    const start = d.graph.nodes.find((n) => n.id === d.graph.start)!;
    expect(start).toMatchObject({
      type: 'branch',
      rules: [
        {
          when: [{ kind: 'attribute', condition: { type: 'registered', value: true } }],
          next: 'welcomeBack',
        },
      ],
      otherwise: 'hello',
    });
    const sent = (id: string) => {
      const n = d.graph.nodes.find((x) => x.id === id);
      return n?.type === 'message' ? n.messages : null;
    };
    expect(sent('welcomeBack')).toEqual([
      {
        kind: 'buttons',
        text: WELCOME_BACK_TEXT,
        buttons: [{ id: 'open', label: '登録内容を確認する', target: { kind: 'uri', uri: url } }],
      },
    ]);
    expect(sent('hello')).toEqual([
      {
        kind: 'buttons',
        text: GREETING_TEXT,
        buttons: [{ id: 'open', label: '受信設定を登録する', target: { kind: 'uri', uri: url } }],
      },
    ]);
  });

  it("B-03: the request schema holds LINE's limits (buttons text with a title, carousel columns alike, labels)", () => {
    const draft = (message: unknown) => ({
      name: 'x',
      triggers: [],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [{ id: 'a', ...at, type: 'message', messages: [message], next: null }] },
    });
    const button = { id: 'b', label: 'ボタン', target: { kind: 'uri', uri: 'https://city.example.jp' } };
    const ok = (m: unknown) => scenarioDraftSchema.safeParse(draft(m)).success;
    expect(ok({ kind: 'buttons', text: 'あ'.repeat(160), buttons: [button] })).toBe(true);
    expect(ok({ kind: 'buttons', title: '見出し', text: 'あ'.repeat(61), buttons: [button] })).toBe(false);
    expect(ok({ kind: 'buttons', text: 'x', buttons: [{ ...button, label: 'あ'.repeat(21) }] })).toBe(false);
    expect(
      ok({
        kind: 'buttons',
        text: 'x',
        buttons: [{ ...button, target: { kind: 'uri', uri: 'javascript:alert(1)' } }],
      }),
    ).toBe(false);
    const col = (n: number) => ({ id: `c${n}`, title: 't', text: 't', buttons: Array(n).fill(button) });
    expect(ok({ kind: 'carousel', altText: 'a', columns: [col(1), col(2)] })).toBe(false);
    expect(ok({ kind: 'carousel', altText: 'a', columns: [col(2), col(2)] })).toBe(true);
  });

  it('B-03: no start, unknown node, duplicate IDs, too many nodes', () => {
    expect(codes({ start: 'x', nodes: [msg('a', null)] })).toEqual(['CHATBOT_NO_START:']);
    expect(codes({ start: 'a', nodes: [msg('a', 'zz')] })).toContain('CHATBOT_UNKNOWN_NODE:a');
    expect(codes({ start: 'a', nodes: [msg('a', null), msg('a', null)] })).toContain(
      'CHATBOT_DUPLICATE_NODE:a',
    );
    const many = Array.from({ length: 301 }, (_, i) => msg(`n${i}`, i === 300 ? null : `n${i + 1}`));
    expect(codes({ start: 'n0', nodes: many })).toEqual(['CHATBOT_TOO_MANY_NODES:']);
  });

  it('B-03: a node with no exit — a choice question without choices, a branch without otherwise; a message with next null is an end', () => {
    const g: ScenarioGraph = {
      start: 'q',
      nodes: [
        {
          id: 'q',
          ...at,
          type: 'question',
          text: '?',
          saveAs: 'a',
          input: 'choice',
          choices: [],
          next: null,
        },
      ],
    };
    expect(codes(g)).toEqual(['CHATBOT_NODE_NO_EXIT:q']);
    const b: ScenarioGraph = {
      start: 'b',
      nodes: [
        {
          id: 'b',
          ...at,
          type: 'branch',
          rules: [{ id: 'r', when: [{ kind: 'disasterMode', on: true }], next: 'e' }],
          otherwise: '',
        },
        msg('e', null),
      ],
    };
    expect(codes(b)).toEqual(['CHATBOT_NODE_NO_EXIT:b']);
    expect(codes({ start: 'a', nodes: [msg('a', null)] })).toEqual([]);
  });

  it('B-03: a cycle with no way out is refused (message loop; a question whose choices all stay in the loop); a loop with a way out is fine', () => {
    expect(codes({ start: 'a', nodes: [msg('a', 'b'), msg('b', 'c'), msg('c', 'a')] })).toEqual([
      'CHATBOT_CYCLE_NO_EXIT:a',
    ]);
    const q = (next: string[]): ScenarioNode => ({
      id: 'q',
      ...at,
      type: 'question',
      text: '?',
      saveAs: 'v',
      input: 'choice',
      choices: next.map((n, i) => ({ id: `c${i}`, label: n, next: n })),
      next: null,
    });
    expect(codes({ start: 'q', nodes: [q(['m', 'q']), msg('m', 'q')] })).toEqual(['CHATBOT_CYCLE_NO_EXIT:q']);
    expect(
      codes({ start: 'q', nodes: [q(['m', 'end']), msg('m', 'q'), { id: 'end', ...at, type: 'end' }] }),
    ).toEqual([]);
    // A self loop.
    expect(codes({ start: 'a', nodes: [msg('a', 'a')] })).toEqual(['CHATBOT_CYCLE_NO_EXIT:a']);
  });

  it('B-02: a branch on a retired or unknown attribute, an unknown variable or desk; unreachable nodes warn only', () => {
    const g: ScenarioGraph = {
      start: 'b',
      nodes: [
        {
          id: 'b',
          ...at,
          type: 'branch',
          rules: [
            {
              id: 'r1',
              when: [
                {
                  kind: 'attribute',
                  condition: { type: 'choice', itemId: RETIRED, choiceIds: ['1'], match: 'any' },
                },
              ],
              next: 'e',
            },
            {
              id: 'r2',
              when: [
                {
                  kind: 'attribute',
                  condition: { type: 'choice', itemId: ITEM, choiceIds: ['12'], match: 'any' },
                },
              ],
              next: 'e',
            },
            {
              id: 'r3',
              when: [
                {
                  kind: 'attribute',
                  condition: { type: 'choice', itemId: ITEM, choiceIds: ['11'], match: 'any' },
                },
              ],
              next: 'e',
            },
            { id: 'r4', when: [{ kind: 'answer', variable: 'nobody', anyOf: ['x'] }], next: 'e' },
          ],
          otherwise: 'd',
        },
        {
          id: 'd',
          ...at,
          type: 'action',
          action: { kind: 'startConsultation', deskSlug: 'nope' },
          next: null,
        },
        msg('e', null),
        msg('lost', null),
      ],
    };
    const problems = validateGraph(g, ctx);
    expect(problems.map((p) => `${p.code}:${p.nodeId}:${p.severity}`)).toEqual([
      'CHATBOT_UNKNOWN_ATTRIBUTE:b:error',
      'CHATBOT_UNKNOWN_ATTRIBUTE:b:error',
      'CHATBOT_UNKNOWN_VARIABLE:b:error',
      'CHATBOT_UNKNOWN_DESK:d:error',
      'CHATBOT_UNREACHABLE_NODE:lost:warning',
    ]);
    expect(
      validateDraft(
        { name: 'x', triggers: [], timeoutMinutes: 30, graph: { start: 'e', nodes: [msg('e', null)] } },
        ctx,
      ),
    ).toEqual([expect.objectContaining({ code: 'CHATBOT_NO_TRIGGER', severity: 'warning' })]);
  });

  it('B-02: trigger conflicts — the same normalised exact word, a contains word that swallows another, two follow / fallback', () => {
    const mine = {
      id: 'a',
      name: 'ごみ',
      triggers: [
        { kind: 'keyword' as const, match: 'exact' as const, words: ['ゴミ　の出し方？'] },
        { kind: 'keyword' as const, match: 'contains' as const, words: ['証明'] },
        { kind: 'follow' as const },
        { kind: 'fallback' as const },
      ],
    };
    const other = {
      id: 'b',
      name: '他',
      triggers: [
        { kind: 'keyword' as const, match: 'exact' as const, words: ['ごみの出し方', '証明書'] },
        { kind: 'follow' as const },
        { kind: 'fallback' as const },
      ],
    };
    expect(triggerConflicts(mine, [mine, other]).map((c) => `${c.code}:${c.word}`)).toEqual([
      'CHATBOT_KEYWORD_CONFLICT:ごみの出し方',
      'CHATBOT_KEYWORD_SHADOWED:証明書',
      'CHATBOT_FOLLOW_CONFLICT:null',
      'CHATBOT_FALLBACK_CONFLICT:null',
    ]);
    expect(triggerConflicts(mine, [{ id: 'c', name: 'c', triggers: [{ kind: 'postback' }] }])).toEqual([]);
  });
});
