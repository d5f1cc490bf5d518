import type { messagingApi } from '@line/bot-sdk';
import type { ScenarioGraph } from '@madoguchi/contracts/chatbot.ts';
import { describe, expect, it } from 'vitest';
import {
  buttonData,
  type EngineEnv,
  parseButtonData,
  startTurn,
  tapTurn,
  textTurn,
} from './scenario-engine.ts';

// One turn of the engine (B-01, B-02): it walks until the friend must answer or the scenario ends.

const env = (over: Partial<EngineEnv> = {}): EngineEnv => ({
  scenarioKey: 'k',
  version: 3,
  publicUrl: 'https://city.example.jp/',
  attribute: async () => false,
  disasterMode: async () => false,
  consultationDoor: async (slug) => ({ type: 'text', text: `door ${slug}` }),
  shelterAsk: (text) => ({ type: 'text', text }),
  ...over,
});
const at = { title: '', position: { x: 0, y: 0 } };
const graph: ScenarioGraph = {
  start: 'hello',
  nodes: [
    {
      id: 'hello',
      ...at,
      type: 'message',
      messages: [{ kind: 'text', text: 'こんにちは', quickReplies: ['ごみ'] }],
      next: 'q',
    },
    {
      id: 'q',
      ...at,
      type: 'question',
      text: '何の手続きですか',
      saveAs: 'kind',
      input: 'choice',
      choices: [
        { id: 'cert', label: '証明書', next: 'attr' },
        { id: 'name', label: 'お名前', next: 'ask' },
      ],
      next: null,
      retryText: 'ボタンから選んでください',
    },
    {
      id: 'ask',
      ...at,
      type: 'question',
      text: 'お名前は',
      saveAs: 'who',
      input: 'text',
      choices: [],
      next: 'menu',
    },
    {
      id: 'attr',
      ...at,
      type: 'branch',
      rules: [
        {
          id: 'r',
          when: [{ kind: 'attribute', condition: { type: 'registered', value: true } }],
          next: 'registered',
        },
      ],
      otherwise: 'page',
    },
    { id: 'registered', ...at, type: 'end', text: '登録済みの方へ' },
    {
      id: 'page',
      ...at,
      type: 'action',
      action: { kind: 'openPage', text: '申請ページ', label: '開く', url: 'https://city.example.jp/apply' },
      next: null,
    },
    {
      id: 'menu',
      ...at,
      type: 'message',
      messages: [
        {
          kind: 'buttons',
          title: 'メニュー',
          text: '選んでください',
          buttons: [
            { id: 'b1', label: '相談', target: { kind: 'node', next: 'consult' } },
            { id: 'b2', label: 'サイト', target: { kind: 'uri', uri: 'https://city.example.jp' } },
          ],
        },
        { kind: 'image', mediaId: '00000000-0000-4000-8000-0000000000aa' },
      ],
      next: null,
    },
    {
      id: 'consult',
      ...at,
      type: 'action',
      action: { kind: 'startConsultation', deskSlug: 'kosodate' },
      next: 'bye',
    },
    {
      id: 'bye',
      ...at,
      type: 'action',
      action: { kind: 'handover', text: '担当者におつなぎします' },
      next: null,
    },
  ],
};

