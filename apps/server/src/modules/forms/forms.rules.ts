import {
  checkCharset,
  checkDate,
  checkEmail,
  checkNumber,
  checkPhone,
  checkPostalCode,
  type FormatResult,
} from '@madoguchi/contracts/answer-formats.ts';
import {
  type FormItemView,
  type FormView as FormViewOf,
  type PublicForm,
  TEXT_TYPES,
} from '@madoguchi/contracts/forms.ts';
import type { FormItemType } from '../../db/schema.ts';
import { tokyoYear } from '../../platform/tokyo-time.ts';
import {
  type Answers,
  type AnswerValue,
  CHOICE_TYPES,
  FORM_LIMITS,
  type ItemConfig,
} from './forms.schema.ts';

// The pure rules of the form engine: item settings, checking answers against the form, and turning
// answers into the stored shape (choice IDs, numbers, texts) and back. No I/O here.

export type { FormChoiceView, FormItemView } from '@madoguchi/contracts/forms.ts';
export type FormView = FormViewOf<Date>;

/** Answers as form_responses keeps them: every chosen choice, numbers and texts by item key. */
export interface StoredAnswers {
  choiceIds: string[];
  numbers: Record<string, number>;
  texts: Record<string, string>;
  /**
   * file items (surveys only, kept in survey_files): the files by item key, in order. The name is ''
   * for a file just named by the respondent (the survey checks and reads it).
   */
  files?: Record<string, StoredFile[]>;
}

export interface StoredFile {
  id: string;
  name: string;
}

export interface Problem {
  path: string;
  code: string;
  message: string;
}

export const emptyAnswers = (): StoredAnswers => ({ choiceIds: [], numbers: {}, texts: {} });

const EVERY_ITEM: (keyof ItemConfig)[] = ['showIf', 'staffOnly'];
const TEXT_KEYS: (keyof ItemConfig)[] = ['minLength', 'maxLength', 'charset'];
const CONFIG_KEYS: Record<FormItemType, (keyof ItemConfig)[]> = {
  single: [],
  select: [],
  area: [],
  multiple: ['minSelections', 'maxSelections'],
  birth_year: ['min', 'max'],
  text: TEXT_KEYS,
  textarea: TEXT_KEYS,
  number: ['minValue', 'maxValue', 'integer'],
  date: [],
  postal_code: [],
  phone: [],
  email: [],
  address: [],
  description: [],
  file: ['maxFiles', 'accept'],
};

/** Why the settings do not fit the item type, or null. */
export function configProblem(type: FormItemType, config: ItemConfig): string | null {
  // A description has no answer; a file answer comes only from the respondent (never staff-only).
  const allowed = [
    ...CONFIG_KEYS[type],
    ...(type === 'description' || type === 'file' ? ['showIf' as const] : EVERY_ITEM),
  ];
  const extra = Object.keys(config).filter(
    (k) => config[k as keyof ItemConfig] !== undefined && !allowed.includes(k as keyof ItemConfig),
  );
  if (extra.length > 0) return `この種類の項目には設定できない値があります: ${extra.join(', ')}`;
  if (config.min !== undefined && config.max !== undefined && config.min > config.max)
    return '生年の範囲は、最初の年を最後の年以前にしてください';
  if (config.minValue !== undefined && config.maxValue !== undefined && config.minValue > config.maxValue)
    return '数値の範囲は、最小値を最大値以下にしてください';
  if (config.minLength !== undefined && config.maxLength !== undefined && config.minLength > config.maxLength)
    return '文字数は、最小を最大以下にしてください';
  if (
    config.minSelections !== undefined &&
    config.maxSelections !== undefined &&
    config.minSelections > config.maxSelections
  )
    return '選べる数は、最小を最大以下にしてください';
  return null;
}

/**
 * Why the conditions (showIf) of these items, in this order, cannot work, or null: each must name an
 * earlier single, multiple or pull-down item and some of its choices.
 */
