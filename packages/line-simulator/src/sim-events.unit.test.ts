import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SimEventHub } from './sim-events.ts';

function fakeClient() {
  const frames: unknown[] = [];
  const res = {
    write: (frame: string) => frames.push(JSON.parse(frame.split('data: ')[1]!)),
    on: () => res,
    end: () => {},
  };
  return { res: res as unknown as ServerResponse, frames };
}

describe('server-sent events for the phone', () => {
  it('filters by user and leaves out long recipient lists', () => {
    const hub = new SimEventHub();
    const all = fakeClient();
    const mine = fakeClient();
    hub.add(all.res);
    hub.add(mine.res, 'U1');
    hub.emit({ type: 'delivery', channelId: 'c', via: 'push', userIds: ['U2'] });
    hub.emit({ type: 'delivery', channelId: 'c', via: 'multicast', userIds: ['U2', 'U1'] });
    const many = Array.from({ length: 1001 }, (_, i) => `U${i + 2}`);
    hub.emit({ type: 'delivery', channelId: 'c', via: 'broadcast', userIds: many });
    hub.emit({ type: 'follow', channelId: 'c', userId: 'U3', state: 'following' });
    expect(mine.frames).toEqual([{ type: 'delivery', channelId: 'c', via: 'multicast', userIds: ['U1'] }]);
    expect(all.frames).toHaveLength(4);
    expect(all.frames[2]).toEqual({ type: 'delivery', channelId: 'c', via: 'broadcast', count: 1001 });
  });
});
