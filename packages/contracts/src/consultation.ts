import { z } from 'zod';
import { displayText } from './text.ts';

// SNS consultation (C-01 … C-12): the HTTP contract of /api/desks, /api/consultations and
// /api/consultation-stats, and the events of WebSocket /ws/console (docs/dev/consultation-api.md).

// ---- Desks (相談窓口) as staff configure them (C-08) ----

const noMarkup = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^<>]*$/, '記号 < > は使えません');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '時刻は HH:MM で入力してください');
const range = z
  .object({ start: hhmm, end: hhmm })
  .refine((r) => r.start < r.end, '終了は開始より後にしてください');

export const recordFieldSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '項目キーは半角英小文字・数字・_ です'),
  label: displayText(50),
  type: z.enum(['select', 'text', 'textarea']),
  options: z.array(displayText(50)).max(50).optional(),
  required: z.boolean(),
});

export const deskInputSchema = z.object({
  channelId: z.uuid().nullable(),
  name: displayText(50),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'URL 名は半角英小文字・数字・- の2〜40文字です'),
  description: noMarkup(1000).default(''),
  hours: z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(range).max(6)).default({}),
  closedOnHolidays: z.boolean().default(true),
  closedYearEnd: z.boolean().default(true),
  closedDates: z.array(z.iso.date()).max(400).default([]),
  greeting: noMarkup(1000).default(''),
  outOfHoursReply: noMarkup(1000).default(''),
  emergencyContacts: z
    .array(
      z.object({
        name: displayText(50),
        phone: z.string().regex(/^[0-9+\-() ]{3,20}$/, '電話番号の形式が正しくありません'),
        hours: noMarkup(50).default(''),
      }),
    )
    .max(20)
    .default([]),
  recordFields: z.array(recordFieldSchema).max(50).default([]),
  allowIncompleteRecords: z.boolean().default(false),
  cannedResponses: z
    .array(z.object({ title: displayText(50), text: noMarkup(2000) }))
    .max(100)
    .default([]),
  webEnabled: z.boolean().default(false),
  accessCode: z
    .string()
    .min(4)
    .max(64)
    .regex(/^[\x21-\x7e]+$/)
    .nullable()
    .optional(),
  maxConcurrent: z.number().int().min(1).max(20).default(3),
  riskWords: z.array(z.string().trim().min(1).max(30)).max(200).default([]),
  keywords: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
  counselorIds: z.array(z.uuid()).max(200).default([]),
});

/** A desk as the server stores it (defaults filled in); the console sends `DeskCreate`. */
export type DeskInput = z.infer<typeof deskInputSchema>;
export type DeskCreate = z.input<typeof deskInputSchema>;
export type DeskUpdate = z.input<typeof deskUpdateSchema>;

/**
 * A partial update: every field optional and *without* its default, so a PATCH that names one field
 * leaves the others as they are (zod's .partial() would still fill in the defaults).
 */
export const deskUpdateSchema = z.object(
  Object.fromEntries(
    Object.entries(deskInputSchema.shape).map(([key, schema]) => [
      key,
      (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema).optional(),
    ]),
  ) as {
    [K in keyof typeof deskInputSchema.shape]: z.ZodOptional<
      z.ZodType<z.output<(typeof deskInputSchema.shape)[K]>>
    >;
  },
);

// ---- Requests of the counselor API ----

const clientId = z.string().min(1).max(64);
const messageText = z.string().max(10_000);

