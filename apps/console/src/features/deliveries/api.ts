import type {
  DeliveryStatus,
  DeliveryView,
  deliveryCreateSchema,
  deliveryUpdateSchema,
  Occurrences,
  Recurrence,
} from '@madoguchi/contracts/deliveries.ts';
import type { z } from 'zod';
import { api, query } from '../../api/client.ts';

/**
 * Every type and URL of the delivery, media, segment and analytics APIs used by the console
 * (contract of issue 4). When the server's shapes change, this is the one file to edit.
 */

// ---- Segments (B) and the registration form (A): B's console module has the types and calls ----

import type { SegmentTree } from '../segments/segmentTree.ts';

export type { FormItem, RegistrationForm, Segment, SegmentTree } from '../segments/segmentTree.ts';
export {
  /** Items whose answers are choices (a breakdown is by choice). */
  choiceItems as breakdownItems,
  countSegment as countAudience,
  /** No empty group, every condition complete, within the limits: the tree can be counted and sent. */
  isCountable,
  registrationFormPath,
  segmentsListPath as segmentsPath,
} from '../segments/segmentTree.ts';

/** Every following friend: "test friend or not" (the count API takes a tree, not null). */
export const ALL_FRIENDS_TREE: SegmentTree = {
  type: 'or',
  children: [
    { type: 'test', value: true },
    { type: 'test', value: false },
  ],
};
export const UNREGISTERED_TREE: SegmentTree = { type: 'registered', value: false };
/** Starting point of 条件を指定 (the SegmentBuilder fills it). */
export const EMPTY_TREE: SegmentTree = { type: 'and', children: [] };

// ---- Media (D1) ----

export type Media = { id: string; width: number; height: number; url: string; previewUrl: string };

/** What the editors keep of an uploaded image (width/height unknown for images loaded from a saved delivery). */
export type MediaRef = { id: string; url: string; previewUrl: string; width?: number; height?: number };

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png'] as const;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export function uploadMedia(file: File): Promise<Media> {
  return api.post<Media>('/api/media', file);
}

/** A saved message only carries the media ID; these are the public URLs of the image. */
export function mediaRefOf(id: string, size?: { width: number; height: number }): MediaRef {
  const base = `/media/${encodeURIComponent(id)}`;
  return { id, url: base, previewUrl: `${base}/preview`, ...size };
}

// ---- Deliveries (C) ----

export type ImagemapArea = { x: number; y: number; width: number; height: number };
export type ImagemapAction =
  | { type: 'uri'; linkUri: string; area: ImagemapArea }
  | { type: 'message'; text: string; area: ImagemapArea };

export type FlexText = {
  type: 'text';
  text: string;
  weight?: 'bold' | 'regular';
  size?: string;
  wrap?: boolean;
  color?: string;
};
export type FlexButton = {
  type: 'button';
  style?: 'link' | 'primary' | 'secondary';
  height?: 'sm' | 'md';
  action: { type: 'uri'; label: string; uri: string };
};
export type FlexImage = {
  type: 'image';
  url: string;
  size?: string;
  aspectRatio?: string;
  aspectMode?: 'cover' | 'fit';
};
export type FlexBox = {
  type: 'box';
  layout: 'vertical' | 'horizontal' | 'baseline';
  spacing?: string;
  contents: (FlexText | FlexButton | FlexBox | FlexImage)[];
};
export type FlexBubble = { type: 'bubble'; hero?: FlexImage; body?: FlexBox; footer?: FlexBox };

/** The contract's shapes (packages/contracts/src/deliveries.ts, messages.ts): what the server checks. */
export type {
  Audience,
  DeliveryStatus,
  DeliveryView,
  MonthlyRule,
  Recurrence,
  Schedule,
} from '@madoguchi/contracts/deliveries.ts';
export type { DeliveryMessage } from '@madoguchi/contracts/messages.ts';

/** 0 = Sunday … 6 = Saturday (the form's weekday inputs). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** POST /api/deliveries body. */
export type DeliveryInput = z.input<typeof deliveryCreateSchema>;
/** PATCH body: the same fields without the channel, any subset. */
export type DeliveryPatch = z.input<typeof deliveryUpdateSchema>;

export const deliveriesPath = (channelId: string) => `/api/deliveries${query({ channelId, limit: 100 })}`;
export const deliveryPath = (id: string) => `/api/deliveries/${encodeURIComponent(id)}`;

