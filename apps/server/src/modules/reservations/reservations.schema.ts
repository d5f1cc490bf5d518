// The reservations' requests (V-01 … V-06) are the HTTP contract: packages/contracts/src/reservations.ts
// and reservations.schema.ts.

export {
  bookingCreateSchema,
  bookingExportQuery,
  bookingListQuery,
  bookingParams,
  bookingUpdateSchema,
  type CalendarCreate,
  type CalendarUpdate,
  calendarCreateSchema,
  calendarParams,
  calendarUpdateSchema,
  channelQuery,
  remindSchema,
  slotParams,
  slotRangeQuery,
  slotUpdateSchema,
  waitlistSchema,
} from '@madoguchi/contracts/reservations.schema.ts';
