// The mail outbox for the other modules (they never import this module's repository): queue mails
// in their own transaction, read and retry a report's or a booking's mails.

export {
  type About,
  insertMailRows as queueMails,
  mailRowsOf as mailsAbout,
  retryFailedMails as retryMailsAbout,
} from './mail.repository.ts';
export { MAIL_JOB } from './mail-sender.ts';
