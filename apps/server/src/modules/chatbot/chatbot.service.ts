import type {
  GraphProblem,
  HandoverView,
  NodeStats,
  ScenarioDraft,
  ScenarioStats,
  ScenarioSummary,
  ScenarioTemplate,
  ScenarioVersionSummary,
  ScenarioView,
  TestInput,
  TestState,
  TestTurnResult,
  TriggerConflict,
} from '@madoguchi/contracts/chatbot.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, type ErrorDetail, notFound } from '../../platform/errors.ts';
import { findChannelRow } from '../channels/channels.service.ts';
import { desksOfChannel } from '../consultation/desks.service.ts';
import { findActiveRegistrationForm, registrationLink } from '../forms/forms.service.ts';
import { findFriendById } from '../friends/friends.service.ts';
import { createLineEffects } from '../line-events/line-event-bus.ts';
import { existingMediaIds } from '../media/media.service.ts';
import {
  closeHandoverRow,
  endSessionRows,
  findHandoverRow,
  findScenarioRow,
  findVersionRow,
  insertScenarioRow,
  insertStepRows,
  insertVersionRow,
  listOpenHandovers,
  listScenarioRows,
  listVersionRows,
  lockChannelPublishing,
  lockExpiredSessions,
  lockScenarioRow,
  markScenarioDeleted,
  nextVersionNumber,
  publishedScenarioRows,
  replaceKeywordRows,
  type ScenarioRow,
  setPublishedVersion,
  stepCounts,
  updateDraftRow,
} from './chatbot.repository.ts';
import type { ChatbotRuntime, LoadedScenario, VersionContent } from './chatbot-line.ts';
import { parseButtonData, startTurn, tapTurn, textTurn } from './scenario-engine.ts';
import { blocking, type GraphContext, validateDraft } from './scenario-graph.rules.ts';
import { templateDraft } from './scenario-templates.ts';
import { blockingConflicts, keywordsOf, triggerConflicts } from './trigger-conflicts.rules.ts';

// The LINE side, for the disaster module's 防災情報 (it starts the evacuation guidance, X-02).
export { createChatbotRuntime } from './chatbot-line.ts';
export { DEMO_DISASTER_CONTACT, EVACUATION_SCENARIO_KEY } from './scenario-templates.ts';

// Scenarios for staff (B-01 … B-03): create from a template, edit the draft (revision-checked),
// test it, publish it atomically (a new version, the keywords rebuilt and the scenario pointed at it
// in one transaction; refused with the problems or conflicts, nothing half-published), unpublish,
// restore an older version into the draft, statistics, hand-overs.

type Tx = Db | Transaction<Database>;

const contentOf = (draft: ScenarioDraft): VersionContent => ({
  triggers: draft.triggers,
  timeoutMinutes: draft.timeoutMinutes,
  graph: draft.graph,
});
const draftOf = (row: ScenarioRow): ScenarioDraft => ({ name: row.name, ...(row.draft as VersionContent) });
/** JSON with object keys sorted (jsonb does not keep the order keys were written in). */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function mediaIdsOf(draft: ScenarioDraft): string[] {
  const ids = new Set<string>();
  for (const n of draft.graph.nodes) {
    if (n.type !== 'message') continue;
    for (const m of n.messages) {
      if (m.kind === 'image') ids.add(m.mediaId);
      if (m.kind === 'card' && m.imageMediaId) ids.add(m.imageMediaId);
      if (m.kind === 'carousel') for (const c of m.columns) if (c.imageMediaId) ids.add(c.imageMediaId);
    }
  }
  return [...ids];
}

/** What the graph checks need to know about the channel. */
export async function graphContext(db: Tx, channelId: string, draft: ScenarioDraft): Promise<GraphContext> {
  const [form, desks, media] = await Promise.all([
    findActiveRegistrationForm(db, channelId),
    desksOfChannel(db, channelId),
    existingMediaIds(db, mediaIdsOf(draft)),
  ]);
  const attributes: GraphContext['attributes'] = new Map();
  for (const item of form?.items ?? []) {
    attributes.set(item.id, {
      retired: item.retired,
      choices: new Map(item.choices.map((c) => [c.id, c.retired])),
    });
  }
  return { attributes, deskSlugs: new Set(desks.map((d) => d.slug)), mediaIds: media };
}

async function conflictsOf(db: Tx, row: Pick<ScenarioRow, 'id' | 'channel_id'>, draft: ScenarioDraft) {
  const others = (await publishedScenarioRows(db, row.channel_id)).map((o) => ({
    id: o.id,
    name: o.name,
    triggers: (o.content as VersionContent).triggers,
  }));
  return triggerConflicts({ id: row.id, name: draft.name, triggers: draft.triggers }, others);
}

