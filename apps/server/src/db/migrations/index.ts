import type { Migration } from 'kysely/migration';
import * as foundation from './2026112201_foundation.ts';
import * as consultation from './2026112202_consultation.ts';
import * as delivery from './2026112203_delivery.ts';
import * as friendExportOrder from './2026112204_friend_export_order.ts';
import * as loginThrottle from './2026120102_login_throttle.ts';
import * as auditHmac from './2026120103_audit_hmac.ts';
import * as rejectedLineEvents from './2026120104_rejected_line_events.ts';
import * as lineOutbox from './2026120105_line_outbox.ts';
import * as rateLimits from './2026120107_rate_limits.ts';
import * as shelters from './2026120201_shelters.ts';
import * as richMenus from './2026120202_rich_menus.ts';
import * as deliveryLineMessages from './2026120203_delivery_line_messages.ts';
import * as richMenuDisaster from './2026120206_rich_menu_disaster.ts';
import * as richMenuUserMenus from './2026120207_rich_menu_user_menus.ts';
import * as richMenuTapsKept from './2026120208_rich_menu_taps_kept.ts';
import * as chatbot from './2026120301_chatbot.ts';
import * as faq from './2026120302_faq.ts';
import * as faqCounts from './2026120303_faq_counts.ts';
import * as surveys from './2026120401_surveys.ts';
import * as reports from './2026120402_reports.ts';
import * as reservations from './2026120403_reservations.ts';
import * as mailOutbox from './2026120404_mail_outbox.ts';
import * as surveyFiles from './2026120501_survey_files.ts';
import * as reportLocationRequests from './2026120502_report_location_requests.ts';
import * as waitlistAnswers from './2026120503_waitlist_answers.ts';
import * as reportPhotosSealed from './2026120504_report_photos_sealed.ts';
import * as forwarding from './2026120601_forwarding.ts';
import * as mailBridge from './2026120611_mail_bridge.ts';
import * as mailBridgeAuthImap from './2026120613_mail_bridge_auth_imap.ts';
import * as identity from './2026120701_identity.ts';
import * as payments from './2026120801_payments.ts';
import * as applications from './2026120901_applications.ts';
import * as tableComments from './2026121401_table_comments.ts';
import * as operations from './2026121501_operations.ts';
import * as incidentReports from './2026121601_incident_reports.ts';

// Every migration, in order. Names start with a timestamp (YYYYMMDDNN).
export const migrations: Record<string, Migration> = {
  '2026112201_foundation': foundation,
  '2026112202_consultation': consultation,
  '2026112203_delivery': delivery,
  '2026112204_friend_export_order': friendExportOrder,
  '2026120102_login_throttle': loginThrottle,
  '2026120103_audit_hmac': auditHmac,
  '2026120104_rejected_line_events': rejectedLineEvents,
  '2026120105_line_outbox': lineOutbox,
  '2026120107_rate_limits': rateLimits,
  '2026120201_shelters': shelters,
  '2026120202_rich_menus': richMenus,
  '2026120203_delivery_line_messages': deliveryLineMessages,
  '2026120206_rich_menu_disaster': richMenuDisaster,
  '2026120207_rich_menu_user_menus': richMenuUserMenus,
  '2026120208_rich_menu_taps_kept': richMenuTapsKept,
  '2026120301_chatbot': chatbot,
  '2026120302_faq': faq,
  '2026120303_faq_counts': faqCounts,
  '2026120401_surveys': surveys,
  '2026120402_reports': reports,
  '2026120403_reservations': reservations,
  '2026120404_mail_outbox': mailOutbox,
  '2026120501_survey_files': surveyFiles,
  '2026120502_report_location_requests': reportLocationRequests,
  '2026120503_waitlist_answers': waitlistAnswers,
  '2026120504_report_photos_sealed': reportPhotosSealed,
  '2026120611_mail_bridge': mailBridge,
  '2026120601_forwarding': forwarding,
  '2026120613_mail_bridge_auth_imap': mailBridgeAuthImap,
  '2026120701_identity': identity,
  '2026120801_payments': payments,
  '2026120901_applications': applications,
  '2026121401_table_comments': tableComments,
  '2026121501_operations': operations,
  '2026121601_incident_reports': incidentReports,
};
