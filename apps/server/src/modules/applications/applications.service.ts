import {
  APPLICATION_STATUS_LABELS,
  APPLICATION_STATUS_MESSAGE,
  type ApplicationChangeView,
  type ApplicationPage,
  type ApplicationStatus,
  type ApplicationSummary,
  type ApplicationView,
  type CitizenApplicationSummary,
  type CitizenApplicationView,
  type FeeBreakdown,
  type FeeRule,
  type NextStep,
  type PaymentState,
  type ProcedureDetail,
  type ProcedureView,
  type PublicProcedure,
  type PublicProcedureDetail,
  referenceNumber,
  type StaffStatus,
} from '@madoguchi/contracts/applications.ts';
import type { Answers } from '@madoguchi/contracts/forms.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { decodePageKey, encodePageKey } from '../../platform/http/page-key.ts';
import { findStaffForAssignment, listStaffWithPermission } from '../accounts/accounts.service.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  answerFormatter,
  answerProblems,
  answersOf,
  applyAnswers,
  createForm,
  type FormView,
  loadForm,
  publicForm,
  type StoredAnswers,
  sealTexts,
  setFormText,
  storedAnswers,
  textKeysOf,
} from '../forms/forms.service.ts';
import { findFriendById, findFriendByLineUser } from '../friends/friends.service.ts';
import { createLineEffects } from '../line-events/line-event-bus.ts';
import { type Actor, answersEditable, canMove, isClosed, reiwaYear, staffNext } from './application.rules.ts';
import type { ApplicationSteps, PaymentChange } from './application-steps.ts';
import {
  type ApplicationFilter,
  type ApplicationRow,
  applicationRows,
  countApplications,
  countProcedureApplications,
  deleteApplicationRows,
  expiredApplicationIds,
  findApplicationByRequest,
  findApplicationRow,
  findProcedureBySlug,
  findProcedureRow,
  insertApplicationRow,
  insertChangeRow,
  insertProcedureRow,
  type ListedApplicationRow,
  listChangeRows,
  listProcedureRows,
  lockApplicationRow,
  lockProcedureRow,
  myApplicationRows,
  type ProcedureRow,
  staleDraftIds,
  updateApplicationRow,
  updateProcedureRow,
} from './applications.repository.ts';
import type {
  ApplicationListQuery,
  ApplicationStatusChange,
  ApplicationUpdate,
  ProcedureCreate,
  ProcedureUpdate,
} from './applications.schema.ts';
import { computeFee, FeeError } from './fees.ts';

// Procedures and applications (issue 15, A-03). A procedure is configuration: a form of the form
// engine (purpose 'application'), an identity level and a fee rule. A friend applies from LINE:
// draft → (identity verified) identity → (answers sent, fee computed here) payment → (the payment
// confirmed by the payments module, in its transaction) received 受付; staff move it to 審査中, 発送済,
// 差戻し (the citizen corrects and sends again) or 却下 (refunded). Every status change tells the
// applicant in LINE "申請の状況が更新されました" with a link — never a name, an address or an answer.

export interface ApplicationDeps {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  steps: ApplicationSteps;
  /** Queues the outbox sender after a commit that recorded LINE pushes. */
  onOutbox: () => void;
}

type Tx = Db | Transaction<Database>;

/** What procedures (configuration) need. */
export type ProcedureDeps = Pick<ApplicationDeps, 'db' | 'channels'>;

export interface Citizen {
  channelId: string;
  lineUserId: string;
}

const liffLink = (liffId: string | null, query: string) =>
  liffId ? `https://liff.line.me/${liffId}?${query}` : null;

/** The citizen page of one application (same origin; the identity and payment providers return here). */
export const applicationPath = (channelId: string, id: string) =>
  `/citizen/applications/${id}?ch=${encodeURIComponent(channelId)}`;

const numberOf = (r: Pick<ApplicationRow, 'era_year' | 'serial'>) => referenceNumber(r.era_year, r.serial);

// ---------------------------------------------------------------------------------------------
// Procedures (staff, procedures.manage)

function feeRuleOf(p: ProcedureRow): FeeRule {
  return {
    unitFee: p.unit_fee,
    copiesItemKey: p.copies_item_key,
    deliveryItemKey: p.delivery_item_key,
    postage: p.postage ?? [],
  };
}

