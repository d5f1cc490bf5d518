import { randomBytes } from 'node:crypto';
import {
  REGISTRATION_ITEM_TYPES,
  type RegistrationView as RegistrationViewOf,
  SURVEY_ONLY_ITEM_TYPES,
} from '@madoguchi/contracts/forms.ts';
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, FormResponsesTable } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { findFriendByLineUser } from '../friends/friends.service.ts';
import {
  findFormRow,
  findRegistrationFormRow,
  findResponseRow,
  insertChoiceRows,
  insertItemRow,
  insertRegistrationFormRow,
  listChoiceRows,
  listItemRows,
  lockFormRow,
  lockResponseRow,
  setChoicePositions,
  setChoiceRetired,
  setItemPositions,
  setItemRetired,
  touchForm,
  updateChoiceLabel,
  updateItemRow,
  upsertResponseRow,
} from './forms.repository.ts';
import {
  answersOf,
  applyAnswers,
  configProblem,
  emptyAnswers,
  type FormItemView,
  type FormView,
  isChoiceType,
  isTextType,
  publicForm,
  type StoredAnswers,
  showIfProblem,
} from './forms.rules.ts';
import {
  type Answers,
  FORM_LIMITS,
  type ItemConfig,
  type ItemCreate,
  type ItemUpdate,
} from './forms.schema.ts';

// Read by other modules through this service (they never import this module's repository).
/** A survey's form: created, retitled and (a draft's) deleted by the surveys module, in its transaction. */
export {
  deleteFormRow as deleteForm,
  formTitles,
  insertFormRow as createForm,
  touchForm as setFormText,
} from './forms.repository.ts';
export {
  answerFormatter,
  answersOf,
  applyAnswers,
  emptyAnswers,
  isChoiceType,
  isStaffOnly,
  isTextType,
  publicForm,
  type StoredAnswers,
} from './forms.rules.ts';

// The form engine (G-01, G-11): the city designs its registration form (受信設定) in the console —
// items and choices are added, renamed, reordered and retired, never deleted, so answers given
// before stay readable. Citizens answer and change their answers from LINE (G-02, G-03).

export type { FormItemView, FormView } from './forms.rules.ts';

export const REGISTRATION_TITLE = '受信設定';

// ---------------------------------------------------------------------------------------------
// Reading forms

/** The form with its items (by position) and choices (each ward followed by its towns). */
export async function loadForm(db: Db | Transaction<Database>, formId: string): Promise<FormView> {
  const form = await findFormRow(db, formId);
  if (!form) throw notFound('フォーム');
  const [items, choices] = await Promise.all([listItemRows(db, formId), listChoiceRows(db, formId)]);
  const byItem = new Map<string, FormItemView['choices']>();
  const top = choices.filter((c) => c.parent_id === null);
  const childrenOf = new Map<string, typeof choices>();
  for (const c of choices) {
    if (c.parent_id === null) continue;
    const list = childrenOf.get(String(c.parent_id)) ?? [];
    list.push(c);
    childrenOf.set(String(c.parent_id), list);
  }
  const children = (id: string) => childrenOf.get(id) ?? [];
  const view = (c: (typeof choices)[number]) => ({
    id: String(c.id),
    label: c.label,
    parentId: c.parent_id === null ? null : String(c.parent_id),
    position: c.position,
    retired: c.retired_at !== null,
  });
  for (const c of top) {
    const list = byItem.get(c.item_id) ?? [];
    list.push(view(c), ...children(String(c.id)).map(view));
    byItem.set(c.item_id, list);
  }
  return {
    id: form.id,
    channelId: form.channel_id,
    purpose: form.purpose,
    title: form.title,
    description: form.description,
    updatedAt: form.updated_at,
    items: items.map((i) => ({
      id: i.id,
      key: i.key,
      label: i.label,
      type: i.type,
      required: i.required,
      position: i.position,
      help: i.help,
      config: i.config as ItemConfig,
      retired: i.retired_at !== null,
      choices: byItem.get(i.id) ?? [],
    })),
  };
}

