import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import {
  findIncidentRow,
  type IncidentRow,
  insertIncidentRow,
  listIncidentRows,
  updateIncidentRow,
} from './incidents.repository.ts';

// Incident reports (O-03 "failure detection and reports: cause, action, prevention"): the system
// staff record each failure — title, start and end, impact, cause, action taken, prevention — and
// mark it resolved when it has ended. Listed newest first, exported as CSV, every change audited.

export const INCIDENT_LIST_LIMIT = 1000;

export interface IncidentInput {
  title: string;
  status: 'open' | 'resolved';
  startedAt: Date;
  endedAt: Date | null;
  impact: string;
  cause: string;
  action: string;
  prevention: string;
}

export const incidentView = (r: IncidentRow) => ({
  id: r.id,
  title: r.title,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  impact: r.impact,
  cause: r.cause,
  action: r.action,
  prevention: r.prevention,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The one rule across fields: an end not before the start, and a resolved report has its end. */
function checkTimes(input: Pick<IncidentInput, 'status' | 'startedAt' | 'endedAt'>) {
  if (input.endedAt && input.endedAt < input.startedAt)
    throw badRequest('INCIDENT_ENDS_BEFORE_START', '終了日時は開始日時より後にしてください', [
      { path: 'endedAt', message: '開始日時より後にしてください' },
    ]);
  if (input.status === 'resolved' && !input.endedAt)
    throw badRequest('INCIDENT_END_REQUIRED', '解決済みにするには終了日時を入力してください', [
      { path: 'endedAt', message: '終了日時を入力してください' },
    ]);
}

const columns = (i: IncidentInput) => ({
  title: i.title,
  status: i.status,
  started_at: i.startedAt,
  ended_at: i.endedAt,
  impact: i.impact,
  cause: i.cause,
  action: i.action,
  prevention: i.prevention,
});

export async function listIncidents(db: Db) {
  return (await listIncidentRows(db, INCIDENT_LIST_LIMIT)).map(incidentView);
}

export async function createIncident(db: Db, input: IncidentInput, accountId: string | null) {
  checkTimes(input);
  return incidentView(await insertIncidentRow(db, { ...columns(input), created_by: accountId }));
}

export async function updateIncident(db: Db, id: string, input: IncidentInput) {
  if (!(await findIncidentRow(db, id))) throw notFound('障害報告');
  checkTimes(input);
  const row = await updateIncidentRow(db, id, columns(input));
  if (!row) throw notFound('障害報告');
  return incidentView(row);
}