export function showIfProblem(
  items: Pick<FormItemView, 'key' | 'label' | 'type' | 'config' | 'choices'>[],
): string | null {
  for (const [at, item] of items.entries()) {
    const cond = item.config.showIf;
    if (!cond) continue;
    const ref = items.slice(0, at).find((i) => i.key === cond.item);
    if (!ref || !['single', 'multiple', 'select'].includes(ref.type))
      return `「${item.label}」の表示条件には、この項目より前の選択式（単一・複数・プルダウン）の項目を指定してください`;
    const ids = new Set(ref.choices.map((c) => c.id));
    if (!cond.choices.every((id) => ids.has(id)))
      return `「${item.label}」の表示条件の選択肢が「${ref.label}」にありません`;
  }
  return null;
}

/** The settings with their defaults filled in (birth year range up to this year, text lengths). */
export function effectiveConfig(item: Pick<FormItemView, 'type' | 'config'>, now = new Date()) {
  const c = item.config;
  return {
    min: c.min ?? FORM_LIMITS.birthYearMin,
    max: c.max ?? tokyoYear(now),
    maxLength:
      c.maxLength ??
      (item.type === 'textarea'
        ? FORM_LIMITS.defaultTextLength.textarea
        : FORM_LIMITS.defaultTextLength.text),
    maxSelections: c.maxSelections ?? null,
    minSelections: c.minSelections ?? null,
    minLength: c.minLength ?? null,
    maxFiles: c.maxFiles ?? 1,
    accept: c.accept ?? ('image' as const),
  };
}

/** Items whose answer is one text (kept sealed in `texts`). */
export const isTextType = (type: FormItemType) => TEXT_TYPES.includes(type);

/** An answer of a staff-only item (管理項目), or of an item citizens answer. */
export const isStaffOnly = (item: Pick<FormItemView, 'config'>) => item.config.staffOnly === true;

/**
 * Items hidden by their condition (showIf) under these answers: an item is shown when the earlier
 * item it names is shown and holds one of the listed choices.
 */
export function hiddenItems(form: Pick<FormView, 'items'>, stored: StoredAnswers): Set<string> {
  const hidden = new Set<string>();
  const held = new Set(stored.choiceIds.map(String));
  const byKey = new Map(form.items.map((i) => [i.key, i]));
  for (const item of form.items) {
    const cond = item.config.showIf;
    if (!cond) continue;
    const ref = byKey.get(cond.item);
    if (!ref || hidden.has(ref.key) || !cond.choices.some((id) => held.has(id))) hidden.add(item.key);
  }
  return hidden;
}

export const isChoiceType = (type: FormItemType) => CHOICE_TYPES.includes(type);

/** The form as a citizen sees it: only active items and choices (towns of a retired ward hidden). */
export function publicForm(form: FormView): PublicForm {
  return {
    id: form.id,
    title: form.title,
    description: form.description,
    items: form.items
      .filter((i) => !i.retired && !isStaffOnly(i))
      .map((i) => {
        const activeWards = new Set(
          i.choices.filter((c) => !c.retired && c.parentId === null).map((c) => c.id),
        );
        const cfg = effectiveConfig(i);
        return {
          id: i.id,
          key: i.key,
          label: i.label,
          type: i.type,
          required: i.required,
          help: i.help,
          config: publicConfig(i, cfg),
          choices: i.choices
            .filter((c) => !c.retired && (c.parentId === null || activeWards.has(c.parentId)))
            .map((c) => ({ id: c.id, label: c.label, parentId: c.parentId })),
        };
      }),
  };
}
export type { PublicForm };

/** The settings a citizen page needs to show and check an item (defaults filled in). */
function publicConfig(i: FormItemView, cfg: ReturnType<typeof effectiveConfig>): ItemConfig {
  const c = i.config;
  const base: ItemConfig = c.showIf ? { showIf: c.showIf } : {};
  switch (i.type) {
    case 'birth_year':
      return { ...base, min: cfg.min, max: cfg.max };
    case 'text':
    case 'textarea':
      return {
        ...base,
        maxLength: cfg.maxLength,
        ...(c.minLength !== undefined ? { minLength: c.minLength } : {}),
        ...(c.charset ? { charset: c.charset } : {}),
      };
    case 'multiple':
      return {
        ...base,
        ...(c.maxSelections !== undefined ? { maxSelections: c.maxSelections } : {}),
        ...(c.minSelections !== undefined ? { minSelections: c.minSelections } : {}),
      };
    case 'number':
      return {
        ...base,
        ...(c.minValue !== undefined ? { minValue: c.minValue } : {}),
        ...(c.maxValue !== undefined ? { maxValue: c.maxValue } : {}),
        ...(c.integer ? { integer: true } : {}),
      };
    case 'file':
      return { ...base, maxFiles: cfg.maxFiles, accept: cfg.accept };
    default:
      return base;
  }
}

