import type {
  CitizenReportCategory,
  CitizenReportView,
  ReportAccepted,
  ReportCategoryView,
  ReportChangeView,
  ReportPage,
  ReportPhotoAccepted,
  ReportStatus,
  ReportSummary,
  ReportView,
} from '@madoguchi/contracts/reports.ts';
import { REPORT_LIMITS, REPORT_LINE_LOCATION, REPORT_STATUS_LABELS } from '@madoguchi/contracts/reports.ts';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { decodePageKey, encodePageKey } from '../../platform/http/page-key.ts';
import { findStaffForAssignment, listStaffWithPermission } from '../accounts/accounts.service.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { findFriendById, findFriendByLineUser } from '../friends/friends.service.ts';
import { createLineEffects } from '../line-events/line-event-bus.ts';
import { mailsAbout, queueMails, retryMailsAbout } from '../mail/mail.service.ts';
import type { CityBoundary } from './city-boundary.ts';
import { deleteLocationRequest, pruneLocationRequests } from './report-location.repository.ts';
import { reportMail } from './report-mail.ts';
import { normalisePhoto } from './report-photos.ts';
import {
  attachPhotos,
  type CategoryRow,
  categoryInUse,
  countReports,
  countUnattachedPhotos,
  deleteCategoryRow,
  findCategoryByName,
  findCategoryRow,
  findPhotoRow,
  findReportByRequest,
  insertCategoryRow,
  insertChangeRow,
  insertPhotoRow,
  insertReportRow,
  type ListedReportRow,
  listCategoryRows,
  listChangeRows,
  lockPlainPhotos,
  lockReportRow,
  lockUnattachedPhotos,
  photoIdsOf,
  pruneUnattachedPhotos,
  type ReportFilter,
  reportRows,
  sealPhotoRow,
  updateCategoryRow,
  updateReportRow,
} from './reports.repository.ts';
import type {
  CategoryCreate,
  CategoryUpdate,
  ReportCreate,
  ReportListQuery,
  ReportUpdate,
} from './reports.schema.ts';

// Fault reports (R-01 … R-03): friends report with a category, photos, the place, date and time and a
// text; a place outside the city boundary is refused; the report and its notification mails (one per
// address of its category) are written in one transaction; staff triage (status, assignee, notes with
// history) and the reporter gets a LINE message, once, when it is 完了.

export interface ReportDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  boundary: CityBoundary;
  publicUrl: string;
  /** "There are mails to send" (after a commit). */
  onMail(): void;
  /** "There are LINE messages in the outbox" (after a commit). */
  onOutbox(): void;
}

export interface Citizen {
  channelId: string;
  lineUserId: string;
}

/** Photos a friend may have uploaded and not yet sent within a day. */
const STRAY_PHOTOS = 20;
const DAY_MS = 86_400_000;

const categoryView = (r: CategoryRow): ReportCategoryView<Date> => ({
  id: r.id,
  channelId: r.channel_id,
  name: r.name,
  emails: r.emails,
  active: r.active,
  position: r.position,
  updatedAt: r.updated_at,
});

// ---------------------------------------------------------------------------------------------
// Categories (staff)

export async function listCategories(deps: ReportDeps, channelId: string) {
  await deps.channels.get(channelId);
  return (await listCategoryRows(deps.db, channelId)).map(categoryView);
}

async function requireCategory(deps: ReportDeps, id: string) {
  const row = await findCategoryRow(deps.db, id);
  if (!row) throw notFound('カテゴリ');
  return row;
}

const duplicateName = () => conflict('REPORT_CATEGORY_DUPLICATE', '同じ名前のカテゴリがすでにあります');

export async function createCategory(deps: ReportDeps, input: CategoryCreate) {
  await deps.channels.get(input.channelId);
  if (await findCategoryByName(deps.db, input.channelId, input.name)) throw duplicateName();
  const id = await insertCategoryRow(deps.db, {
    channel_id: input.channelId,
    name: input.name,
    emails: input.emails,
    active: input.active,
    position: input.position,
  });
  return categoryView(await requireCategory(deps, id));
}

