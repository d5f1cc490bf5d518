import type { SegmentTree } from '@madoguchi/contracts/segments.ts';
import { api } from '../../api/client.ts';
import { type Segment, segmentsListPath } from '../segments/segmentTree.ts';
import { publishTabGroup, type TabGroupView } from './api.ts';

/** The test friends of a channel, as a segment condition. */
export const TEST_FRIENDS_TREE: SegmentTree = { type: 'test', value: true };

const isTestFriends = (s: Segment) => JSON.stringify(s.tree) === JSON.stringify(TEST_FRIENDS_TREE);

/**
 * 「テスト友だちに表示」 (M-04): the publish API takes a saved segment, so the channel's segment of
 * test friends is used (made once, under `name`, when it does not exist) and the group is published
 * to it, to be checked on the simulator's virtual phone of a test friend.
 */
export async function publishToTestFriends(group: TabGroupView, name: string): Promise<TabGroupView> {
  const segments = await api.get<Segment[]>(segmentsListPath(group.channelId));
  const segment =
    segments.find(isTestFriends) ??
    (await api.post<Segment>('/api/segments', { channelId: group.channelId, name, tree: TEST_FRIENDS_TREE }));
  return publishTabGroup(group.id, { target: 'segment', segmentId: segment.id });
}
