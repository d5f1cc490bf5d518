import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createRealtime, type Realtime } from '../../platform/realtime.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { createConsultationService } from './consultation.service.ts';
import { createConsultationKeys } from './consultation-keys.ts';
import { insertWebConsultee } from './consultations.repository.ts';
import { createDeskCache } from './desk-cache.ts';
import { createDesk, getDesk } from './desks.service.ts';
import { createPresence } from './presence.ts';

// C-06 on a real public holiday: the welfare desk (weekdays 9–17, closed on holidays) answers a
// message sent on 勤労感謝の日 (Monday 2026-11-23, 10:00 in Tokyo) with its out-of-hours reply, and the
// message is stored. The service runs against the real database with its clock set to that day.

let server: TestServer;
let realtime: Realtime;

beforeAll(async () => {
  server = await startTestServer();
  realtime = await createRealtime(server.databaseUrl, server.db, { error: () => {} });
});
afterAll(async () => {
  await realtime?.close();
  await server?.close();
});

describe('public holidays (C-06)', () => {
  it('C-06: on a public holiday inside the weekday hours the desk answers out of hours and keeps the message', async () => {
    const welfare = demoDesks(null as unknown as string)[0]!;
    expect(welfare.closedOnHolidays).toBe(true);
    const desk = await createDesk(server.db, { ...welfare, channelId: null, accessCode: null });
    const at = (iso: string) => () => new Date(`${iso}+09:00`);
    const serviceAt = (now: () => Date) =>
      createConsultationService({
        db: server.db,
        keys: createConsultationKeys(server.db, createCipher(server.config.ENCRYPTION_KEY)),
        realtime,
        presence: createPresence(realtime),
        desks: createDeskCache(server.db, realtime),
        notifyLine: async () => {},
        now,
      });

    const messagesOf = (id: string) =>
      server.db
        .selectFrom('consultation_messages')
        .select(['sender'])
        .where('consultation_id', '=', id)
        .orderBy('id')
        .execute();

    // 勤労感謝の日 (a Monday), 10:00 in Tokyo: closed.
    const holiday = serviceAt(at('2026-11-23T10:00:00'));
    const a = await insertWebConsultee(server.db, `holiday-${Date.now()}`, 'Web 相談者 A');
    const onHoliday = await holiday.start(await getDesk(server.db, desk.id), a.id, 'web');
    await holiday.consulteeMessage(onHoliday, 'h-1', '祝日ですが相談できますか');
    expect((await messagesOf(onHoliday.id)).map((m) => m.sender)).toEqual(['system', 'consultee', 'system']);

    // The next day, a Tuesday at 10:00: open, so no automatic reply.
    const workday = serviceAt(at('2026-11-24T10:00:00'));
    const b = await insertWebConsultee(server.db, `workday-${Date.now()}`, 'Web 相談者 B');
    const onWorkday = await workday.start(await getDesk(server.db, desk.id), b.id, 'web');
    await workday.consulteeMessage(onWorkday, 'w-1', '平日の相談です');
    expect((await messagesOf(onWorkday.id)).map((m) => m.sender)).toEqual(['system', 'consultee']);
  });
});
