import type { Answers } from '@madoguchi/contracts/forms.ts';
import type { PublicSurvey, SurveyAnswerAccepted, SurveyFileAccepted } from '@madoguchi/contracts/surveys.ts';
import { request, upload } from '../api/client.ts';

// A survey or public comment as the citizen sees it (Q-01 … Q-05); the server knows the user from the
// LIFF session. A requestKey makes a retried send count once. The files of a file item are uploaded one
// by one before the answers name them (the original name URI-encoded in X-File-Name).

export type { PublicSurvey, SurveyAnswerAccepted, SurveyFileAccepted };

const path = (surveyId: string) => `/api/citizen/surveys/${encodeURIComponent(surveyId)}`;

export const surveysApi = {
  get: (surveyId: string) => request<PublicSurvey>('GET', path(surveyId)),
  answer: (surveyId: string, answers: Answers, requestKey: string) =>
    request<SurveyAnswerAccepted>('POST', `${path(surveyId)}/answers`, { answers, requestKey }),
  uploadFile: (surveyId: string, file: File) =>
    upload<SurveyFileAccepted>(`${path(surveyId)}/files`, file, {
      'x-file-name': encodeURIComponent(file.name),
    }),
  /** 削除 of a file not yet sent with an answer: deleted on the server at once. */
  discardFile: (surveyId: string, fileId: string) =>
    request<void>('DELETE', `${path(surveyId)}/files/${encodeURIComponent(fileId)}`),
};
