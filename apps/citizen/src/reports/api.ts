import type {
  CitizenReportCategory,
  CitizenReportView,
  GeoPoint,
  ReportAccepted,
  ReportLineLocation,
  ReportPhotoAccepted,
} from '@madoguchi/contracts/reports.ts';
import { request, upload } from '../api/client.ts';

// Fault reports as the citizen sends them (R-01 … R-03); the server knows the user from the LIFF
// session. Each photo is uploaded alone (the file itself as the body) before the report names it.

export type { CitizenReportCategory, CitizenReportView, GeoPoint, ReportAccepted, ReportPhotoAccepted };

export interface ReportSend {
  categoryId: string;
  text: string;
  occurredAt: string;
  location: GeoPoint;
  photoIds: string[];
  requestKey: string;
}

export const reportsApi = {
  categories: () => request<CitizenReportCategory[]>('GET', '/api/citizen/reports/categories'),
  mine: () => request<CitizenReportView[]>('GET', '/api/citizen/reports/mine'),
  uploadPhoto: (file: Blob) => upload<ReportPhotoAccepted>('/api/citizen/reports/photos', file),
  send: (body: ReportSend) => request<ReportAccepted>('POST', '/api/citizen/reports', body),
  /** Asks for the place in the LINE talk (a message with a location button is sent to the friend). */
  askLineLocation: () => request<ReportLineLocation>('POST', '/api/citizen/reports/line-location', {}),
  lineLocation: () => request<ReportLineLocation>('GET', '/api/citizen/reports/line-location'),
};
