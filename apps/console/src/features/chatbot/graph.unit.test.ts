import type { ScenarioGraph, ScenarioNode } from '@madoguchi/contracts/chatbot.ts';
import { describe, expect, it } from 'vitest';
import {
  addNode,
  autoLayout,
  connectExit,
  deleteNode,
  edgesOf,
  exitsOf,
  freshId,
  moveNode,
  previewOf,
  UNCONNECTED,
} from './graph.ts';

const at = { x: 0, y: 0 };

function sample(): ScenarioGraph {
  const nodes: ScenarioNode[] = [
    {
      id: 'm1',
      title: 'あいさつ',
      position: at,
      type: 'message',
      messages: [
        {
          kind: 'buttons',
          text: 'ご用件は？',
          buttons: [
            { id: 'b1', label: 'ごみ', target: { kind: 'node', next: 'q1' } },
            { id: 'b2', label: 'サイト', target: { kind: 'uri', uri: 'https://example.jp' } },
          ],
        },
      ],
      next: null,
    },
    {
      id: 'q1',
      title: '地区',
      position: { x: 280, y: 0 },
      type: 'question',
      text: 'お住まいの地区は？',
      saveAs: 'area',
      input: 'choice',
      choices: [
        { id: 'c1', label: '北', next: 'br' },
        { id: 'c2', label: '南', next: 'end' },
      ],
      next: null,
    },
    {
      id: 'br',
      title: '分岐',
      position: at,
      type: 'branch',
      rules: [{ id: 'r1', when: [{ kind: 'disasterMode', on: true }], next: 'end' }],
      otherwise: 'q1',
    },
    { id: 'end', title: '終わり', position: at, type: 'end', text: 'ありがとうございました' },
  ];
  return { start: 'm1', nodes };
}

