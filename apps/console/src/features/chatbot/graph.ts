import type {
  NodePosition,
  ScenarioButton,
  ScenarioGraph,
  ScenarioMessage,
  ScenarioNode,
  ScenarioNodeType,
} from '@madoguchi/contracts/chatbot.ts';

// The scenario graph editor's rules (B-01), pure: what leaves a node (its exits), connecting an exit
// to a node, adding, moving and deleting nodes (deleting also clears the exits that pointed at the
// node). The graph view and the side form both edit the graph only through these functions.

/**
 * What an unconnected choice, rule or button leads to. The contract wants a node ID there, so the
 * editor saves this ID no node has (the server reports it as CHATBOT_UNKNOWN_NODE, shown by the
 * editor as 「つながっていない行き先」); `otherwise` and the `next` fields use '' / null instead.
 */
export const UNCONNECTED = '_unconnected';

const targetOf = (id: string | null): string | null => (id && id !== UNCONNECTED ? id : null);

/** One way out of a node: `next`, a question's choice, a branch rule / otherwise, a button to a node. */
export type ExitKind = 'next' | 'choice' | 'button' | 'rule' | 'otherwise';

export interface NodeExit {
  /** Stable within the node: `next`, `otherwise`, `choice:<id>`, `rule:<id>`, `button:<id>`. */
  id: string;
  kind: ExitKind;
  /** The choice's or button's label; a rule's position (1-based) as text; '' for next/otherwise. */
  label: string;
  /** The node it leads to; null (or '') when not connected. */
  target: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  kind: ExitKind;
  label: string;
}

/** Buttons of a message that lead to nodes or links, in the order they are shown. */
export function buttonsOf(message: ScenarioMessage): ScenarioButton[] {
  switch (message.kind) {
    case 'buttons':
    case 'card':
      return message.buttons;
    case 'carousel':
      return message.columns.flatMap((c) => c.buttons);
    default:
      return [];
  }
}

/** Every exit of a node (a button with a link is not an exit: it opens a page). */
export function exitsOf(node: ScenarioNode): NodeExit[] {
  switch (node.type) {
    case 'message': {
      const buttons = node.messages
        .flatMap(buttonsOf)
        .flatMap((b): NodeExit[] =>
          b.target.kind === 'node'
            ? [{ id: `button:${b.id}`, kind: 'button', label: b.label, target: targetOf(b.target.next) }]
            : [],
        );
      return [...buttons, { id: 'next', kind: 'next', label: '', target: node.next }];
    }
    case 'question':
      return node.input === 'choice'
        ? node.choices.map((c) => ({
            id: `choice:${c.id}`,
            kind: 'choice',
            label: c.label,
            target: targetOf(c.next),
          }))
        : [{ id: 'next', kind: 'next', label: '', target: node.next }];
    case 'branch':
      return [
        ...node.rules.map(
          (r, i): NodeExit => ({
            id: `rule:${r.id}`,
            kind: 'rule',
            label: String(i + 1),
            target: targetOf(r.next),
          }),
        ),
        { id: 'otherwise', kind: 'otherwise', label: '', target: targetOf(node.otherwise) },
      ];
    case 'action':
      return [{ id: 'next', kind: 'next', label: '', target: node.next }];
    case 'end':
      return [];
  }
}

function retargetButton(button: ScenarioButton, exitId: string, target: string): ScenarioButton {
  return `button:${button.id}` === exitId && button.target.kind === 'node'
    ? { ...button, target: { kind: 'node', next: target } }
    : button;
}

function retargetMessage(message: ScenarioMessage, exitId: string, target: string): ScenarioMessage {
  switch (message.kind) {
    case 'buttons':
    case 'card':
      return { ...message, buttons: message.buttons.map((b) => retargetButton(b, exitId, target)) };
    case 'carousel':
      return {
        ...message,
        columns: message.columns.map((c) => ({
          ...c,
          buttons: c.buttons.map((b) => retargetButton(b, exitId, target)),
        })),
      };
    default:
      return message;
  }
}

