import { type Kysely, sql } from 'kysely';

// One outbox for every mail the product sends (issue 13): the fault reports' notification mails
// and the booking confirmations to citizens who gave an e-mail address (V-03). report_mails
// becomes mail_outbox, owned by modules/mail; each row belongs to exactly one report or booking
// (deleted with it), is written in that one's own transaction and sent by the mail module's job.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table report_mails rename to mail_outbox;
    alter index report_mails_due rename to mail_outbox_due;
    alter index report_mails_report rename to mail_outbox_report;
    alter table mail_outbox alter column report_id drop not null;
    alter table mail_outbox add column booking_id uuid references bookings (id) on delete cascade;
    alter table mail_outbox add constraint mail_outbox_one_subject check (num_nonnulls(report_id, booking_id) = 1);
    create index mail_outbox_booking on mail_outbox (booking_id) where booking_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from mail_outbox where report_id is null;
    drop index mail_outbox_booking;
    alter table mail_outbox drop constraint mail_outbox_one_subject;
    alter table mail_outbox drop column booking_id;
    alter table mail_outbox alter column report_id set not null;
    alter index mail_outbox_report rename to report_mails_report;
    alter index mail_outbox_due rename to report_mails_due;
    alter table mail_outbox rename to report_mails;
  `.execute(db);
}
