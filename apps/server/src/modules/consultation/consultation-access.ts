import { AppError } from '../../platform/errors.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import type { DeskRow } from './desks.repository.ts';

// Who may act on which consultation (C-04, C-07, C-08, C-17). One place for the rules that every
// consultation route, the outreach and the console feed apply:
// - desk membership: a desk with no counselors listed is open to every counselor; otherwise only the
//   listed counselors work there. Supervisors (consultation.monitor) see every desk.
// - the assignee: once a counselor has taken a consultation, only that counselor acts on it. Taking it
//   over is a supervisor's action of its own (POST …/takeover), audited as such.

export interface Actor {
  accountId: string;
  permissions: readonly string[];
}

export const isSupervisor = (a: Actor) => a.permissions.includes('consultation.monitor');

/** The desk is one this account works at (supervisors: every desk). */
export const worksAt = (desk: Pick<DeskRow, 'counselor_ids'>, a: Actor) =>
  isSupervisor(a) || desk.counselor_ids.length === 0 || desk.counselor_ids.includes(a.accountId);

export const notDeskMember = () =>
  new AppError(403, 'NOT_DESK_MEMBER', 'この相談窓口の担当ではないため操作できません');

export const alreadyAssigned = () => new AppError(409, 'ALREADY_ASSIGNED', '他の相談員が対応中です');

export const consultationClosed = () => new AppError(409, 'CONSULTATION_CLOSED', 'この相談は終了しています');

export function assertWorksAt(desk: Pick<DeskRow, 'counselor_ids'>, a: Actor): void {
  if (!worksAt(desk, a)) throw notDeskMember();
}

/**
 * The consultation is not someone else's: unassigned, or assigned to this account. With
 * `supervisorMay`, supervisors pass too (records, notes, closing and transferring a chat they watch).
 */
export function assertNotOthers(
  c: Pick<ConsultationRow, 'counselor_id'>,
  a: Actor,
  opts: { supervisorMay: boolean },
): void {
  if (!c.counselor_id || c.counselor_id === a.accountId) return;
  if (opts.supervisorMay && isSupervisor(a)) return;
  throw alreadyAssigned();
}