async function procedureViewOf(
  deps: ProcedureDeps,
  p: ProcedureRow,
  applications?: number,
): Promise<ProcedureView<Date>> {
  const channel = await deps.channels.get(p.channel_id);
  return {
    id: p.id,
    channelId: p.channel_id,
    slug: p.slug,
    nameJa: p.name_ja,
    nameEn: p.name_en,
    description: p.description,
    formId: p.form_id,
    identityLevel: p.identity_level,
    fee: feeRuleOf(p),
    retentionDays: p.retention_days,
    active: p.active,
    applications: applications ?? (await countProcedureApplications(deps.db, p.id)),
    updatedAt: p.updated_at,
    link: liffLink(channel.liffId, `page=procedure&id=${p.id}`),
  };
}

async function requireProcedure(db: Tx, id: string) {
  const row = await findProcedureRow(db, id);
  if (!row) throw notFound('手続');
  return row;
}

export async function listProcedures(deps: ProcedureDeps, channelId: string) {
  await deps.channels.get(channelId);
  const rows = await listProcedureRows(deps.db, channelId);
  return Promise.all(rows.map((r) => procedureViewOf(deps, r, r.applications ?? 0)));
}

export async function getProcedure(deps: ProcedureDeps, id: string): Promise<ProcedureDetail<Date>> {
  const row = await requireProcedure(deps.db, id);
  const [view, form] = await Promise.all([procedureViewOf(deps, row), loadForm(deps.db, row.form_id)]);
  return { ...view, form };
}

/** The fee rule names items of the procedure's form: a number item for copies, a choice item for delivery. */
function checkFeeRule(form: FormView | null, rule: FeeRule) {
  const problem = (path: string, message: string) =>
    badRequest('PROCEDURE_FEE_INVALID', message, [{ path, message }]);
  if (!form) {
    if (rule.copiesItemKey || rule.deliveryItemKey || rule.postage.length > 0)
      throw problem('fee', '通数・配送方法の項目は、フォームに項目を追加してから指定してください');
    return;
  }
  const item = (key: string) => form.items.find((i) => i.key === key && !i.retired);
  if (rule.copiesItemKey && item(rule.copiesItemKey)?.type !== 'number')
    throw problem('fee.copiesItemKey', '通数には、フォームの数値の項目を選んでください');
  if (rule.deliveryItemKey) {
    const delivery = item(rule.deliveryItemKey);
    if (!delivery || !['single', 'select'].includes(delivery.type))
      throw problem(
        'fee.deliveryItemKey',
        '配送方法には、フォームの単一選択・プルダウンの項目を選んでください',
      );
    const ids = new Set(delivery.choices.map((c) => c.id));
    if (rule.postage.some((p) => !ids.has(p.choiceId)))
      throw problem('fee.postage', '郵送料は配送方法の項目の選択肢ごとに指定してください');
  } else if (rule.postage.length > 0) throw problem('fee.postage', '郵送料には配送方法の項目が必要です');
}

export async function createProcedure(deps: ProcedureDeps, input: ProcedureCreate) {
  await deps.channels.get(input.channelId);
  if (await findProcedureBySlug(deps.db, input.channelId, input.slug))
    throw conflict('PROCEDURE_SLUG_TAKEN', 'この識別名の手続はすでにあります');
  checkFeeRule(null, input.fee);
  const id = await deps.db.transaction().execute(async (trx) =>
    insertProcedureRow(trx, {
      channel_id: input.channelId,
      slug: input.slug,
      name_ja: input.nameJa,
      name_en: input.nameEn,
      description: input.description,
      form_id: await createForm(trx, {
        channelId: input.channelId,
        purpose: 'application',
        title: input.nameJa,
        description: input.description,
      }),
      identity_level: input.identityLevel,
      unit_fee: input.fee.unitFee,
      copies_item_key: input.fee.copiesItemKey,
      delivery_item_key: input.fee.deliveryItemKey,
      postage: JSON.stringify(input.fee.postage),
      retention_days: input.retentionDays,
      active: input.active,
    }),
  );
  return getProcedure(deps, id);
}

export async function updateProcedure(deps: ProcedureDeps, id: string, change: ProcedureUpdate) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockProcedureRow(trx, id);
    if (!row) throw notFound('手続');
    if (change.fee) checkFeeRule(await loadForm(trx, row.form_id), change.fee);
    if (change.active === true) {
      const form = await loadForm(trx, row.form_id);
      if (!form.items.some((i) => !i.retired && i.type !== 'description'))
        throw conflict(
          'PROCEDURE_NO_ITEMS',
          '入力する項目が1つもありません。項目を追加してから受付を始めてください',
        );
    }
    if (change.nameJa !== undefined || change.description !== undefined)
      await setFormText(trx, row.form_id, {
        ...(change.nameJa !== undefined ? { title: change.nameJa } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
      });
    await updateProcedureRow(trx, id, {
      ...(change.nameJa !== undefined ? { name_ja: change.nameJa } : {}),
      ...(change.nameEn !== undefined ? { name_en: change.nameEn } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.identityLevel !== undefined ? { identity_level: change.identityLevel } : {}),
      ...(change.retentionDays !== undefined ? { retention_days: change.retentionDays } : {}),
      ...(change.active !== undefined ? { active: change.active } : {}),
      ...(change.fee
        ? {
            unit_fee: change.fee.unitFee,
            copies_item_key: change.fee.copiesItemKey,
            delivery_item_key: change.fee.deliveryItemKey,
            postage: JSON.stringify(change.fee.postage),
          }
        : {}),
    });
  });
  return getProcedure(deps, id);
}

