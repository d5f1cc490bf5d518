import type { FormItemView, FormView as FormViewOf, PublicForm } from '@madoguchi/contracts/forms.ts';
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
}

export interface Problem {
  path: string;
  code: string;
  message: string;
}

export const emptyAnswers = (): StoredAnswers => ({ choiceIds: [], numbers: {}, texts: {} });

const CONFIG_KEYS: Record<FormItemType, (keyof ItemConfig)[]> = {
  single: [],
  select: [],
  area: [],
  multiple: ['maxSelections'],
  birth_year: ['min', 'max'],
  text: ['maxLength'],
  textarea: ['maxLength'],
};

/** Why the settings do not fit the item type, or null. */
export function configProblem(type: FormItemType, config: ItemConfig): string | null {
  const allowed = CONFIG_KEYS[type];
  const extra = Object.keys(config).filter(
    (k) => config[k as keyof ItemConfig] !== undefined && !allowed.includes(k as keyof ItemConfig),
  );
  if (extra.length > 0) return `この種類の項目には設定できない値があります: ${extra.join(', ')}`;
  if (config.min !== undefined && config.max !== undefined && config.min > config.max)
    return '生年の範囲は、最初の年を最後の年以前にしてください';
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
  };
}

export const isChoiceType = (type: FormItemType) => CHOICE_TYPES.includes(type);

/** The form as a citizen sees it: only active items and choices (towns of a retired ward hidden). */
export function publicForm(form: FormView): PublicForm {
  return {
    id: form.id,
    title: form.title,
    description: form.description,
    items: form.items
      .filter((i) => !i.retired)
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
          config:
            i.type === 'birth_year'
              ? { min: cfg.min, max: cfg.max }
              : i.type === 'text' || i.type === 'textarea'
                ? { maxLength: cfg.maxLength }
                : i.type === 'multiple' && cfg.maxSelections !== null
                  ? { maxSelections: cfg.maxSelections }
                  : {},
          choices: i.choices
            .filter((c) => !c.retired && (c.parentId === null || activeWards.has(c.parentId)))
            .map((c) => ({ id: c.id, label: c.label, parentId: c.parentId })),
        };
      }),
  };
}
export type { PublicForm };

/** One item's answer, read from the stored answers (retired choices included). */
export function answerOf(item: FormItemView, stored: StoredAnswers): AnswerValue | undefined {
  switch (item.type) {
    case 'birth_year':
      return stored.numbers[item.key];
    case 'text':
    case 'textarea':
      return stored.texts[item.key];
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
      if (item.type === 'birth_year') return stored.numbers[item.key] ?? '';
      if (item.type === 'text' || item.type === 'textarea') return stored.texts[item.key] ?? '';
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

/**
 * Applies a (partial, G-03) change to a respondent's answers and checks the result against the form.
 * Items named in `input` are replaced (null / '' / [] clears them); the others keep their answers.
 * A retired choice is accepted only where the respondent already held it, so re-sending the answers
 * as read keeps them; new answers must use active items and choices.
 */
export function applyAnswers(
  form: FormView,
  previous: StoredAnswers | null,
  input: Answers,
  now = new Date(),
): { answers: StoredAnswers; problems: Problem[] } {
  const before = previous ?? emptyAnswers();
  const held = new Set(before.choiceIds);
  const choiceIds = new Set(before.choiceIds);
  const numbers = { ...before.numbers };
  const texts = { ...before.texts };
  const problems: Problem[] = [];
  const byKey = new Map(form.items.map((i) => [i.key, i]));

  for (const [key, value] of Object.entries(input)) {
    const path = `answers.${key}`;
    const item = byKey.get(key);
    const fail = (code: string, message: string) => problems.push({ path, code, message });
    if (!item) {
      fail('FORM_ITEM_UNKNOWN', `「${key}」という項目はありません`);
      continue;
    }
    const name = `「${item.label}」`;
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

    // text, textarea
    if (isBlank(value)) {
      delete texts[key];
      continue;
    }
    if (typeof value !== 'string') {
      wrongType();
      continue;
    }
    const text = value.trim();
    if (CONTROL.test(text) || (item.type === 'text' && LINE_BREAK.test(text))) {
      fail('FORM_TEXT_INVALID', `${name}に使えない文字が含まれています`);
      continue;
    }
    if ([...text].length > cfg.maxLength) {
      fail('FORM_TEXT_TOO_LONG', `${name}は${cfg.maxLength}文字以内で入力してください`);
      continue;
    }
    if (text === '') delete texts[key];
    else texts[key] = text;
  }

  const answers: StoredAnswers = { choiceIds: [...choiceIds], numbers, texts };
  const failed = new Set(problems.map((p) => p.path));
  for (const item of form.items) {
    if (item.retired || !item.required || failed.has(`answers.${item.key}`)) continue;
    if (answerOf(item, answers) === undefined)
      problems.push({
        path: `answers.${item.key}`,
        code: 'FORM_ANSWER_REQUIRED',
        message: `「${item.label}」は必須です`,
      });
  }
  return { answers, problems };
}
