import type { ScenarioGraph, ScenarioNode } from '@madoguchi/contracts/chatbot.ts';
import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { type TFunction, useT } from '../../i18n/i18n.tsx';
import { edgesOf, exitsOf, previewOf } from './graph.ts';
import { edgeLabel, nodeTypeLabel } from './labels.ts';

// The graph view (B-01): React Flow draws the scenario's nodes and the edges of their exits. Staff
// move nodes, connect an exit by dragging from its handle to a node, and delete with the Delete key;
// every change goes through graph.ts in the page. The side form does the same without dragging.

type CardData = {
  node: ScenarioNode;
  start: boolean;
  visited: boolean;
  problem: 'error' | 'warning' | null;
  t: TFunction;
};
type CardNode = Node<CardData, 'scenario'>;

/** Small type icons (SVG paths, 16×16): speech bubble, question mark, fork, gear-like bolt, stop. */
const ICONS: Record<ScenarioNode['type'], string> = {
  message: 'M2 3h12v8H6l-3 3v-3H2z',
  question: 'M8 1a5 5 0 0 1 2 9.6V12H6V9h2a2 2 0 1 0-2-2H4a4 4 0 0 1 4-6zM6 13h4v2H6z',
  branch: 'M3 1h2v6l4 3v-3l4 3.5L9 14v-2.5L5 9v6H3z',
  action: 'M9 1 3 9h4l-1 6 6-8H8z',
  end: 'M3 3h10v10H3z',
};
const ICON_COLORS: Record<ScenarioNode['type'], string> = {
  message: 'fill-blue-900',
  question: 'fill-green-900',
  branch: 'fill-orange-900',
  action: 'fill-purple-900',
  end: 'fill-solid-gray-700',
};

const NodeCard = memo(function NodeCard({ data, selected }: NodeProps<CardNode>) {
  const { node, start, visited, problem, t } = data;
  const exits = exitsOf(node);
  const border = selected
    ? 'border-blue-900 border-[3px]'
    : problem === 'error'
      ? 'border-error-1 border-2'
      : visited
        ? 'border-success-2 border-2'
        : 'border-solid-gray-420';
  return (
    <div
      className={`w-56 rounded-8 border bg-white text-left shadow-1 ${border} ${visited ? 'bg-green-50' : ''}`}
    >
      <Handle type="target" position={Position.Left} className="!size-3 !bg-solid-gray-600" />
      <div className="flex items-center gap-1.5 border-b border-solid-gray-300 px-2 py-1 text-dns-14B-130">
        <svg aria-hidden="true" viewBox="0 0 16 16" className={`size-4 ${ICON_COLORS[node.type]}`}>
          <path d={ICONS[node.type]} />
        </svg>
        <span>{nodeTypeLabel(t, node.type)}</span>
        {start && (
          <span className="ml-auto rounded-4 bg-blue-900 px-1.5 text-white">{t('chatbot.graph.start')}</span>
        )}
      </div>
      <div className="px-2 py-1.5">
        <p className="truncate text-dns-16B-130 text-solid-gray-900">{node.title || node.id}</p>
        <p className="line-clamp-2 min-h-5 text-dns-14N-130 text-solid-gray-700">{previewOf(node)}</p>
      </div>
      {exits.length > 0 && (
        <ul className="border-t border-solid-gray-300 py-1">
          {exits.map((exit) => (
            <li key={exit.id} className="relative pr-4 pl-2 text-right text-dns-14N-130 text-solid-gray-700">
              <span className="block truncate">{edgeLabel(t, exit) || t('chatbot.exit.next')}</span>
              <Handle
                type="source"
                id={exit.id}
                position={Position.Right}
                className={`!size-3 ${exit.target ? '!bg-blue-900' : '!bg-white !border-2 !border-blue-900'}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

const nodeTypes = { scenario: NodeCard };

/** Fits the view when nodes are added or removed (a new node may be placed outside the view). */
function FitOnCount({ count }: { count: number }) {
  const flow = useReactFlow();
  const last = useRef(count);
  useEffect(() => {
    if (last.current === count) return;
    last.current = count;
    void flow.fitView({ duration: 200, maxZoom: 1 });
  });
  return null;
}

export function GraphView({
  graph,
  selectedId,
  visited,
  problemNodes,
  onSelect,
  onConnect,
  onMove,
  onDelete,
  onDisconnect,
}: {
  graph: ScenarioGraph;
  selectedId: string | null;
  visited: ReadonlySet<string>;
  problemNodes: ReadonlyMap<string, 'error' | 'warning'>;
  onSelect: (id: string | null) => void;
  onConnect: (source: string, exitId: string, target: string) => void;
  onMove: (id: string, position: { x: number; y: number }) => void;
  onDelete: (id: string) => void;
  onDisconnect: (source: string, exitId: string) => void;
}) {
  const t = useT();
  const fromGraph = useMemo<CardNode[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: 'scenario',
        position: node.position,
        selected: node.id === selectedId,
        data: {
          node,
          start: node.id === graph.start,
          visited: visited.has(node.id),
          problem: problemNodes.get(node.id) ?? null,
          t,
        },
        ariaLabel: `${nodeTypeLabel(t, node.type)}: ${node.title || node.id}`,
      })),
    [graph, selectedId, visited, problemNodes, t],
  );
  // React Flow moves nodes while dragging through its own changes; the graph gets the end position.
  const [nodes, setNodes] = useState<CardNode[]>(fromGraph);
  useEffect(() => setNodes(fromGraph), [fromGraph]);

  const edges = useMemo<Edge[]>(
    () =>
      edgesOf(graph).map((e) => ({
        id: e.id,
        source: e.source,
        sourceHandle: e.sourceHandle,
        target: e.target,
        label: edgeLabel(t, e) || undefined,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: visited.has(e.source) && visited.has(e.target) ? 'visited' : undefined,
        style:
          visited.has(e.source) && visited.has(e.target) ? { stroke: '#259d63', strokeWidth: 2 } : undefined,
      })),
    [graph, visited, t],
  );

  function onNodesChange(changes: NodeChange<CardNode>[]) {
    setNodes((current) => applyNodeChanges(changes, current));
    for (const change of changes) {
      if (change.type === 'position' && change.dragging === false && change.position) {
        onMove(change.id, change.position);
      }
      if (change.type === 'select' && change.selected) onSelect(change.id);
    }
  }

  return (
    <div className="h-[34rem] rounded-8 border border-solid-gray-420 bg-solid-gray-50">
      <ReactFlow<CardNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={(_, node) => onMove(node.id, node.position)}
        onConnect={(c: Connection) => {
          if (c.source && c.sourceHandle && c.target) onConnect(c.source, c.sourceHandle, c.target);
        }}
        onNodesDelete={(deleted) => {
          for (const n of deleted) onDelete(n.id);
        }}
        onEdgesDelete={(deleted) => {
          for (const e of deleted) if (e.sourceHandle) onDisconnect(e.source, e.sourceHandle);
        }}
        onPaneClick={() => onSelect(null)}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{
          'node.a11yDescription.default': t('chatbot.graph.a11y'),
          'controls.zoomIn.ariaLabel': t('chatbot.graph.zoomIn'),
          'controls.zoomOut.ariaLabel': t('chatbot.graph.zoomOut'),
          'controls.fitView.ariaLabel': t('chatbot.graph.fitView'),
        }}
      >
        <FitOnCount count={graph.nodes.length} />
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
