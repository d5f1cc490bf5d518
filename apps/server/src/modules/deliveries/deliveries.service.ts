import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, DeliveryStatus } from '../../db/schema.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { accountDisplayNames } from '../accounts/accounts.service.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { findChannelRow } from '../channels/channels.service.ts';
import { existingMediaIds } from '../media/media.service.ts';
import { audienceQuery, countAudience } from '../segments/segments.service.ts';
import {
  batchProgress,
  cancelEditable,
  type DeliveryRow,
  EDITABLE,
  findDelivery,
  insertDelivery,
  listDeliveryRows,
  updateEditable,
} from './deliveries.repository.ts';
import type {
  Audience,
  DeliveryCreate,
  DeliveryUpdate,
  DeliveryView,
  Schedule,
} from './deliveries.schema.ts';
import { audienceTree, resolveTree } from './delivery-audience.ts';
import { type DeliveryMessage, mediaIdsOf } from './messages.schema.ts';
import { nextOccurrence, type Recurrence, upcomingOccurrences } from './recurrence.ts';

// Read by other modules through this service (they never import this module's repository).
export { deliveryTitles, findDelivery } from './deliveries.repository.ts';

// Deliveries (G-05, G-07 … G-09): drafts, immediate and scheduled sending, changes and cancellation
// until the start, recurring series, test deliveries. The pipeline that sends a due delivery
// (resolve → batch → send → finish) is beside it: delivery-runner.ts and the files it names.
//
// A recurring delivery is a series row (recurrence set, series_id null) whose scheduled_at is its next
// occurrence; when that comes, an occurrence row (series_id = the series) is created and sent like any
// other delivery, and the series moves on to the following occurrence.

export interface StaffRef {
  accountId: string;
  permissions: readonly string[];
}

export interface DeliveriesService {
  create(input: DeliveryCreate, staff: StaffRef): Promise<DeliveryView>;
  update(id: string, input: DeliveryUpdate, staff: StaffRef): Promise<DeliveryView>;
  cancel(id: string): Promise<DeliveryView>;
  test(id: string, input: { channelId?: string | undefined }, staff: StaffRef): Promise<DeliveryView>;
  get(id: string): Promise<DeliveryView>;
  list(q: {
    channelId?: string | undefined;
    status?: DeliveryStatus | undefined;
    seriesId?: string | undefined;
    isTest?: boolean | undefined;
    limit: number;
  }): Promise<DeliveryView[]>;
}

export interface DeliveriesDeps {
  db: Db;
  channels: ChannelsService;
  /** Asks a worker to run the scheduler now (it starts what is due and times what is scheduled). */
  runNow(): void;
  now?: () => Date;
}

const started = (status: DeliveryStatus) =>
  status === 'cancelled'
    ? new AppError(409, 'DELIVERY_CANCELLED', 'この配信は取り消されています')
    : new AppError(409, 'DELIVERY_STARTED', 'この配信は送信が始まっているため、変更・取り消しできません');

function requireSend(staff: StaffRef) {
  if (!staff.permissions.includes('deliveries.send')) throw forbidden();
}