export const CONSULTATION_STATUSES = ['waiting', 'active', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** GET /api/consultations. */
export const consultationListQuery = z.object({
  status: z.enum(CONSULTATION_STATUSES).optional(),
  deskId: z.uuid().optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** POST /api/consultations/:id/transfer: to a counselor, to another desk, or both. */
export const transferSchema = z.object({ counselorId: z.uuid().optional(), deskId: z.uuid().optional() });

/** POST /api/consultations/:id/messages: a reply, or an internal note. */
export const counselorMessageSchema = z.object({
  clientId,
  text: messageText,
  kind: z.enum(['text', 'note']).default('text'),
});

/** POST /api/consultations/:id/close (C-11): why the record is incomplete, when it is. */
export const closeSchema = z.object({ missingReason: z.string().trim().max(500).optional() });

/** PUT /api/consultations/:id/record (C-11). */
export const recordSchema = z.object({ values: z.record(z.string().max(40), z.string().max(5000)) });

/** POST /api/consultations/outreach (C-07). */
export const outreachSchema = z.object({
  consulteeId: z.uuid(),
  deskId: z.uuid(),
  text: messageText,
  clientId: clientId.optional(),
});

// ---- Views (timestamps: ISO strings in JSON, Dates on the server) ----

export type RecordField = z.output<typeof recordFieldSchema>;
export type RecordFieldType = RecordField['type'];
/** "0" = Sunday … "6" = Saturday; times "HH:MM" Asia/Tokyo. */
export type Hours = { [weekday: string]: { start: string; end: string }[] };
export type EmergencyContact = { name: string; phone: string; hours: string };
export type CannedResponse = { title: string; text: string };

/** A desk as the API answers it: the access code is never shown, only whether there is one. */
export interface DeskView {
  id: string;
  channelId: string | null;
  name: string;
  slug: string;
  description: string;
  hours: Hours;
  closedOnHolidays: boolean;
  closedYearEnd: boolean;
  closedDates: string[];
  greeting: string;
  outOfHoursReply: string;
  emergencyContacts: EmergencyContact[];
  recordFields: RecordField[];
  allowIncompleteRecords: boolean;
  cannedResponses: CannedResponse[];
  webEnabled: boolean;
  hasAccessCode: boolean;
  maxConcurrent: number;
  riskWords: string[];
  keywords: string[];
  counselorIds: string[];
  openNow: boolean;
}

export type Origin = 'line' | 'web';
export type MessageSender = 'consultee' | 'counselor' | 'system';
export type MessageKind = 'text' | 'note';

export interface ConsultationMessage<Time = string> {
  id: string;
  sender: MessageSender;
  kind: MessageKind;
  text: string;
  createdAt: Time;
  clientId: string | null;
  accountName: string | null;
}

export type Presence = { online: boolean; typing: boolean };

export interface ConsultationSummary<Time = string> {
  id: string;
  deskId: string;
  deskName: string;
  origin: Origin;
  status: ConsultationStatus;
  counselorId: string | null;
  counselorName: string | null;
  consulteeId: string;
  consulteeLabel: string;
  openedAt: Time;
  lastMessageAt: Time | null;
  firstReplyAt: Time | null;
  closedAt: Time | null;
  riskFlagged: boolean;
  presence: Presence;
}

export interface ConsultationRecord<Time = string> {
  values: Record<string, string>;
  completedAt: Time | null;
  missingReason: string | null;
}

/** GET /api/consultations/:id. */
export interface ConsultationDetail<Time = string> {
  consultation: ConsultationSummary<Time>;
  messages: ConsultationMessage<Time>[];
  record: ConsultationRecord<Time> | null;
  historyConfirmedAt: Time | null;
  pastCount: number;
}

/** One entry of GET /api/consultations/:id/history (C-10). */
export interface PastConsultation<Time = string> {
  id: string;
  deskName: string;
  openedAt: Time;
  closedAt: Time | null;
  counselorName: string | null;
  record: { values: Record<string, string> } | null;
  messages: ConsultationMessage<Time>[];
}

/** GET /api/consultation-stats?from=&to=[&deskId=] (C-05). Days are Tokyo days; byDay lists only days with consultations. */
export interface ConsultationStats {
  total: number;
  byDay: { date: string; count: number }[];
  /** 24 entries, hour 0 … 23 (Tokyo). */
  byHour: { hour: number; count: number }[];
  /** Every desk, also those without consultations in the period. */
  byDesk: { deskId: string; name: string; count: number }[];
  byOrigin: { line: number; web: number };
  /** Select record fields; an empty value is counted as 「未入力」. */
  byField: Record<string, { label: string; counts: Record<string, number> }>;
  avgDurationMinutes: number | null;
  avgFirstReplyMinutes: number | null;
}

/** Server → client events of WebSocket /ws/console. */
export type ConsoleEvent<Time = string> =
  | { type: 'consultation'; consultation: ConsultationSummary<Time> }
  | { type: 'message'; consultationId: string; message: ConsultationMessage<Time> }
  | { type: 'presence'; consultationId: string; online: boolean; typing: boolean }
  | { type: 'risk'; consultationId: string; word: string };