export async function updateCategory(deps: ReportDeps, id: string, change: CategoryUpdate) {
  const row = await requireCategory(deps, id);
  if (change.name !== undefined && change.name !== row.name) {
    const other = await findCategoryByName(deps.db, row.channel_id, change.name);
    if (other && other.id !== id) throw duplicateName();
  }
  await updateCategoryRow(deps.db, id, change);
  return categoryView(await requireCategory(deps, id));
}

/** A category without reports is deleted; one with reports is only made inactive. */
export async function deleteCategory(deps: ReportDeps, id: string) {
  await requireCategory(deps, id);
  if (await categoryInUse(deps.db, id))
    throw conflict(
      'REPORT_CATEGORY_IN_USE',
      'このカテゴリには通報があるため削除できません。「受け付けない」に変更してください',
    );
  await deleteCategoryRow(deps.db, id);
}

// ---------------------------------------------------------------------------------------------
// Citizens

export async function requireFriend(deps: ReportDeps, who: Citizen) {
  const friend = await findFriendByLineUser(deps.db, who.channelId, who.lineUserId);
  if (!friend) throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから通報してください');
  return friend;
}

export async function citizenCategories(deps: ReportDeps, who: Citizen): Promise<CitizenReportCategory[]> {
  return (await listCategoryRows(deps.db, who.channelId, { activeOnly: true })).map((c) => ({
    id: c.id,
    name: c.name,
  }));
}

/** One photo, before the report: checked, re-encoded without metadata, kept unattached for a day. */
export async function uploadPhoto(
  deps: ReportDeps,
  who: Citizen,
  bytes: Buffer,
): Promise<ReportPhotoAccepted> {
  const friend = await requireFriend(deps, who);
  if ((await countUnattachedPhotos(deps.db, friend.id, new Date(Date.now() - DAY_MS))) >= STRAY_PHOTOS)
    throw new AppError(
      429,
      'REPORT_PHOTO_LIMIT',
      '送信されていない写真が多すぎます。しばらくしてからもう一度お試しください',
    );
  const photo = await normalisePhoto(bytes);
  const photoId = await insertPhotoRow(deps.db, {
    channel_id: who.channelId,
    friend_id: friend.id,
    content_type: photo.contentType,
    size: photo.bytes.length,
    width: photo.width,
    height: photo.height,
    bytes: deps.cipher.encryptBytes(photo.bytes),
    sealed: true,
  });
  return {
    photoId,
    contentType: photo.contentType,
    width: photo.width,
    height: photo.height,
    bytes: photo.bytes.length,
  };
}

export const outsideCity = () =>
  badRequest(
    'REPORT_OUTSIDE_CITY',
    '指定された場所は市の区域外のため受け付けできません。市内の場所を指定してください',
    [{ path: 'location', message: '市の区域外です。市内の場所を指定してください' }],
  );

/**
 * A friend's report. The place must be inside the city; the photos must be the friend's own uploads
 * not yet sent. The report, its photos and its notification mails are one transaction; the same
 * request key again answers the first report.
 */