export const createDelivery = (input: DeliveryInput) => api.post<DeliveryView>('/api/deliveries', input);
export const updateDelivery = (id: string, patch: DeliveryPatch) =>
  api.patch<DeliveryView>(deliveryPath(id), patch);
export const getDelivery = (id: string, signal?: AbortSignal) =>
  api.get<DeliveryView>(deliveryPath(id), { signal });
export const cancelDelivery = (id: string) => api.post<DeliveryView>(`${deliveryPath(id)}/cancel`);
/** Test delivery (G-09): to the test friends of the channel, or to the friends of the given test channel. */
export const testDelivery = (id: string, testChannelId?: string) =>
  api.post<DeliveryView>(`${deliveryPath(id)}/test`, testChannelId ? { channelId: testChannelId } : {});

/** The next `count` sending times (ISO 8601) of a recurrence, as the server will send them (G-08). */
export const upcomingOccurrences = (recurrence: Recurrence, count: number, signal?: AbortSignal) =>
  api.post<Occurrences>('/api/deliveries/occurrences', { recurrence, count }, { signal });

/** Sent + failed over recipients (0…1), or the batches when the recipients are not resolved yet. */
export function deliveryProgress(d: DeliveryView): number {
  if (d.recipients && d.recipients > 0) return Math.min(1, (d.sent + d.failed) / d.recipients);
  const p = d.progress;
  if (p && p.batches > 0) return Math.min(1, (p.batchesSent + p.batchesFailed) / p.batches);
  return 0;
}

// ---- Analytics (D1, modules/analytics) ----

export type PeriodQuery = { channelId: string; from: string; to: string };

export type Counts = { deliveries: number; recipients: number; sent: number; failed: number; clicks: number };

/** A delivery in the analytics (`date`/`time`: when the sending started, Asia/Tokyo). */
export type DeliveryStatsRow = {
  id: string;
  channelId: string;
  title: string;
  status: DeliveryStatus;
  isTest: boolean;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  date: string | null;
  time: string | null;
  recipients: number;
  sent: number;
  failed: number;
  links: number;
  clickedLinks: number;
  clicks: number;
};

/** GET /api/analytics/deliveries?channelId=&from=&to= (deliveries that started in the period). */
export type DeliveriesReport = {
  channelId: string;
  from: string;
  to: string;
  deliveries: DeliveryStatsRow[];
  totals: Counts;
  byDay: ({ date: string } & Counts)[];
  byMonth: ({ month: string } & Counts)[];
  /** Why clicks are not broken down by friend or attribute. */
  note: string;
};

export type BreakdownRow = {
  /** null = 未回答 */
  choiceId: string | null;
  label: string;
  parentId: string | null;
  retired: boolean;
  recipients: number;
  sent: number;
  failed: number;
};

/** GET /api/analytics/deliveries/:id[?itemId=] */
export type DeliveryReport = {
  delivery: DeliveryStatsRow;
  /** One row per link position: the same URL as a text link and as a button are two rows. */
  links: {
    position: number;
    url: string;
    clicks: number;
    /** 0-based message index and the part of the message; null for links of an unknown place. */
    message: number | null;
    kind: 'text' | 'button' | 'imagemap' | 'action' | null;
  }[];
  clicksByDay: { date: string; clicks: number }[];
  clicksByHour: { hour: number; clicks: number }[];
  breakdown: {
    item: { id: string; label: string; type: string; retired: boolean };
    rows: BreakdownRow[];
    note: string | null;
  } | null;
  note: string;
};

/** GET /api/analytics/friends?channelId=&from=&to= (`friends` = following at the end of the day). */
export type FriendsReport = {
  channelId: string;
  from: string;
  to: string;
  followingNow: number;
  series: { date: string; follows: number; refollows: number; blocks: number; friends: number }[];
  totals: { follows: number; refollows: number; blocks: number };
};

type Ext = '' | '.csv' | '.xlsx';

export const analyticsDeliveriesPath = (q: PeriodQuery, ext: Ext = '') =>
  `/api/analytics/deliveries${ext}${query(q)}`;
export const analyticsDeliveryPath = (id: string, itemId: string, ext: Ext = '') =>
  `/api/analytics/deliveries/${encodeURIComponent(id)}${ext}${query({ itemId })}`;
export const analyticsFriendsPath = (q: PeriodQuery, ext: Ext = '') =>
  `/api/analytics/friends${ext}${query(q)}`;
