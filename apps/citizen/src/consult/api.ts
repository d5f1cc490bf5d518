import { request } from '../api/client.ts';

// The consultee side of the consultation API (docs/dev/consultation-api.md). Public: LINE consultees
// carry the citizen session cookie from the LIFF sign-in, web consultees get an anonymous cookie.

export type ConsultationStatus = 'waiting' | 'active' | 'closed';

/** "0" = Sunday … "6" = Saturday; times are "HH:MM" in Asia/Tokyo. */
export type Hours = { [weekday: string]: { start: string; end: string }[] };

export interface EmergencyContact {
  name: string;
  phone: string;
  hours: string;
}

export interface PublicDesk {
  name: string;
  description: string;
  openNow: boolean;
  hours: Hours;
  closedOnHolidays: boolean;
  emergencyContacts: EmergencyContact[];
  greeting: string;
  webEnabled: boolean;
  requiresAccessCode: boolean;
}

export interface Message {
  id: string;
  sender: 'consultee' | 'counselor' | 'system';
  kind: 'text' | 'note';
  text: string;
  createdAt: string;
  clientId: string | null;
  accountName: string | null;
}

export interface StartedConsultation {
  consultationId: string;
  status: ConsultationStatus;
  messages: Message[];
}

/** The longest message the server accepts (counted like the server: UTF-16 code units). */
export const MAX_MESSAGE_LENGTH = 2000;

export const consultApi = {
  desk: (slug: string) => request<PublicDesk>('GET', `/api/consult/desks/${encodeURIComponent(slug)}`),
  start: (deskSlug: string, accessCode?: string) =>
    request<StartedConsultation>(
      'POST',
      '/api/consult/start',
      accessCode === undefined ? { deskSlug } : { deskSlug, accessCode },
    ),
  end: (consultationId: string) =>
    request<void>('POST', `/api/consult/${encodeURIComponent(consultationId)}/end`, {}),
};

/** `ws://` or `wss://` (as the page) + `/ws/consult?consultationId=…`. */
export function consultSocketUrl(
  consultationId: string,
  location: Pick<Location, 'protocol' | 'host'>,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/consult?${new URLSearchParams({ consultationId })}`;
}
