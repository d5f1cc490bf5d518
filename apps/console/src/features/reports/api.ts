import type {
  CityBoundaryView,
  ReportCategoryView,
  ReportPage,
  ReportStatus,
  ReportSummary,
  ReportView,
} from '@madoguchi/contracts/reports.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/reports/* (R-01 … R-03), as packages/contracts/src/reports.ts lists them.

export type { CityBoundaryView, ReportCategoryView, ReportPage, ReportStatus, ReportSummary, ReportView };

/** The list's filters (and the export's). `from`/`to` are ISO instants. */
export type ReportFilter = {
  status?: ReportStatus | undefined;
  categoryId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

export type CategoryInput = { name: string; emails: string[]; active: boolean; position: number };

const report = (id: string) => `/api/reports/${encodeURIComponent(id)}`;
const category = (id: string) => `/api/reports/categories/${encodeURIComponent(id)}`;

export const categoriesPath = (channelId: string) => `/api/reports/categories${query({ channelId })}`;
export const reportPath = report;
export const assigneesPath = '/api/reports/assignees';
/** The city boundary to draw the reports' map on. */
export const cityBoundaryPath = '/api/reports/boundary';
export const reportsListPath = (channelId: string, filter: ReportFilter, before?: string | null) =>
  `/api/reports${query({ channelId, ...filter, before, limit: 50 })}`;
export const reportsExportHref = (channelId: string, filter: ReportFilter, format: 'csv' | 'xlsx') =>
  `/api/reports.${format}${query({ channelId, ...filter })}`;

export const reportsApi = {
  list: (channelId: string, filter: ReportFilter, before?: string | null, signal?: AbortSignal) =>
    api.get<ReportPage>(reportsListPath(channelId, filter, before), signal ? { signal } : undefined),
  update: (id: string, body: { status?: ReportStatus; assigneeId?: string | null; note?: string }) =>
    api.patch<ReportView>(report(id), body),
  retryMails: (id: string) => api.post<ReportView>(`${report(id)}/mails/retry`),
  createCategory: (channelId: string, body: CategoryInput) =>
    api.post<ReportCategoryView>('/api/reports/categories', { channelId, ...body }),
  updateCategory: (id: string, body: Partial<CategoryInput>) =>
    api.patch<ReportCategoryView>(category(id), body),
  removeCategory: (id: string) => api.delete(category(id)),
};
