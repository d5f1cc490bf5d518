import { request } from '../api/client.ts';

// The citizen's registration (受信設定, G-01 … G-03): GET the form with the current answers, PUT
// the items that changed. The server knows the user from the LIFF session.

export type ItemType = 'single' | 'multiple' | 'select' | 'area' | 'birth_year' | 'text' | 'textarea';

export interface RegistrationChoice {
  id: string;
  label: string;
  /** area: the ward (区) of a town (町丁) */
  parentId: string | null;
}

export interface RegistrationItem {
  id: string;
  key: string;
  label: string;
  type: ItemType;
  required: boolean;
  help: string;
  config: { min?: number; max?: number; maxLength?: number; maxSelections?: number };
  choices: RegistrationChoice[];
}

/** single / select: a choice ID; multiple: IDs; area: ward and town; birth_year: a year; text. */
export type AnswerValue = null | number | string | string[] | { ward: string; town?: string | null };

export interface Registration {
  form: { id: string; title: string; description: string; items: RegistrationItem[] } | null;
  answers: Record<string, AnswerValue>;
  isFriend: boolean;
  registered: boolean;
  registeredAt: string | null;
  updatedAt: string | null;
}

export const registrationApi = {
  get: () => request<Registration>('GET', '/api/citizen/registration'),
  save: (answers: Record<string, AnswerValue>) =>
    request<Registration>('PUT', '/api/citizen/registration', { answers }),
};
