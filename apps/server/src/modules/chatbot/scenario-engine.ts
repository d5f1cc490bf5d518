import type { messagingApi } from '@line/bot-sdk';
import {
  CHATBOT_LIMITS,
  normalizeForMatch,
  type ScenarioButton,
  type ScenarioGraph,
  type ScenarioMessage,
  type ScenarioNode,
} from '@madoguchi/contracts/chatbot.ts';
import type { SegmentLeaf } from '@madoguchi/contracts/segments.ts';
import { buttonTargets } from './scenario-graph.rules.ts';

// The scenario engine (B-01, B-02): one turn of a friend in a scenario. Given the graph, where the
// friend is and what they did (start, a typed text, a tapped button), it walks the graph until it
// must wait for the friend (a question, or a message whose buttons lead to nodes) or the scenario
// ends, at most CHATBOT_LIMITS.stepsPerTurn nodes. It answers the LINE messages to send, the new
// state, the nodes visited and the effects for the caller to apply (set an attribute, hand over).
// Pure except for what `env` looks up (the friend's attributes, disaster mode, the desk's door).

export interface EngineState {
  /** The node the friend is waiting at; null: not waiting (ended). */
  nodeId: string | null;
  vars: Record<string, string>;
}

export type EngineEffect =
  | { kind: 'setAttribute'; itemId: string; choiceIds: string[] }
  | { kind: 'handover'; text: string };

export interface EngineEnv {
  scenarioKey: string;
  version: number;
  /** This server's public URL (images are served at /media/<id>). */
  publicUrl: string;
  /** Whether the friend meets a registered-attribute condition (false without a friend). */
  attribute(leaf: SegmentLeaf): Promise<boolean>;
  disasterMode(): Promise<boolean>;
  /** The consultation door for a desk (a link to our own page only, C-01), or null. */
  consultationDoor(deskSlug: string): Promise<messagingApi.Message | null>;
  /** The shelters module's location button with this text. */
  shelterAsk(text: string): messagingApi.Message;
}

export interface TurnResult {
  replies: messagingApi.Message[];
  state: EngineState;
  visited: string[];
  effects: EngineEffect[];
  /** The scenario ended in this turn. */
  ended: boolean;
  /** It ended at a node that ends the scenario (not stopped by the step limit). */
  completed: boolean;
  /** A tap on a button that is not in the graph started the scenario again. */
  restarted?: boolean;
  /** A choice question got something else and was asked again (no step forward). */
  retried?: boolean;
}

export const CB_PARAM = 'cb';
export const DEFAULT_RETRY_TEXT = '下のボタンから選んでください。';
/** Longest free-text answer kept. */
export const MAX_ANSWER = 500;

/** Postback data of a button or choice that leads to a node. */
export function buttonData(key: string, version: number, nodeId: string, choiceId: string): string {
  return new URLSearchParams({ [CB_PARAM]: key, v: String(version), n: nodeId, c: choiceId }).toString();
}

export interface ButtonTap {
  key: string;
  version: number;
  nodeId: string;
  choiceId: string;
}

export function parseButtonData(data: string): ButtonTap | null {
  const p = new URLSearchParams(data);
  const key = p.get(CB_PARAM);
  const v = p.get('v');
  const nodeId = p.get('n');
  const choiceId = p.get('c');
  if (!key || !v || !/^\d{1,9}$/.test(v) || !nodeId || !choiceId) return null;
  return { key, version: Number(v), nodeId, choiceId };
}

const cut = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

function lineAction(env: EngineEnv, nodeId: string, b: ScenarioButton): messagingApi.Action {
  const label = cut(b.label, CHATBOT_LIMITS.label);
  return b.target.kind === 'uri'
    ? { type: 'uri', label, uri: b.target.uri }
    : {
        type: 'postback',
        label,
        data: buttonData(env.scenarioKey, env.version, nodeId, b.id),
        displayText: b.label,
      };
}

const mediaUrl = (env: EngineEnv, id: string) => `${env.publicUrl.replace(/\/+$/, '')}/media/${id}`;