/** One item's answer, read from the stored answers (retired choices included). */
export function answerOf(item: FormItemView, stored: StoredAnswers): AnswerValue | undefined {
  if (isTextType(item.type)) return stored.texts[item.key];
  switch (item.type) {
    case 'birth_year':
    case 'number':
      return stored.numbers[item.key];
    case 'description':
      return undefined;
    case 'file': {
      const files = stored.files?.[item.key] ?? [];
      return files.length > 0 ? files.map((f) => f.id) : undefined;
    }
    default: {
      const held = new Set(stored.choiceIds);
      const chosen = item.choices.filter((c) => held.has(c.id));
      if (item.type === 'multiple') return chosen.length > 0 ? chosen.map((c) => c.id) : undefined;
      if (item.type === 'area') {
        const ward = chosen.find((c) => c.parentId === null);
        if (!ward) return undefined;
        const town = chosen.find((c) => c.parentId === ward.id);
        return { ward: ward.id, town: town?.id ?? null };
      }
      return chosen[0]?.id;
    }
  }
}

/** Every answer by item key (items without an answer are left out). */
export function answersOf(form: FormView, stored: StoredAnswers, opts: { includeRetired: boolean }): Answers {
  const out: Answers = {};
  for (const item of form.items) {
    if (item.retired && !opts.includeRetired) continue;
    const value = answerOf(item, stored);
    if (value !== undefined) out[item.key] = value;
  }
  return out;
}

/**
 * Turns stored answers into one text (or number) per item, for exports: choice labels (retired
 * ones too; a ward and its town joined by a space, several choices by "、"), the year, or the text.
 * Choices are looked up once per form, so a row costs O(chosen choices + items).
 */
export function answerFormatter(form: FormView): (stored: StoredAnswers) => (string | number)[] {
  const index = new Map<string, { itemId: string; order: number; label: string; isTown: boolean }>();
  for (const item of form.items)
    for (const [order, c] of item.choices.entries())
      index.set(c.id, { itemId: item.id, order, label: c.label, isTown: c.parentId !== null });
  return (stored) => {
    const chosen = new Map<string, { order: number; label: string; isTown: boolean }[]>();
    for (const id of stored.choiceIds) {
      const hit = index.get(String(id));
      if (!hit) continue;
      const list = chosen.get(hit.itemId) ?? [];
      list.push(hit);
      chosen.set(hit.itemId, list);
    }
    return form.items.map((item) => {
      if (item.type === 'birth_year' || item.type === 'number') return stored.numbers[item.key] ?? '';
      if (item.type === 'file') return (stored.files?.[item.key] ?? []).map((f) => f.name).join('、');
      if (isTextType(item.type)) return stored.texts[item.key] ?? '';
      const list = (chosen.get(item.id) ?? []).sort((a, b) => a.order - b.order);
      if (item.type === 'area') {
        const ward = list.find((c) => !c.isTown);
        return ward ? [ward.label, list.find((c) => c.isTown)?.label].filter(Boolean).join(' ') : '';
      }
      return list.map((c) => c.label).join('、');
    });
  };
}

const isBlank = (v: AnswerValue) => v === null || v === '' || (Array.isArray(v) && v.length === 0);

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies a (partial, G-03) change to a respondent's answers and checks the result against the form.
 * Items named in `input` are replaced (null / '' / [] clears them); the others keep their answers.
 * A retired choice is accepted only where the respondent already held it, so re-sending the answers
 * as read keeps them; new answers must use active items and choices.
 * `as`: a citizen answers the items they see (a staff-only item is unknown to them; required items
 * must be answered unless hidden by their condition, whose answers are dropped); staff fill only
 * the staff-only items (管理項目), none of which is required at each change.
 */
