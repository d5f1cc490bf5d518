import type { GraphProblem, ScenarioGraph } from '@madoguchi/contracts/chatbot.ts';
import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { UNCONNECTED } from './graph.ts';
import { edgeLabel, exitLabel, hasErrors, problemText, triggersSummary } from './labels.ts';

const t = (key: MessageKey, vars?: Record<string, string | number>) => translate('ja', key, vars);

describe('chatbot labels (B-01, B-02)', () => {
  it('B-02: the triggers summary names each trigger, keywords with their match and disaster-only', () => {
    expect(
      triggersSummary(t, [
        { kind: 'keyword', match: 'exact', words: ['ごみ', '粗大ごみ'] },
        { kind: 'keyword', match: 'contains', words: ['避難'], onlyInDisasterMode: true },
        { kind: 'follow' },
      ]),
    ).toBe(
      'キーワード（完全一致）: ごみ、粗大ごみ / キーワード（含む）: 避難（災害モード中のみ） / 友だち追加',
    );
    expect(triggersSummary(t, [])).toBe('なし');
  });

  it('B-01: exits and edges are labelled by choice, button, rule number and otherwise', () => {
    expect(exitLabel(t, { id: 'choice:c1', kind: 'choice', label: '北区', target: null })).toBe(
      '「北区」の次へ',
    );
    expect(exitLabel(t, { id: 'next', kind: 'next', label: '', target: null })).toBe('次へ');
    expect(edgeLabel(t, { kind: 'rule', label: '2' })).toBe('条件 2');
    expect(edgeLabel(t, { kind: 'next', label: '' })).toBe('');
  });

  it('B-01: an unconnected exit is named as such, not by its marker ID; other problems keep their message', () => {
    const graph: ScenarioGraph = {
      start: 'q',
      nodes: [{ id: 'q', title: '地区', position: { x: 0, y: 0 }, type: 'end' }],
    };
    const unconnected: GraphProblem = {
      code: 'CHATBOT_UNKNOWN_NODE',
      severity: 'error',
      nodeId: 'q',
      message: `「地区」の行き先「${UNCONNECTED}」がありません`,
    };
    expect(problemText(t, unconnected, graph)).toBe(
      '「地区」に、つながっていない行き先があります（「つながり」で選んでください）',
    );
    const other: GraphProblem = { ...unconnected, message: '「地区」の行き先「x」がありません' };
    expect(problemText(t, other, graph)).toBe('「地区」の行き先「x」がありません');
    expect(hasErrors([{ ...other, severity: 'warning' }])).toBe(false);
    expect(hasErrors([other])).toBe(true);
  });
});