export async function createReport(
  deps: ReportDeps,
  who: Citizen,
  input: ReportCreate,
  now = new Date(),
): Promise<ReportAccepted<Date>> {
  const friend = await requireFriend(deps, who);
  if (input.requestKey) {
    const earlier = await findReportByRequest(deps.db, friend.id, input.requestKey);
    if (earlier) return { reportId: earlier.id, receivedAt: earlier.created_at, repeated: true };
  }
  const category = await findCategoryRow(deps.db, input.categoryId);
  if (!category || category.channel_id !== who.channelId || !category.active)
    throw badRequest('REPORT_CATEGORY_UNKNOWN', '通報の種類を選び直してください', [
      { path: 'categoryId', message: '通報の種類を選び直してください' },
    ]);
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt.getTime() > now.getTime() + 10 * 60_000)
    throw badRequest('REPORT_OCCURRED_IN_FUTURE', '発生日時に未来の日時は指定できません', [
      { path: 'occurredAt', message: '発生日時に未来の日時は指定できません' },
    ]);
  if (occurredAt.getTime() < now.getTime() - 365 * DAY_MS)
    throw badRequest('REPORT_OCCURRED_TOO_OLD', '発生日時は1年以内の日時を指定してください', [
      { path: 'occurredAt', message: '発生日時は1年以内の日時を指定してください' },
    ]);
  const lat = Math.round(input.location.lat * 1e6) / 1e6;
  const lng = Math.round(input.location.lng * 1e6) / 1e6;
  if (!deps.boundary.contains(lat, lng)) throw outsideCity();

  const made = await deps.db.transaction().execute(async (trx) => {
    const photos = await lockUnattachedPhotos(trx, friend.id, input.photoIds);
    if (photos.length !== input.photoIds.length)
      throw badRequest('REPORT_PHOTO_UNKNOWN', '写真をもう一度選び直してください', [
        { path: 'photoIds', message: '写真をもう一度選び直してください' },
      ]);
    let row: { id: string; created_at: Date };
    try {
      row = await insertReportRow(trx, {
        channel_id: who.channelId,
        friend_id: friend.id,
        category_id: category.id,
        text_enc: deps.cipher.encryptBytes(Buffer.from(input.text, 'utf8')),
        occurred_at: occurredAt,
        lat,
        lng,
        request_key: input.requestKey ?? null,
      });
    } catch (err) {
      // The same request key sent twice at once: the other one made the report.
      if ((err as { code?: string }).code === '23505' && input.requestKey) return null;
      throw err;
    }
    await attachPhotos(trx, row.id, input.photoIds);
    // A place asked for in the LINE talk is used up by the report (report-line-location.ts).
    await deleteLocationRequest(trx, friend.id);
    const mail = reportMail({
      id: row.id,
      category: category.name,
      occurredAt,
      receivedAt: row.created_at,
      lat,
      lng,
      photos: input.photoIds.length,
      publicUrl: deps.publicUrl,
    });
    await queueMails(
      trx,
      category.emails.map((to) => ({
        report_id: row.id,
        to_address: to,
        subject: mail.subject,
        body: mail.body,
      })),
    );
    return row;
  });
  if (!made) {
    const earlier = await findReportByRequest(deps.db, friend.id, input.requestKey!);
    if (!earlier) throw conflict('REPORT_RETRY', 'もう一度送信してください');
    return { reportId: earlier.id, receivedAt: earlier.created_at, repeated: true };
  }
  deps.onMail();
  return { reportId: made.id, receivedAt: made.created_at, repeated: false };
}

const textOf = (cipher: Cipher, r: { text_enc: Buffer }) => cipher.decryptBytes(r.text_enc).toString('utf8');

