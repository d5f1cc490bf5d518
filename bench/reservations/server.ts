import { sql } from 'kysely';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { openCitizenSession } from '../../apps/server/src/modules/citizen/citizen-sessions.service.ts';
import {
  createCalendar,
  listSlots,
  setCalendarStatus,
} from '../../apps/server/src/modules/reservations/reservations.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';

// The server side of the reservations benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts: production's runtime with in-process workers, its own database). Before it
// reports ready it makes the city (bench-admin.ts) and two booking calendars through the product's service:
// "hot" with one 10-seat slot, and "spread" with 500 slots of 10 seats (10 a day, 50 days from tomorrow).
// The ready line carries the city and the slot IDs. Commands:
//   friends <json>   -> {tokens}: the simulator's users as following friends, each with a citizen session
//                       (the cookie a LIFF sign-in gives)
//   seats <slotId>   -> {seats, bookings}: seats held and booking rows of the slot (not cancelled)
//   spread           -> {slots, full, over, seats}: the spread calendar's slots, how many are full, how
//                       many hold more than their capacity (must be 0), and the seats held in all

const LINE_CHANNEL_ID = '1234567893';
const tokyoTomorrow = () => new Date(Date.now() + 9 * 3600_000 + 86_400_000).toISOString().slice(0, 10);

let hot = '';
let channelId = '';
let spread = '';

await runBenchServer({
  name: 'reservations bench server',
  async setup(server) {
    const city = await createBenchCity(server, LINE_CHANNEL_ID);
    const db = server.rt.db;
    const deps = {
      db,
      cipher: createCipher(server.encryptionKey),
      channels: createChannelsService({
        db,
        cipher: createCipher(server.encryptionKey),
        publicUrl: server.config.PUBLIC_URL,
      }),
      onOutbox: () => {},
      onMail: () => {},
    };
    const every = [0, 1, 2, 3, 4, 5, 6];
    const hotCal = await createCalendar(deps, {
      channelId: city.channelId,
      category: 'ベンチ',
      name: '人気の講座',
      description: '',
      templates: every.map((weekday) => ({ weekday, start: '10:00', end: '11:00', capacity: 10 })),
      openOnHolidays: true,
      closedDates: [],
      openedDates: [],
      bookingCutoffMinutes: 0,
      cancelCutoffMinutes: 0,
      perPersonLimit: null,
      maxSeatsPerBooking: 4,
      reminderHour: 18,
    });
    await setCalendarStatus(deps, hotCal.id, 'open');
    const spreadCal = await createCalendar(deps, {
      channelId: city.channelId,
      category: 'ベンチ',
      name: '通常の窓口予約',
      description: '',
      templates: every.flatMap((weekday) =>
        Array.from({ length: 10 }, (_, h) => ({
          weekday,
          start: `${String(8 + h).padStart(2, '0')}:00`,
          end: `${String(8 + h).padStart(2, '0')}:50`,
          capacity: 10,
        })),
      ),
      openOnHolidays: true,
      closedDates: [],
      openedDates: [],
      bookingCutoffMinutes: 0,
      cancelCutoffMinutes: 0,
      perPersonLimit: null,
      maxSeatsPerBooking: 4,
      reminderHour: null,
    });
    await setCalendarStatus(deps, spreadCal.id, 'open');
    hot = hotCal.id;
    spread = spreadCal.id;
    const from = tokyoTomorrow();
    const [hotSlot] = await listSlots(deps, hot, from, 1);
    const spreadSlots = await listSlots(deps, spread, from, 50);
    channelId = city.channelId;
    return { ...city, hotSlot: hotSlot!.id, spreadSlots: spreadSlots.map((s) => s.id) };
  },
  commands: (server) => ({
    /** The simulator's users (JSON array of LINE user IDs) as following friends, each with a citizen session. */
    async friends(json: string) {
      const db = server.rt.db;
      const users = JSON.parse(json) as string[];
      for (let i = 0; i < users.length; i += 1000) {
        await db
          .insertInto('friends')
          .values(
            users.slice(i, i + 1000).map((u) => ({
              channel_id: channelId,
              line_user_id: u,
              status: 'following' as const,
              status_changed_at: new Date(),
              display_name: 'ベンチ 友だち',
              picture_url: null,
              language: 'ja',
              first_followed_at: new Date(),
              followed_at: new Date(),
              unfollowed_at: null,
              profile_fetched_at: new Date(),
            })),
          )
          .execute();
      }
      const tokens: string[] = [];
      for (const u of users)
        tokens.push(
          await openCitizenSession(db, {
            channelId: channelId,
            lineUserId: u,
            displayName: null,
            pictureUrl: null,
          }),
        );
      return { tokens };
    },
    async seats(slotId: string) {
      const r = await sql<{ seats: number; bookings: number }>`
        select coalesce(sum(seats), 0)::int as seats, count(*)::int as bookings
          from bookings where slot_id = ${slotId} and status <> 'cancelled'`.execute(server.rt.db);
      return r.rows[0];
    },
    async spread() {
      const r = await sql<{ slots: number; full: number; over: number; seats: number }>`
        select count(*)::int as slots,
               count(*) filter (where held = capacity)::int as full,
               count(*) filter (where held > capacity)::int as over,
               coalesce(sum(held), 0)::int as seats
          from (select s.capacity, coalesce(sum(b.seats) filter (where b.status <> 'cancelled'), 0) as held
                  from booking_slots s left join bookings b on b.slot_id = s.id
                 where s.calendar_id = ${spread}
                 group by s.id) x`.execute(server.rt.db);
      return r.rows[0];
    },
  }),
});
