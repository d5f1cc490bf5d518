import type {
  CitizenApplicationSummary,
  CitizenApplicationView,
  NextStep,
  PublicProcedure,
  PublicProcedureDetail,
} from '@madoguchi/contracts/applications.ts';
import type { Answers } from '@madoguchi/contracts/forms.ts';
import { request } from '../api/client.ts';

// スマホ市役所 (A-01 … A-03) as the citizen sees it; the server knows the friend from the LIFF session.
// No amount is ever sent: the server computes the fee and starts the payment.

export type {
  CitizenApplicationSummary,
  CitizenApplicationView,
  NextStep,
  PublicProcedure,
  PublicProcedureDetail,
};

const one = (id: string) => `/api/citizen/applications/${encodeURIComponent(id)}`;

export const applicationsApi = {
  procedures: () => request<PublicProcedure[]>('GET', '/api/citizen/procedures'),
  procedure: (id: string) =>
    request<PublicProcedureDetail>('GET', `/api/citizen/procedures/${encodeURIComponent(id)}`),
  mine: () => request<CitizenApplicationSummary[]>('GET', '/api/citizen/applications'),
  start: (procedureId: string, requestKey: string) =>
    request<CitizenApplicationView>('POST', '/api/citizen/applications', { procedureId, requestKey }),
  get: (id: string) => request<CitizenApplicationView>('GET', one(id)),
  startIdentity: (id: string) => request<NextStep>('POST', `${one(id)}/identity`, {}),
  identityResult: (id: string, verificationId: string) =>
    request<CitizenApplicationView>('POST', `${one(id)}/identity/result`, { verificationId }),
  saveAnswers: (id: string, answers: Answers) =>
    request<CitizenApplicationView>('PUT', `${one(id)}/answers`, { answers }),
  submit: (id: string) => request<NextStep>('POST', `${one(id)}/submit`, {}),
  checkPayment: (id: string) => request<CitizenApplicationView>('POST', `${one(id)}/payment/check`, {}),
};
