import type {
  GraphProblem,
  ScenarioGraph,
  ScenarioNode,
  ScenarioNodeType,
  ScenarioStatus,
  ScenarioTrigger,
} from '@madoguchi/contracts/chatbot.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { findNode, type NodeExit, UNCONNECTED } from './graph.ts';

// Labels of the chatbot screens that depend on data (status, triggers, node types, exits).

export const STATUS_TONE: Record<ScenarioStatus, BadgeTone> = {
  draft: 'neutral',
  published: 'success',
  unpublished: 'warning',
};

export const statusLabel = (t: TFunction, status: ScenarioStatus) =>
  t(`chatbot.status.${status}` as MessageKey);

export const nodeTypeLabel = (t: TFunction, type: ScenarioNodeType) =>
  t(`chatbot.nodeType.${type}` as MessageKey);

/** One line per trigger, e.g. 「キーワード（完全一致）: ごみ、粗大ごみ」. */
export function triggerText(t: TFunction, trigger: ScenarioTrigger): string {
  switch (trigger.kind) {
    case 'keyword': {
      const words = trigger.words.join('、');
      const text = t(`chatbot.trigger.keyword.${trigger.match}` as MessageKey, { words });
      return trigger.onlyInDisasterMode ? `${text}${t('chatbot.trigger.disasterOnlySuffix')}` : text;
    }
    default:
      return t(`chatbot.trigger.${trigger.kind}` as MessageKey);
  }
}

export function triggersSummary(t: TFunction, triggers: ScenarioTrigger[]): string {
  return triggers.length === 0
    ? t('chatbot.trigger.none')
    : triggers.map((x) => triggerText(t, x)).join(' / ');
}

/** The label of an exit, as the 「次へ」 select and the graph's edge show it. */
export function exitLabel(t: TFunction, exit: NodeExit): string {
  switch (exit.kind) {
    case 'choice':
      return t('chatbot.exit.choice', { label: exit.label });
    case 'button':
      return t('chatbot.exit.button', { label: exit.label });
    case 'rule':
      return t('chatbot.exit.rule', { n: exit.label });
    case 'otherwise':
      return t('chatbot.exit.otherwise');
    default:
      return t('chatbot.exit.next');
  }
}

/** A short label for an edge in the graph (the choice / button label; 条件 N; それ以外). */
export function edgeLabel(t: TFunction, exit: Pick<NodeExit, 'kind' | 'label'>): string {
  switch (exit.kind) {
    case 'choice':
    case 'button':
      return exit.label;
    case 'rule':
      return t('chatbot.edge.rule', { n: exit.label });
    case 'otherwise':
      return t('chatbot.edge.otherwise');
    default:
      return '';
  }
}

/** 「タイトル（種類）」 for node selects. */
export const nodeOptionLabel = (t: TFunction, node: ScenarioNode) =>
  `${node.title || node.id}（${nodeTypeLabel(t, node.type)}）`;

export const hasErrors = (problems: GraphProblem[]) => problems.some((p) => p.severity === 'error');

/** A problem's message; an exit left unconnected (UNCONNECTED) is named as such, not by its marker ID. */
export function problemText(t: TFunction, problem: GraphProblem, graph: ScenarioGraph): string {
  if (problem.code !== 'CHATBOT_UNKNOWN_NODE' || !problem.message.includes(UNCONNECTED))
    return problem.message;
  const node = problem.nodeId ? findNode(graph, problem.nodeId) : undefined;
  return t('chatbot.problems.unconnected', { title: node?.title || problem.nodeId || '' });
}