// ---------------------------------------------------------------------------------------------
// Fees

function feeOf(procedure: ProcedureRow, form: FormView, stored: StoredAnswers): FeeBreakdown {
  const rule = feeRuleOf(procedure);
  const delivery = rule.deliveryItemKey ? form.items.find((i) => i.key === rule.deliveryItemKey) : undefined;
  try {
    return computeFee(rule, {
      procedure: procedure.name_ja,
      copies: rule.copiesItemKey ? stored.numbers[rule.copiesItemKey] : undefined,
      choiceIds: stored.choiceIds,
      deliveryLabels: new Map((delivery?.choices ?? []).map((c) => [c.id, c.label])),
    });
  } catch (err) {
    if (err instanceof FeeError)
      throw badRequest(err.code, err.message, [
        { path: `answers.${rule.copiesItemKey ?? 'copies'}`, message: err.message },
      ]);
    throw err;
  }
}

const hasAnswers = (r: ApplicationRow) =>
  r.choice_ids.length > 0 || Object.keys(r.numbers ?? {}).length > 0 || r.texts_enc !== null;

// ---------------------------------------------------------------------------------------------
// Status changes (one path for citizen, system and staff)

/**
 * Moves a locked application to `to` when `actor` may, records who did it and tells the applicant in
 * LINE (in the same transaction: the outbox). Answers whether a LINE push was recorded.
 */
async function moveStatus(
  deps: ApplicationDeps,
  trx: Transaction<Database>,
  row: ApplicationRow,
  to: ApplicationStatus,
  by: { actor: Actor; staffId?: string | null },
  extra: Parameters<typeof updateApplicationRow>[2] = {},
): Promise<boolean> {
  if (!canMove(by.actor, row.status, to))
    throw conflict(
      'APPLICATION_STATUS_NOT_ALLOWED',
      `「${APPLICATION_STATUS_LABELS[row.status]}」の申請を「${APPLICATION_STATUS_LABELS[to]}」にはできません`,
    );
  await updateApplicationRow(trx, row.id, {
    status: to,
    ...(isClosed(to) ? { closed_at: new Date() } : {}),
    ...extra,
  });
  await insertChangeRow(trx, {
    application_id: row.id,
    staff_id: by.staffId ?? null,
    actor: by.actor,
    field: 'status',
    from_value: APPLICATION_STATUS_LABELS[row.status],
    to_value: APPLICATION_STATUS_LABELS[to],
  });
  // The applicant hears of every change once it reached staff (受付 and after).
  if (to === 'payment' || to === 'identity') return false;
  return tellApplicant(deps, trx, row);
}

/** "申請の状況が更新されました" + the link to the citizen page: no personal data, no answers. */
async function tellApplicant(deps: ApplicationDeps, trx: Transaction<Database>, row: ApplicationRow) {
  const friend = await findFriendById(trx, row.friend_id);
  if (friend?.status !== 'following') return false;
  const channel = await deps.channels.get(row.channel_id);
  const link = liffLink(channel.liffId, `page=application&id=${row.id}`);
  await createLineEffects(trx, deps.cipher).push(row.channel_id, friend.line_user_id, [
    { type: 'text', text: link ? `${APPLICATION_STATUS_MESSAGE}\n${link}` : APPLICATION_STATUS_MESSAGE },
  ]);
  return true;
}

/**
 * The payments module's listener (inside its transaction): a paid payment moves its application from
 * 支払い待ち to 受付, once; the amount must be the one fixed when the answers were sent.
 */
export async function applyPaymentChange(
  deps: ApplicationDeps,
  trx: Transaction<Database>,
  p: PaymentChange,
) {
  const row = await lockApplicationRow(trx, p.ref);
  // The payment may be confirmed before the application stored its ID (a fast webhook).
  if (!row || (row.payment_id !== null && row.payment_id !== p.id)) return false;
  if (p.status !== 'paid' || row.status !== 'payment') return false;
  if (row.amount !== p.amount) return false;
  return moveStatus(
    deps,
    trx,
    row,
    'received',
    { actor: 'system' },
    { submitted_at: new Date(), payment_id: p.id },
  );
}

