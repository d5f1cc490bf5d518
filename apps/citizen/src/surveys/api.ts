import type { Answers } from '@madoguchi/contracts/forms.ts';
import type { PublicSurvey, SurveyAnswerAccepted } from '@madoguchi/contracts/surveys.ts';
import { request } from '../api/client.ts';

// A survey or public comment as the citizen sees it (Q-01 … Q-05); the server knows the user from the
// LIFF session. A requestKey makes a retried send count once.

export type { PublicSurvey, SurveyAnswerAccepted };

const path = (surveyId: string) => `/api/citizen/surveys/${encodeURIComponent(surveyId)}`;

export const surveysApi = {
  get: (surveyId: string) => request<PublicSurvey>('GET', path(surveyId)),
  answer: (surveyId: string, answers: Answers, requestKey: string) =>
    request<SurveyAnswerAccepted>('POST', `${path(surveyId)}/answers`, { answers, requestKey }),
};