const formCache = new Map<string, { stamp: number; form: Promise<FormView> }>();
const FORM_CACHE_SIZE = 500;

/**
 * The form as loadForm reads it, kept in this process by its ID and `updated_at` (every change of a
 * form's items or choices moves it: changeForm touches the form): a caller that already read the
 * stamp (a booking reads it with its slot) skips three queries per request.
 */
export function loadFormAt(
  db: Db | Transaction<Database>,
  formId: string,
  updatedAt: Date,
): Promise<FormView> {
  const hit = formCache.get(formId);
  if (hit && hit.stamp === updatedAt.getTime()) return hit.form;
  const form = loadForm(db, formId);
  if (formCache.size >= FORM_CACHE_SIZE) formCache.delete(formCache.keys().next().value!);
  formCache.set(formId, { stamp: updatedAt.getTime(), form });
  form.catch(() => formCache.delete(formId));
  return form;
}

/**
 * The channel's registration form, created empty on first use (one per channel). Retired items and
 * choices are included and flagged, so old answers stay readable.
 */
export async function getRegistrationForm(db: Db, channelId: string): Promise<FormView> {
  let row = await findRegistrationFormRow(db, channelId);
  if (!row) {
    try {
      await insertRegistrationFormRow(db, channelId, REGISTRATION_TITLE);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw notFound('チャネル');
      throw err;
    }
    row = await findRegistrationFormRow(db, channelId);
    if (!row) throw notFound('チャネル');
  }
  return loadForm(db, row.id);
}

/** The channel's registration form if it has one with at least one active item. */
export async function findActiveRegistrationForm(db: Db, channelId: string): Promise<FormView | null> {
  const row = await findRegistrationFormRow(db, channelId);
  if (!row) return null;
  const form = await loadForm(db, row.id);
  return form.items.some((i) => !i.retired) ? form : null;
}

// ---------------------------------------------------------------------------------------------
// Designing forms (console, forms.manage)

/** Runs a change of one form with the form row locked; answers the form as it is afterwards. */
async function changeForm(
  db: Db,
  formId: string,
  change: (trx: Transaction<Database>, form: FormView) => Promise<void>,
): Promise<FormView> {
  await db.transaction().execute(async (trx) => {
    if (!(await lockFormRow(trx, formId))) throw notFound('フォーム');
    await change(trx, await loadForm(trx, formId));
    await touchForm(trx, formId);
  });
  return loadForm(db, formId);
}

function itemOf(form: FormView, itemId: string): FormItemView {
  const item = form.items.find((i) => i.id === itemId);
  if (!item) throw notFound('項目');
  return item;
}

function choiceOf(item: FormItemView, choiceId: string) {
  const choice = item.choices.find((c) => c.id === choiceId);
  if (!choice) throw notFound('選択肢');
  return choice;
}

function checkConfig(type: FormItemView['type'], config: ItemConfig) {
  const problem = configProblem(type, config);
  if (problem) throw badRequest('FORM_CONFIG_INVALID', problem, [{ path: 'config', message: problem }]);
}

/** The items' conditions (showIf) in this order refer to earlier choice items and their choices. */
function checkConditions(items: Parameters<typeof showIfProblem>[0]) {
  const problem = showIfProblem(items);
  if (problem)
    throw badRequest('FORM_CONDITION_INVALID', problem, [{ path: 'config.showIf', message: problem }]);
}

/**
 * The registration form (受信設定) takes only its own item types; surveys take every type; the other
 * forms (bookings) every type but the survey-only ones (a file answer is kept with a survey's answer).
 */
function checkTypeFor(form: FormView, type: FormItemView['type']) {
  if (form.purpose === 'registration' && !REGISTRATION_ITEM_TYPES.includes(type))
    throw badRequest('FORM_ITEM_TYPE_NOT_HERE', 'この種類の項目は登録フォーム（受信設定）には追加できません');
  if (form.purpose !== 'survey' && SURVEY_ONLY_ITEM_TYPES.includes(type))
    throw badRequest('FORM_ITEM_TYPE_NOT_HERE', 'ファイル・写真の項目はアンケートにだけ追加できます');
}

