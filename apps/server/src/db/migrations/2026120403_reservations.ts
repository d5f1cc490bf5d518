import { type Kysely, sql } from 'kysely';

// Reservations (issue 13, V-01 … V-06).
// - booking_calendars: one per facility or event, grouped by category; weekly slot templates, holidays
//   and 年末年始 closed unless opened, dates closed or opened, cutoffs, a per-person limit, seats per
//   booking, the reminder hour; its booking form is a form of the form engine (purpose 'booking').
// - booking_slots: the slots, made from the templates for the days asked for (unique per start);
//   staff may change a slot's capacity or cancel it.
// - bookings: one row per booking with its seats and booking-form answers (texts sealed). Capacity is
//   enforced by the database from these rows: the trigger below locks the slot row and refuses a
//   booking that would take more seats than the slot has (SQLSTATE P0001, message BOOKING_FULL), so
//   no separate counter can drift and no code path can overbook. A request key per friend makes a
//   retried tap book once (unique index).
// - booking_waitlist: friends waiting for a full slot, in order; a freed seat goes to the first that fits.
// - booking_changes: who changed a booking (status, slot) and when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table booking_calendars (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references channels (id),
      form_id uuid not null unique references forms (id),
      category text not null,
      name text not null,
      description text not null default '',
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      templates jsonb not null default '[]',
      open_on_holidays boolean not null default false,
      closed_dates text[] not null default '{}',
      opened_dates text[] not null default '{}',
      booking_cutoff_minutes int not null default 0 check (booking_cutoff_minutes >= 0),
      cancel_cutoff_minutes int not null default 0 check (cancel_cutoff_minutes >= 0),
      per_person_limit int check (per_person_limit is null or per_person_limit > 0),
      max_seats_per_booking int not null default 1 check (max_seats_per_booking > 0),
      reminder_hour int check (reminder_hour between 0 and 23),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index booking_calendars_channel on booking_calendars (channel_id, category, name);

    create table booking_slots (
      id uuid primary key default gen_random_uuid(),
      calendar_id uuid not null references booking_calendars (id) on delete cascade,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity int not null check (capacity >= 0),
      cancelled_at timestamptz,
      unique (calendar_id, starts_at),
      check (starts_at < ends_at)
    );

    create table bookings (
      id uuid primary key default gen_random_uuid(),
      calendar_id uuid not null references booking_calendars (id) on delete cascade,
      slot_id uuid not null references booking_slots (id),
      friend_id uuid not null references friends (id),
      seats int not null check (seats > 0),
      status text not null default 'booked' check (status in ('booked', 'attended', 'no_show', 'cancelled')),
      request_key text not null,
      choice_ids bigint[] not null default '{}',
      numbers jsonb not null default '{}',
      texts_enc bytea,
      text_keys text[] not null default '{}',
      reminder_sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (friend_id, request_key)
    );
    create index bookings_slot on bookings (slot_id) where status <> 'cancelled';
    create index bookings_calendar on bookings (calendar_id, created_at desc);
    create index bookings_friend on bookings (friend_id, calendar_id) where status = 'booked';

    create function bookings_within_capacity() returns trigger language plpgsql as $$
    declare
      cap int;
      held int;
    begin
      if new.status = 'cancelled' then return new; end if;
      select capacity into cap from booking_slots where id = new.slot_id and cancelled_at is null for update;
      if cap is null then raise exception 'BOOKING_SLOT_CANCELLED'; end if;
      select coalesce(sum(seats), 0) into held from bookings
       where slot_id = new.slot_id and status <> 'cancelled' and id <> new.id;
      if held + new.seats > cap then raise exception 'BOOKING_FULL'; end if;
      return new;
    end $$;
    create trigger bookings_capacity before insert or update of slot_id, seats, status on bookings
      for each row execute function bookings_within_capacity();

    create table booking_waitlist (
      id bigint generated always as identity primary key,
      slot_id uuid not null references booking_slots (id) on delete cascade,
      friend_id uuid not null references friends (id),
      seats int not null check (seats > 0),
      status text not null default 'waiting' check (status in ('waiting', 'booked', 'left')),
      booking_id uuid references bookings (id),
      created_at timestamptz not null default now(),
      unique (slot_id, friend_id)
    );

    create table booking_changes (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings (id) on delete cascade,
      staff_id uuid references staff_accounts (id),
      field text not null check (field in ('status', 'slot', 'staff_answers')),
      from_value text not null,
      to_value text not null,
      at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table booking_changes, booking_waitlist, bookings, booking_slots, booking_calendars;
    drop function bookings_within_capacity();
  `.execute(db);
}