// ---------------------------------------------------------------------------------------------
// Citizens

async function requireFriend(deps: ApplicationDeps, who: Citizen) {
  const friend = await findFriendByLineUser(deps.db, who.channelId, who.lineUserId);
  if (!friend) throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから申請してください');
  return friend;
}

const publicProcedure = (p: ProcedureRow): PublicProcedure => ({
  id: p.id,
  slug: p.slug,
  nameJa: p.name_ja,
  nameEn: p.name_en,
  description: p.description,
  identityLevel: p.identity_level,
  unitFee: p.unit_fee,
});

const procedureGone = () =>
  new AppError(404, 'PROCEDURE_NOT_FOUND', '手続が見つかりません。LINE のメニューから開き直してください');

/** Whether the channel takes any application online now (マイページ shows オンライン申請). */
export async function hasOpenProcedures(db: Db, channelId: string): Promise<boolean> {
  return (await listProcedureRows(db, channelId, { activeOnly: true })).length > 0;
}

export async function citizenProcedures(deps: ApplicationDeps, who: Citizen): Promise<PublicProcedure[]> {
  return (await listProcedureRows(deps.db, who.channelId, { activeOnly: true })).map(publicProcedure);
}

async function citizenProcedure(deps: ApplicationDeps, who: Citizen, id: string) {
  const row = await findProcedureRow(deps.db, id);
  if (!row?.active || row.channel_id !== who.channelId) throw procedureGone();
  return row;
}

export async function readCitizenProcedure(
  deps: ApplicationDeps,
  who: Citizen,
  id: string,
): Promise<PublicProcedureDetail> {
  const row = await citizenProcedure(deps, who, id);
  return { ...publicProcedure(row), form: publicForm(await loadForm(deps.db, row.form_id)) };
}

const applicationGone = () =>
  new AppError(404, 'APPLICATION_NOT_FOUND', '申請が見つかりません。「申請の一覧」から開き直してください');

/** The application when it is this friend's (another friend's, another channel's: 404). */
async function mine(deps: ApplicationDeps, db: Tx, who: Citizen, id: string, lock = false) {
  const friend = await requireFriend(deps, who);
  const row = lock
    ? await lockApplicationRow(db as Transaction<Database>, id)
    : await findApplicationRow(db, id);
  if (!row || row.friend_id !== friend.id || row.channel_id !== who.channelId) throw applicationGone();
  return { row, friend };
}

async function paymentState(deps: ApplicationDeps, row: ApplicationRow): Promise<PaymentState | null> {
  if (!row.payment_id) return null;
  try {
    return (await deps.steps.refreshPayment(row.payment_id)).status;
  } catch {
    return null;
  }
}

