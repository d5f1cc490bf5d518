import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  insertTestChannel,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';

// Test devices (G-09): staff who send deliveries mark friends whose phones receive test deliveries.

let server: TestServer;
let friendId: string;

beforeAll(async () => {
  server = await startTestServer();
  const channelId = (await insertTestChannel(server)).id;
  const now = new Date();
  ({ id: friendId } = await server.db
    .insertInto('friends')
    .values({
      channel_id: channelId,
      line_user_id: `U${'1'.repeat(32)}`,
      status: 'following',
      status_changed_at: now,
      followed_at: now,
      first_followed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow());
});
afterAll(async () => server?.close());

describe('test friends (G-09)', () => {
  it('G-09: a friend is marked and unmarked as a test device; the change is audited', async () => {
    const admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
    const on = await admin.request('PATCH', `/api/friends/${friendId}`, { isTest: true });
    expect(on.status).toBe(200);
    const list = (await (await admin.request('GET', '/api/friends')).json()) as {
      items: { id: string; isTest: boolean }[];
    };
    expect(list.items.find((f) => f.id === friendId)?.isTest).toBe(true);
    // Filtered on the server: only test friends, or only the others.
    const ids = async (test: boolean) =>
      (
        (await (await admin.request('GET', `/api/friends?test=${test}`)).json()) as {
          items: { id: string }[];
        }
      ).items.map((f) => f.id);
    expect(await ids(true)).toEqual([friendId]);
    expect(await ids(false)).toEqual([]);
    await admin.request('PATCH', `/api/friends/${friendId}`, { isTest: false });
    const row = await server.db
      .selectFrom('friends')
      .select('is_test')
      .where('id', '=', friendId)
      .executeTakeFirstOrThrow();
    expect(row.is_test).toBe(false);
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['target_id', 'result'])
      .where('action', '=', 'friend.test-flag')
      .execute();
    expect(audit).toEqual([
      { target_id: friendId, result: 'success' },
      { target_id: friendId, result: 'success' },
    ]);
  });

  it('G-09: bad input and missing permission are refused', async () => {
    const admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
    const bad = await admin.request('PATCH', `/api/friends/${friendId}`, { isTest: 'yes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    expect((await admin.request('GET', '/api/friends?test=yes')).status).toBe(400);
    const unknown = await admin.request('PATCH', '/api/friends/00000000-0000-4000-8000-000000000000', {
      isTest: true,
    });
    expect(unknown.status).toBe(404);
    const general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
    expect((await general.request('PATCH', `/api/friends/${friendId}`, { isTest: true })).status).toBe(403);
  });
});