/**
 * Who may design a form: the registration form needs forms.manage, a survey's form surveys.manage,
 * a booking calendar's form reservations.manage, a procedure's form procedures.manage (the routes let
 * these through; the purpose decides).
 */
export async function requireFormDesigner(db: Db, formId: string, permissions: readonly string[]) {
  const form = await findFormRow(db, formId);
  if (!form) throw notFound('フォーム');
  const needed =
    form.purpose === 'registration'
      ? 'forms.manage'
      : form.purpose === 'booking'
        ? 'reservations.manage'
        : form.purpose === 'application'
          ? 'procedures.manage'
          : 'surveys.manage';
  if (!permissions.includes(needed)) throw notFound('フォーム');
}

function checkChoiceCount(item: Pick<FormItemView, 'type' | 'choices'>, adding: number) {
  const limit = item.type === 'area' ? FORM_LIMITS.areaChoices : FORM_LIMITS.choices;
  if (item.choices.length + adding > limit)
    throw badRequest(
      'FORM_TOO_MANY_CHOICES',
      `選択肢は1項目につき${limit}個までです（廃止した選択肢を含みます）`,
    );
}

const noChoicesHere = () =>
  badRequest('FORM_CHOICES_NOT_ALLOWED', 'この種類の項目には選択肢を設定できません');
const noTownsHere = () =>
  badRequest('FORM_CHOICES_NOT_ALLOWED', '町丁は「区・町丁」の項目の区にだけ追加できます');

export async function updateForm(db: Db, formId: string, change: { title?: string; description?: string }) {
  return changeForm(db, formId, async (trx) => {
    await touchForm(trx, formId, change);
  });
}

export async function addItem(db: Db, formId: string, input: ItemCreate): Promise<FormView> {
  checkConfig(input.type, input.config);
  if (!isChoiceType(input.type) && input.choices.length > 0) throw noChoicesHere();
  if (input.type !== 'area' && input.choices.some((c) => c.children && c.children.length > 0))
    throw noTownsHere();
  return changeForm(db, formId, async (trx, current) => {
    checkTypeFor(current, input.type);
    if (current.items.length >= FORM_LIMITS.items)
      throw badRequest(
        'FORM_TOO_MANY_ITEMS',
        `項目は1つのフォームに${FORM_LIMITS.items}個までです（廃止した項目を含みます）`,
      );
    const key = input.key ?? `q_${randomBytes(4).toString('hex')}`;
    if (current.items.some((i) => i.key === key))
      throw conflict('FORM_ITEM_KEY_TAKEN', `項目キー「${key}」は使われています`);
    checkChoiceCount(
      { type: input.type, choices: [] },
      input.choices.reduce((n, c) => n + 1 + (c.children?.length ?? 0), 0),
    );
    checkConditions([
      ...current.items,
      { key, label: input.label, type: input.type, config: input.config, choices: [] },
    ]);
    const { id } = await insertItemRow(trx, {
      formId,
      key,
      label: input.label,
      type: input.type,
      required: input.required,
      help: input.help,
      config: input.config,
    });
    const parents = await insertChoiceRows(
      trx,
      id,
      null,
      input.choices.map((c) => c.label),
    );
    for (const [i, c] of input.choices.entries())
      if (c.children?.length) await insertChoiceRows(trx, id, parents[i]!, c.children);
  });
}

export async function updateItem(db: Db, formId: string, itemId: string, change: ItemUpdate) {
  return changeForm(db, formId, async (trx, form) => {
    const item = itemOf(form, itemId);
    if (change.config) {
      checkConfig(item.type, change.config);
      const config = change.config;
      checkConditions(form.items.map((i) => (i.id === itemId ? { ...i, config } : i)));
    }
    await updateItemRow(trx, itemId, change);
  });
}

export async function setItemRetiredState(db: Db, formId: string, itemId: string, retired: boolean) {
  return changeForm(db, formId, async (trx, form) => {
    itemOf(form, itemId);
    await setItemRetired(trx, itemId, retired);
  });
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));