async function citizenView(
  deps: ApplicationDeps,
  row: ApplicationRow,
): Promise<CitizenApplicationView<Date>> {
  const procedure = await requireProcedure(deps.db, row.procedure_id);
  const form = await loadForm(deps.db, procedure.form_id);
  const stored = storedAnswers(deps.cipher, row);
  const identity = row.identity_verification_id
    ? await deps.steps.verifiedIdentity(row.identity_verification_id, row.id)
    : null;
  const answered = hasAnswers(row);
  return {
    id: row.id,
    number: numberOf(row),
    procedure: { ...publicProcedure(procedure), form: publicForm(form) },
    status: row.status,
    answers: answered ? answersOf(form, stored, { includeRetired: false }) : null,
    identity: identity
      ? {
          name: identity.name,
          address: identity.address,
          birthdate: identity.birthdate,
          gender: identity.gender,
        }
      : null,
    fee: row.fee_lines
      ? { lines: row.fee_lines, total: row.amount ?? 0 }
      : answered
        ? safeFee(procedure, form, stored)
        : null,
    paymentStatus: row.status === 'payment' || row.payment_id ? await paymentState(deps, row) : null,
    reason: row.reason_enc ? deps.cipher.decryptBytes(row.reason_enc).toString('utf8') : null,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

function safeFee(procedure: ProcedureRow, form: FormView, stored: StoredAnswers) {
  try {
    return feeOf(procedure, form, stored);
  } catch {
    return null;
  }
}

export async function readMyApplication(deps: ApplicationDeps, who: Citizen, id: string) {
  const { row } = await mine(deps, deps.db, who, id);
  return citizenView(deps, row);
}

export async function myApplications(
  deps: ApplicationDeps,
  who: Citizen,
): Promise<CitizenApplicationSummary<Date>[]> {
  const friend = await requireFriend(deps, who);
  return (await myApplicationRows(deps.db, friend.id)).map((r) => ({
    id: r.id,
    number: numberOf(r),
    procedure: r.procedure,
    status: r.status,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
  }));
}

/** Starts an application (a retried tap with the same request key answers the first one). */
export async function startApplication(
  deps: ApplicationDeps,
  who: Citizen,
  input: { procedureId: string; requestKey?: string | undefined },
  now = new Date(),
) {
  const procedure = await citizenProcedure(deps, who, input.procedureId);
  const friend = await requireFriend(deps, who);
  if (input.requestKey) {
    const earlier = await findApplicationByRequest(deps.db, friend.id, input.requestKey);
    if (earlier) return readMyApplication(deps, who, earlier.id);
  }
  const made = await insertApplicationRow(deps.db, {
    channel_id: who.channelId,
    procedure_id: procedure.id,
    friend_id: friend.id,
    era_year: reiwaYear(now),
    // Without an identity check the form comes first.
    status: procedure.identity_level === 'none' ? 'identity' : 'draft',
    request_key: input.requestKey ?? null,
  });
  const id = made?.id ?? (await findApplicationByRequest(deps.db, friend.id, input.requestKey ?? ''))?.id;
  if (!id) throw applicationGone();
  return readMyApplication(deps, who, id);
}

/** Sends the browser to the identity provider (a procedure with an identity level, before the form). */
export async function startIdentity(
  deps: ApplicationDeps,
  who: Citizen,
  id: string,
): Promise<NextStep<Date>> {
  const { row } = await mine(deps, deps.db, who, id);
  const procedure = await requireProcedure(deps.db, row.procedure_id);
  if (row.status !== 'draft' || procedure.identity_level === 'none')
    throw conflict('APPLICATION_IDENTITY_DONE', '本人確認はこの申請ではもう必要ありません');
  const { url } = await deps.steps.startIdentity({
    applicationId: row.id,
    level: procedure.identity_level,
    returnPath: applicationPath(who.channelId, row.id),
    citizen: who,
    ...(procedure.identity_level === 'sign'
      ? { signText: `${procedure.name_ja}の申請（申請番号 ${numberOf(row)}）` }
      : {}),
  });
  return { url, application: await citizenView(deps, row) };
}

/** Back from the provider: the verification is checked server-side (the query string proves nothing). */
export async function completeIdentity(
  deps: ApplicationDeps,
  who: Citizen,
  id: string,
  verificationId: string,
): Promise<CitizenApplicationView<Date>> {
  const { row } = await mine(deps, deps.db, who, id);
  if (row.status !== 'draft') return citizenView(deps, row);
  const verified = await deps.steps.verifiedIdentity(verificationId, row.id);
  if (!verified)
    throw conflict('APPLICATION_IDENTITY_NOT_VERIFIED', '本人確認が完了していません。もう一度お試しください');
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockApplicationRow(trx, id);
    if (locked?.status !== 'draft') return;
    await moveStatus(
      deps,
      trx,
      locked,
      'identity',
      { actor: 'citizen' },
      { identity_verification_id: verificationId },
    );
  });
  return readMyApplication(deps, who, id);
}

/** Saves the answers (partial changes, like the registration form) and answers the fee for them. */
export async function saveAnswers(
  deps: ApplicationDeps,
  who: Citizen,
  id: string,
  input: { answers: Answers },
  now = new Date(),
): Promise<CitizenApplicationView<Date>> {
  await deps.db.transaction().execute(async (trx) => {
    const { row } = await mine(deps, trx, who, id, true);
    if (!answersEditable(row.status))
      throw conflict(
        row.status === 'draft' ? 'APPLICATION_IDENTITY_REQUIRED' : 'APPLICATION_NOT_EDITABLE',
        row.status === 'draft' ? '先に本人確認をしてください' : 'この申請は変更できません',
      );
    const procedure = await requireProcedure(trx, row.procedure_id);
    const form = await loadForm(trx, procedure.form_id);
    const { answers, problems } = applyAnswers(form, storedAnswers(deps.cipher, row), input.answers, now);
    if (problems.length > 0) throw answerProblems(problems);
    feeOf(procedure, form, answers);
    await updateApplicationRow(trx, id, {
      choice_ids: answers.choiceIds,
      numbers: JSON.stringify(answers.numbers),
      texts_enc: sealTexts(deps.cipher, answers.texts),
      text_keys: textKeysOf(form, answers),
    });
  });
  return readMyApplication(deps, who, id);
}

/**
 * Sends the application: the answers must be complete (required items), the fee is computed here and
 * fixed. Nothing to pay → 受付. A fee → 支払い待ち and the payment page's URL (startPayment is
 * idempotent for the same lines: a double tap gives the same payment). A returned application sent
 * again goes back to 受付 (its fee cannot change: it was paid).
 */
