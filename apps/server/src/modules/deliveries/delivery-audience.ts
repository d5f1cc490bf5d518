import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { SegmentTree } from '../segments/segment.schema.ts';
import { type AudienceQuery, audienceQuery, segmentTree } from '../segments/segments.service.ts';
import type { Audience } from './deliveries.schema.ts';

// Pipeline step 1, resolve: a delivery's audience → the segment tree its recipients are selected by
// (used when a due delivery starts, and by the request service to check and count an audience).

/** The segment tree of an audience (null = every following friend). */
export async function audienceTree(
  db: Db,
  channelId: string,
  audience: Audience,
): Promise<SegmentTree | null> {
  switch (audience.kind) {
    case 'all':
      return null;
    case 'segment':
      try {
        return await segmentTree(db, audience.segmentId, channelId);
      } catch (err) {
        if (err instanceof AppError && err.status === 404) {
          throw new AppError(
            400,
            'AUDIENCE_INVALID',
            'セグメントが見つかりません（このチャネルのセグメントを選んでください）',
            [{ path: 'audience.segmentId', message: 'セグメントが見つかりません' }],
          );
        }
        throw err;
      }
    case 'tree':
      return audience.tree;
    case 'unregistered':
      return { type: 'registered', value: false };
    case 'test':
      return { type: 'test', value: true };
  }
}

/** The tree actually used to resolve a delivery: a test delivery on a production channel only ever reaches test friends. */
export async function resolveTree(
  db: Db,
  channelId: string,
  audience: Audience,
  isTest: boolean,
  environment: string,
) {
  const tree = await audienceTree(db, channelId, audience);
  if (!isTest || environment === 'test') return tree;
  const onlyTest: SegmentTree = { type: 'test', value: true };
  return tree ? { type: 'and' as const, children: [onlyTest, tree] } : onlyTest;
}

/** The recipients of a starting delivery, as the select its batches are filled from (delivery-start.ts). */
export async function recipientsQuery(
  db: Db,
  channelId: string,
  audience: Audience,
  isTest: boolean,
  environment: string,
): Promise<AudienceQuery> {
  return audienceQuery(db, channelId, await resolveTree(db, channelId, audience, isTest, environment));
}