export async function reorderItems(db: Db, formId: string, itemIds: string[]) {
  return changeForm(db, formId, async (trx, form) => {
    if (
      !sameSet(
        itemIds,
        form.items.map((i) => i.id),
      )
    )
      throw badRequest(
        'FORM_ORDER_INVALID',
        '並べ替えには、このフォームのすべての項目を1回ずつ指定してください',
      );
    const byId = new Map(form.items.map((i) => [i.id, i]));
    checkConditions(itemIds.map((id) => byId.get(id)!));
    await setItemPositions(trx, formId, itemIds);
  });
}

export async function addChoices(
  db: Db,
  formId: string,
  itemId: string,
  labels: string[],
  parentId: string | null,
) {
  return changeForm(db, formId, async (trx, form) => {
    const item = itemOf(form, itemId);
    if (!isChoiceType(item.type)) throw noChoicesHere();
    if (parentId !== null) {
      if (item.type !== 'area') throw noTownsHere();
      const parent = choiceOf(item, parentId);
      if (parent.parentId !== null)
        throw badRequest('FORM_CHOICE_PARENT_INVALID', '町丁は区の下にだけ追加できます');
    }
    checkChoiceCount(item, labels.length);
    await insertChoiceRows(trx, itemId, parentId, labels);
  });
}

export async function renameChoice(db: Db, formId: string, itemId: string, choiceId: string, label: string) {
  return changeForm(db, formId, async (trx, form) => {
    choiceOf(itemOf(form, itemId), choiceId);
    await updateChoiceLabel(trx, choiceId, label);
  });
}

export async function setChoiceRetiredState(
  db: Db,
  formId: string,
  itemId: string,
  choiceId: string,
  retired: boolean,
) {
  return changeForm(db, formId, async (trx, form) => {
    choiceOf(itemOf(form, itemId), choiceId);
    await setChoiceRetired(trx, choiceId, retired);
  });
}

/** Orders the choices of one group: the wards (or plain choices) of an item, or the towns of a ward. */
export async function reorderChoices(db: Db, formId: string, itemId: string, choiceIds: string[]) {
  return changeForm(db, formId, async (trx, form) => {
    const item = itemOf(form, itemId);
    const first = item.choices.find((c) => c.id === choiceIds[0]);
    const siblings = item.choices.filter((c) => c.parentId === (first?.parentId ?? null)).map((c) => c.id);
    if (!first || !sameSet(choiceIds, siblings))
      throw badRequest(
        'FORM_ORDER_INVALID',
        '並べ替えには、同じ階層のすべての選択肢を1回ずつ指定してください',
      );
    await setChoicePositions(trx, itemId, choiceIds);
  });
}

// ---------------------------------------------------------------------------------------------
// Answers (citizens, G-02, G-03)

export function storedAnswers(
  cipher: Cipher,
  row: Pick<Selectable<FormResponsesTable>, 'choice_ids' | 'numbers' | 'texts_enc'> | undefined | null,
): StoredAnswers {
  if (!row) return emptyAnswers();
  return {
    choiceIds: row.choice_ids.map(String),
    numbers: row.numbers ?? {},
    texts: row.texts_enc
      ? (JSON.parse(cipher.decryptBytes(row.texts_enc).toString('utf8')) as Record<string, string>)
      : {},
  };
}

/** Answers that do not fit the form: 400 FORM_ANSWER_INVALID with one detail per item (`answers.<key>`). */
export const answerProblems = (problems: { path: string; code: string; message: string }[]) =>
  new AppError(
    400,
    'FORM_ANSWER_INVALID',
    problems.length === 1 ? problems[0]!.message : `入力内容を確認してください（${problems.length} 件）`,
    problems,
  );

/**
 * The keys of the text answers present, kept beside the sealed texts so results count them in SQL;
 * the file items answered (their files are kept elsewhere) are counted the same way.
 */
