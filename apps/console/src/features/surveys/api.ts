import type { Answers } from '@madoguchi/contracts/forms.ts';
import type {
  ResponseChangeView,
  ResponsePage,
  ResponseStatus,
  ResponseView,
  SurveyKind,
  SurveyMode,
  SurveyResults,
  SurveySummary,
  SurveyView,
} from '@madoguchi/contracts/surveys.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/surveys/* (Q-01 … Q-05), exactly as packages/contracts/src/surveys.ts
// lists them. The items of a survey's form are edited through features/forms (formsApi) with
// view.form.id.

export type {
  ResponseChangeView,
  ResponsePage,
  ResponseStatus,
  ResponseView,
  SurveyResults,
  SurveySummary,
  SurveyView,
};

export type SurveySettings = {
  title: string;
  description: string;
  mode: SurveyMode;
  anonymous: boolean;
  opensAt: string | null;
  closesAt: string | null;
  audienceSegmentId: string | null;
};

export type SurveyCreate = SurveySettings & { channelId: string; kind: SurveyKind };

export type SurveyUpdate = Partial<SurveySettings> & { resultsPublished?: boolean; resultsSummary?: string };

/** The filters of the answers list (and of its CSV / Excel export). */
export type ResponseFilter = {
  status?: ResponseStatus | undefined;
  /** ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
  /** A choice ID of the survey's form. */
  choice?: string | undefined;
};

const survey = (id: string) => `/api/surveys/${encodeURIComponent(id)}`;
const response = (surveyId: string, responseId: string) =>
  `${survey(surveyId)}/responses/${encodeURIComponent(responseId)}`;

export const surveysPath = (channelId: string) => `/api/surveys${query({ channelId })}`;
export const surveyPath = survey;
export const resultsPath = (id: string) => `${survey(id)}/results`;
export const responsesPath = (id: string, filter: ResponseFilter, before?: string | null) =>
  `${survey(id)}/responses${query({ ...filter, before, limit: 50 })}`;
export const responsesExportHref = (id: string, filter: ResponseFilter, format: 'csv' | 'xlsx') =>
  `${survey(id)}/responses.${format}${query(filter)}`;
export const changesPath = (surveyId: string, responseId: string) =>
  `${response(surveyId, responseId)}/changes`;

export const surveysApi = {
  create: (body: SurveyCreate) => api.post<SurveyView>('/api/surveys', body),
  update: (id: string, body: SurveyUpdate) => api.patch<SurveyView>(survey(id), body),
  open: (id: string) => api.post<SurveyView>(`${survey(id)}/open`),
  close: (id: string) => api.post<SurveyView>(`${survey(id)}/close`),
  remove: (id: string) => api.delete(survey(id)),
  /**
   * The public comment's PDF as the raw body. The API also reads `x-file-name`; the console's api
   * client sends no extra headers yet, so the server keeps its default name until it does.
   */
  uploadDocument: (id: string, file: File) =>
    api.put<SurveyView>(
      `${survey(id)}/document`,
      file.type === 'application/pdf' ? file : new Blob([file], { type: 'application/pdf' }),
      { headers: { 'x-file-name': encodeURIComponent(file.name) } },
    ),
  removeDocument: (id: string) => api.delete<SurveyView>(`${survey(id)}/document`),
  responses: (id: string, filter: ResponseFilter, before?: string | null, signal?: AbortSignal) =>
    api.get<ResponsePage>(responsesPath(id, filter, before), signal ? { signal } : undefined),
  updateResponse: (
    surveyId: string,
    responseId: string,
    body: { status?: ResponseStatus; staffAnswers?: Answers },
  ) => api.patch<ResponseView>(response(surveyId, responseId), body),
};