describe('scenario engine (B-01, B-02)', () => {
  it('B-02: starts, sends the message with quick replies and waits at the question with postback choices', async () => {
    const r = await startTurn(graph, env());
    expect(r.visited).toEqual(['hello', 'q']);
    expect(r.state).toEqual({ nodeId: 'q', vars: {} });
    expect(r.ended).toBe(false);
    const [hello, q] = r.replies as messagingApi.TextMessage[];
    expect(hello!.quickReply!.items![0]!.action).toEqual({ type: 'message', label: 'ごみ', text: 'ごみ' });
    expect(q!.quickReply!.items!.map((i) => i.action)).toEqual([
      { type: 'postback', label: '証明書', data: 'cb=k&v=3&n=q&c=cert', displayText: '証明書' },
      { type: 'postback', label: 'お名前', data: 'cb=k&v=3&n=q&c=name', displayText: 'お名前' },
    ]);
    expect(parseButtonData(buttonData('k', 3, 'q', 'cert'))).toEqual({
      key: 'k',
      version: 3,
      nodeId: 'q',
      choiceId: 'cert',
    });
    expect(parseButtonData('cb=k&v=x&n=q&c=1')).toBeNull();
  });

  it('B-02: a typed answer that is no choice asks again; the label typed (normalised) is taken; a branch on an attribute goes two ways', async () => {
    const state = { nodeId: 'q', vars: {} };
    const again = await textTurn(graph, state, 'なにそれ', env());
    expect(again!.replies.map((m) => (m as messagingApi.TextMessage).text)).toEqual([
      'ボタンから選んでください',
      '何の手続きですか',
    ]);
    expect(again!.state).toEqual(state);
    const notRegistered = await textTurn(graph, state, ' 証明書 ', env());
    expect(notRegistered!.visited).toEqual(['attr', 'page']);
    expect(notRegistered!.ended && notRegistered!.completed).toBe(true);
    expect(notRegistered!.state.vars).toEqual({ kind: 'cert' });
    expect((notRegistered!.replies[0] as messagingApi.TemplateMessage).template).toMatchObject({
      type: 'buttons',
      actions: [{ type: 'uri', uri: 'https://city.example.jp/apply' }],
    });
    const registered = await tapTurn(
      graph,
      {},
      { nodeId: 'q', choiceId: 'cert' },
      env({ attribute: async () => true }),
    );
    expect(registered.visited).toEqual(['attr', 'registered']);
    expect(registered.replies).toEqual([{ type: 'text', text: '登録済みの方へ' }]);
    // Not waiting at a question: the text is not the engine's.
    expect(await textTurn(graph, { nodeId: 'menu', vars: {} }, 'x', env())).toBeNull();
  });

  it('B-01: a text answer is kept; buttons to nodes wait; a tap follows even a stale button; the door and the hand-over are effects', async () => {
    const named = await textTurn(graph, { nodeId: 'ask', vars: { kind: 'name' } }, '山田', env());
    expect(named!.state).toEqual({ nodeId: 'menu', vars: { kind: 'name', who: '山田' } });
    const [buttons, image] = named!.replies as [messagingApi.TemplateMessage, messagingApi.ImageMessage];
    expect((buttons.template as messagingApi.ButtonsTemplate).actions).toEqual([
      { type: 'postback', label: '相談', data: 'cb=k&v=3&n=menu&c=b1', displayText: '相談' },
      { type: 'uri', label: 'サイト', uri: 'https://city.example.jp' },
    ]);
    expect(image.originalContentUrl).toBe(
      'https://city.example.jp/media/00000000-0000-4000-8000-0000000000aa',
    );
    const tapped = await tapTurn(graph, {}, { nodeId: 'menu', choiceId: 'b1' }, env());
    expect(tapped.replies).toEqual([
      { type: 'text', text: 'door kosodate' },
      { type: 'text', text: '担当者におつなぎします' },
    ]);
    expect(tapped.effects).toEqual([{ kind: 'handover', text: '担当者におつなぎします' }]);
    expect(tapped.ended).toBe(true);
    // A button that is not in the graph starts again.
    expect((await tapTurn(graph, {}, { nodeId: 'menu', choiceId: 'zz' }, env())).visited).toEqual([
      'hello',
      'q',
    ]);
  });

  it('B-02: a loop without a way out stops at the step limit', async () => {
    const loop: ScenarioGraph = {
      start: 'a',
      nodes: [
        { id: 'a', ...at, type: 'message', messages: [{ kind: 'text', text: 'a' }], next: 'b' },
        { id: 'b', ...at, type: 'message', messages: [{ kind: 'text', text: 'b' }], next: 'a' },
      ],
    };
    const r = await startTurn(loop, env());
    expect(r.visited).toHaveLength(50);
    expect(r.replies).toHaveLength(5);
    expect(r.ended).toBe(true);
    expect(r.completed).toBe(false);
  });
});
