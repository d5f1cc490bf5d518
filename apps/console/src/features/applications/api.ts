import type {
  ApplicationPage,
  ApplicationStatus,
  ApplicationSummary,
  ApplicationView,
  FeeRule,
  ProcedureDetail,
  ProcedureIdentityLevel,
  ProcedureView,
  StaffStatus,
} from '@madoguchi/contracts/applications.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/applications and /api/procedures, as
// packages/contracts/src/applications.ts lists them. Every call of one application names its channel:
// an application of another channel is 404.

export type {
  ApplicationPage,
  ApplicationStatus,
  ApplicationSummary,
  ApplicationView,
  FeeRule,
  ProcedureDetail,
  ProcedureIdentityLevel,
  ProcedureView,
  StaffStatus,
};

/** The queue's filters; `from`/`to` are ISO instants. */
export type ApplicationFilter = {
  status?: StaffStatus | undefined;
  procedureId?: string | undefined;
  assigneeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

export type ProcedureInput = {
  slug: string;
  nameJa: string;
  nameEn: string;
  description: string;
  identityLevel: ProcedureIdentityLevel;
  fee: FeeRule;
  retentionDays: number;
  active: boolean;
};

const one = (id: string) => `/api/applications/${encodeURIComponent(id)}`;
const procedure = (id: string) => `/api/procedures/${encodeURIComponent(id)}`;

export const proceduresPath = (channelId: string) => `/api/procedures${query({ channelId })}`;
export const procedurePath = procedure;
export const applicationPath = (channelId: string, id: string) => `${one(id)}${query({ channelId })}`;
export const assigneesPath = '/api/applications/assignees';
export const applicationsListPath = (channelId: string, filter: ApplicationFilter, before?: string | null) =>
  `/api/applications${query({ channelId, ...filter, before, limit: 50 })}`;

export const applicationsApi = {
  list: (channelId: string, filter: ApplicationFilter, before?: string | null, signal?: AbortSignal) =>
    api.get<ApplicationPage>(
      applicationsListPath(channelId, filter, before),
      signal ? { signal } : undefined,
    ),
  update: (channelId: string, id: string, body: { assigneeId?: string | null; note?: string }) =>
    api.patch<ApplicationView>(applicationPath(channelId, id), body),
  setStatus: (channelId: string, id: string, body: { status: StaffStatus; reason?: string }) =>
    api.post<ApplicationView>(`${one(id)}/status${query({ channelId })}`, body),
  createProcedure: (channelId: string, body: ProcedureInput) =>
    api.post<ProcedureDetail>('/api/procedures', { channelId, ...body }),
  updateProcedure: (id: string, body: Partial<Omit<ProcedureInput, 'slug'>>) =>
    api.patch<ProcedureDetail>(procedure(id), body),
};
