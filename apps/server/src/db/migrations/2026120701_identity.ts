import { type Kysely, sql } from 'kysely';

// Identity verification with the My Number card (issue 15, A-01), owned by modules/identity.
// One row per attempt: the state is stored only as its SHA-256 (the browser carries the value), the
// nonce, PKCE verifier and the text to sign are sealed with the server's key (AES-256-GCM) and
// cleared when the attempt ends; the verified attributes are sealed too and deleted after the
// retention period (purge_after) by the identity module's job or when the owning module asks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table identity_verifications (
      id uuid primary key default gen_random_uuid(),
      purpose text not null check (purpose ~ '^[a-z][a-z0-9_-]{0,39}$'),
      ref text not null check (length(ref) between 1 and 200),
      level text not null check (level in ('basic', 'sign')),
      provider text not null,
      citizen_ref_hash text not null,
      state_hash text not null unique,
      nonce_enc text,
      verifier_enc text,
      sign_text_enc text,
      sign_transaction_enc text,
      return_path text not null,
      status text not null default 'pending'
        check (status in ('pending', 'exchanging', 'verified', 'failed', 'canceled')),
      failure_code text,
      attributes_enc text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      completed_at timestamptz,
      purge_after timestamptz,
      purged_at timestamptz
    );
    create index identity_verifications_owner on identity_verifications (purpose, ref);
    create index identity_verifications_purge on identity_verifications (purge_after)
      where attributes_enc is not null;
    create index identity_verifications_stale on identity_verifications (expires_at)
      where status in ('pending', 'exchanging');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table identity_verifications`.execute(db);
}
