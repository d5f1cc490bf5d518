import { type Kysely, sql } from 'kysely';

// Mail bridge, second part (issue 14, E-01 … E-07), owned by modules/mail-bridge.
// mail_messages: the DMARC result and the authentication details next to spf/dkim (mailauth, on the
// raw mail with the SMTP session's IP, HELO and MAIL FROM); processing retries with backoff
// (next_attempt_at); refusals aggregated per (address, sender, hour) in one row with a count
// (refused_hour, refused_count; a flood no longer adds a row per mail).
// mail_addresses: "require SPF or DKIM pass" (default off) and the IMAP polling option (the password
// sealed with the server's key, never answered by the API).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mail_messages add column dmarc text not null default 'not_checked';
    alter table mail_messages add column auth_detail text;
    alter table mail_messages add column next_attempt_at timestamptz;
    alter table mail_messages add column refused_hour timestamptz;
    alter table mail_messages add column refused_count integer not null default 1 check (refused_count >= 1);

    update mail_messages set refused_hour = date_trunc('hour', received_at) where status = 'refused';
    with g as (
      select min(id::text)::uuid as keep, address_id, from_address, refused_hour, count(*) as n
      from mail_messages where status = 'refused'
      group by address_id, from_address, refused_hour having count(*) > 1
    ), upd as (
      update mail_messages m set refused_count = g.n from g where m.id = g.keep
    )
    delete from mail_messages m using g
    where m.status = 'refused' and m.id <> g.keep and m.address_id is not distinct from g.address_id
      and m.from_address = g.from_address and m.refused_hour = g.refused_hour;
    create unique index mail_messages_refused_hour on mail_messages (address_id, from_address, refused_hour)
      where status = 'refused';

    alter table mail_addresses add column require_auth boolean not null default false;
    alter table mail_addresses add column imap_host text;
    alter table mail_addresses add column imap_port integer check (imap_port between 1 and 65535);
    alter table mail_addresses add column imap_tls boolean not null default true;
    alter table mail_addresses add column imap_user text;
    alter table mail_addresses add column imap_password_enc text;
    alter table mail_addresses add column imap_mailbox text not null default 'INBOX';
    alter table mail_addresses add column imap_interval_s integer not null default 300
      check (imap_interval_s between 60 and 86400);
    alter table mail_addresses add column imap_polled_at timestamptz;
    alter table mail_addresses add column imap_error text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index mail_messages_refused_hour;
    alter table mail_messages drop column dmarc, drop column auth_detail, drop column next_attempt_at,
      drop column refused_hour, drop column refused_count;
    alter table mail_addresses drop column require_auth, drop column imap_host, drop column imap_port,
      drop column imap_tls, drop column imap_user, drop column imap_password_enc, drop column imap_mailbox,
      drop column imap_interval_s, drop column imap_polled_at, drop column imap_error;
  `.execute(db);
}
