// Every table has one owner (issue 10): only the owner's `*.repository.ts` writes it, and other
// modules read it through the owner's exported repository functions (its public read API). The
// owner of each table is below; `apps/server/src/modules/README.md` ("Tables and owners") mirrors
// this map, and `table-owners.unit.test.ts` holds the code to it.

/** Table → owning module (its folder under `src/`). */
export const TABLE_OWNERS = {
  channels: 'modules/channels',
  line_events: 'modules/line-events',
  line_events_rejected: 'modules/line-events',
  line_outbox: 'modules/line-events',
  friends: 'modules/friends',
  friend_events: 'modules/friends',
  roles: 'modules/accounts',
  staff_accounts: 'modules/accounts',
  login_throttles: 'modules/accounts',
  login_failure_windows: 'modules/accounts',
  rate_limits: 'platform/http',
  staff_sessions: 'platform/auth',
  ip_allowlist_entries: 'platform/security',
  audit_log: 'platform/audit',
  citizen_sessions: 'modules/citizen',
  desks: 'modules/consultation',
  desk_counselors: 'modules/consultation',
  consultees: 'modules/consultation',
  consultations: 'modules/consultation',
  consultation_messages: 'modules/consultation',
  consultation_records: 'modules/consultation',
  forms: 'modules/forms',
  form_items: 'modules/forms',
  form_choices: 'modules/forms',
  form_responses: 'modules/forms',
  segments: 'modules/segments',
  media: 'modules/media',
  deliveries: 'modules/deliveries',
  delivery_batches: 'modules/deliveries',
  delivery_links: 'modules/deliveries',
  delivery_clicks: 'modules/deliveries',
  shelters: 'modules/shelters',
  surveys: 'modules/surveys',
  survey_documents: 'modules/surveys',
  survey_responses: 'modules/surveys',
  survey_response_changes: 'modules/surveys',
  survey_files: 'modules/surveys',
  booking_calendars: 'modules/reservations',
  booking_slots: 'modules/reservations',
  bookings: 'modules/reservations',
  booking_waitlist: 'modules/reservations',
  booking_changes: 'modules/reservations',
  report_categories: 'modules/reports',
  reports: 'modules/reports',
  report_photos: 'modules/reports',
  report_changes: 'modules/reports',
  report_location_requests: 'modules/reports',
  procedures: 'modules/applications',
  applications: 'modules/applications',
  application_changes: 'modules/applications',
  mail_outbox: 'modules/mail',
  mail_addresses: 'modules/mail-bridge',
  mail_rules: 'modules/mail-bridge',
  mail_messages: 'modules/mail-bridge',
  forwarding_targets: 'modules/forwarding',
  forwarding_items: 'modules/forwarding',
  identity_verifications: 'modules/identity',
  rich_menu_groups: 'modules/richmenus',
  rich_menu_tabs: 'modules/richmenus',
  rich_menu_areas: 'modules/richmenus',
  rich_menu_publications: 'modules/richmenus',
  rich_menu_user_links: 'modules/richmenus',
  rich_menu_taps: 'modules/richmenus',
  rich_menu_user_menus: 'modules/richmenus',
  chatbot_scenarios: 'modules/chatbot',
  chatbot_versions: 'modules/chatbot',
  chatbot_keywords: 'modules/chatbot',
  chatbot_sessions: 'modules/chatbot',
  chatbot_steps: 'modules/chatbot',
  chatbot_handovers: 'modules/chatbot',
  faq_channels: 'modules/chatbot',
  faq_entries: 'modules/chatbot',
  faq_uses: 'modules/chatbot',
  faq_unanswered_asks: 'modules/chatbot',
  faq_unanswered_dismissals: 'modules/chatbot',
  payments: 'modules/payments',
  payment_refunds: 'modules/payments',
  payment_webhook_events: 'modules/payments',
  maintenance_windows: 'modules/operations',
  change_records: 'modules/operations',
  access_log: 'modules/operations',
  incident_reports: 'modules/incidents',
} as const;

export type Table = keyof typeof TABLE_OWNERS;

/**
 * The only reads of another module's tables inside a repository: joins that one query needs over
 * many rows (a per-row call to the owner would be N+1). Read-only: never written from here.
 */
export const READ_JOINS: Record<string, Table[]> = {
  // Read models: counts and segment predicates over friends, their answers and deliveries.
  'modules/analytics': [
    'channels',
    'friends',
    'friend_events',
    'forms',
    'form_items',
    'form_choices',
    'form_responses',
    'deliveries',
    'delivery_batches',
    'delivery_links',
    'delivery_clicks',
  ],
  'modules/segments': [
    'channels',
    'friends',
    'forms',
    'form_items',
    'form_choices',
    'form_responses',
    'deliveries',
  ],
  // The attribute export pages friends with their registration answers (200,000 rows).
  'modules/forms': ['friends'],
  // A survey's list shows its form's title, the friend's name (named surveys) and who changed an answer.
  'modules/surveys': ['forms', 'friends', 'staff_accounts'],
  // A booking list shows the friend's name and who changed a booking; reminders go to the friend's LINE
  // user; a booking reads its slot with the stamp of the booking form (forms.updated_at, the form cache).
  'modules/reservations': ['friends', 'staff_accounts', 'forms'],
  // A report's assignee and who changed it; the reporter's display name.
  // (and whether a report has a mail that failed: the list's badge).
  'modules/reports': ['staff_accounts', 'friends', 'mail_outbox'],
  // The queue shows each application's procedure, assignee and the applicant's LINE display name.
  'modules/applications': ['staff_accounts', 'friends'],
  // The counselor's display name beside each consultation and message.
  'modules/consultation': ['staff_accounts'],
  // A due delivery is taken with its channel's environment (test deliveries, G-09).
  'modules/deliveries': ['channels'],
  // The dispatch reads each event with its channel's LIFF ID (links in replies).
  'modules/line-events': ['channels'],
  // The sender takes a due item with its event's sealed payload, destination and signature (one
  // statement per claim, not one read per item).
  'modules/forwarding': ['line_events'],
  // The hand-over list shows each friend's display name (one query for the list).
  'modules/chatbot': ['friends'],
  // One query per request: the session with its account and role.
  'platform/auth': ['staff_accounts', 'roles'],
};
