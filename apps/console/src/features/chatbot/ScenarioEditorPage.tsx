import {
  NODE_TYPES,
  type ScenarioDraft,
  type ScenarioGraph,
  type ScenarioNode,
} from '@madoguchi/contracts/chatbot.ts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { errorMessage, hasCode } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { setFlash } from '../../lib/flash.ts';
import { navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { type RegistrationForm, registrationFormPath } from '../segments/segmentTree.ts';
import { chatbotApi, type ScenarioView, scenarioPath } from './api.ts';
import { GraphView } from './GraphView.tsx';
import { addNode, autoLayout, connectExit, deleteNode, findNode, moveNode, replaceNode } from './graph.ts';
import {
  hasErrors,
  nodeOptionLabel,
  nodeTypeLabel,
  problemText,
  STATUS_TONE,
  statusLabel,
} from './labels.ts';
import { NodeForm } from './NodeForm.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { TestPanel } from './TestPanel.tsx';
import { TriggersForm } from './TriggersForm.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';

const LIST = '/chatbot/scenarios';
type Tab = 'node' | 'settings' | 'test' | 'stats' | 'versions';
const TABS: Tab[] = ['node', 'settings', 'test', 'stats', 'versions'];
type Notice = { tone: 'success' | 'error' | 'warning'; text: string; details?: string[] };

/** シナリオの編集 (#/chatbot/scenarios/:id): graph, node forms, triggers, test, stats, versions (B-01 … B-03). */
export function ScenarioEditorPage({ id }: { id: string }) {
  const t = useT();
  const loaded = useApi<ScenarioView>(scenarioPath(id));
  if (!loaded.data) {
    return (
      <>
        <PageHeader title={t('chatbot.editor.loadingTitle')} />
        {loaded.error !== null ? (
          <LoadError error={loaded.error} onRetry={() => void loaded.reload()} />
        ) : (
          <Loading />
        )}
      </>
    );
  }
  return <Editor initial={loaded.data} />;
}

function Editor({ initial }: { initial: ScenarioView }) {
  const t = useT();
  const [view, setView] = useState(initial);
  const [draft, setDraft] = useState<ScenarioDraft>(initial.draft);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(initial.draft.graph.start || null);
  const [visited, setVisited] = useState<Set<string>>(new Set());
  const [tab, setTab] = useState<Tab>('node');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | 'unpublish' | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const form = useApi<RegistrationForm>(registrationFormPath(view.channelId));

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const editGraph = useCallback((change: (g: ScenarioGraph) => ScenarioGraph) => {
    setDraft((d) => {
      const graph = change(d.graph);
      return graph === d.graph ? d : { ...d, graph };
    });
    setDirty(true);
  }, []);

  const problemNodes = useMemo(() => {
    const map = new Map<string, 'error' | 'warning'>();
    for (const p of view.problems) {
      if (p.nodeId && map.get(p.nodeId) !== 'error') map.set(p.nodeId, p.severity);
    }
    return map;
  }, [view.problems]);

  function accept(next: ScenarioView) {
    setView(next);
    setDraft(next.draft);
    setDirty(false);
    setStale(false);
  }

  function failed(error: unknown, fallback?: MessageKey) {
    if (hasCode(error, 'CHATBOT_REVISION_CHANGED')) {
      setStale(true);
      return;
    }
    // VALIDATION_FAILED details name the node by its index in the graph (draft.graph.nodes.N…).
    const details =
      error instanceof ApiError
        ? error.details
            .filter((d) => d.message)
            .map((d) => {
              const index = /(?:^|\.)graph\.nodes\.(\d+)(?:\.|$)/.exec(d.path)?.[1];
              const node = index === undefined ? undefined : draft.graph.nodes[Number(index)];
              return node
                ? t('chatbot.editor.nodeDetail', { title: node.title || node.id, message: d.message })
                : d.message;
            })
        : [];
    setNotice({ tone: 'error', text: fallback ? t(fallback) : errorMessage(t, error), details });
  }

  async function save(quiet = false): Promise<ScenarioView | null> {
    setBusy(true);
    if (!quiet) setNotice(null);
    try {
      const next = await chatbotApi.saveDraft(view.id, view.revision, draft);
      accept(next);
      if (!quiet) setNotice({ tone: 'success', text: t('chatbot.editor.saved') });
      return next;
    } catch (error) {
      failed(error);
      return null;
    } finally {
      setBusy(false);
    }
  }

  const ensureSaved = async () => !dirty || (await save(true)) !== null;

  async function publish() {
    setNotice(null);
    const current = dirty ? await save(true) : view;
    if (!current) return;
    if (hasErrors(current.problems)) {
      setNotice({ tone: 'error', text: t('chatbot.editor.publishBlocked') });
      return;
    }
    setBusy(true);
    try {
      const next = await chatbotApi.publish(current.id, current.revision);
      accept(next);
      setVersionsKey((k) => k + 1);
      setNotice({ tone: 'success', text: t('chatbot.editor.published') });
    } catch (error) {
      if (hasCode(error, 'CHATBOT_GRAPH_INVALID')) {
        failed(error, 'chatbot.editor.publishInvalid');
        void reload(false);
      } else if (hasCode(error, 'CHATBOT_TRIGGER_CONFLICT')) failed(error, 'chatbot.editor.publishConflict');
      else failed(error);
    } finally {
      setBusy(false);
    }
  }

  async function reload(clearNotice = true) {
    try {
      const next = await chatbotApi.get(view.id);
      accept(next);
      if (clearNotice) setNotice(null);
    } catch (error) {
      failed(error);
    }
  }

  const selectedNode = selected ? findNode(draft.graph, selected) : undefined;
  const errorProblems = hasErrors(view.problems);

  function add(type: ScenarioNode['type']) {
    const result = addNode(draft.graph, type, nodeTypeLabel(t, type));
    editGraph(() => result.graph);
    setSelected(result.id);
    setTab('node');
  }

  function remove(nodeId: string) {
    editGraph((g) => deleteNode(g, nodeId));
    setSelected((s) => (s === nodeId ? null : s));
  }

  return (
    <>
      <PageHeader
        title={t('chatbot.editor.title', { name: view.name })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[view.status]}>{statusLabel(t, view.status)}</Badge>
            {(dirty || (view.draftChanged && view.status !== 'draft')) && (
              <Badge tone="info">{t('chatbot.status.changed')}</Badge>
            )}
            <span>{t('chatbot.editor.key', { key: view.key })}</span>
            {view.publishedVersion !== null && (
              <span>{t('chatbot.versions.n', { n: view.publishedVersion })}</span>
            )}
          </span>
        }
        actions={
          <>
            <Button variant="secondary" disabled={busy} onClick={() => void save()}>
              {t('chatbot.editor.save')}
            </Button>
            <Button
              variant="primary"
              disabled={busy || (!dirty && errorProblems)}
              onClick={() => void publish()}
            >
              {t('chatbot.editor.publish')}
            </Button>
            {view.status === 'published' && (
              <Button variant="secondary" disabled={busy} onClick={() => setConfirm('unpublish')}>
                {t('chatbot.editor.unpublish')}
              </Button>
            )}
            <Button variant="tertiary" disabled={busy} onClick={() => setConfirm('delete')}>
              {t('common.delete')}
            </Button>
            <LinkButton to={LIST}>{t('chatbot.editor.back')}</LinkButton>
          </>
        }
      />
      <div className="mb-4 flex flex-col gap-3" aria-live="polite">
        {stale && (
          <Alert tone="error" title={t('chatbot.editor.staleTitle')}>
            <p>{t('chatbot.editor.stale')}</p>
            <Button variant="secondary" size="sm" className="mt-2" onClick={() => void reload()}>
              {t('chatbot.editor.reload')}
            </Button>
          </Alert>
        )}
        {notice && (
          <Alert tone={notice.tone}>
            <p>{notice.text}</p>
            {notice.details && notice.details.length > 0 && (
              <ul className="ml-5 list-disc">
                {notice.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {errorProblems && !dirty && <p className="text-std-16N-170">{t('chatbot.editor.publishDisabled')}</p>}
        {view.problems.length > 0 && (
          <section
            aria-label={t('chatbot.problems.title')}
            className="rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 p-3"
          >
            <h2 className="text-std-17B-170">{t('chatbot.problems.title')}</h2>
            <ul className="mt-1 flex flex-col gap-1">
              {view.problems.map((p) => (
                <li key={`${p.code}-${p.nodeId}-${p.message}`} className="flex flex-wrap items-center gap-2">
                  <Badge tone={p.severity === 'error' ? 'danger' : 'warning'}>
                    {t(p.severity === 'error' ? 'chatbot.problems.error' : 'chatbot.problems.warning')}
                  </Badge>
                  {p.nodeId && findNode(draft.graph, p.nodeId) ? (
                    <button
                      type="button"
                      className="min-h-11 text-left text-blue-900 underline"
                      onClick={() => {
                        setSelected(p.nodeId);
                        setTab('node');
                      }}
                    >
                      {problemText(t, p, draft.graph)}
                    </button>
                  ) : (
                    <span>{problemText(t, p, draft.graph)}</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        {view.conflicts.length > 0 && (
          <Alert tone="warning" title={t('chatbot.conflicts.title')}>
            <ul className="ml-5 list-disc">
              {view.conflicts.map((c) => (
                <li key={`${c.code}-${c.otherScenarioId}-${c.word}`}>
                  {t('chatbot.conflicts.item', { name: c.otherScenarioName, message: c.message })}
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </div>

      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_30rem]">
        <div className="flex min-w-0 flex-col gap-2">
          <div role="toolbar" aria-label={t('chatbot.graph.toolbar')} className="flex flex-wrap gap-2">
            {NODE_TYPES.map((type) => (
              <Button
                key={type}
                variant="secondary"
                size="sm"
                aria-label={t('chatbot.graph.addLabel', { type: nodeTypeLabel(t, type) })}
                onClick={() => add(type)}
              >
                ＋ {nodeTypeLabel(t, type)}
              </Button>
            ))}
            <Button variant="tertiary" size="sm" onClick={() => editGraph(autoLayout)}>
              {t('chatbot.graph.autoLayout')}
            </Button>
          </div>
          <GraphView
            graph={draft.graph}
            selectedId={selected}
            visited={visited}
            problemNodes={problemNodes}
            onSelect={(nodeId) => {
              setSelected(nodeId);
              if (nodeId) setTab('node');
            }}
            onConnect={(source, exitId, target) => editGraph((g) => connectExit(g, source, exitId, target))}
            onDisconnect={(source, exitId) => editGraph((g) => connectExit(g, source, exitId, null))}
            onMove={(nodeId, position) => editGraph((g) => moveNode(g, nodeId, position))}
            onDelete={remove}
          />
          <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.graph.hint')}</p>
        </div>

        <div className="flex min-w-0 flex-col gap-3">
          <div
            role="tablist"
            aria-label={t('chatbot.editor.panels')}
            className="flex flex-wrap gap-1 border-b border-solid-gray-420"
          >
            {TABS.map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                id={`tab-${key}`}
                aria-selected={tab === key}
                aria-controls={`panel-${key}`}
                onClick={() => setTab(key)}
                className={`min-h-11 rounded-t-8 px-3 text-dns-16B-130 ${
                  tab === key
                    ? 'border-b-4 border-blue-900 text-blue-1000'
                    : 'text-solid-gray-700 hover:bg-blue-50'
                }`}
              >
                {t(`chatbot.tab.${key}` as MessageKey)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="min-w-0">
            {tab === 'node' && (
              <div className="flex flex-col gap-4">
                <Select
                  label={t('chatbot.node.choose')}
                  value={selectedNode?.id ?? ''}
                  placeholder={t('chatbot.node.chooseNone')}
                  options={draft.graph.nodes.map((n) => ({ value: n.id, label: nodeOptionLabel(t, n) }))}
                  onChange={(v) => setSelected(v || null)}
                />
                {selectedNode ? (
                  <NodeForm
                    key={selectedNode.id}
                    node={selectedNode}
                    graph={draft.graph}
                    form={form.data}
                    problems={view.problems.filter((p) => p.nodeId === selectedNode.id)}
                    onChange={(node) => editGraph((g) => replaceNode(g, node))}
                    onConnect={(exitId, target) =>
                      editGraph((g) => connectExit(g, selectedNode.id, exitId, target))
                    }
                    onDelete={() => remove(selectedNode.id)}
                    onSetStart={() => editGraph((g) => ({ ...g, start: selectedNode.id }))}
                  />
                ) : (
                  <p className="text-std-16N-170">{t('chatbot.node.pick')}</p>
                )}
              </div>
            )}
            {tab === 'settings' && (
              <TriggersForm
                draft={draft}
                scenarioKey={view.key}
                onChange={(d) => {
                  setDraft(d);
                  setDirty(true);
                }}
              />
            )}
            {tab === 'test' && (
              <TestPanel
                scenarioId={view.id}
                channelId={view.channelId}
                ensureSaved={ensureSaved}
                onVisited={(ids, reset) =>
                  setVisited((current) => new Set([...(reset ? [] : current), ...ids]))
                }
              />
            )}
            {tab === 'stats' && <StatsPanel scenarioId={view.id} channelId={view.channelId} />}
            {tab === 'versions' && (
              <VersionsPanel
                scenarioId={view.id}
                reloadKey={versionsKey}
                onRestored={(next, version) => {
                  accept(next);
                  setNotice({ tone: 'success', text: t('chatbot.versions.restored', { n: version }) });
                }}
              />
            )}
          </div>
        </div>
      </div>

      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('chatbot.editor.deleteTitle')}
        message={t('chatbot.editor.deleteConfirm', { name: view.name })}
        confirmLabel={t('common.delete')}
        confirmVariant="danger"
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await chatbotApi.remove(view.id);
          setDirty(false);
          setFlash(t('chatbot.editor.deleted', { name: view.name }));
          navigate(LIST);
        }}
      />
      <ConfirmDialog
        open={confirm === 'unpublish'}
        title={t('chatbot.editor.unpublishTitle')}
        message={t('chatbot.editor.unpublishConfirm', { name: view.name })}
        confirmLabel={t('chatbot.editor.unpublish')}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          const next = await chatbotApi.unpublish(view.id);
          setView(next);
          setConfirm(null);
          setNotice({ tone: 'success', text: t('chatbot.editor.unpublished') });
        }}
      />
    </>
  );
}
