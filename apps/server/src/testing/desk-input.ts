import type { DeskInput } from '../modules/consultation/desks.schema.ts';

/** A consultation desk for tests and drills: web-enabled, no records required; `over` sets the rest. */
export const deskInput = (over: Partial<DeskInput> & Pick<DeskInput, 'name' | 'slug'>): DeskInput => ({
  channelId: null,
  description: '',
  hours: {},
  closedOnHolidays: false,
  closedYearEnd: false,
  closedDates: [],
  greeting: 'ようこそ。',
  outOfHoursReply: '受付時間外です。',
  emergencyContacts: [],
  recordFields: [],
  allowIncompleteRecords: true,
  cannedResponses: [],
  webEnabled: true,
  accessCode: null,
  maxConcurrent: 3,
  riskWords: [],
  keywords: [],
  counselorIds: [],
  ...over,
});
