import type {
  ForwardingEventType,
  ForwardingItemPage,
  ForwardingTargetCreated,
  ForwardingTargetStats,
  ForwardingTargetView,
} from '@madoguchi/contracts/forwarding.ts';
import { FORWARDING_LIMITS } from '@madoguchi/contracts/forwarding.ts';
import type { Db } from '../../db/database.ts';
import { type Cipher, randomToken } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  countTargets,
  deleteTargetRow,
  findItem,
  findTarget,
  findTargetByName,
  insertTarget,
  listItemRows,
  listTargetRows,
  requeueDeadItems,
  type TargetRow,
  type TargetStatsRow,
  targetStats,
  updateTargetRow,
} from './forwarding.repository.ts';
import type { ItemListQuery, TargetCreate, TargetUpdate } from './forwarding.schema.ts';
import { type AddressPolicy, targetUrlProblem } from './forwarding-address.ts';

// Webhook forwarding targets for staff (W-01): a channel's targets with their figures, their
// failures and dead letters, and resending. A target's secret is sealed (AES-256-GCM) and never
// answered, except once when the server generated it.

export interface ForwardingDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  policy: AddressPolicy;
  /** Wakes the sender (after a resend). */
  wake(): void;
}

const targetNotFound = () => new AppError(404, 'FORWARDING_TARGET_NOT_FOUND', '転送先が見つかりません');
const itemNotFound = () => new AppError(404, 'FORWARDING_ITEM_NOT_FOUND', '転送の記録が見つかりません');
const duplicateName = () =>
  new AppError(409, 'FORWARDING_TARGET_NAME_TAKEN', '同じ名前の転送先がこのチャネルにあります');

const EMPTY_STATS: ForwardingTargetStats = {
  sent: 0,
  failed: 0,
  queued: 0,
  dead: 0,
  oldestWaitingSeconds: null,
};

function statsView(s: TargetStatsRow | undefined): ForwardingTargetStats {
  if (!s) return EMPTY_STATS;
  return {
    sent: Number(s.sent),
    failed: Number(s.failed),
    queued: Number(s.queued),
    dead: Number(s.dead),
    oldestWaitingSeconds: s.oldest
      ? Math.max(0, Math.round((Date.now() - new Date(s.oldest).getTime()) / 1000))
      : null,
  };
}

function targetView(r: TargetRow, stats: TargetStatsRow | undefined): ForwardingTargetView {
  return {
    id: r.id,
    channelId: r.channel_id,
    name: r.name,
    url: r.url,
    enabled: r.enabled,
    eventTypes: r.event_types as ForwardingEventType[] | null,
    messageMode: r.message_mode,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    stats: statsView(stats),
  };
}

/** Refuses a URL that is not https in production or reaches a private address (a stable code each). */
async function checkUrl(deps: ForwardingDeps, url: string) {
  const problem = await targetUrlProblem(url, deps.policy);
  if (problem) {
    throw new AppError(400, problem.code, problem.message, [{ path: 'url', message: problem.message }]);
  }
}

/** The target, when it exists (the object every target route names). */
async function existingTarget(deps: ForwardingDeps, targetId: string) {
  const row = await findTarget(deps.db, targetId);
  if (!row) throw targetNotFound();
  return row;
}

export async function listTargets(deps: ForwardingDeps, channelId: string): Promise<ForwardingTargetView[]> {
  await deps.channels.get(channelId);
  const rows = await listTargetRows(deps.db, channelId);
  const stats = new Map(
    (
      await targetStats(
        deps.db,
        rows.map((r) => r.id),
      )
    ).map((s) => [s.target_id, s]),
  );
  return rows.map((r) => targetView(r, stats.get(r.id)));
}