function summary(row: ScenarioRow, published: unknown | null, everPublished: boolean): ScenarioSummary<Date> {
  const draft = draftOf(row);
  return {
    id: row.id,
    channelId: row.channel_id,
    key: row.key,
    name: row.name,
    status: row.published_version !== null ? 'published' : everPublished ? 'unpublished' : 'draft',
    publishedVersion: row.published_version,
    draftChanged: row.published_version !== null && !same(published, contentOf(draft)),
    triggers: draft.triggers,
    nodeCount: draft.graph.nodes.length,
    updatedAt: row.updated_at,
  };
}

async function view(db: Tx, row: ScenarioRow): Promise<ScenarioView<Date>> {
  const draft = draftOf(row);
  const [published, versions, ctx, conflicts] = await Promise.all([
    row.published_version === null ? undefined : findVersionRow(db, row.id, row.published_version),
    listVersionRows(db, row.id),
    graphContext(db, row.channel_id, draft),
    conflictsOf(db, row, draft),
  ]);
  return {
    ...summary(row, published?.content ?? null, versions.length > 0),
    draft,
    revision: row.revision,
    problems: validateDraft(draft, ctx),
    conflicts,
  };
}

export async function requireScenario(db: Tx, id: string): Promise<ScenarioRow> {
  const row = await findScenarioRow(db, id);
  if (!row) throw notFound('シナリオ');
  return row;
}

async function requireChannel(db: Db, channelId: string) {
  const channel = await findChannelRow(db, channelId);
  if (!channel) throw notFound('チャネル');
  return channel;
}

export const requireChannelExists = async (db: Db, channelId: string) => {
  await requireChannel(db, channelId);
};

export async function listScenarios(db: Db, channelId: string): Promise<ScenarioSummary<Date>[]> {
  await requireChannel(db, channelId);
  const [rows, published] = await Promise.all([
    listScenarioRows(db, channelId),
    publishedScenarioRows(db, channelId),
  ]);
  const content = new Map(published.map((p) => [p.id, p.content]));
  const withVersions = await Promise.all(rows.map(async (r) => (await listVersionRows(db, r.id)).length > 0));
  return rows.map((r, i) => summary(r, content.get(r.id) ?? null, withVersions[i]!));
}

export async function getScenario(db: Db, id: string) {
  return view(db, await requireScenario(db, id));
}

export async function createScenario(
  db: Db,
  input: { channelId: string; key: string; name: string; template: ScenarioTemplate },
  opts: { contact: string; publicUrl: string },
): Promise<ScenarioView<Date>> {
  const channel = await requireChannel(db, input.channelId);
  const registrationUrl = channel.liff_id
    ? registrationLink(channel.liff_id)
    : `${opts.publicUrl.replace(/\/+$/, '')}/citizen/?ch=${channel.id}&page=register`;
  const draft = templateDraft(input.template, input.name, { contact: opts.contact, registrationUrl });
  try {
    const row = await insertScenarioRow(db, {
      channelId: input.channelId,
      key: input.key,
      name: input.name,
      draft: contentOf(draft),
    });
    return view(db, row);
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw conflict('CHATBOT_KEY_TAKEN', `キー「${input.key}」のシナリオはすでにあります`);
    throw err;
  }
}

const revisionChanged = () =>
  conflict('CHATBOT_REVISION_CHANGED', 'ほかの人がこのシナリオを変更しました。画面を読み込み直してください');

export async function saveDraft(db: Db, id: string, revision: number, draft: ScenarioDraft) {
  const current = await requireScenario(db, id);
  const row = await updateDraftRow(db, current.id, revision, draft.name, contentOf(draft));
  if (!row) throw revisionChanged();
  return view(db, row);
}

const asDetails = (items: (GraphProblem | TriggerConflict)[]): ErrorDetail[] =>
  items.map((p) => ({ ...p, path: 'nodeId' in p ? (p.nodeId ?? '') : (p.word ?? '') }));