/** A scenario message as a LINE message object. */
export function toLineMessage(env: EngineEnv, nodeId: string, m: ScenarioMessage): messagingApi.Message {
  switch (m.kind) {
    case 'text':
      return {
        type: 'text',
        text: m.text,
        ...(m.quickReplies && m.quickReplies.length > 0
          ? {
              quickReply: {
                items: m.quickReplies.map((q) => ({
                  type: 'action' as const,
                  action: { type: 'message' as const, label: cut(q, CHATBOT_LIMITS.label), text: q },
                })),
              },
            }
          : {}),
      };
    case 'buttons':
      return {
        type: 'template',
        altText: cut(m.title ? `${m.title} ${m.text}` : m.text, 400),
        template: {
          type: 'buttons',
          ...(m.title ? { title: m.title } : {}),
          text: m.text,
          actions: m.buttons.map((b) => lineAction(env, nodeId, b)),
        },
      };
    case 'carousel':
      return {
        type: 'template',
        altText: m.altText,
        template: {
          type: 'carousel',
          columns: m.columns.map((c) => ({
            title: c.title,
            text: c.text,
            ...(c.imageMediaId ? { thumbnailImageUrl: mediaUrl(env, c.imageMediaId) } : {}),
            actions: c.buttons.map((b) => lineAction(env, nodeId, b)),
          })),
        },
      };
    case 'card':
      return {
        type: 'flex',
        altText: cut(m.title, 400),
        contents: {
          type: 'bubble',
          ...(m.imageMediaId
            ? {
                hero: {
                  type: 'image',
                  url: mediaUrl(env, m.imageMediaId),
                  size: 'full',
                  aspectRatio: '20:13',
                  aspectMode: 'cover',
                },
              }
            : {}),
          body: {
            type: 'box',
            layout: 'vertical',
            spacing: 'md',
            contents: [
              { type: 'text', text: m.title, weight: 'bold', size: 'lg', wrap: true },
              { type: 'text', text: m.text, size: 'md', wrap: true },
            ],
          },
          ...(m.buttons.length > 0
            ? {
                footer: {
                  type: 'box',
                  layout: 'vertical',
                  spacing: 'sm',
                  contents: m.buttons.map((b) => ({
                    type: 'button',
                    style: 'primary',
                    action: lineAction(env, nodeId, b),
                  })),
                },
              }
            : {}),
        },
      } as messagingApi.FlexMessage;
    case 'image':
      return {
        type: 'image',
        originalContentUrl: mediaUrl(env, m.mediaId),
        previewImageUrl: `${mediaUrl(env, m.mediaId)}/preview`,
      };
  }
}

function questionMessage(
  env: EngineEnv,
  node: Extract<ScenarioNode, { type: 'question' }>,
  text = node.text,
) {
  const message: messagingApi.TextMessage = { type: 'text', text };
  if (node.input === 'choice' && node.choices.length > 0) {
    message.quickReply = {
      items: node.choices.map((c) => ({
        type: 'action',
        action: {
          type: 'postback',
          label: cut(c.label, CHATBOT_LIMITS.label),
          data: buttonData(env.scenarioKey, env.version, node.id, c.id),
          displayText: c.label,
        },
      })),
    };
  }
  return message;
}

async function holds(
  env: EngineEnv,
  vars: Record<string, string>,
  c: Extract<ScenarioNode, { type: 'branch' }>['rules'][number]['when'][number],
): Promise<boolean> {
  switch (c.kind) {
    case 'answer': {
      const v = vars[c.variable];
      return v !== undefined && c.anyOf.some((a) => a === v || normalizeForMatch(a) === normalizeForMatch(v));
    }
    case 'answerContains': {
      const v = vars[c.variable];
      const t = normalizeForMatch(c.text);
      return v !== undefined && t.length > 0 && normalizeForMatch(v).includes(t);
    }
    case 'attribute':
      return env.attribute(c.condition);
    case 'disasterMode':
      return (await env.disasterMode()) === c.on;
  }
}