/**
 * The node with one exit leading to `target` (null: not connected). Choices, rules and buttons
 * get UNCONNECTED when not connected, `otherwise` gets ''.
 */
export function setExit(node: ScenarioNode, exitId: string, target: string | null): ScenarioNode {
  const to = target ?? UNCONNECTED;
  switch (node.type) {
    case 'message':
      if (exitId === 'next') return { ...node, next: target };
      return { ...node, messages: node.messages.map((m) => retargetMessage(m, exitId, to)) };
    case 'question':
      if (exitId === 'next') return { ...node, next: target };
      return {
        ...node,
        choices: node.choices.map((c) => (`choice:${c.id}` === exitId ? { ...c, next: to } : c)),
      };
    case 'branch':
      if (exitId === 'otherwise') return { ...node, otherwise: target ?? '' };
      return { ...node, rules: node.rules.map((r) => (`rule:${r.id}` === exitId ? { ...r, next: to } : r)) };
    case 'action':
      return exitId === 'next' ? { ...node, next: target } : node;
    case 'end':
      return node;
  }
}

export function findNode(graph: ScenarioGraph, id: string): ScenarioNode | undefined {
  return graph.nodes.find((n) => n.id === id);
}

export function replaceNode(graph: ScenarioGraph, node: ScenarioNode): ScenarioGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === node.id ? node : n)) };
}

/** Connects one exit of `nodeId` to `target` (null disconnects). Unknown nodes or targets: unchanged. */
export function connectExit(
  graph: ScenarioGraph,
  nodeId: string,
  exitId: string,
  target: string | null,
): ScenarioGraph {
  const node = findNode(graph, nodeId);
  if (!node) return graph;
  if (target !== null && !findNode(graph, target)) return graph;
  if (!exitsOf(node).some((e) => e.id === exitId)) return graph;
  return replaceNode(graph, setExit(node, exitId, target));
}

/** The edges the graph view draws: one per connected exit whose target exists. */
export function edgesOf(graph: ScenarioGraph): GraphEdge[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return graph.nodes.flatMap((node) =>
    exitsOf(node).flatMap((exit): GraphEdge[] =>
      exit.target && ids.has(exit.target)
        ? [
            {
              id: `${node.id}/${exit.id}`,
              source: node.id,
              sourceHandle: exit.id,
              target: exit.target,
              kind: exit.kind,
              label: exit.label,
            },
          ]
        : [],
    ),
  );
}

/** A short ID (`prefix-N`) not used in `taken`, valid as a node ID and in postback data. */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** The IDs of choices, rules and buttons inside a node (new ones must not repeat them). */
export function innerIds(node: ScenarioNode): string[] {
  switch (node.type) {
    case 'message':
      return node.messages.flatMap((m) => [
        ...buttonsOf(m).map((b) => b.id),
        ...(m.kind === 'carousel' ? m.columns.map((c) => c.id) : []),
      ]);
    case 'question':
      return node.choices.map((c) => c.id);
    case 'branch':
      return node.rules.map((r) => r.id);
    default:
      return [];
  }
}

