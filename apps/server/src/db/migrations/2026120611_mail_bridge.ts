import { type Kysely, sql } from 'kysely';

// Disaster e-mail → LINE bridge (issue 14, E-01 … E-07, X-01), owned by modules/mail-bridge.
// mail_addresses: the addresses the inbound SMTP listener accepts (one channel each, who may send,
// the size limit); mail_rules: the ordered rules of an address (conditions, text changes, audience,
// urgency, disaster mode); mail_messages: every mail accepted (raw bytes sealed with the server's
// key, written before the SMTP 250) and every sender refused at MAIL FROM / RCPT (no raw), with what
// became of it. The same Message-ID at one address is kept once as the original (partial unique
// index); a second copy is a row pointing at it (duplicate_of) and is never delivered.
// deliveries.source / mail_message_id: a delivery made from a mail links back to it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mail_addresses (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id) on delete cascade,
      address text not null unique check (address = lower(address) and address like '%_@_%'),
      allowed_senders text[] not null default '{}',
      max_bytes integer not null check (max_bytes between 1024 and 52428800),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index mail_addresses_channel on mail_addresses (channel_id);

    create table mail_rules (
      id uuid primary key default gen_random_uuid(),
      address_id uuid not null references mail_addresses (id) on delete cascade,
      position integer not null,
      name text not null,
      enabled boolean not null default true,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index mail_rules_address on mail_rules (address_id, position);

    create table mail_messages (
      id uuid primary key default gen_random_uuid(),
      address_id uuid references mail_addresses (id) on delete cascade,
      recipient text not null,
      from_address text not null,
      message_id text,
      subject_enc text,
      raw_enc bytea,
      size_bytes integer not null default 0,
      spf text not null default 'not_checked',
      dkim text not null default 'not_checked',
      remote_ip text,
      status text not null check (status in ('received', 'delivered', 'unmatched', 'refused', 'parse_failed', 'duplicate', 'failed')),
      status_reason text,
      duplicate_of uuid references mail_messages (id) on delete cascade,
      rule_id uuid references mail_rules (id) on delete set null,
      delivery_id uuid,
      disaster_result text,
      attempts integer not null default 0,
      received_at timestamptz not null default now(),
      processed_at timestamptz
    );
    create unique index mail_messages_original on mail_messages (address_id, message_id)
      where duplicate_of is null and status <> 'refused';
    create index mail_messages_due on mail_messages (received_at) where status = 'received';
    create index mail_messages_list on mail_messages (address_id, received_at desc);

    alter table deliveries add column source text not null default 'console' check (source in ('console', 'mail'));
    alter table deliveries add column mail_message_id uuid references mail_messages (id) on delete set null;
    create index deliveries_mail_message on deliveries (mail_message_id) where mail_message_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deliveries drop column mail_message_id;
    alter table deliveries drop column source;
    drop table mail_messages;
    drop table mail_rules;
    drop table mail_addresses;
  `.execute(db);
}