export function applyAnswers(
  form: FormView,
  previous: StoredAnswers | null,
  input: Answers,
  now = new Date(),
  as: 'citizen' | 'staff' = 'citizen',
): { answers: StoredAnswers; problems: Problem[] } {
  const before = previous ?? emptyAnswers();
  const held = new Set(before.choiceIds);
  const choiceIds = new Set(before.choiceIds);
  const numbers = { ...before.numbers };
  const texts = { ...before.texts };
  const files = { ...before.files };
  const problems: Problem[] = [];
  const byKey = new Map(form.items.map((i) => [i.key, i]));

  for (const [key, value] of Object.entries(input)) {
    const path = `answers.${key}`;
    const item = byKey.get(key);
    const fail = (code: string, message: string) => problems.push({ path, code, message });
    if (!item || (as === 'citizen' && isStaffOnly(item)) || item.type === 'description') {
      fail('FORM_ITEM_UNKNOWN', `「${key}」という項目はありません`);
      continue;
    }
    const name = `「${item.label}」`;
    if (as === 'staff' && !isStaffOnly(item)) {
      fail('FORM_ITEM_NOT_STAFF', `${name}は回答者の項目です（職員が変更できるのは管理項目だけです）`);
      continue;
    }
    if (item.retired) {
      // Sending back an unchanged answer of a retired item is harmless; changing it is not.
      if (JSON.stringify(answerOf(item, before) ?? null) !== JSON.stringify(value))
        fail('FORM_ITEM_RETIRED', `${name}は現在受け付けていません`);
      continue;
    }
    const usable = (id: string) => {
      const c = item.choices.find((x) => x.id === id);
      return c && (!c.retired || held.has(c.id)) ? c : undefined;
    };
    const wrongType = () => fail('FORM_ANSWER_TYPE', `${name}の回答の形式が正しくありません`);
    const cfg = effectiveConfig(item, now);

    if (isChoiceType(item.type)) {
      let chosen: string[] = [];
      if (isBlank(value)) chosen = [];
      else if (item.type === 'multiple') {
        if (!Array.isArray(value)) {
          wrongType();
          continue;
        }
        chosen = [...new Set(value)];
        if (chosen.some((id) => usable(id)?.parentId !== null)) {
          fail('FORM_CHOICE_INVALID', `${name}の選択肢が正しくありません`);
          continue;
        }
        if (cfg.maxSelections !== null && chosen.length > cfg.maxSelections) {
          fail('FORM_TOO_MANY_CHOICES', `${name}は${cfg.maxSelections}個まで選べます`);
          continue;
        }
        if (cfg.minSelections !== null && chosen.length > 0 && chosen.length < cfg.minSelections) {
          fail('FORM_TOO_FEW_CHOICES', `${name}は${cfg.minSelections}個以上選んでください`);
          continue;
        }
      } else if (item.type === 'area') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          wrongType();
          continue;
        }
        const ward = usable(value.ward);
        if (!ward || ward.parentId !== null) {
          fail('FORM_CHOICE_INVALID', `${name}の区が正しくありません`);
          continue;
        }
        const townId = value.town ?? null;
        if (townId !== null) {
          const town = usable(townId);
          if (!town || town.parentId !== ward.id) {
            const elsewhere = item.choices.some(
              (c) => c.id === townId && c.parentId !== null && c.parentId !== ward.id,
            );
            if (elsewhere) fail('FORM_TOWN_NOT_IN_WARD', `選んだ町丁は「${ward.label}」にありません`);
            else fail('FORM_CHOICE_INVALID', `${name}の町丁が正しくありません`);
            continue;
          }
        } else if (item.required && item.choices.some((c) => c.parentId === ward.id && !c.retired)) {
          fail('FORM_TOWN_REQUIRED', `${name}の町丁を選んでください`);
          continue;
        }
        chosen = townId === null ? [ward.id] : [ward.id, townId];
      } else {
        if (typeof value !== 'string') {
          wrongType();
          continue;
        }
        if (usable(value)?.parentId !== null) {
          fail('FORM_CHOICE_INVALID', `${name}の選択肢が正しくありません`);
          continue;
        }
        chosen = [value];
      }
      for (const c of item.choices) choiceIds.delete(c.id);
      for (const id of chosen) choiceIds.add(id);
      continue;
    }

    if (item.type === 'birth_year') {
      if (isBlank(value)) {
        delete numbers[key];
        continue;
      }
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        fail('FORM_ANSWER_TYPE', `${name}は西暦の年（数字4桁）で入力してください`);
        continue;
      }
      if (value < cfg.min || value > cfg.max) {
        fail('FORM_BIRTH_YEAR_RANGE', `${name}は${cfg.min}年から${cfg.max}年の間で入力してください`);
        continue;
      }
      numbers[key] = value;
      continue;
    }

    if (item.type === 'number') {
      if (isBlank(value)) {
        delete numbers[key];
        continue;
      }
      const r = checkNumber(value, name, item.config);
      if (!r.ok) fail(r.code, r.message);
      else numbers[key] = r.value;
      continue;
    }

    if (item.type === 'file') {
      if (isBlank(value)) {
        delete files[key];
        continue;
      }
      if (!Array.isArray(value) || !value.every((id) => UUID.test(id))) {
        wrongType();
        continue;
      }
      const ids = [...new Set(value)];
      if (ids.length > cfg.maxFiles) {
        fail('FORM_TOO_MANY_FILES', `${name}は${cfg.maxFiles}個までです`);
        continue;
      }
      const held = new Map((before.files?.[key] ?? []).map((f) => [f.id, f]));
      files[key] = ids.map((id) => held.get(id) ?? { id, name: '' });
      continue;
    }

    // The text types: free text, and the formatted ones.
    if (isBlank(value)) {
      delete texts[key];
      continue;
    }
    if (typeof value !== 'string') {
      wrongType();
      continue;
    }
    const text = value.trim();
    if (CONTROL.test(text) || (item.type !== 'textarea' && LINE_BREAK.test(text))) {
      fail('FORM_TEXT_INVALID', `${name}に使えない文字が含まれています`);
      continue;
    }
    const r = checkText(item, name, text, cfg);
    if (!r.ok) {
      fail(r.code, r.message);
      continue;
    }
    if (r.value === '') delete texts[key];
    else texts[key] = r.value;
  }

  // Answers of items hidden by their condition are not kept.
  const hidden = hiddenItems(form, { choiceIds: [...choiceIds], numbers, texts });
  for (const item of form.items) {
    if (!hidden.has(item.key)) continue;
    for (const c of item.choices) choiceIds.delete(c.id);
    delete numbers[item.key];
    delete texts[item.key];
    delete files[item.key];
  }

  const answers: StoredAnswers = {
    choiceIds: [...choiceIds],
    numbers,
    texts,
    ...(Object.keys(files).length > 0 || before.files ? { files } : {}),
  };
  const failed = new Set(problems.map((p) => p.path));
  for (const item of form.items) {
    if (item.retired || !item.required || failed.has(`answers.${item.key}`)) continue;
    if (as === 'staff' || isStaffOnly(item) || hidden.has(item.key) || item.type === 'description') continue;
    if (answerOf(item, answers) === undefined)
      problems.push({
        path: `answers.${item.key}`,
        code: 'FORM_ANSWER_REQUIRED',
        message: `「${item.label}」は必須です`,
      });
  }
  return { answers, problems };
}

