import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { disasterModeOf } from '../richmenus/richmenus.service.ts';

// Disaster mode read through the rich menu module's service in the caller's transaction (X-01,
// a LINE event handler passes its dispatch transaction, so what that transaction did is what
// it reads (one query, no second pooled connection), and GET /api/disaster/status keeps its shape.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  w = await startLineWorld('2600000301');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
}, 60_000);
afterAll(async () => w?.close());

/** A disaster group and its live switch, made in `db` (a transaction or the pool). */
async function liveSwitch(db: typeof w.server.db) {
  const g = await db
    .insertInto('rich_menu_groups')
    .values({ channel_id: w.channelId, name: '災害用', kind: 'disaster', created_by: null, error: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const p = await db
    .insertInto('rich_menu_publications')
    .values({
      group_id: g.id,
      channel_id: w.channelId,
      target: 'disaster',
      segment_id: null,
      starts_at: null,
      ends_at: null,
      status: 'active',
      activated_at: new Date(),
      previous_default: null,
      created_by: null,
      error: null,
      next_attempt_at: null,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { groupId: g.id, publicationId: p.id, since: p.created_at };
}

describe('disaster mode read in the caller transaction (X-01, X-02)', () => {
  it('X-01: disasterModeOf(trx) sees the switch the transaction holds (uncommitted), the pool does not; rolled back it is gone', async () => {
    expect(await disasterModeOf(w.server.db, w.channelId)).toBeNull();
    const rollback = new Error('rollback');
    await expect(
      w.server.db.transaction().execute(async (trx) => {
        const s = await liveSwitch(trx);
        expect(await disasterModeOf(trx, w.channelId)).toEqual({
          on: true,
          groupId: s.groupId,
          groupName: '災害用',
          publicationId: s.publicationId,
          status: 'active',
          error: null,
          since: s.since,
          until: null,
        });
        expect(await disasterModeOf(w.server.db, w.channelId)).toBeNull();
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await disasterModeOf(w.server.db, w.channelId)).toBeNull();
  });

  it('X-01: GET /api/disaster/status answers the same shape from it (off, then on)', async () => {
    const off = await admin.request('GET', `/api/disaster/status?channelId=${w.channelId}`);
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ active: false });
    const s = await liveSwitch(w.server.db);
    const on = (await (
      await admin.request('GET', `/api/disaster/status?channelId=${w.channelId}`)
    ).json()) as Record<string, unknown>;
    expect(on).toMatchObject({
      active: true,
      groupId: s.groupId,
      groupName: '災害用',
      publicationId: s.publicationId,
      status: 'active',
      error: null,
      since: s.since.toISOString(),
      byName: null,
    });
  });
});
