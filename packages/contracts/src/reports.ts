// Fault reports (R-01 … R-03): citizens report a broken road, park, street light … with photos, the
// place, date and time and a text; each category notifies several e-mail addresses; staff triage.
// The zod schemas are in reports.schema.ts (this file has no zod, so web bundles have none).

/** 受付 / 対応中 / 完了 / 対応不可. */
export const REPORT_STATUSES = ['received', 'in_progress', 'done', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  received: '受付',
  in_progress: '対応中',
  done: '完了',
  rejected: '対応不可',
};

export const REPORT_LIMITS = {
  text: 2000,
  categoryName: 50,
  /** Notification e-mail addresses of one category. */
  emails: 10,
  photos: 5,
  /** One photo as uploaded. */
  photoBytes: 10 * 1024 * 1024,
  note: 2000,
  page: 100,
} as const;

export const REPORT_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ReportPhotoType = (typeof REPORT_PHOTO_TYPES)[number];

/** pending: to be sent (again) · sent · failed: given up after the last attempt (shown to staff). */
export type ReportMailStatus = 'pending' | 'sent' | 'failed';

export interface ReportCategoryView<Time = string> {
  id: string;
  channelId: string;
  name: string;
  emails: string[];
  active: boolean;
  position: number;
  updatedAt: Time;
}

/** A category as citizens choose it (no e-mail addresses). */
export interface CitizenReportCategory {
  id: string;
  name: string;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

/**
 * The city boundary as staff draw it (GET /api/reports/boundary): a GeoJSON MultiPolygon in WGS 84
 * [longitude, latitude], coordinates rounded to 5 decimals (about 1 m).
 */
export interface CityBoundaryView {
  type: 'MultiPolygon';
  coordinates: [number, number][][][];
}

/** A photo uploaded by the citizen before sending the report (kept for a day unless attached). */
export interface ReportPhotoAccepted {
  photoId: string;
  contentType: ReportPhotoType;
  width: number;
  height: number;
  bytes: number;
}

export interface ReportAccepted<Time = string> {
  reportId: string;
  receivedAt: Time;
  /** The same request key again: the first send's report, nothing new. */
  repeated: boolean;
}

/** The citizen's own report, as "my reports" lists it. */
export interface CitizenReportView<Time = string> {
  id: string;
  category: string;
  status: ReportStatus;
  text: string;
  occurredAt: Time;
  location: GeoPoint;
  photos: number;
  receivedAt: Time;
  updatedAt: Time;
}

/** A report in the staff list. */
export interface ReportSummary<Time = string> {
  id: string;
  channelId: string;
  categoryId: string;
  category: string;
  status: ReportStatus;
  text: string;
  occurredAt: Time;
  location: GeoPoint;
  photos: number;
  assigneeId: string | null;
  assignee: string | null;
  /** Some notification mail was given up (status failed). */
  mailFailed: boolean;
  receivedAt: Time;
  updatedAt: Time;
}

export interface ReportChangeView<Time = string> {
  at: Time;
  staff: string | null;
  field: 'status' | 'assignee' | 'note';
  from: string;
  to: string;
}

export interface ReportMailView<Time = string> {
  to: string;
  status: ReportMailStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Time | null;
}

/** One report for staff: photos (URLs served to reports.handle only), history and its mails. */
export interface ReportView<Time = string> extends ReportSummary<Time> {
  /** The reporter's LINE display name (may be null). */
  reporter: string | null;
  photoUrls: string[];
  changes: ReportChangeView<Time>[];
  mails: ReportMailView<Time>[];
}

export interface ReportPage<Time = string> {
  total: number;
  items: ReportSummary<Time>[];
  next: string | null;
}

/**
 * The place of a report sent as a LINE location message: the report page asks for it (POST
 * /api/citizen/reports/line-location pushes a quick reply `location` to the friend), the friend sends
 * it in the talk within `openMinutes`, and the page reads it (GET, the same path) for `keepMinutes`
 * after it arrived.
 */
export const REPORT_LINE_LOCATION = { openMinutes: 15, keepMinutes: 60 } as const;

/** none: never asked (or sent with a report) · pending: asked, waiting · received · expired: not sent in time. */
export type ReportLineLocationStatus = 'none' | 'pending' | 'received' | 'expired';

export interface ReportLineLocation<Time = string> {
  status: ReportLineLocationStatus;
  /** Until when the friend may send it (pending and expired). */
  expiresAt: Time | null;
  /** The place as LINE sent it (received only). */
  point: ReportLinePoint | null;
}

/** A place sent in the LINE talk; the address as the phone named it, if any. */
export interface ReportLinePoint extends GeoPoint {
  address: string | null;
}
