import type { DeliveryView as DeliveryViewOf } from '@madoguchi/contracts/deliveries.ts';
import { DELIVERY_STATUSES, type Recurrence, recurrenceSchema } from '@madoguchi/contracts/deliveries.ts';
import type { DeliveryStatus as StoredDeliveryStatus } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { parseSegmentTree } from '../segments/segment.schema.ts';
import { parseMessages } from './messages.schema.ts';

// Requests and views of deliveries (G-05, G-07 … G-09): the shapes are the HTTP contract
// (packages/contracts/src/deliveries.ts); here the server's error codes for a bad body.

export {
  type Audience,
  audienceSchema,
  type DeliveryCreate,
  type DeliveryProgress,
  type DeliveryUpdate,
  deliveryCreateSchema,
  deliveryListQuery,
  deliveryTestSchema,
  deliveryUpdateSchema,
  occurrencesSchema,
  recurrenceSchema,
  type Schedule,
  scheduleSchema,
} from '@madoguchi/contracts/deliveries.ts';
export type { SegmentTree } from '@madoguchi/contracts/segments.ts';

export type DeliveryView = DeliveryViewOf<Date>;

/** The contract's statuses are the database's. */
DELIVERY_STATUSES satisfies readonly StoredDeliveryStatus[];

/**
 * Route hook (preValidation, before the body schema): the messages, the audience's tree and the
 * recurrence answer with their own codes — TOO_MANY_MESSAGES, TEXT_TOO_LONG, FLEX_TOO_LARGE,
 * MESSAGE_INVALID, SEGMENT_INVALID, RECURRENCE_INVALID — instead of the generic VALIDATION_FAILED.
 */
export async function checkDeliveryBody(request: { body: unknown }): Promise<void> {
  const body = request.body;
  if (!body || typeof body !== 'object') return;
  const b = body as Record<string, unknown>;
  if (b.messages !== undefined) parseMessages(b.messages);
  const audience = b.audience as { kind?: unknown; tree?: unknown } | undefined;
  if (audience && typeof audience === 'object' && audience.kind === 'tree') {
    parseSegmentTree(audience.tree, 'audience.tree');
  }
  if (b.recurrence !== undefined && b.recurrence !== null) parseRecurrence(b.recurrence);
}

export function parseRecurrence(input: unknown): Recurrence {
  const r = recurrenceSchema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((issue) => ({
    path: ['recurrence', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError(
    400,
    'RECURRENCE_INVALID',
    `繰り返しの設定に誤りがあります: ${details[0]?.message ?? ''}`,
    details,
  );
}
