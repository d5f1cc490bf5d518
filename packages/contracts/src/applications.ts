// Procedures and applications (issue 15, A-03): a procedure (住民票の写し, 印鑑登録証明書 …) is configured
// by staff — a form of the form engine, an identity requirement and a fee rule — not written in code.
// Citizens apply from LINE (identity → form → fee → payment → 受付); staff review, ship, return or
// reject (refunded). The zod schemas are in applications.schema.ts (this file has no zod).

import type { Answers, FormView, PublicForm } from './forms.ts';

export const IDENTITY_LEVELS = ['none', 'basic', 'sign'] as const;
export type ProcedureIdentityLevel = (typeof IDENTITY_LEVELS)[number];

export const IDENTITY_LEVEL_LABELS: Record<ProcedureIdentityLevel, string> = {
  none: '本人確認なし',
  basic: 'マイナンバーカードで本人確認（氏名・住所・生年月日・性別）',
  sign: 'マイナンバーカードで本人確認と電子署名',
};

/**
 * draft: started, identity not yet checked · identity: identity checked (or not needed), the form is
 * being filled · payment: answers sent, waiting for the payment · received 受付 · reviewing 審査中 ·
 * shipped 発送済 · returned 差戻し (the citizen corrects and sends again) · rejected 却下 (refunded).
 */
export const APPLICATION_STATUSES = [
  'draft',
  'identity',
  'payment',
  'received',
  'reviewing',
  'shipped',
  'returned',
  'rejected',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: '本人確認前',
  identity: '入力中',
  payment: '支払い待ち',
  received: '受付',
  reviewing: '審査中',
  shipped: '発送済',
  returned: '差戻し',
  rejected: '却下',
};

/** The statuses staff work with (the queue's filter). */
export const STAFF_STATUSES = ['received', 'reviewing', 'shipped', 'returned', 'rejected'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export const APPLICATION_LIMITS = {
  slug: 40,
  name: 80,
  description: 2000,
  /** Yen per copy; the fee rule is the city's (the demo's figures are examples). */
  unitFee: 100_000,
  postage: 10_000,
  maxCopies: 20,
  retentionDays: 3650,
  note: 2000,
  reason: 500,
  page: 100,
} as const;

/** The postage of one delivery method: a choice of the procedure's delivery item (e.g. 郵送 110 円). */
export interface PostageRule {
  choiceId: string;
  amount: number;
}

export interface FeeRule {
  /** Yen per copy. */
  unitFee: number;
  /** The form item (a number item) giving the copies; none: one copy. */
  copiesItemKey: string | null;
  /** The form item (a choice item) giving the delivery method; none: no postage. */
  deliveryItemKey: string | null;
  postage: PostageRule[];
}

/** One line of the fee (yen), as the payment provider shows it too. */
export interface FeeLine {
  label: string;
  unitAmount: number;
  quantity: number;
}

export interface FeeBreakdown {
  lines: FeeLine[];
  total: number;
}

export interface ProcedureView<Time = string> {
  id: string;
  channelId: string;
  slug: string;
  nameJa: string;
  nameEn: string;
  description: string;
  formId: string;
  identityLevel: ProcedureIdentityLevel;
  fee: FeeRule;
  retentionDays: number;
  active: boolean;
  applications: number;
  updatedAt: Time;
  /** The LIFF link that opens this procedure (null: the channel has no LIFF). */
  link: string | null;
}

/** One procedure for staff, with its form (designed with /api/forms/:formId/…). */
export interface ProcedureDetail<Time = string> extends ProcedureView<Time> {
  form: FormView<Time>;
}

/** A procedure as citizens choose it. */
export interface PublicProcedure {
  id: string;
  slug: string;
  nameJa: string;
  nameEn: string;
  description: string;
  identityLevel: ProcedureIdentityLevel;
  unitFee: number;
}

export interface PublicProcedureDetail extends PublicProcedure {
  form: PublicForm;
}

/** The verified attributes as the citizen confirms them on our page (never sent to LINE). */
export interface IdentityShown {
  name: string;
  address: string;
  birthdate: string;
  gender: string;
}

export interface CitizenApplicationView<Time = string> {
  id: string;
  number: string;
  procedure: PublicProcedureDetail;
  status: ApplicationStatus;
  answers: Answers | null;
  identity: IdentityShown | null;
  /** The fee of the answers sent or saved (computed by the server; null before any answer). */
  fee: FeeBreakdown | null;
  paymentStatus: PaymentState | null;
  /** Why staff returned it (差戻し) or rejected it. */
  reason: string | null;
  submittedAt: Time | null;
  updatedAt: Time;
}

export interface CitizenApplicationSummary<Time = string> {
  id: string;
  number: string;
  procedure: string;
  status: ApplicationStatus;
  submittedAt: Time | null;
  updatedAt: Time;
}

export type PaymentState = 'pending' | 'paid' | 'failed' | 'canceled' | 'refunded' | 'refund_pending';

/** Where the browser goes next (the identity provider or the payment page); null: nothing to do. */
export interface NextStep<Time = string> {
  url: string | null;
  application: CitizenApplicationView<Time>;
}

export interface ApplicationSummary<Time = string> {
  id: string;
  number: string;
  channelId: string;
  procedureId: string;
  procedure: string;
  status: ApplicationStatus;
  amount: number | null;
  assigneeId: string | null;
  assignee: string | null;
  applicant: string | null;
  submittedAt: Time | null;
  updatedAt: Time;
}

export interface ApplicationChangeView<Time = string> {
  at: Time;
  /** Staff's display name; null: the citizen or the system. */
  staff: string | null;
  actor: 'citizen' | 'staff' | 'system';
  field: 'status' | 'assignee' | 'note';
  from: string;
  to: string;
}

export interface ApplicationAnswerView {
  key: string;
  label: string;
  value: string;
}

export interface ApplicationView<Time = string> extends ApplicationSummary<Time> {
  identityLevel: ProcedureIdentityLevel;
  /** The verified attributes (decrypted on this view only; the view is audited). */
  identity: (IdentityShown & { provider: string; verifiedAt: string; signed: boolean }) | null;
  answers: ApplicationAnswerView[];
  fee: FeeBreakdown | null;
  paymentId: string | null;
  paymentStatus: PaymentState | null;
  reason: string | null;
  /** Status buttons: the statuses staff may move it to now. */
  next: StaffStatus[];
  changes: ApplicationChangeView<Time>[];
}

export interface ApplicationPage<Time = string> {
  total: number;
  items: ApplicationSummary<Time>[];
  next: string | null;
}

/** The LINE message on every status change: never personal data nor answers. */
export const APPLICATION_STATUS_MESSAGE = '申請の状況が更新されました';

/** 令和 year: R8 = 2026. */
export const referenceNumber = (eraYear: number, serial: number | string) =>
  `R${eraYear}-${String(serial).padStart(6, '0')}`;