export async function myReports(deps: ReportDeps, who: Citizen): Promise<CitizenReportView<Date>[]> {
  const friend = await findFriendByLineUser(deps.db, who.channelId, who.lineUserId);
  if (!friend) return [];
  const rows = await reportRows(deps.db, { channelId: who.channelId, friendId: friend.id })
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    status: r.status,
    text: textOf(deps.cipher, r),
    occurredAt: r.occurred_at,
    location: { lat: Number(r.lat), lng: Number(r.lng) },
    photos: r.photos ?? 0,
    receivedAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

// ---------------------------------------------------------------------------------------------
// Staff

const pageKey = (r: { page_at: string; id: string }) => encodePageKey([r.page_at, r.id]);

function parsePageKey(before: string | undefined): ReportFilter['before'] {
  if (!before) return undefined;
  const parts = decodePageKey(before, ['stamp', 'uuid']);
  if (!parts)
    throw badRequest('REPORT_PAGE_KEY', '続きの指定（before）が正しくありません', [
      { path: 'before', message: '続きの指定（before）が正しくありません' },
    ]);
  return { at: parts[0]!, id: parts[1]! };
}

export function filterOf(q: Omit<ReportListQuery, 'limit'>): ReportFilter {
  return {
    channelId: q.channelId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.categoryId ? { categoryId: q.categoryId } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    before: parsePageKey(q.before),
  };
}

export function summaryOf(cipher: Cipher, r: ListedReportRow): ReportSummary<Date> {
  return {
    id: r.id,
    channelId: r.channel_id,
    categoryId: r.category_id,
    category: r.category,
    status: r.status,
    text: textOf(cipher, r),
    occurredAt: r.occurred_at,
    location: { lat: Number(r.lat), lng: Number(r.lng) },
    photos: r.photos ?? 0,
    assigneeId: r.assignee_id,
    assignee: r.assignee ?? null,
    mailFailed: Boolean(r.mail_failed),
    receivedAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listReports(deps: ReportDeps, q: ReportListQuery): Promise<ReportPage<Date>> {
  await deps.channels.get(q.channelId);
  const filter = filterOf(q);
  const { before: _before, ...counted } = filter;
  const [rows, total] = await Promise.all([
    reportRows(deps.db, filter)
      .limit(q.limit + 1)
      .execute(),
    countReports(deps.db, counted),
  ]);
  const page = rows.slice(0, q.limit);
  return {
    total,
    items: page.map((r) => summaryOf(deps.cipher, r)),
    next: rows.length > q.limit ? pageKey(page.at(-1)!) : null,
  };
}

export async function getReport(deps: ReportDeps, id: string): Promise<ReportView<Date>> {
  const [row] = await reportRows(deps.db, { reportId: id }).execute();
  if (!row) throw notFound('通報');
  const [photos, changes, mails] = await Promise.all([
    photoIdsOf(deps.db, id),
    listChangeRows(deps.db, id),
    mailsAbout(deps.db, { reportId: id }),
  ]);
  return {
    ...summaryOf(deps.cipher, row),
    reporter: row.reporter ?? null,
    photoUrls: photos.map((p) => `/api/reports/${id}/photos/${p}`),
    changes: changes.map(
      (c): ReportChangeView<Date> => ({
        at: c.at,
        staff: c.staff ?? null,
        field: c.field,
        from: c.from_value,
        to: c.field === 'note' && c.to_value.startsWith('v1.') ? deps.cipher.decrypt(c.to_value) : c.to_value,
      }),
    ),
    mails: mails.map((m) => ({
      to: m.to_address,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      sentAt: m.sent_at,
    })),
  };
}

export async function readPhoto(deps: ReportDeps, reportId: string, photoId: string) {
  const photo = await findPhotoRow(deps.db, reportId, photoId);
  if (!photo) throw notFound('写真');
  return {
    content_type: photo.content_type,
    bytes: photo.sealed ? deps.cipher.decryptBytes(photo.bytes) : photo.bytes,
  };
}

const DONE_MESSAGE = (category: string) =>
  `ご報告いただいた「${category}」の件は、対応が完了しました。ご協力ありがとうございました。`;

/**
 * Staff change the status, the assignee and/or add a note; each is recorded with who and when.
 * The first time a report becomes 完了, the reporter's LINE message is recorded in the outbox in the
 * same transaction (once: done_notified_at).
 */
export async function updateReport(
  deps: ReportDeps,
  id: string,
  change: ReportUpdate,
  staffId: string | null,
): Promise<ReportView<Date>> {
  let pushed = false;
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockReportRow(trx, id);
    if (!row) throw notFound('通報');
    if (change.status && change.status !== row.status) {
      await insertChangeRow(trx, {
        reportId: id,
        staffId,
        field: 'status',
        from: REPORT_STATUS_LABELS[row.status],
        to: REPORT_STATUS_LABELS[change.status as ReportStatus],
      });
      const notify = change.status === 'done' && row.done_notified_at === null;
      await updateReportRow(trx, id, {
        status: change.status,
        ...(notify ? { done_notified_at: new Date() } : {}),
      });
      if (notify) {
        const friend = await findFriendById(trx, row.friend_id);
        const category = await findCategoryRow(trx, row.category_id);
        if (friend && friend.status === 'following') {
          await createLineEffects(trx, deps.cipher).push(row.channel_id, friend.line_user_id, [
            { type: 'text', text: DONE_MESSAGE(category?.name ?? '通報') },
          ]);
          pushed = true;
        }
      }
    }
    if (change.assigneeId !== undefined && change.assigneeId !== row.assignee_id) {
      const names = async (accountId: string | null) => {
        if (!accountId) return '（なし）';
        return (await findStaffForAssignment(trx, accountId))?.display_name ?? '（削除されたアカウント）';
      };
      if (change.assigneeId !== null) {
        const staff = await findStaffForAssignment(trx, change.assigneeId);
        if (!staff || staff.disabled || !staff.permissions.includes('reports.handle'))
          throw badRequest('REPORT_ASSIGNEE_INVALID', '担当者には通報を扱えるアカウントを選んでください', [
            { path: 'assigneeId', message: '担当者には通報を扱えるアカウントを選んでください' },
          ]);
      }
      await insertChangeRow(trx, {
        reportId: id,
        staffId,
        field: 'assignee',
        from: await names(row.assignee_id),
        to: await names(change.assigneeId),
      });
      await updateReportRow(trx, id, { assignee_id: change.assigneeId });
    }
    if (change.note !== undefined) {
      // A staff note may hold personal data (a name, a phone number): sealed like the report's text.
      await insertChangeRow(trx, {
        reportId: id,
        staffId,
        field: 'note',
        from: '',
        to: deps.cipher.encrypt(change.note),
      });
      await updateReportRow(trx, id, {});
    }
  });
  if (pushed) deps.onOutbox();
  return getReport(deps, id);
}

/** Who may be assigned a report: enabled accounts with reports.handle. */
export async function assignees(deps: ReportDeps): Promise<{ id: string; displayName: string }[]> {
  return (await listStaffWithPermission(deps.db, 'reports.handle')).map((a) => ({
    id: a.id,
    displayName: a.display_name,
  }));
}

export async function retryMails(deps: ReportDeps, id: string) {
  const n = await retryMailsAbout(deps.db, { reportId: id });
  if (n > 0) deps.onMail();
  return getReport(deps, id);
}

/** Uploads never attached to a report within a day are deleted. */
export const prunePhotos = (deps: Pick<ReportDeps, 'db'>, now = new Date()) =>
  pruneUnattachedPhotos(deps.db, new Date(now.getTime() - DAY_MS));

const SEAL_BATCH = 50;

/** Seals the photos stored before photos were sealed (migration 2026120504), a batch at a time. */
export async function sealPlainPhotos(deps: Pick<ReportDeps, 'db' | 'cipher'>): Promise<number> {
  let sealed = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await lockPlainPhotos(trx, SEAL_BATCH);
      for (const row of rows) await sealPhotoRow(trx, row.id, deps.cipher.encryptBytes(row.bytes));
      return rows.length;
    });
    sealed += n;
    if (n < SEAL_BATCH) return sealed;
  }
}

/** Places asked for in LINE: deleted once no page may read them (report-line-location.ts). */
export const pruneLineLocations = (deps: Pick<ReportDeps, 'db'>, now = new Date()) =>
  pruneLocationRequests(deps.db, new Date(now.getTime() - REPORT_LINE_LOCATION.keepMinutes * 60_000));

export { REPORT_LIMITS };