/** One text answer of a text type: its length and character rule, or its format. */
function checkText(
  item: FormItemView,
  name: string,
  text: string,
  cfg: ReturnType<typeof effectiveConfig>,
): FormatResult<string> {
  switch (item.type) {
    case 'date':
      return checkDate(text, name);
    case 'postal_code':
      return checkPostalCode(text, name);
    case 'phone':
      return checkPhone(text, name);
    case 'email':
      return checkEmail(text, name);
    case 'address':
      return [...text].length > FORM_LIMITS.address
        ? {
            ok: false,
            code: 'FORM_TEXT_TOO_LONG',
            message: `${name}は${FORM_LIMITS.address}文字以内で入力してください`,
          }
        : { ok: true, value: text };
    default: {
      const length = [...text].length;
      if (length > cfg.maxLength)
        return {
          ok: false,
          code: 'FORM_TEXT_TOO_LONG',
          message: `${name}は${cfg.maxLength}文字以内で入力してください`,
        };
      if (cfg.minLength !== null && length < cfg.minLength)
        return {
          ok: false,
          code: 'FORM_TEXT_TOO_SHORT',
          message: `${name}は${cfg.minLength}文字以上で入力してください`,
        };
      return item.config.charset ? checkCharset(text, name, item.config.charset) : { ok: true, value: text };
    }
  }
}