export async function submitApplication(
  deps: ApplicationDeps,
  who: Citizen,
  id: string,
  now = new Date(),
): Promise<NextStep<Date>> {
  let pushed = false;
  const result = await deps.db.transaction().execute(async (trx) => {
    const { row } = await mine(deps, trx, who, id, true);
    const procedure = await requireProcedure(trx, row.procedure_id);
    if (row.status === 'payment') return { pay: true, row };
    if (!answersEditable(row.status))
      throw conflict(
        row.status === 'draft' ? 'APPLICATION_IDENTITY_REQUIRED' : 'APPLICATION_ALREADY_SENT',
        row.status === 'draft' ? '先に本人確認をしてください' : 'この申請はもう送信されています',
      );
    const form = await loadForm(trx, procedure.form_id);
    // Re-checks the stored answers as a whole: a required item left empty is refused here.
    const stored = storedAnswers(deps.cipher, row);
    const { problems } = applyAnswers(form, stored, {}, now);
    if (problems.length > 0) throw answerProblems(problems);
    const fee = feeOf(procedure, form, stored);
    if (row.status === 'returned') {
      if (fee.total !== (row.amount ?? 0))
        throw conflict(
          'APPLICATION_FEE_CHANGED',
          '手数料が変わる訂正はできません。通数・受け取り方法は前回と同じにしてください',
        );
      pushed = await moveStatus(deps, trx, row, 'received', { actor: 'citizen' }, { reason_enc: null });
      return { pay: false, row };
    }
    const fixed = { amount: fee.total, fee_lines: JSON.stringify(fee.lines) };
    if (fee.total === 0) {
      pushed = await moveStatus(
        deps,
        trx,
        row,
        'received',
        { actor: 'citizen' },
        { ...fixed, submitted_at: now },
      );
      return { pay: false, row };
    }
    await moveStatus(deps, trx, row, 'payment', { actor: 'citizen' }, fixed);
    return { pay: true, row };
  });
  if (pushed) deps.onOutbox();
  if (!result.pay) return { url: null, application: await readMyApplication(deps, who, id) };
  return pay(deps, who, id);
}

async function pay(deps: ApplicationDeps, who: Citizen, id: string): Promise<NextStep<Date>> {
  const { row } = await mine(deps, deps.db, who, id);
  const procedure = await requireProcedure(deps.db, row.procedure_id);
  if (row.status !== 'payment' || !row.fee_lines)
    throw conflict('APPLICATION_NOT_PAYABLE', 'この申請の支払いはありません');
  const started = await deps.steps.startPayment({
    applicationId: row.id,
    lines: row.fee_lines,
    description: `${procedure.name_ja}（申請番号 ${numberOf(row)}）`,
    returnPath: applicationPath(who.channelId, row.id),
  });
  if (started.amount !== row.amount)
    throw new AppError(
      500,
      'APPLICATION_AMOUNT_MISMATCH',
      '支払い金額が一致しません。窓口にお問い合わせください',
    );
  if (row.payment_id !== started.paymentId) {
    await deps.db.transaction().execute(async (trx) => {
      const locked = await lockApplicationRow(trx, id);
      if (locked?.status === 'payment')
        await updateApplicationRow(trx, id, { payment_id: started.paymentId });
    });
  }
  return { url: started.url, application: await readMyApplication(deps, who, id) };
}

/**
 * Back from the payment page: asks the payments module (which asks the provider server-side for a
 * pending payment); a paid one is moved to 受付 by the payments listener in its transaction, or here
 * when that already happened before the application knew its payment ID.
 */
export async function checkPayment(deps: ApplicationDeps, who: Citizen, id: string) {
  const { row } = await mine(deps, deps.db, who, id);
  if (row.status === 'payment' && row.payment_id) {
    const state = await deps.steps.refreshPayment(row.payment_id);
    if (state.status === 'paid') {
      let pushed = false;
      await deps.db.transaction().execute(async (trx) => {
        pushed = await applyPaymentChange(deps, trx, {
          id: row.payment_id!,
          ref: row.id,
          status: 'paid',
          amount: state.amount,
        });
      });
      if (pushed) deps.onOutbox();
    }
  }
  return readMyApplication(deps, who, id);
}

// ---------------------------------------------------------------------------------------------
// Staff

const pageKey = (r: { page_at: string; id: string }) => encodePageKey([r.page_at, r.id]);