export function createDeliveriesService(deps: DeliveriesDeps): DeliveriesService {
  const { db, channels } = deps;
  const now = deps.now ?? (() => new Date());

  async function views(rows: DeliveryRow[]): Promise<DeliveryView[]> {
    const ids = rows.map((r) => r.id);
    const [progress, names] = await Promise.all([
      batchProgress(db, ids),
      accountDisplayNames(db, [
        ...new Set(rows.map((r) => r.created_by).filter((v): v is string => v !== null)),
      ]),
    ]);
    return rows.map((r) => {
      const p = progress.get(r.id) ?? { batches: 0, sent: 0, failed: 0, pending: 0 };
      return {
        id: r.id,
        channelId: r.channel_id,
        title: r.title,
        messages: r.messages as DeliveryMessage[],
        audience: r.audience as Audience,
        isTest: r.is_test,
        status: r.status,
        scheduledAt: r.scheduled_at,
        recurrence: (r.recurrence as Recurrence | null) ?? null,
        seriesId: r.series_id,
        recipients: r.recipients,
        sent: r.sent,
        failed: r.failed,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        cancelledAt: r.cancelled_at,
        error: r.error,
        createdAt: r.created_at,
        createdByName: r.created_by ? (names.get(r.created_by) ?? null) : null,
        source: r.source,
        mailMessageId: r.mail_message_id,
        progress: {
          batches: p.batches,
          batchesSent: p.sent,
          batchesFailed: p.failed,
          batchesPending: p.pending,
        },
      };
    });
  }
  const view = async (row: DeliveryRow) => (await views([row]))[0]!;

  async function load(id: string) {
    const row = await findDelivery(db, id);
    if (!row) throw notFound('配信');
    return row;
  }

  async function checkMedia(messages: DeliveryMessage[]) {
    const ids = mediaIdsOf(messages);
    const found = await existingMediaIds(db, ids);
    const details: { path: string; message: string }[] = [];
    messages.forEach((m, i) => {
      if ((m.type === 'image' || m.type === 'imagemap') && !found.has(m.mediaId)) {
        details.push({ path: `messages.${i}.mediaId`, message: '画像が見つかりません' });
      }
    });
    if (details.length > 0) {
      throw new AppError(
        400,
        'MEDIA_NOT_FOUND',
        '画像が見つかりません。もう一度アップロードしてください',
        details,
      );
    }
  }

  /** The audience compiles for this channel (segment exists, items and choices exist). */
  async function checkAudience(channelId: string, audience: Audience) {
    await audienceQuery(db, channelId, await audienceTree(db, channelId, audience));
  }

  /** Status and time for a schedule (and a recurrence, which sets the time itself). */
  function plan(
    schedule: Schedule,
    recurrence: Recurrence | null,
  ): { status: DeliveryStatus; scheduledAt: Date | null } {
    if (schedule.mode === 'draft') return { status: 'draft', scheduledAt: null };
    const at = now();
    if (recurrence) {
      const next = nextOccurrence(recurrence, at);
      if (!next) {
        throw new AppError(400, 'RECURRENCE_INVALID', 'この繰り返しの設定では、今後の配信日がありません', [
          { path: 'recurrence', message: '今後の配信日がありません' },
        ]);
      }
      return { status: 'scheduled', scheduledAt: next };
    }
    if (schedule.mode === 'now') return { status: 'scheduled', scheduledAt: at };
    const when = new Date(schedule.at);
    if (when.getTime() <= at.getTime()) {
      throw new AppError(400, 'SCHEDULE_IN_PAST', '予約日時が過去です。これから先の日時を指定してください', [
        { path: 'schedule.at', message: '過去の日時です' },
      ]);
    }
    return { status: 'scheduled', scheduledAt: when };
  }

  function notify(row: DeliveryRow) {
    if (row.status === 'scheduled') deps.runNow();
  }

  return {
    async create(input, staff) {
      await channels.get(input.channelId);
      if (input.schedule.mode !== 'draft') requireSend(staff);
      await checkMedia(input.messages);
      await checkAudience(input.channelId, input.audience);
      const recurrence = input.recurrence ?? null;
      const { status, scheduledAt } = plan(input.schedule, recurrence);
      const row = await insertDelivery(db, {
        channelId: input.channelId,
        title: input.title,
        messages: input.messages,
        audience: input.audience,
        isTest: false,
        status,
        scheduledAt,
        recurrence,
        seriesId: null,
        createdBy: staff.accountId,
      });
      notify(row);
      return view(row);
    },

    async update(id, input, staff) {
      const row = await load(id);
      if (!EDITABLE.includes(row.status)) throw started(row.status);
      if (row.status === 'scheduled' || (input.schedule && input.schedule.mode !== 'draft'))
        requireSend(staff);
      if (row.series_id && input.recurrence) {
        throw new AppError(400, 'RECURRENCE_INVALID', '繰り返し配信の各回には繰り返しを設定できません');
      }
      if (input.messages) await checkMedia(input.messages);
      if (input.audience) await checkAudience(row.channel_id, input.audience);
      const recurrence =
        input.recurrence !== undefined ? input.recurrence : ((row.recurrence as Recurrence | null) ?? null);
      let timing: { status?: DeliveryStatus; scheduledAt?: Date | null } = {};
      if (input.schedule) timing = plan(input.schedule, recurrence);
      else if (input.recurrence !== undefined && row.status === 'scheduled' && recurrence) {
        timing = plan({ mode: 'now' }, recurrence);
      }
      const updated = await updateEditable(db, id, {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.messages !== undefined ? { messages: input.messages } : {}),
        ...(input.audience !== undefined ? { audience: input.audience } : {}),
        ...(input.recurrence !== undefined ? { recurrence: input.recurrence } : {}),
        ...timing,
      });
      if (!updated) throw started((await load(id)).status);
      notify(updated);
      return view(updated);
    },

    async cancel(id) {
      const row = await load(id);
      if (row.status === 'cancelled') return view(row);
      const cancelled = await cancelEditable(db, id);
      if (!cancelled) throw started((await load(id)).status);
      return view(cancelled);
    },

    // G-09: a separate delivery row (is_test) to the channel's test friends, or to the friends of a
    // test channel; the production audience is never used.
    async test(id, input, staff) {
      const source = await load(id);
      let channelId = source.channel_id;
      let audience: Audience = { kind: 'test' };
      if (input.channelId) {
        const channel = await channels.get(input.channelId);
        if (channel.environment !== 'test') {
          throw new AppError(
            400,
            'NOT_TEST_CHANNEL',
            'テスト配信先には「テスト」のチャネルを選んでください',
            [{ path: 'channelId', message: 'テスト用のチャネルではありません' }],
          );
        }
        channelId = channel.id;
        audience = { kind: 'all' };
      }
      const messages = source.messages as DeliveryMessage[];
      await checkMedia(messages);
      const count = await audienceRecipients(db, channelId, audience, true);
      if (count === 0) {
        throw new AppError(
          400,
          'NO_TEST_RECIPIENTS',
          input.channelId
            ? 'テスト用チャネルに友だちがいません'
            : 'テスト用の友だちがいません。友だち一覧でテスト用の友だちを設定してください',
        );
      }
      const row = await insertDelivery(db, {
        channelId,
        title: `【テスト】${source.title}`.slice(0, 120),
        messages,
        audience,
        isTest: true,
        status: 'scheduled',
        scheduledAt: now(),
        recurrence: null,
        seriesId: null,
        createdBy: staff.accountId,
      });
      deps.runNow();
      return view(row);
    },

    async get(id) {
      return view(await load(id));
    },

    async list(q) {
      return views(await listDeliveryRows(db, q));
    },
  };
}