/** A new node of a type with empty content (staff fill it in the side form). */
export function newNode(
  type: ScenarioNodeType,
  id: string,
  title: string,
  position: NodePosition,
): ScenarioNode {
  const base = { id, title, position };
  switch (type) {
    case 'message':
      return { ...base, type, messages: [{ kind: 'text', text: '' }], next: null };
    case 'question':
      return {
        ...base,
        type,
        text: '',
        saveAs: `answer_${id.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(0, 32),
        input: 'choice',
        choices: [],
        next: null,
      };
    case 'branch':
      return { ...base, type, rules: [], otherwise: '' };
    case 'action':
      return { ...base, type, action: { kind: 'handover', text: '' }, next: null };
    case 'end':
      return { ...base, type };
  }
}

/** Where a new node goes: right of the lowest-right node, so it does not cover another. */
export function placeNew(graph: ScenarioGraph): NodePosition {
  if (graph.nodes.length === 0) return { x: 0, y: 0 };
  const maxY = Math.max(...graph.nodes.map((n) => n.position.y));
  const lowest = graph.nodes.filter((n) => n.position.y === maxY);
  const maxX = Math.max(...lowest.map((n) => n.position.x));
  return { x: maxX + 280, y: maxY };
}

/** Adds a node (the first node of an empty graph becomes the start). Answers the graph and its ID. */
export function addNode(
  graph: ScenarioGraph,
  type: ScenarioNodeType,
  title: string,
  position: NodePosition = placeNew(graph),
): { graph: ScenarioGraph; id: string } {
  const id = freshId(
    type,
    graph.nodes.map((n) => n.id),
  );
  const node = newNode(type, id, title, position);
  const start = graph.nodes.length === 0 || !findNode(graph, graph.start) ? id : graph.start;
  return { graph: { start, nodes: [...graph.nodes, node] }, id };
}

/** Removes a node and disconnects every exit that led to it; a deleted start moves to the first node. */
export function deleteNode(graph: ScenarioGraph, id: string): ScenarioGraph {
  if (!findNode(graph, id)) return graph;
  const nodes = graph.nodes
    .filter((n) => n.id !== id)
    .map((n) =>
      exitsOf(n).reduce((acc, exit) => (exit.target === id ? setExit(acc, exit.id, null) : acc), n),
    );
  const start = graph.start === id ? (nodes[0]?.id ?? '') : graph.start;
  return { start, nodes };
}

export function moveNode(graph: ScenarioGraph, id: string, position: NodePosition): ScenarioGraph {
  const node = findNode(graph, id);
  if (!node) return graph;
  const rounded = { x: Math.round(position.x), y: Math.round(position.y) };
  if (node.position.x === rounded.x && node.position.y === rounded.y) return graph;
  return replaceNode(graph, { ...node, position: rounded });
}

/** A short preview of what a node does (the graph card's second line). */
export function previewOf(node: ScenarioNode, max = 40): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  switch (node.type) {
    case 'message': {
      const first = node.messages[0];
      if (!first) return '';
      if (first.kind === 'text' || first.kind === 'buttons' || first.kind === 'card') return cut(first.text);
      if (first.kind === 'carousel') return cut(first.altText);
      return '';
    }
    case 'question':
      return cut(node.text);
    case 'action':
      return 'text' in node.action ? cut(node.action.text) : '';
    case 'end':
      return cut(node.text ?? '');
    default:
      return '';
  }
}

/**
 * 「自動で並べる」: columns by the shortest distance from the start (unreachable nodes last), rows in
 * the order of the graph; `dx` / `dy` leave room for a node card with its exits.
 */
export function autoLayout(graph: ScenarioGraph, dx = 300, dy = 40): ScenarioGraph {
  const depth = new Map<string, number>();
  const ids = new Set(graph.nodes.map((n) => n.id));
  if (ids.has(graph.start)) {
    depth.set(graph.start, 0);
    const queue = [graph.start];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      const node = findNode(graph, id);
      for (const exit of node ? exitsOf(node) : []) {
        if (exit.target && ids.has(exit.target) && !depth.has(exit.target)) {
          depth.set(exit.target, (depth.get(id) ?? 0) + 1);
          queue.push(exit.target);
        }
      }
    }
  }
  const last = Math.max(-1, ...depth.values()) + 1;
  const heights = new Map<number, number>();
  const nodes = graph.nodes.map((n) => {
    const column = depth.get(n.id) ?? last;
    const y = heights.get(column) ?? 0;
    // A card is about 90 px plus 20 px per exit.
    heights.set(column, y + 90 + 20 * exitsOf(n).length + dy);
    return { ...n, position: { x: column * dx, y } };
  });
  return { ...graph, nodes };
}