export const textKeysOf = (form: FormView, stored: StoredAnswers) =>
  form.items
    .filter((i) =>
      i.type === 'file'
        ? (stored.files?.[i.key]?.length ?? 0) > 0
        : isTextType(i.type) && stored.texts[i.key] !== undefined,
    )
    .map((i) => i.key);

export const sealTexts = (cipher: Cipher, texts: Record<string, string>) =>
  Object.keys(texts).length > 0 ? cipher.encryptBytes(Buffer.from(JSON.stringify(texts), 'utf8')) : null;

export type RegistrationView = RegistrationViewOf<Date>;

/** The registration form and a LINE user's current answers. */
export async function readRegistration(
  db: Db,
  cipher: Cipher,
  channelId: string,
  lineUserId: string,
): Promise<RegistrationView> {
  const form = await findActiveRegistrationForm(db, channelId);
  const friend = await findFriendByLineUser(db, channelId, lineUserId);
  const row = form && friend ? await findResponseRow(db, form.id, friend.id) : undefined;
  return {
    form: form ? publicForm(form) : null,
    answers: form && row ? answersOf(form, storedAnswers(cipher, row), { includeRetired: false }) : {},
    isFriend: friend !== undefined,
    registered: row !== undefined,
    registeredAt: row?.submitted_at ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** Saves a (partial) change of a LINE user's answers after checking it against the form. */
export async function saveRegistration(
  db: Db,
  cipher: Cipher,
  channelId: string,
  lineUserId: string,
  input: Answers,
): Promise<RegistrationView> {
  const form = await findActiveRegistrationForm(db, channelId);
  if (!form) throw notFound('登録フォーム');
  const friend = await findFriendByLineUser(db, channelId, lineUserId);
  if (!friend) throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから登録してください');
  await db.transaction().execute(async (trx) => {
    const row = await lockResponseRow(trx, form.id, friend.id);
    const { answers, problems } = applyAnswers(form, row ? storedAnswers(cipher, row) : null, input);
    if (problems.length > 0) throw answerProblems(problems);
    await upsertResponseRow(trx, {
      formId: form.id,
      friendId: friend.id,
      choiceIds: answers.choiceIds,
      numbers: answers.numbers,
      textsEnc: sealTexts(cipher, answers.texts),
    });
  });
  return readRegistration(db, cipher, channelId, lineUserId);
}

/**
 * Sets one choice item's answer for a LINE user inside the caller's transaction (a chatbot step
 * "set an attribute", B-02), with the same checks and sealing as the registration page. Answers
 * whether it was saved (false: no form, item or friend, or the choices do not fit the item).
 */
export async function setChoiceAnswer(
  trx: Transaction<Database>,
  cipher: Cipher,
  channelId: string,
  lineUserId: string,
  itemId: string,
  choiceIds: string[],
): Promise<boolean> {
  const form = await findActiveRegistrationForm(trx, channelId);
  const item = form?.items.find((i) => i.id === itemId);
  if (!form || !item || item.retired || !isChoiceType(item.type)) return false;
  const friend = await findFriendByLineUser(trx, channelId, lineUserId);
  if (!friend) return false;
  const value =
    item.type === 'multiple'
      ? choiceIds
      : item.type === 'area'
        ? { ward: choiceIds[0] ?? '', town: choiceIds[1] ?? null }
        : (choiceIds[0] ?? null);
  const row = await lockResponseRow(trx, form.id, friend.id);
  const { answers, problems } = applyAnswers(form, row ? storedAnswers(cipher, row) : null, {
    [item.key]: value,
  } as Answers);
  if (problems.length > 0) return false;
  await upsertResponseRow(trx, {
    formId: form.id,
    friendId: friend.id,
    choiceIds: answers.choiceIds,
    numbers: answers.numbers,
    textsEnc: sealTexts(cipher, answers.texts),
  });
  return true;
}

/** The registration page as LINE opens it: the LIFF app with `page=register` (the follow greeting's button). */
export const registrationLink = (liffId: string) => `https://liff.line.me/${liffId}?page=register`;
