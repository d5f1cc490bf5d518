import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { MAIL_JOB } from '../mail/mail.service.ts';
import { registerReservationCitizenRoutes } from './reservation-citizen.routes.ts';
import { registerReservationRoutes } from './reservations.routes.ts';
import { sendDueReminders } from './reservations.service.ts';

// Reservations (issue 13, V-01 … V-06): booking calendars with slots and capacities, bookings on the
// one form engine, LINE confirmations and reminders, a waiting list. No overbooking: the database
// refuses it (the bookings_capacity trigger).

export const RESERVATION_REMINDER_JOB = 'reservations.reminders';

export const reservationsModule = defineModule({
  name: 'reservations',
  lineEvents: [],
  register(app, deps) {
    const reservationDeps = {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
      onMail: deps.trigger(MAIL_JOB, 20),
    };
    registerReservationRoutes(app, reservationDeps);
    registerReservationCitizenRoutes(app, reservationDeps);
    // The day-before reminders, every 5 minutes (each booking reminded once: reminder_sent_at).
    deps.jobs.define({
      name: RESERVATION_REMINDER_JOB,
      handler: async () => {
        await sendDueReminders(reservationDeps);
      },
      cron: '*/5 * * * *',
      retryLimit: 0,
    });
  },
});