export async function createTarget(
  deps: ForwardingDeps,
  input: TargetCreate,
): Promise<ForwardingTargetCreated> {
  await deps.channels.get(input.channelId);
  await checkUrl(deps, input.url);
  if (await findTargetByName(deps.db, input.channelId, input.name)) throw duplicateName();
  if ((await countTargets(deps.db, input.channelId)) >= FORWARDING_LIMITS.targetsPerChannel) {
    throw new AppError(
      409,
      'FORWARDING_TARGETS_LIMIT',
      `転送先は1つのチャネルに${FORWARDING_LIMITS.targetsPerChannel}件までです`,
    );
  }
  const generated = input.secret ? null : randomToken(32);
  const row = await insertTarget(deps.db, {
    channel_id: input.channelId,
    name: input.name,
    url: input.url,
    secret_enc: deps.cipher.encrypt(input.secret ?? generated!),
    enabled: input.enabled,
    event_types: input.eventTypes,
    message_mode: input.messageMode,
  });
  return { ...targetView(row, undefined), generatedSecret: generated };
}

export async function updateTarget(
  deps: ForwardingDeps,
  targetId: string,
  change: TargetUpdate,
): Promise<ForwardingTargetView> {
  const current = await existingTarget(deps, targetId);
  if (change.url !== undefined) await checkUrl(deps, change.url);
  if (change.name !== undefined && change.name !== current.name) {
    if (await findTargetByName(deps.db, current.channel_id, change.name)) throw duplicateName();
  }
  const row = await updateTargetRow(deps.db, targetId, {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.url !== undefined ? { url: change.url } : {}),
    ...(change.secret !== undefined ? { secret_enc: deps.cipher.encrypt(change.secret) } : {}),
    ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
    ...(change.eventTypes !== undefined ? { event_types: change.eventTypes } : {}),
    ...(change.messageMode !== undefined ? { message_mode: change.messageMode } : {}),
  });
  if (!row) throw targetNotFound();
  if (change.enabled) deps.wake();
  const [stats] = await targetStats(deps.db, [targetId]);
  return targetView(row, stats);
}

export async function deleteTarget(deps: ForwardingDeps, targetId: string): Promise<void> {
  if (!(await deleteTargetRow(deps.db, targetId))) throw targetNotFound();
}

export async function listItems(
  deps: ForwardingDeps,
  targetId: string,
  q: ItemListQuery,
): Promise<ForwardingItemPage> {
  await existingTarget(deps, targetId);
  const rows = await listItemRows(deps.db, targetId, {
    ...(q.state ? { state: q.state } : {}),
    ...(q.failedOnly === 'true' ? { failedOnly: true } : {}),
    ...(q.before ? { before: q.before } : {}),
    limit: q.limit,
  });
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      webhookEventId: r.webhook_event_id,
      eventType: r.event_type,
      state: r.state,
      attempts: r.attempts,
      failures: r.failures,
      queuedAt: new Date(r.queued_at).toISOString(),
      nextAttemptAt: r.state === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      deadAt: r.dead_at ? new Date(r.dead_at).toISOString() : null,
      lastStatus: r.last_status,
      lastError: r.last_error,
      responseExcerpt: r.response_excerpt,
    })),
    next: rows.length === q.limit ? String(rows[rows.length - 1]!.id) : null,
  };
}

/** 再送: a dead item of this target (object-level: the item must belong to the target named). */
export async function resendItem(deps: ForwardingDeps, targetId: string, itemId: string) {
  await existingTarget(deps, targetId);
  const item = await findItem(deps.db, itemId);
  if (!item || item.target_id !== targetId) throw itemNotFound();
  if (item.state !== 'dead') {
    throw new AppError(
      409,
      'FORWARDING_ITEM_NOT_DEAD',
      '再送できるのは送信をあきらめた（停止した）ものだけです',
    );
  }
  const resent = await requeueDeadItems(deps.db, targetId, itemId);
  deps.wake();
  return { resent };
}

/** 再送 of every dead item of the target. */
export async function resendAll(deps: ForwardingDeps, targetId: string) {
  await existingTarget(deps, targetId);
  const resent = await requeueDeadItems(deps.db, targetId);
  if (resent > 0) deps.wake();
  return { resent };
}