export async function publishScenario(db: Db, id: string, revision: number, by: string | null) {
  const row = await db.transaction().execute(async (trx) => {
    const first = await requireScenario(trx, id);
    await lockChannelPublishing(trx, first.channel_id);
    const current = await lockScenarioRow(trx, id);
    if (!current) throw notFound('シナリオ');
    if (current.revision !== revision) throw revisionChanged();
    const draft = draftOf(current);
    const problems = blocking(validateDraft(draft, await graphContext(trx, current.channel_id, draft)));
    if (problems.length > 0) {
      throw new AppError(
        400,
        'CHATBOT_GRAPH_INVALID',
        `公開できません：${problems[0]!.message}${problems.length > 1 ? ` ほか ${problems.length - 1} 件` : ''}`,
        asDetails(problems),
      );
    }
    const conflicts = blockingConflicts(await conflictsOf(trx, current, draft));
    if (conflicts.length > 0) {
      throw new AppError(
        409,
        'CHATBOT_TRIGGER_CONFLICT',
        `公開できません：${conflicts[0]!.message}`,
        asDetails(conflicts),
      );
    }
    const version = await nextVersionNumber(trx, id);
    await insertVersionRow(trx, { scenarioId: id, version, content: contentOf(draft), publishedBy: by });
    await replaceKeywordRows(trx, id, current.channel_id, keywordsOf(draft.triggers));
    return setPublishedVersion(trx, id, version);
  });
  return view(db, row);
}

export async function unpublishScenario(db: Db, id: string) {
  const row = await db.transaction().execute(async (trx) => {
    await requireScenario(trx, id);
    await replaceKeywordRows(trx, id, '', []);
    return setPublishedVersion(trx, id, null);
  });
  return view(db, row);
}

export async function listVersions(db: Db, id: string): Promise<ScenarioVersionSummary<Date>[]> {
  const row = await requireScenario(db, id);
  return (await listVersionRows(db, id)).map((v) => ({
    version: v.version,
    publishedAt: v.published_at,
    publishedBy: v.published_by,
    nodeCount: (v.content as VersionContent).graph.nodes.length,
    current: v.version === row.published_version,
  }));
}

export async function restoreVersion(db: Db, id: string, version: number) {
  const row = await requireScenario(db, id);
  const v = version > 0 ? await findVersionRow(db, id, version) : undefined;
  if (!v) throw notFound('版');
  const saved = await updateDraftRow(db, id, row.revision, row.name, v.content);
  if (!saved) throw revisionChanged();
  return view(db, saved);
}

