import type { DeskView } from '@madoguchi/contracts/consultation.ts';
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DesksTable } from '../../db/schema.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { findStaffForAssignment } from '../accounts/accounts.service.ts';
import { findChannelRow } from '../channels/channels.service.ts';
import { isOpen } from './desk-hours.ts';
import {
  type DeskRow,
  findDeskRow,
  findDeskRowBySlug,
  insertDeskRow,
  listDeskRows,
  setDeskCounselors,
  updateDeskRow,
} from './desks.repository.ts';
import type { DeskInput } from './desks.schema.ts';

// Read by other modules through this service (they never import this module's repository).
export { deskNames } from './desks.repository.ts';
// The door of a desk in LINE (C-01), for the chatbot's consultation step.
export { deskDoorMessage } from './line-door.ts';

// Desks (相談窓口, C-08): hours, closures, greeting, out-of-hours reply, emergency contacts,
// record form, canned responses, web entry with an optional access code, counselors.

export function deskView(r: DeskRow, now = new Date()): DeskView {
  return {
    id: r.id,
    channelId: r.channel_id,
    name: r.name,
    slug: r.slug,
    description: r.description,
    hours: r.hours,
    closedOnHolidays: r.closed_on_holidays,
    closedYearEnd: r.closed_year_end,
    closedDates: r.closed_dates.map((d) =>
      typeof d === 'string' ? d : new Date(d).toISOString().slice(0, 10),
    ),
    greeting: r.greeting,
    outOfHoursReply: r.out_of_hours_reply,
    emergencyContacts: r.emergency_contacts,
    recordFields: r.record_fields,
    allowIncompleteRecords: r.allow_incomplete_records,
    cannedResponses: r.canned_responses,
    webEnabled: r.web_enabled,
    hasAccessCode: r.access_code_hash !== null,
    maxConcurrent: r.max_concurrent,
    riskWords: r.risk_words,
    keywords: r.keywords,
    counselorIds: r.counselor_ids,
    openNow: deskOpen(r, now),
  };
}

export const deskOpen = (r: DeskRow, at: Date) =>
  isOpen(
    {
      hours: r.hours,
      closedOnHolidays: r.closed_on_holidays,
      closedYearEnd: r.closed_year_end,
      closedDates: r.closed_dates.map((d) =>
        typeof d === 'string' ? d : new Date(d).toISOString().slice(0, 10),
      ),
    },
    at,
  );

function columns(input: Partial<DeskInput>) {
  return {
    ...(input.channelId !== undefined ? { channel_id: input.channelId } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.slug !== undefined ? { slug: input.slug } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.hours !== undefined ? { hours: JSON.stringify(input.hours) } : {}),
    ...(input.closedOnHolidays !== undefined ? { closed_on_holidays: input.closedOnHolidays } : {}),
    ...(input.closedYearEnd !== undefined ? { closed_year_end: input.closedYearEnd } : {}),
    ...(input.closedDates !== undefined ? { closed_dates: input.closedDates } : {}),
    ...(input.greeting !== undefined ? { greeting: input.greeting } : {}),
    ...(input.outOfHoursReply !== undefined ? { out_of_hours_reply: input.outOfHoursReply } : {}),
    ...(input.emergencyContacts !== undefined
      ? { emergency_contacts: JSON.stringify(input.emergencyContacts) }
      : {}),
    ...(input.recordFields !== undefined ? { record_fields: JSON.stringify(input.recordFields) } : {}),
    ...(input.allowIncompleteRecords !== undefined
      ? { allow_incomplete_records: input.allowIncompleteRecords }
      : {}),
    ...(input.cannedResponses !== undefined
      ? { canned_responses: JSON.stringify(input.cannedResponses) }
      : {}),
    ...(input.webEnabled !== undefined ? { web_enabled: input.webEnabled } : {}),
    ...(input.maxConcurrent !== undefined ? { max_concurrent: input.maxConcurrent } : {}),
    ...(input.riskWords !== undefined ? { risk_words: input.riskWords } : {}),
    ...(input.keywords !== undefined ? { keywords: input.keywords } : {}),
  };
}

export async function listDesks(db: Db) {
  return (await listDeskRows(db)).map((r) => deskView(r));
}

/** The desks of a channel (the citizen pages list them). */
export const desksOfChannel = async (db: Db, channelId: string) =>
  (await listDeskRows(db)).filter((d) => d.channel_id === channelId);

export async function getDesk(db: Db, id: string) {
  const row = await findDeskRow(db, id);
  if (!row) throw notFound('相談窓口');
  return row;
}

export async function getDeskBySlug(db: Db, slug: string) {
  const row = await findDeskRowBySlug(db, slug);
  if (!row) throw notFound('相談窓口');
  return row;
}

/**
 * The IDs a desk refers to exist: its LINE channel, and its counselors (accounts that may handle
 * consultations). A missing one is a 404 with its own code, never a foreign-key error (C-08).
 */
async function checkReferences(db: Db, input: Partial<DeskInput>) {
  if (input.channelId && !(await findChannelRow(db, input.channelId)))
    throw new AppError(404, 'CHANNEL_NOT_FOUND', '指定された LINE 公式アカウントがありません');
  for (const id of new Set(input.counselorIds ?? [])) {
    const account = await findStaffForAssignment(db, id);
    if (!account) throw new AppError(404, 'COUNSELOR_NOT_FOUND', '指定された相談員のアカウントがありません');
    if (!account.permissions.includes('consultation.handle'))
      throw new AppError(
        400,
        'NOT_A_COUNSELOR',
        `${account.display_name} さんのロールには相談対応の権限がありません`,
      );
  }
}

export async function createDesk(db: Db, input: DeskInput) {
  if (await findDeskRowBySlug(db, input.slug))
    throw conflict('DESK_SLUG_TAKEN', 'この URL 名は使われています');
  await checkReferences(db, input);
  const id = await insertDeskRow(db, {
    // `input` is complete (the schema fills defaults), so columns() yields every column.
    ...(columns(input) as Insertable<DesksTable>),
    access_code_hash: input.accessCode ? await hashPassword(input.accessCode) : null,
  });
  await setDeskCounselors(db, id, [...new Set(input.counselorIds)]);
  return deskView((await findDeskRow(db, id))!);
}

export async function updateDesk(db: Db, id: string, input: Partial<DeskInput>) {
  await getDesk(db, id);
  if (input.slug) {
    const other = await findDeskRowBySlug(db, input.slug);
    if (other && other.id !== id) throw conflict('DESK_SLUG_TAKEN', 'この URL 名は使われています');
  }
  await checkReferences(db, input);
  const accessCode =
    input.accessCode === undefined
      ? {}
      : { access_code_hash: input.accessCode === null ? null : await hashPassword(input.accessCode) };
  await updateDeskRow(db, id, { ...columns(input), ...accessCode, updated_at: new Date() });
  if (input.counselorIds) await setDeskCounselors(db, id, [...new Set(input.counselorIds)]);
  return deskView((await findDeskRow(db, id))!);
}

export async function checkAccessCode(desk: DeskRow, code: string | undefined): Promise<boolean> {
  if (!desk.access_code_hash) return true;
  return !!code && (await verifyPassword(desk.access_code_hash, code));
}