/** Walks from `from` until the friend must answer or the scenario ends. */
async function walk(
  graph: ScenarioGraph,
  from: string | null,
  vars: Record<string, string>,
  env: EngineEnv,
  prefix: messagingApi.Message[] = [],
): Promise<TurnResult> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const replies = [...prefix];
  const visited: string[] = [];
  const effects: EngineEffect[] = [];
  const done = (nodeId: string | null, completed: boolean): TurnResult => ({
    // LINE takes at most 5 messages in one reply.
    replies: replies.slice(0, 5),
    state: { nodeId, vars },
    visited,
    effects,
    ended: nodeId === null,
    completed: nodeId === null && completed,
  });
  let at = from;
  for (let step = 0; step < CHATBOT_LIMITS.stepsPerTurn; step++) {
    const node = at === null ? undefined : byId.get(at);
    if (!node) return done(null, at === null);
    visited.push(node.id);
    switch (node.type) {
      case 'message': {
        for (const m of node.messages) replies.push(toLineMessage(env, node.id, m));
        if (buttonTargets(node).length > 0) return done(node.id, false);
        if (node.next === null) return done(null, true);
        at = node.next;
        break;
      }
      case 'question':
        replies.push(questionMessage(env, node));
        return done(node.id, false);
      case 'branch': {
        let next = node.otherwise || null;
        for (const rule of node.rules) {
          let all = true;
          for (const c of rule.when) {
            if (!(await holds(env, vars, c))) {
              all = false;
              break;
            }
          }
          if (all) {
            next = rule.next;
            break;
          }
        }
        if (next === null) return done(null, false);
        at = next;
        break;
      }
      case 'action': {
        const a = node.action;
        switch (a.kind) {
          case 'setAttribute':
            effects.push({ kind: 'setAttribute', itemId: a.itemId, choiceIds: a.choiceIds });
            break;
          case 'openPage':
            replies.push({
              type: 'template',
              altText: cut(a.text, 400),
              template: {
                type: 'buttons',
                text: a.text,
                actions: [{ type: 'uri', label: a.label, uri: a.url }],
              },
            });
            break;
          case 'startConsultation': {
            const door = await env.consultationDoor(a.deskSlug);
            if (door) replies.push(door);
            break;
          }
          case 'handover':
            replies.push({ type: 'text', text: a.text });
            effects.push({ kind: 'handover', text: a.text });
            // The bot stays quiet for this friend from here on.
            return done(null, true);
          case 'shelterSearch':
            replies.push(env.shelterAsk(a.text));
            break;
        }
        if (node.next === null) return done(null, true);
        at = node.next;
        break;
      }
      case 'end':
        if (node.text) replies.push({ type: 'text', text: node.text });
        return done(null, true);
    }
  }
  // A loop without a way out (the rules refuse to publish one; a draft under test can have it).
  return done(null, false);
}

/** The scenario from its start node. */
export function startTurn(graph: ScenarioGraph, env: EngineEnv, prefix: messagingApi.Message[] = []) {
  return walk(graph, graph.start, {}, env, prefix);
}

/**
 * A typed text for a friend waiting at a question; null when the state waits for no text (the
 * caller then tries the triggers). A choice question takes a choice's label (normalised) or asks again.
 */
export async function textTurn(
  graph: ScenarioGraph,
  state: EngineState,
  text: string,
  env: EngineEnv,
): Promise<TurnResult | null> {
  const node = graph.nodes.find((n) => n.id === state.nodeId);
  if (node?.type !== 'question') return null;
  if (node.input === 'text') {
    const vars = { ...state.vars, [node.saveAs]: [...text].slice(0, MAX_ANSWER).join('') };
    return walk(graph, node.next, vars, env);
  }
  const said = normalizeForMatch(text);
  const choice = node.choices.find((c) => normalizeForMatch(c.label) === said || c.id === text);
  if (!choice) {
    return {
      replies: [{ type: 'text', text: node.retryText ?? DEFAULT_RETRY_TEXT }, questionMessage(env, node)],
      state,
      visited: [node.id],
      effects: [],
      ended: false,
      completed: false,
      retried: true,
    };
  }
  return walk(graph, choice.next, { ...state.vars, [node.saveAs]: choice.id }, env);
}

/**
 * A tapped button or choice (postback `cb=…`). It follows that button even when the friend has
 * moved on since (a stale button), as long as the node and the button are in this graph; otherwise
 * the scenario starts again.
 */
export async function tapTurn(
  graph: ScenarioGraph,
  vars: Record<string, string>,
  tap: Pick<ButtonTap, 'nodeId' | 'choiceId'>,
  env: EngineEnv,
): Promise<TurnResult> {
  const node = graph.nodes.find((n) => n.id === tap.nodeId);
  if (node?.type === 'question') {
    const choice = node.choices.find((c) => c.id === tap.choiceId);
    if (choice) return walk(graph, choice.next, { ...vars, [node.saveAs]: choice.id }, env);
  }
  if (node?.type === 'message') {
    for (const m of node.messages) {
      const buttons =
        m.kind === 'buttons' || m.kind === 'card'
          ? m.buttons
          : m.kind === 'carousel'
            ? m.columns.flatMap((c) => c.buttons)
            : [];
      const b = buttons.find((x) => x.id === tap.choiceId);
      if (b?.target.kind === 'node') return walk(graph, b.target.next, vars, env);
    }
  }
  return { ...(await startTurn(graph, env)), restarted: true };
}