export async function deleteScenario(db: Db, id: string) {
  await db.transaction().execute(async (trx) => {
    await requireScenario(trx, id);
    await replaceKeywordRows(trx, id, '', []);
    await markScenarioDeleted(trx, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Trying the draft

const testEnvWho = (channelId: string, liffId: string | null) => ({ channelId, lineUserId: '', liffId });

/** One turn of the draft (no LINE, no stored state); attribute branches use the test friend. */
export async function testTurn(
  db: Db,
  runtime: ChatbotRuntime,
  id: string,
  req: { input: TestInput; state: TestState | null; friendId: string | null },
): Promise<TestTurnResult> {
  const row = await requireScenario(db, id);
  const channel = await requireChannel(db, row.channel_id);
  let friend: { friendId: string } | null = null;
  if (req.friendId) {
    const f = await findFriendById(db, req.friendId);
    if (!f || f.channel_id !== row.channel_id) throw notFound('友だち');
    if (!f.is_test) throw badRequest('CHATBOT_NOT_TEST_FRIEND', 'テスト用の友だちだけを使えます');
    friend = { friendId: f.id };
  }
  const draft = draftOf(row);
  const s: LoadedScenario = {
    scenarioId: row.id,
    key: row.key,
    name: row.name,
    version: 0,
    content: contentOf(draft),
  };
  return db.transaction().execute(async (trx) => {
    const env = runtime.envFor(trx, testEnvWho(row.channel_id, channel.liff_id), s, friend);
    const graph = draft.graph;
    const state = req.state ?? { nodeId: null, vars: {} };
    let r = null;
    if (req.input.kind === 'start') r = await startTurn(graph, env);
    else if (req.input.kind === 'text') {
      r = await textTurn(graph, state, req.input.text, env);
      if (!r) return { replies: [], state, visited: [], ended: state.nodeId === null };
    } else {
      const tap = parseButtonData(req.input.data);
      if (!tap || tap.key !== row.key)
        throw badRequest('CHATBOT_TEST_POSTBACK', 'このシナリオのボタンではありません');
      r = await tapTurn(graph, state.vars, tap, env);
    }
    return { replies: r.replies, state: r.state, visited: r.visited, ended: r.ended };
  });
}

/** Starts the draft on a test friend's phone (a push; the draft is kept as version 0 meanwhile). */
export async function sendToPhone(
  db: Db,
  cipher: Cipher,
  runtime: ChatbotRuntime,
  id: string,
  friendId: string,
): Promise<void> {
  const row = await requireScenario(db, id);
  const channel = await requireChannel(db, row.channel_id);
  const f = await findFriendById(db, friendId);
  if (!f || f.channel_id !== row.channel_id) throw notFound('友だち');
  if (!f.is_test) throw badRequest('CHATBOT_NOT_TEST_FRIEND', 'テスト用の友だちにだけ送れます');
  if (f.status !== 'following') throw conflict('CHATBOT_NOT_FOLLOWING', 'この友だちはブロック中です');
  const draft = draftOf(row);
  const problems = blocking(validateDraft(draft, await graphContext(db, row.channel_id, draft)));
  if (problems.length > 0)
    throw new AppError(
      400,
      'CHATBOT_GRAPH_INVALID',
      `送れません：${problems[0]!.message}`,
      asDetails(problems),
    );
  await db.transaction().execute(async (trx) => {
    await insertVersionRow(trx, {
      scenarioId: row.id,
      version: 0,
      content: contentOf(draft),
      publishedBy: null,
    });
    const s: LoadedScenario = {
      scenarioId: row.id,
      key: row.key,
      name: row.name,
      version: 0,
      content: contentOf(draft),
    };
    const who = { channelId: row.channel_id, lineUserId: f.line_user_id, liffId: channel.liff_id };
    const { live } = await runtime.place(trx, who);
    const messages = await runtime.start(trx, who, s, live, null);
    if (messages.length > 0)
      await createLineEffects(trx, cipher).push(row.channel_id, f.line_user_id, messages);
  });
}

// ---------------------------------------------------------------------------------------------
// Time-outs, statistics, hand-overs

/** Ends the places that timed out, each counted as dropped at its node (B-02). */
export async function dropExpired(db: Db, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await lockExpiredSessions(trx, now, 500);
      await insertStepRows(
        trx,
        rows.map((s) => ({
          channel_id: s.channel_id,
          scenario_id: s.scenario_id,
          scenario_key: s.scenario_key,
          version: s.version,
          node_id: s.node_id!,
          kind: 'dropped' as const,
        })),
      );
      await endSessionRows(
        trx,
        rows.map((s) => ({ channelId: s.channel_id, lineUserId: s.line_user_id })),
      );
      return rows.length;
    });
    total += n;
    if (n < 500) return total;
  }
}

export async function scenarioStats(db: Db, id: string): Promise<ScenarioStats> {
  const row = await requireScenario(db, id);
  const counts = await stepCounts(db, id);
  const titles = new Map(draftOf(row).graph.nodes.map((n) => [n.id, n.title]));
  const nodes = new Map<string, NodeStats>();
  const node = (nodeId: string) => {
    let s = nodes.get(nodeId);
    if (!s) {
      s = { nodeId, title: titles.get(nodeId) ?? nodeId, reached: 0, dropped: 0 };
      nodes.set(nodeId, s);
    }
    return s;
  };
  let started = 0;
  let completed = 0;
  let dropped = 0;
  for (const c of counts) {
    const n = Number(c.n);
    if (c.kind === 'started') started += n;
    if (c.kind === 'completed') completed += n;
    if (c.kind === 'dropped') {
      dropped += n;
      node(c.node_id).dropped += n;
    }
    if (c.kind === 'reached') node(c.node_id).reached += n;
  }
  // Nodes in the draft's order first, then nodes of older versions.
  const order = [...titles.keys()];
  const list = [...nodes.values()].sort(
    (a, b) => (order.indexOf(a.nodeId) + 1 || 1e9) - (order.indexOf(b.nodeId) + 1 || 1e9),
  );
  return { scenarioId: id, started, completed, dropped, nodes: list };
}

export async function listHandovers(db: Db, channelId: string): Promise<HandoverView<Date>[]> {
  await requireChannel(db, channelId);
  return (await listOpenHandovers(db, channelId)).map((h) => ({
    id: h.id,
    friendId: h.friend_id ?? '',
    displayName: h.display_name ?? null,
    scenarioName: h.scenario_name,
    text: h.text,
    createdAt: h.created_at,
  }));
}

export async function closeHandover(db: Db, id: string, by: string | null) {
  const h = await findHandoverRow(db, id);
  if (!h) throw notFound('引き継ぎ');
  if (h.closed_at) throw conflict('CHATBOT_HANDOVER_CLOSED', 'この引き継ぎはすでに終了しています');
  await closeHandoverRow(db, id, by);
  return h;
}
