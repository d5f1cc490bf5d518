import type { AnswerValue, RegistrationView } from '@madoguchi/contracts/forms.ts';
import { request } from '../api/client.ts';

// The citizen's registration (受信設定, G-01 … G-03): GET the form with the current answers, PUT
// the items that changed. The server knows the user from the LIFF session.

export type {
  AnswerValue,
  FormItemType as ItemType,
  PublicFormChoice as RegistrationChoice,
  PublicFormItem as RegistrationItem,
} from '@madoguchi/contracts/forms.ts';

/** GET / PUT /api/citizen/registration (the contract's shape). */
export type Registration = RegistrationView;

export const registrationApi = {
  get: () => request<Registration>('GET', '/api/citizen/registration'),
  save: (answers: Record<string, AnswerValue>) =>
    request<Registration>('PUT', '/api/citizen/registration', { answers }),
};
