import {
  type FormChoiceView,
  type FormItemType,
  type FormItemView,
  type FormView,
  ITEM_TYPES,
  type ItemConfig,
  REGISTRATION_ITEM_TYPES,
  SURVEY_ONLY_ITEM_TYPES,
} from '@madoguchi/contracts/forms.ts';
import { api, query } from '../../api/client.ts';

// The registration form (受信設定) as the server's form engine answers it (G-01, G-11). Every change
// answers the whole form, so the page simply replaces what it shows.

export type { FileAccept, ItemConfig, TextCharset } from '@madoguchi/contracts/forms.ts';
export {
  CHOICE_TYPES,
  FILE_ACCEPTS,
  FORM_LIMITS,
  ITEM_TYPES,
  TEXT_CHARSETS,
} from '@madoguchi/contracts/forms.ts';
export type ItemType = FormItemType;

/**
 * Whose form a designer edits: the registration form (受信設定) offers REGISTRATION_ITEM_TYPES and their
 * plain settings; a survey and a booking form every type, the text / number / selection limits,
 * display conditions (showIf) and staff-only items (管理項目).
 */
export type FormPurpose = 'registration' | 'survey' | 'booking' | 'application';

/** Every item type and setting (surveys, bookings); the registration form keeps its plain set. */
export const fullDesigner = (purpose: FormPurpose): boolean => purpose !== 'registration';

/** The registration form's plain set; a survey every type; a booking form all but the survey-only (file). */
export const itemTypesFor = (purpose: FormPurpose): readonly ItemType[] =>
  purpose === 'survey'
    ? ITEM_TYPES
    : fullDesigner(purpose)
      ? ITEM_TYPES.filter((type) => !SURVEY_ONLY_ITEM_TYPES.includes(type))
      : REGISTRATION_ITEM_TYPES;

/** Items whose answer a later item's display condition (showIf) may test. */
export const CONDITION_TYPES: readonly ItemType[] = ['single', 'multiple', 'select'];

/** Earlier active choice items (citizens see them) that the item at `index` may be shown after. */
export const conditionItems = (items: FormItem[], index: number): FormItem[] =>
  items.slice(0, index).filter((i) => !i.retired && !i.config.staffOnly && CONDITION_TYPES.includes(i.type));

export type FormChoice = FormChoiceView;
export type FormItem = FormItemView;
/** The registration form as every change answers it (the whole form; the console reads no more). */
export type RegistrationForm = Omit<FormView, 'purpose' | 'updatedAt'>;

export type NewItem = {
  type: ItemType;
  label: string;
  required: boolean;
  help: string;
  config: ItemConfig;
  choices: { label: string }[];
};

const base = (formId: string) => `/api/forms/${encodeURIComponent(formId)}`;
const item = (formId: string, itemId: string) => `${base(formId)}/items/${encodeURIComponent(itemId)}`;
const choice = (formId: string, itemId: string, choiceId: string) =>
  `${item(formId, itemId)}/choices/${encodeURIComponent(choiceId)}`;

export const formsApi = {
  registrationPath: (channelId: string) => `/api/forms/registration${query({ channelId })}`,
  addItem: (formId: string, body: NewItem) => api.post<RegistrationForm>(`${base(formId)}/items`, body),
  updateItem: (
    formId: string,
    itemId: string,
    body: Partial<Pick<FormItem, 'label' | 'required' | 'help' | 'config'>>,
  ) => api.patch<RegistrationForm>(item(formId, itemId), body),
  setItemRetired: (formId: string, itemId: string, retired: boolean) =>
    api.post<RegistrationForm>(`${item(formId, itemId)}/${retired ? 'retire' : 'restore'}`),
  orderItems: (formId: string, itemIds: string[]) =>
    api.put<RegistrationForm>(`${base(formId)}/items/order`, { itemIds }),
  addChoices: (formId: string, itemId: string, labels: string[], parentId: string | null = null) =>
    api.post<RegistrationForm>(`${item(formId, itemId)}/choices`, { labels, parentId }),
  renameChoice: (formId: string, itemId: string, choiceId: string, label: string) =>
    api.patch<RegistrationForm>(choice(formId, itemId, choiceId), { label }),
  setChoiceRetired: (formId: string, itemId: string, choiceId: string, retired: boolean) =>
    api.post<RegistrationForm>(`${choice(formId, itemId, choiceId)}/${retired ? 'retire' : 'restore'}`),
  orderChoices: (formId: string, itemId: string, choiceIds: string[]) =>
    api.put<RegistrationForm>(`${item(formId, itemId)}/choices/order`, { choiceIds }),
};

/** The list with the element at `index` moved one place up (-1) or down (+1). */
export function moved<T>(list: T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return list;
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** Lines of a textarea as labels: trimmed, empty lines dropped. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
