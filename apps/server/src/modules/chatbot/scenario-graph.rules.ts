import {
  CHATBOT_LIMITS,
  type GraphProblem,
  type ScenarioDraft,
  type ScenarioGraph,
  type ScenarioMessage,
  type ScenarioNode,
} from '@madoguchi/contracts/chatbot.ts';
import type { SegmentLeaf } from '@madoguchi/contracts/segments.ts';

// What stops a draft from being published (B-02, B-03): a graph is checked as a whole, after its
// shape (chatbot.schema.ts). Errors block publishing; warnings (unreachable nodes, no trigger) do not.
//
// "A way out", precisely: a node ENDS the scenario when it is an end node, a message or action
// with next = null, or a text question with next = null. Every node must be able to reach a node
// that ends the scenario along its edges (next, choices, buttons to nodes, branch rules and
// otherwise). A strongly connected set of nodes from which none is reachable is
// CHATBOT_CYCLE_NO_EXIT (one problem per such set: message → message → message, or a question whose
// choices all lead back into the loop). A node that has no edge at all and does not end the scenario
// (a choice question without choices, a branch without otherwise) is CHATBOT_NODE_NO_EXIT.

/** What the channel has, for the checks that need the database (looked up once per check). */
export interface GraphContext {
  /** The registration form's items: id → retired, with its choices (id → retired). null: no form. */
  attributes: Map<string, { retired: boolean; choices: Map<string, boolean> }> | null;
  /** Slugs of the channel's consultation desks. */
  deskSlugs: Set<string>;
  /** Media IDs that exist (null: not checked). */
  mediaIds: Set<string> | null;
}

const problem = (
  code: GraphProblem['code'],
  nodeId: string | null,
  message: string,
  severity: GraphProblem['severity'] = 'error',
): GraphProblem => ({ code, severity, nodeId, message });

function buttonsOf(m: ScenarioMessage) {
  switch (m.kind) {
    case 'buttons':
    case 'card':
      return m.buttons;
    case 'carousel':
      return m.columns.flatMap((c) => c.buttons);
    default:
      return [];
  }
}

/** The nodes a message node's buttons lead to (it waits for a tap when there are any). */
export function buttonTargets(node: Extract<ScenarioNode, { type: 'message' }>): string[] {
  return node.messages.flatMap((m) =>
    buttonsOf(m).flatMap((b) => (b.target.kind === 'node' ? [b.target.next] : [])),
  );
}

/** Every node ID a node refers to. */
export function edgesOf(node: ScenarioNode): string[] {
  switch (node.type) {
    case 'message':
      return [...(node.next ? [node.next] : []), ...buttonTargets(node)];
    case 'question':
      return [...node.choices.map((c) => c.next), ...(node.input === 'text' && node.next ? [node.next] : [])];
    case 'branch':
      return [...node.rules.map((r) => r.next), ...(node.otherwise ? [node.otherwise] : [])];
    case 'action':
      return node.next ? [node.next] : [];
    case 'end':
      return [];
  }
}

/** Whether reaching this node can end the scenario. */
export function endsScenario(node: ScenarioNode): boolean {
  switch (node.type) {
    case 'end':
      return true;
    case 'message':
    case 'action':
      return node.next === null;
    case 'question':
      return node.input === 'text' && node.next === null;
    case 'branch':
      return false;
  }
}

function mediaOf(node: ScenarioNode): string[] {
  if (node.type !== 'message') return [];
  return node.messages.flatMap((m) => {
    if (m.kind === 'image') return [m.mediaId];
    if (m.kind === 'card') return m.imageMediaId ? [m.imageMediaId] : [];
    if (m.kind === 'carousel') return m.columns.flatMap((c) => (c.imageMediaId ? [c.imageMediaId] : []));
    return [];
  });
}

/** The items and choices a segment leaf names (choice, birth year and age conditions). */
function leafRefs(leaf: SegmentLeaf): { itemId: string; choiceIds: string[] } | null {
  if (leaf.type === 'choice') return { itemId: leaf.itemId, choiceIds: leaf.choiceIds };
  if (leaf.type === 'birthYear' || leaf.type === 'age') return { itemId: leaf.itemId, choiceIds: [] };
  return null;
}

/** Strongly connected components (Tarjan, iterative enough for ≤ 600 nodes). */
function components(ids: string[], edges: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      for (;;) {
        const w = stack.pop()!;
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      out.push(comp);
    }
  };
  for (const v of ids) if (!idx.has(v)) visit(v);
  return out;
}