async function audienceRecipients(db: Db, channelId: string, audience: Audience, isTest: boolean) {
  const channel = await findChannelRow(db, channelId);
  return countAudience(
    db,
    channelId,
    await resolveTree(db, channelId, audience, isTest, channel?.environment ?? 'production'),
  );
}

export { upcomingOccurrences };

/**
 * A delivery the server makes itself from a received mail (issue 14, E-01 … E-07): sent now through
 * the same pipeline (batches with retry keys, rate limit, analytics), marked source = 'mail' with the
 * mail's ID, no staff member. Written in the caller's transaction (the mail's status changes with
 * it); the caller wakes the runner (DELIVERY_RUN_JOB) after the commit.
 */
export async function insertMailDelivery(
  trx: Db | Transaction<Database>,
  input: {
    channelId: string;
    title: string;
    messages: DeliveryMessage[];
    audience: Audience;
    mailMessageId: string;
    at: Date;
  },
): Promise<string> {
  const row = await insertDelivery(trx, {
    channelId: input.channelId,
    title: input.title.slice(0, 120),
    messages: input.messages,
    audience: input.audience,
    isTest: false,
    status: 'scheduled',
    scheduledAt: input.at,
    recurrence: null,
    seriesId: null,
    createdBy: null,
    mailMessageId: input.mailMessageId,
  });
  return row.id;
}

/** The recipients an audience has now (the mail bridge's test panel shows it before delivering). */
export const countRecipients = (db: Db, channelId: string, audience: Audience) =>
  audienceRecipients(db, channelId, audience, false);

export { DELIVERY_RUN_JOB } from './delivery-runner.ts';
