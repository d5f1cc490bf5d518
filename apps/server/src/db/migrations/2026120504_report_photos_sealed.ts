import { type Kysely, sql } from 'kysely';

// Report photos are sealed with the cipher like survey files (a photo may show a face, a car's
// number or a house: personal data, S-02). Rows stored before this migration keep their plain bytes
// with sealed = false until the hourly photo job seals them (reports.service.ts sealPlainPhotos): a
// migration has no key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table report_photos add column sealed boolean not null default false;
    create index report_photos_plain on report_photos (id) where not sealed;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table report_photos drop column sealed`.execute(db);
}
