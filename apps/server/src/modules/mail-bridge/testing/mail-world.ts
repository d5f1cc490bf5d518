import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { Db } from '../../../db/database.ts';
import { insertFriends } from '../../../testing/delivery-world.ts';
import type { LineWorld } from '../../../testing/line-world.ts';
import { type SeededAttributes, seedFriendsWithAttributes } from '../../../testing/seed-friends.ts';

// Test support for the mail bridge (issue 14): the sample mails, a real SMTP client (nodemailer)
// sending raw bytes to the product's listener, and virtual phones (simulator users following the
// channel) registered in a given 区.

export const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** A small UTF-8 text mail (Return-Path and From = `from`; Message-ID <id@city.test>). */
export const plainMail = (m: { from: string; to: string; id: string; body?: string }) =>
  [
    `Return-Path: <${m.from.replace(/^.*<|>$/g, '')}>`,
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: test ${m.id}`,
    `Message-ID: <${m.id}@city.test>`,
    'Date: Thu, 03 Dec 2026 14:02:11 +0900',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.body ?? '本日の訓練のお知らせです。',
    '',
  ].join('\r\n');

export interface SmtpAnswer {
  ok: boolean;
  code: number | null;
  response: string;
}

/** Sends raw bytes over SMTP (envelope given) and answers what the server said. */
export async function sendRaw(
  port: number,
  raw: Buffer | string,
  envelope: { from: string; to: string[] },
): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { ok: true, code: 250, response: String(info.response) };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    return { ok: false, code: e.responseCode ?? null, response: e.response ?? e.message };
  } finally {
    transport.close();
  }
}

/**
 * The registration form's items (seed-friends.ts: 区・町 among them) and `perWard` virtual phones
 * registered in each of the given wards (by label), plus `unregistered` phones without an answer.
 */
export async function phonesInWards(
  w: LineWorld,
  wards: string[],
  perWard: number,
  unregistered: number,
): Promise<{ seeded: SeededAttributes; byWard: Map<string, string[]>; unregistered: string[] }> {
  const seeded = await seedFriendsWithAttributes(w.server.db, {
    channelId: w.channelId,
    count: 0,
    tag: 'mail',
  });
  const byWard = new Map<string, string[]>();
  for (const label of wards) {
    const ward = seeded.area.wards.find((x) => x.label === label);
    if (!ward) throw new Error(`no ward ${label}`);
    const ids = await bulkPhones(w, perWard);
    await registerInWard(w.server.db, w.channelId, seeded.formId, ids, ward.id, ward.towns[0]!);
    byWard.set(label, ids);
  }
  const none = await bulkPhones(w, unregistered);
  return { seeded, byWard, unregistered: none };
}

async function bulkPhones(w: LineWorld, count: number): Promise<string[]> {
  if (count === 0) return [];
  const { userIds } = (await w.sim$('POST', '/_sim/users/bulk', {
    count,
    followChannelId: w.line.channelId,
  })) as { userIds: string[] };
  await insertFriends(w.server.db, w.channelId, userIds);
  return userIds;
}

async function registerInWard(
  db: Db,
  channelId: string,
  formId: string,
  userIds: string[],
  wardId: string,
  townId: string,
) {
  await sql`
    insert into form_responses (form_id, friend_id, choice_ids, numbers, submitted_at, updated_at)
    select ${formId}::uuid, f.id, array[${wardId}::bigint, ${townId}::bigint], '{}'::jsonb, now(), now()
    from friends f where f.channel_id = ${channelId}::uuid and f.line_user_id = any(${userIds}::text[])
  `.execute(db);
}

/** The multicast requests the simulator received for the channel: recipients and texts. */
export async function multicasts(w: LineWorld) {
  const r = await fetch(
    `${w.sim.url}/_sim/requests?channelId=${w.line.channelId}&path=/v2/bot/message/multicast`,
  );
  return (await r.json()) as {
    body: { to: string[]; messages: { type: string; text?: string }[] };
    status: number;
  }[];
}