function filterOf(q: Omit<ApplicationListQuery, 'limit'>): ApplicationFilter {
  let before: ApplicationFilter['before'];
  if (q.before) {
    const parts = decodePageKey(q.before, ['stamp', 'uuid']);
    if (!parts)
      throw badRequest('APPLICATION_PAGE_KEY', '続きの指定（before）が正しくありません', [
        { path: 'before', message: '続きの指定（before）が正しくありません' },
      ]);
    before = { at: parts[0]!, id: parts[1]! };
  }
  return {
    channelId: q.channelId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.procedureId ? { procedureId: q.procedureId } : {}),
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(before ? { before } : {}),
  };
}

const summaryOf = (r: ListedApplicationRow): ApplicationSummary<Date> => ({
  id: r.id,
  number: numberOf(r),
  channelId: r.channel_id,
  procedureId: r.procedure_id,
  procedure: r.procedure,
  status: r.status,
  amount: r.amount,
  assigneeId: r.assignee_id,
  assignee: r.assignee ?? null,
  applicant: r.applicant ?? null,
  submittedAt: r.submitted_at,
  updatedAt: r.updated_at,
});

export async function listApplications(
  deps: ApplicationDeps,
  q: ApplicationListQuery,
): Promise<ApplicationPage<Date>> {
  await deps.channels.get(q.channelId);
  const filter = filterOf(q);
  const { before: _before, ...counted } = filter;
  const [rows, total] = await Promise.all([
    applicationRows(deps.db, filter)
      .limit(q.limit + 1)
      .execute(),
    countApplications(deps.db, counted),
  ]);
  const page = rows.slice(0, q.limit);
  return { total, items: page.map(summaryOf), next: rows.length > q.limit ? pageKey(page.at(-1)!) : null };
}

/** A sent application of this channel (another channel's, a draft: 404). */
async function staffRow(db: Tx, channelId: string, id: string) {
  const [row] = await applicationRows(db, { channelId, applicationId: id }).execute();
  if (!row) throw notFound('申請');
  return row;
}

export async function getApplication(
  deps: ApplicationDeps,
  channelId: string,
  id: string,
): Promise<ApplicationView<Date>> {
  const row = await staffRow(deps.db, channelId, id);
  const procedure = await requireProcedure(deps.db, row.procedure_id);
  const form = await loadForm(deps.db, procedure.form_id);
  const stored = storedAnswers(deps.cipher, row);
  const cells = answerFormatter(form)(stored);
  const [identity, changes, paymentStatus] = await Promise.all([
    row.identity_verification_id ? deps.steps.verifiedIdentity(row.identity_verification_id, row.id) : null,
    listChangeRows(deps.db, id),
    paymentState(deps, row),
  ]);
  return {
    ...summaryOf(row),
    identityLevel: procedure.identity_level,
    identity,
    answers: form.items
      .map((item, n) => ({ item, value: cells[n] }))
      .filter(({ item, value }) => item.type !== 'description' && (!item.retired || value !== ''))
      .map(({ item, value }) => ({ key: item.key, label: item.label, value: String(value ?? '') })),
    fee: row.fee_lines ? { lines: row.fee_lines, total: row.amount ?? 0 } : null,
    paymentId: row.payment_id,
    paymentStatus,
    reason: row.reason_enc ? deps.cipher.decryptBytes(row.reason_enc).toString('utf8') : null,
    next: staffNext(row.status),
    changes: changes.map(
      (c): ApplicationChangeView<Date> => ({
        at: c.at,
        staff: c.staff ?? null,
        actor: c.actor,
        field: c.field,
        from: c.from_value,
        to: c.field === 'note' ? deps.cipher.decrypt(c.to_value) : c.to_value,
      }),
    ),
  };
}

export async function updateApplication(
  deps: ApplicationDeps,
  channelId: string,
  id: string,
  change: ApplicationUpdate,
  staffId: string | null,
) {
  await staffRow(deps.db, channelId, id);
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockApplicationRow(trx, id);
    if (!row) throw notFound('申請');
    if (change.assigneeId !== undefined && change.assigneeId !== row.assignee_id) {
      const name = async (accountId: string | null) =>
        accountId
          ? ((await findStaffForAssignment(trx, accountId))?.display_name ?? '（削除されたアカウント）')
          : '（なし）';
      if (change.assigneeId !== null) {
        const staff = await findStaffForAssignment(trx, change.assigneeId);
        if (!staff || staff.disabled || !staff.permissions.includes('applications.manage'))
          throw badRequest(
            'APPLICATION_ASSIGNEE_INVALID',
            '担当者には申請を扱えるアカウントを選んでください',
            [{ path: 'assigneeId', message: '担当者には申請を扱えるアカウントを選んでください' }],
          );
      }
      await insertChangeRow(trx, {
        application_id: id,
        staff_id: staffId,
        actor: 'staff',
        field: 'assignee',
        from_value: await name(row.assignee_id),
        to_value: await name(change.assigneeId),
      });
      await updateApplicationRow(trx, id, { assignee_id: change.assigneeId });
    }
    if (change.note !== undefined) {
      // A note may hold personal data: sealed.
      await insertChangeRow(trx, {
        application_id: id,
        staff_id: staffId,
        actor: 'staff',
        field: 'note',
        from_value: '',
        to_value: deps.cipher.encrypt(change.note),
      });
      await updateApplicationRow(trx, id, {});
    }
  });
  return getApplication(deps, channelId, id);
}

