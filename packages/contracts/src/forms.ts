// One form engine (G-01, G-11): items of several types, choices (a tree for areas), answers.
// Registration (受信設定) is the first purpose; surveys, bookings, reports and applications reuse it.
// The zod schemas are in forms.schema.ts (this file has no zod, so the console's bundle has none).

import type { Answers, AnswerValue, ItemConfig } from './forms.schema.ts';

export type { Answers, AnswerValue, ItemConfig };

export const ITEM_TYPES = [
  'single',
  'multiple',
  'select',
  'area',
  'birth_year',
  'text',
  'textarea',
  'number',
  'date',
  'postal_code',
  'phone',
  'email',
  'address',
  'description',
  'file',
] as const;
export type FormItemType = (typeof ITEM_TYPES)[number];

/** Item types whose answers are choices. */
export const CHOICE_TYPES: readonly FormItemType[] = ['single', 'multiple', 'select', 'area'];

/** Item types whose answer is one text (kept sealed): free text and the formatted ones. */
export const TEXT_TYPES: readonly FormItemType[] = [
  'text',
  'textarea',
  'date',
  'postal_code',
  'phone',
  'email',
  'address',
];

/**
 * Item types only a survey's form takes: a file answer (photos, a PDF) is uploaded beforehand and kept
 * with the survey's answer (survey_files); registration and booking forms refuse them.
 */
export const SURVEY_ONLY_ITEM_TYPES: readonly FormItemType[] = ['file'];

/** What a file item accepts: images (JPEG, PNG, WebP) only, or images and PDF files. */
export const FILE_ACCEPTS = ['image', 'image_pdf'] as const;
export type FileAccept = (typeof FILE_ACCEPTS)[number];
export const FILE_ACCEPT_LABELS: Record<FileAccept, string> = {
  image: '画像（JPEG・PNG・WebP）',
  image_pdf: '画像（JPEG・PNG・WebP）または PDF',
};
/** The content types each setting takes (the server decides by the bytes; the browser's picker filters). */
export const FILE_ACCEPT_TYPES: Record<FileAccept, readonly string[]> = {
  image: ['image/jpeg', 'image/png', 'image/webp'],
  image_pdf: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
};

/** Item types the registration form (受信設定) offers; the others are for surveys and bookings. */
export const REGISTRATION_ITEM_TYPES: readonly FormItemType[] = [
  'single',
  'multiple',
  'select',
  'area',
  'birth_year',
  'text',
  'textarea',
];

export const ITEM_TYPE_LABELS: Record<FormItemType, string> = {
  single: '単一選択（ラジオボタン）',
  multiple: '複数選択（チェックボックス）',
  select: 'プルダウン',
  area: '地区（区と町丁）',
  birth_year: '生年',
  text: '記述（1行）',
  textarea: '記述（複数行）',
  number: '数値',
  date: '日付',
  postal_code: '郵便番号',
  phone: '電話番号',
  email: 'メールアドレス',
  address: '住所',
  description: '説明文（回答なし）',
  file: 'ファイル・写真',
};

/** What a text answer may contain (全角のみ / 半角のみ / 半角英数 / カタカナ). */
export const TEXT_CHARSETS = ['zenkaku', 'hankaku', 'hankaku_alnum', 'katakana'] as const;
export type TextCharset = (typeof TEXT_CHARSETS)[number];
export const TEXT_CHARSET_LABELS: Record<TextCharset, string> = {
  zenkaku: '全角のみ',
  hankaku: '半角のみ',
  hankaku_alnum: '半角英数のみ',
  katakana: 'カタカナのみ',
};

export const FORM_LIMITS = {
  /** Items per form, retired ones included (they keep old answers readable). */
  items: 100,
  /** Choices per item, retired ones included; an area item holds wards and towns. */
  choices: 200,
  areaChoices: 2000,
  /** Choices added in one request. */
  choicesPerRequest: 200,
  label: 100,
  help: 500,
  /** Longest free text an item may allow. */
  text: 2000,
  defaultTextLength: { text: 100, textarea: 1000 },
  birthYearMin: 1900,
  /** number items: the widest range staff may set. */
  numberAbs: 1e12,
  address: 200,
  email: 254,
  /** file items: the most files one answer may hold, and the largest file. */
  files: 5,
  fileBytes: 10 * 1024 * 1024,
  fileName: 100,
} as const;

/** A file's size as people read it (file answers, for citizens and staff): 240 KB, 1.5 MB. */
export const fileSizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export const ITEM_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export interface FormChoiceView {
  /** bigint identity as a decimal string */
  id: string;
  label: string;
  parentId: string | null;
  position: number;
  retired: boolean;
}

export interface FormItemView {
  id: string;
  key: string;
  label: string;
  type: FormItemType;
  required: boolean;
  position: number;
  help: string;
  config: ItemConfig;
  retired: boolean;
  choices: FormChoiceView[];
}

/** A form as every change answers it (updatedAt: an ISO string in JSON, a Date on the server). */
export interface FormView<Time = string> {
  id: string;
  channelId: string | null;
  purpose: string;
  title: string;
  description: string;
  updatedAt: Time;
  items: FormItemView[];
}

// ---- The form as citizens see it (GET /api/citizen/registration): active items and choices only ----

export interface PublicFormChoice {
  id: string;
  label: string;
  /** area: the ward (区) of a town (町丁) */
  parentId: string | null;
}

export interface PublicFormItem {
  id: string;
  key: string;
  label: string;
  type: FormItemType;
  required: boolean;
  help: string;
  /** Only the settings that apply to the type. */
  config: ItemConfig;
  choices: PublicFormChoice[];
}

export interface PublicForm {
  id: string;
  title: string;
  description: string;
  items: PublicFormItem[];
}

/** The registration form and a LINE user's current answers (by item key, active items only). */
export interface RegistrationView<Time = string> {
  form: PublicForm | null;
  answers: Answers;
  /** The LINE user is a friend of the channel (only friends can register). */
  isFriend: boolean;
  registered: boolean;
  registeredAt: Time | null;
  updatedAt: Time | null;
}