describe('scenario graph editing (B-01)', () => {
  it('B-01: exits of each node type: node buttons (not links), next, choices, rules and otherwise', () => {
    const [m1, q1, br, end] = sample().nodes as [ScenarioNode, ScenarioNode, ScenarioNode, ScenarioNode];
    expect(exitsOf(m1).map((e) => [e.id, e.label, e.target])).toEqual([
      ['button:b1', 'ごみ', 'q1'],
      ['next', '', null],
    ]);
    expect(exitsOf(q1).map((e) => [e.id, e.target])).toEqual([
      ['choice:c1', 'br'],
      ['choice:c2', 'end'],
    ]);
    expect(exitsOf(br).map((e) => [e.id, e.kind, e.label, e.target])).toEqual([
      ['rule:r1', 'rule', '1', 'end'],
      ['otherwise', 'otherwise', '', 'q1'],
    ]);
    expect(exitsOf(end)).toEqual([]);
    const text = {
      ...(q1 as Extract<ScenarioNode, { type: 'question' }>),
      input: 'text' as const,
      next: 'end',
    };
    expect(exitsOf(text).map((e) => [e.id, e.target])).toEqual([['next', 'end']]);
  });

  it('B-01: edges are drawn for connected exits with their labels', () => {
    const edges = edgesOf(sample());
    expect(edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}:${e.label}`)).toEqual([
      'm1:button:b1->q1:ごみ',
      'q1:choice:c1->br:北',
      'q1:choice:c2->end:南',
      'br:rule:r1->end:1',
      'br:otherwise->q1:',
    ]);
  });

  it('B-01: connecting an exit sets that one field; unknown exits or targets leave the graph unchanged', () => {
    const g = sample();
    const connected = connectExit(g, 'm1', 'next', 'end');
    expect(connected.nodes[0]).toMatchObject({ next: 'end' });
    const button = connectExit(g, 'm1', 'button:b1', 'end');
    expect(edgesOf(button).find((e) => e.id === 'm1/button:b1')?.target).toBe('end');
    const otherwise = connectExit(g, 'br', 'otherwise', 'end');
    expect(otherwise.nodes[2]).toMatchObject({ otherwise: 'end' });
    expect(connectExit(g, 'm1', 'next', 'nope')).toBe(g);
    expect(connectExit(g, 'm1', 'button:b2', 'end')).toBe(g);
    expect(connectExit(g, 'nope', 'next', 'end')).toBe(g);
    const cleared = connectExit(g, 'q1', 'choice:c1', null);
    expect(cleared.nodes[1]).toMatchObject({
      choices: [
        { id: 'c1', next: UNCONNECTED },
        { id: 'c2', next: 'end' },
      ],
    });
  });

  it('B-01: adding a node gives a fresh valid ID; the first node of an empty graph is the start', () => {
    const empty: ScenarioGraph = { start: '', nodes: [] };
    const first = addNode(empty, 'message', 'メッセージ');
    expect(first.id).toBe('message-1');
    expect(first.graph.start).toBe('message-1');
    const second = addNode(first.graph, 'message', 'メッセージ');
    expect(second.id).toBe('message-2');
    expect(second.graph.start).toBe('message-1');
    expect(second.graph.nodes[1]?.position).toEqual({ x: 280, y: 0 });
    const question = addNode(second.graph, 'question', '質問').graph.nodes[2];
    expect(question).toMatchObject({ type: 'question', input: 'choice', choices: [] });
    expect(question?.type === 'question' && /^[a-z][a-z0-9_]{0,31}$/.test(question.saveAs)).toBe(true);
    expect(freshId('end', ['end-1', 'end-2'])).toBe('end-3');
  });

  it('B-01: deleting a node disconnects every exit that led to it and moves the start', () => {
    const g = deleteNode(sample(), 'q1');
    expect(g.nodes.map((n) => n.id)).toEqual(['m1', 'br', 'end']);
    expect(edgesOf(g).map((e) => e.id)).toEqual(['br/rule:r1']);
    expect(exitsOf(g.nodes[0] as ScenarioNode).find((e) => e.id === 'button:b1')?.target).toBeNull();
    expect(g.nodes[1]).toMatchObject({ otherwise: '' });
    // The contract wants a node ID in a button: the unconnected marker, reported by the server.
    expect(g.nodes[0]).toMatchObject({
      messages: [{ buttons: [{ id: 'b1', target: { kind: 'node', next: UNCONNECTED } }, { id: 'b2' }] }],
    });
    const noStart = deleteNode(sample(), 'm1');
    expect(noStart.start).toBe('q1');
    const g0 = sample();
    expect(deleteNode(g0, 'nope')).toBe(g0);
  });

  it('B-01: moving rounds the position; the same position keeps the graph', () => {
    const g = sample();
    expect(moveNode(g, 'm1', { x: 10.4, y: 20.6 }).nodes[0]?.position).toEqual({ x: 10, y: 21 });
    expect(moveNode(g, 'm1', { x: 0, y: 0 })).toBe(g);
  });

  it('B-01: the preview is the first text, cut', () => {
    const [m1, q1, , end] = sample().nodes as ScenarioNode[];
    expect(previewOf(m1 as ScenarioNode)).toBe('ご用件は？');
    expect(previewOf(q1 as ScenarioNode, 5)).toBe('お住まい…');
    expect(previewOf(end as ScenarioNode)).toBe('ありがとうございました');
  });

  it('B-01: 自動で並べる puts nodes in columns by their distance from the start, unreachable ones last', () => {
    const g = sample();
    const extra: ScenarioNode = { id: 'lost', title: '迷子', position: at, type: 'end' };
    const laid = autoLayout({ ...g, nodes: [...g.nodes, extra] });
    const x = (id: string) => laid.nodes.find((n) => n.id === id)?.position.x;
    expect([x('m1'), x('q1'), x('br'), x('end'), x('lost')]).toEqual([0, 300, 600, 600, 900]);
    const br = laid.nodes.find((n) => n.id === 'br')?.position.y ?? 0;
    const end = laid.nodes.find((n) => n.id === 'end')?.position.y ?? 0;
    expect(end).toBeGreaterThan(br);
  });
});
