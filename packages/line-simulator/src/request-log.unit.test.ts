import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.ts';

const entry = (path: string, body: unknown = {}, channelId = 'c1') => ({
  at: '2025-01-01T00:00:00.000Z',
  method: 'POST',
  path,
  query: '',
  channelId,
  headers: {},
  body,
});

describe('request log', () => {
  it('keeps the newest entries within the count bound', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) log.add(entry(`/p${i}`));
    expect(log.list().map((e) => e.path)).toEqual(['/p2', '/p3', '/p4']);
    expect(log.list().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('weighs multicasts by their recipients so big bodies cannot fill the memory', () => {
    const log = new RequestLog(100, 1_000);
    const to = Array.from({ length: 499 }, (_, i) => `U${i}`);
    for (let i = 0; i < 5; i++) log.add(entry('/v2/bot/message/multicast', { to }));
    expect(log.list()).toHaveLength(2);
  });

  it('filters by channel and by exact path or prefix', () => {
    const log = new RequestLog();
    log.add(entry('/v2/bot/message/push'));
    log.add(entry('/v2/bot/message/multicast', {}, 'c2'));
    log.add(entry('/v2/bot/richmenu'));
    expect(log.list({ channelId: 'c1' })).toHaveLength(2);
    expect(log.list({ path: '/v2/bot/message/push' })).toHaveLength(1);
    expect(log.list({ path: '/v2/bot/message/*' })).toHaveLength(2);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
