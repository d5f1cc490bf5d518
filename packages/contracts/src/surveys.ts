// Surveys and public comment (Q-01 … Q-05) on the one form engine (forms.ts): a survey owns a form
// (purpose 'survey'); its answers are survey_responses rows in the form engine's stored shape.
// The zod schemas are in surveys.schema.ts (this file has no zod, so web bundles have none).

import type { Answers, FormView, PublicForm } from './forms.ts';

export const SURVEY_KINDS = ['survey', 'public_comment'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** draft: being designed, citizens cannot open it · open: answers accepted within the period · closed. */
export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** overwrite: one answer per person, sending again replaces it · append: every sending is a new answer. */
export const SURVEY_MODES = ['overwrite', 'append'] as const;
export type SurveyMode = (typeof SURVEY_MODES)[number];

/** The triage of one answer (未対応 / 対応中 / 完了). */
export const RESPONSE_STATUSES = ['new', 'in_progress', 'done'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export const RESPONSE_STATUS_LABELS: Record<ResponseStatus, string> = {
  new: '未対応',
  in_progress: '対応中',
  done: '完了',
};

export const SURVEY_KIND_LABELS: Record<SurveyKind, string> = {
  survey: 'アンケート',
  public_comment: 'パブリックコメント',
};

export const SURVEY_LIMITS = {
  title: 100,
  description: 2000,
  resultsSummary: 10_000,
  /** The public comment's document (PDF). */
  documentBytes: 10 * 1024 * 1024,
  /** Answers per page of the results list. */
  page: 100,
} as const;

/** A survey in the staff list. */
export interface SurveySummary<Time = string> {
  id: string;
  channelId: string;
  kind: SurveyKind;
  title: string;
  status: SurveyStatus;
  mode: SurveyMode;
  anonymous: boolean;
  opensAt: Time | null;
  closesAt: Time | null;
  /** Answers received (every row, in append mode every sending). */
  responses: number;
  updatedAt: Time;
}

/** A survey as staff design it: settings, its form, and the link that opens it in LINE. */
export interface SurveyView<Time = string> extends SurveySummary<Time> {
  description: string;
  /** Only friends in this segment may answer (null: every friend). */
  audienceSegmentId: string | null;
  /** Public comment: the attached document (PDF), if any. */
  document: { fileName: string; bytes: number } | null;
  resultsPublished: boolean;
  resultsSummary: string;
  form: FormView<Time>;
  /** https://liff.line.me/<liffId>?page=survey&id=<id> (null while the channel has no LIFF ID). */
  link: string | null;
}

/** A file of an answer (a file item's answer holds their IDs): what staff see and download. */
export interface ResponseFileView {
  id: string;
  itemKey: string;
  name: string;
  contentType: SurveyFileType;
  bytes: number;
  /** GET it with the staff session (surveys.results); served as an attachment. */
  url: string;
}

/** One answer in the results list. */
export interface ResponseView<Time = string> {
  id: string;
  /** The friend's LINE display name; null for an anonymous survey. */
  respondent: string | null;
  status: ResponseStatus;
  answers: Answers;
  /** The files of its file items, by item and in order. */
  files: ResponseFileView[];
  submittedAt: Time;
  updatedAt: Time;
  statusChangedAt: Time | null;
  statusChangedBy: string | null;
}

export interface ResponsePage<Time = string> {
  total: number;
  items: ResponseView<Time>[];
  /** Pass as `before` for the next page (null: no more). */
  next: string | null;
}

/** Who changed what on one answer (status, staff-only items). */
export interface ResponseChangeView<Time = string> {
  at: Time;
  staff: string | null;
  field: 'status' | 'staff_answers';
  from: string;
  to: string;
}

/** Per question: choice counts, number statistics, or how many answered (free text). */
export type QuestionSummary =
  | {
      key: string;
      label: string;
      kind: 'choices';
      answered: number;
      counts: { id: string; label: string; n: number }[];
    }
  | {
      key: string;
      label: string;
      kind: 'number';
      answered: number;
      min: number | null;
      max: number | null;
      mean: number | null;
    }
  | { key: string; label: string; kind: 'text'; answered: number };

export interface SurveyResults {
  total: number;
  byStatus: Record<ResponseStatus, number>;
  questions: QuestionSummary[];
}

// ---- Citizens (GET /api/citizen/surveys/:id) ----

/** open: can answer · not_open / closed: outside the period · not_in_audience: the survey is for others. */
export type SurveyAvailability = 'open' | 'not_open' | 'closed' | 'not_in_audience';

export interface PublicSurvey<Time = string> {
  id: string;
  kind: SurveyKind;
  title: string;
  description: string;
  mode: SurveyMode;
  anonymous: boolean;
  opensAt: Time | null;
  closesAt: Time | null;
  availability: SurveyAvailability;
  form: PublicForm;
  /** overwrite mode: the citizen's current answer (to change it); else null. */
  answers: Answers | null;
  /** The files the current answer holds (their IDs are in `answers`), to show their names. */
  answerFiles: SurveyFileAccepted[];
  answeredAt: Time | null;
  /** Public comment: the document's URL (same origin), if one is attached. */
  documentUrl: string | null;
  /** Published results (public comment): the city's summary. */
  resultsSummary: string | null;
}

/** The types a survey's file answer may be (decided by the bytes): images, and PDF where allowed. */
export const SURVEY_FILE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type SurveyFileType = (typeof SURVEY_FILE_TYPES)[number];

/** POST /api/citizen/surveys/:id/files: one file uploaded (the answer names it by `fileId`). */
export interface SurveyFileAccepted {
  fileId: string;
  name: string;
  contentType: SurveyFileType;
  bytes: number;
}

export interface SurveyAnswerAccepted<Time = string> {
  responseId: string;
  submittedAt: Time;
  /** true when the same request key was already accepted (a retried send): nothing was added. */
  repeated: boolean;
}

/** A postal code's address (offline Japan Post data): prefecture, city, town. */
export interface PostalAddress {
  prefecture: string;
  city: string;
  town: string;
}