/**
 * A status button. 却下 refunds the payment (the payments module's refund is idempotent: a retried
 * rejection refunds once) before the status is committed; 差戻し and 却下 keep the reason for the
 * citizen's page (never in the LINE message).
 */
export async function changeStatus(
  deps: ApplicationDeps,
  channelId: string,
  id: string,
  change: ApplicationStatusChange,
  staffId: string,
): Promise<ApplicationView<Date>> {
  const current = await staffRow(deps.db, channelId, id);
  if (!canMove('staff', current.status, change.status))
    throw conflict(
      'APPLICATION_STATUS_NOT_ALLOWED',
      `「${APPLICATION_STATUS_LABELS[current.status]}」の申請を「${APPLICATION_STATUS_LABELS[change.status]}」にはできません`,
    );
  if (change.status === 'rejected' && current.payment_id)
    await deps.steps.refundPayment({
      paymentId: current.payment_id,
      reason: change.reason ?? '',
      actorId: staffId,
    });
  let pushed = false;
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockApplicationRow(trx, id);
    if (!row) throw notFound('申請');
    pushed = await moveStatus(
      deps,
      trx,
      row,
      change.status as StaffStatus,
      { actor: 'staff', staffId },
      {
        ...(change.reason
          ? { reason_enc: deps.cipher.encryptBytes(Buffer.from(change.reason, 'utf8')) }
          : {}),
      },
    );
  });
  if (pushed) deps.onOutbox();
  return getApplication(deps, channelId, id);
}

/** Who may be assigned an application: enabled accounts with applications.manage. */
export async function assignees(deps: ApplicationDeps) {
  return (await listStaffWithPermission(deps.db, 'applications.manage')).map((a) => ({
    id: a.id,
    displayName: a.display_name,
  }));
}

// ---------------------------------------------------------------------------------------------
// Retention

/**
 * Closed applications past their procedure's retention are deleted with their verified identity;
 * drafts nobody finished in 30 days too. Answers how many applications were deleted.
 */
export async function purgeExpired(deps: Pick<ApplicationDeps, 'db' | 'steps'>, now = new Date()) {
  const ids = [
    ...(await expiredApplicationIds(deps.db, now)).map((r) => r.id),
    ...(await staleDraftIds(deps.db, now)).map((r) => r.id),
  ];
  for (const id of ids) await deps.steps.purgeIdentity(id);
  return deleteApplicationRows(deps.db, ids);
}

export { findApplicationRow as findApplication };

/**
 * The demo's sample application (demo/demo-applications.ts): one friend's 受付 without identity check
 * or payment, so the console's queue has a row to open before anyone applied. Not used by the product.
 */
export async function insertDemoApplication(
  deps: Pick<ApplicationDeps, 'db' | 'cipher'>,
  input: { procedureId: string; friendId: string; channelId: string; answers: Answers },
  now = new Date(),
) {
  const procedure = await requireProcedure(deps.db, input.procedureId);
  const form = await loadForm(deps.db, procedure.form_id);
  const { answers, problems } = applyAnswers(form, null, input.answers, now);
  if (problems.length > 0) throw answerProblems(problems);
  const fee = feeOf(procedure, form, answers);
  return deps.db.transaction().execute(async (trx) => {
    const made = await insertApplicationRow(trx, {
      channel_id: input.channelId,
      procedure_id: procedure.id,
      friend_id: input.friendId,
      era_year: reiwaYear(now),
      status: 'received',
      choice_ids: answers.choiceIds,
      numbers: JSON.stringify(answers.numbers),
      texts_enc: sealTexts(deps.cipher, answers.texts),
      text_keys: textKeysOf(form, answers),
      amount: fee.total,
      fee_lines: JSON.stringify(fee.lines),
      submitted_at: now,
    });
    await insertChangeRow(trx, {
      application_id: made!.id,
      staff_id: null,
      actor: 'system',
      field: 'status',
      from_value: APPLICATION_STATUS_LABELS.draft,
      to_value: APPLICATION_STATUS_LABELS.received,
    });
    return made!.id;
  });
}