export function validateGraph(graph: ScenarioGraph, ctx: GraphContext): GraphProblem[] {
  const problems: GraphProblem[] = [];
  if (graph.nodes.length > CHATBOT_LIMITS.nodes) {
    problems.push(
      problem(
        'CHATBOT_TOO_MANY_NODES',
        null,
        `ノードは ${CHATBOT_LIMITS.nodes} 個までです（${graph.nodes.length} 個あります）`,
      ),
    );
  }
  const byId = new Map<string, ScenarioNode>();
  for (const n of graph.nodes) {
    if (byId.has(n.id))
      problems.push(problem('CHATBOT_DUPLICATE_NODE', n.id, `ノード ID「${n.id}」が重複しています`));
    else byId.set(n.id, n);
  }
  if (!byId.has(graph.start)) {
    problems.push(problem('CHATBOT_NO_START', null, '開始ノードが設定されていないか、存在しません'));
  }
  const variables = new Set(graph.nodes.flatMap((n) => (n.type === 'question' ? [n.saveAs] : [])));
  const edges = new Map<string, string[]>();
  for (const n of byId.values()) {
    const refs = edgesOf(n);
    for (const r of refs) {
      if (!byId.has(r))
        problems.push(
          problem('CHATBOT_UNKNOWN_NODE', n.id, `「${n.title || n.id}」の行き先「${r}」がありません`),
        );
    }
    edges.set(
      n.id,
      refs.filter((r) => byId.has(r)),
    );
    const name = `「${n.title || n.id}」`;
    if (n.type === 'question' && n.input === 'choice' && n.choices.length === 0)
      problems.push(problem('CHATBOT_NODE_NO_EXIT', n.id, `${name}に選択肢がありません`));
    if (n.type === 'branch' && !n.otherwise)
      problems.push(
        problem('CHATBOT_NODE_NO_EXIT', n.id, `${name}に「どれにも当てはまらないとき」の行き先がありません`),
      );
    if (n.type === 'branch') {
      for (const rule of n.rules) {
        for (const c of rule.when) {
          if ((c.kind === 'answer' || c.kind === 'answerContains') && !variables.has(c.variable)) {
            problems.push(
              problem(
                'CHATBOT_UNKNOWN_VARIABLE',
                n.id,
                `${name}の変数「${c.variable}」に答えを保存する質問がありません`,
              ),
            );
          }
          if (c.kind === 'attribute') {
            const refs = leafRefs(c.condition);
            if (!refs) continue;
            const item = ctx.attributes?.get(refs.itemId);
            if (!item || item.retired) {
              problems.push(
                problem(
                  'CHATBOT_UNKNOWN_ATTRIBUTE',
                  n.id,
                  `${name}の条件の登録項目がないか、廃止されています`,
                ),
              );
            } else if (refs.choiceIds.some((id) => item.choices.get(id) !== false)) {
              problems.push(
                problem('CHATBOT_UNKNOWN_ATTRIBUTE', n.id, `${name}の条件の選択肢がないか、廃止されています`),
              );
            }
          }
        }
      }
    }
    if (n.type === 'action') {
      const a = n.action;
      if (a.kind === 'startConsultation' && !ctx.deskSlugs.has(a.deskSlug))
        problems.push(
          problem('CHATBOT_UNKNOWN_DESK', n.id, `${name}の相談窓口「${a.deskSlug}」がありません`),
        );
      if (a.kind === 'setAttribute') {
        const item = ctx.attributes?.get(a.itemId);
        if (!item || item.retired || a.choiceIds.some((id) => item.choices.get(id) !== false))
          problems.push(
            problem(
              'CHATBOT_UNKNOWN_ATTRIBUTE',
              n.id,
              `${name}で設定する登録項目か選択肢がないか、廃止されています`,
            ),
          );
      }
    }
    if (ctx.mediaIds) {
      for (const m of mediaOf(n)) {
        if (!ctx.mediaIds.has(m))
          problems.push(problem('CHATBOT_UNKNOWN_MEDIA', n.id, `${name}の画像がありません`));
      }
    }
  }

  // A way out from every node: walk backwards from the nodes that end the scenario.
  const reverse = new Map<string, string[]>();
  for (const [from, tos] of edges) for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const canEnd = new Set<string>();
  const queue = [...byId.values()].filter(endsScenario).map((n) => n.id);
  for (const id of queue) canEnd.add(id);
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const from of reverse.get(id) ?? []) {
      if (!canEnd.has(from)) {
        canEnd.add(from);
        queue.push(from);
      }
    }
  }
  for (const comp of components([...byId.keys()], edges)) {
    const cyclic = comp.length > 1 || (edges.get(comp[0]!) ?? []).includes(comp[0]!);
    if (!cyclic || comp.some((id) => canEnd.has(id))) continue;
    const names = comp
      .slice()
      .reverse()
      .map((id) => `「${byId.get(id)?.title || id}」`)
      .join('→');
    problems.push(
      problem(
        'CHATBOT_CYCLE_NO_EXIT',
        comp[comp.length - 1]!,
        `${names} が繰り返すだけで、終わりに行けません`,
      ),
    );
  }

  // Reachable from the start (warning only).
  if (byId.has(graph.start)) {
    const seen = new Set<string>([graph.start]);
    const todo = [graph.start];
    while (todo.length > 0) {
      for (const to of edges.get(todo.pop()!) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        todo.push(to);
      }
    }
    for (const n of byId.values()) {
      if (!seen.has(n.id))
        problems.push(
          problem(
            'CHATBOT_UNREACHABLE_NODE',
            n.id,
            `「${n.title || n.id}」には開始ノードからたどり着けません`,
            'warning',
          ),
        );
    }
  }
  return problems;
}

export function validateDraft(draft: ScenarioDraft, ctx: GraphContext): GraphProblem[] {
  const problems = validateGraph(draft.graph, ctx);
  if (draft.triggers.length === 0) {
    problems.push(
      problem(
        'CHATBOT_NO_TRIGGER',
        null,
        'きっかけがありません（ボタンやリッチメニューの scenario=キー からだけ始まります）',
        'warning',
      ),
    );
  }
  return problems;
}

export const blocking = (problems: GraphProblem[]) => problems.filter((p) => p.severity === 'error');
