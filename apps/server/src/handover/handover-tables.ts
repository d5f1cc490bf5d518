import { APPLICATION_STATUS_LABELS } from '@madoguchi/contracts/applications.ts';
import { REPORT_STATUS_LABELS } from '@madoguchi/contracts/reports.ts';
import { BOOKING_STATUS_LABELS } from '@madoguchi/contracts/reservations.ts';
import { SHELTER_STATUS_LABELS } from '@madoguchi/contracts/shelter-constants.ts';
import { RESPONSE_STATUS_LABELS } from '@madoguchi/contracts/surveys.ts';

// What the contract-end hand-over (C-16, D-10) does with each table and column. The tables come from
// the database's catalog at run time: every table of `public` is exported unless it is named in
// EXCLUDED_TABLES below (with the reason). Columns are exported as they are, except the ones named
// in COLUMN_RULES: sealed personal data comes out decrypted, binary data as files, and secrets that
// are not the city's data are left out. A bytea column or a `*_enc` column that has no rule stops
// the export (it might be sealed), and `handover.int.test.ts` fails for it.

/** Tables that are the product's machinery, not the city's data: not exported (the purge deletes them too). */
export const EXCLUDED_TABLES: Record<string, string> = {
  madoguchi_migrations: 'データベース構造の版の記録（製品の管理用）',
  madoguchi_migrations_lock: 'データベース構造の更新の排他ロック（製品の管理用）',
  rate_limits: 'アクセス回数制限のカウンター（一時的なもの）',
  login_throttles: 'ログイン失敗による待ち時間のカウンター（一時的なもの）',
  login_failure_windows: 'ログイン失敗回数の集計窓（一時的なもの）',
  staff_sessions: '職員のログイン中のセッション（一時的なもの。ID はハッシュ）',
  citizen_sessions: '市民ページのセッション（一時的なもの。ID はハッシュ）',
};

/** Tables the purge keeps: without them the product cannot start again (schema versions). */
export const KEPT_BY_PURGE = ['madoguchi_migrations', 'madoguchi_migrations_lock'];

export type ColumnRule =
  /** `v1.` text sealed with the master key (ENCRYPTION_KEY): exported decrypted. */
  | { kind: 'sealed-text' }
  /** bytes sealed with the master key holding UTF-8 text (often JSON): exported decrypted. */
  | { kind: 'sealed-bytes-text' }
  /** bytes sealed with the master key holding a file: written decrypted under `files/`. */
  | { kind: 'sealed-file'; ext?: string }
  /** plain bytes of a file (images, documents): written under `files/`. */
  | { kind: 'file' }
  /** report photos: sealed when the row's `sealed` is true (the hourly job seals older ones). */
  | { kind: 'file-sealed-when-flagged' }
  /** bytes sealed with the consultation's own data key (C-17): exported decrypted. */
  | { kind: 'consultation-sealed'; consultationIdColumn: string }
  /** a change history value that is a sealed `v1.` text when the row's `field` is `note`. */
  | { kind: 'sealed-when-note' }
  /** plain bytes that are not a file (a pseudonymous key): hexadecimal. */
  | { kind: 'hex' }
  /** a secret that is not the city's data: left out of the export. */
  | { kind: 'secret'; why: string };

const secret = (why: string): ColumnRule => ({ kind: 'secret', why });

/** `table.column` → rule. Every bytea and `*_enc` column must be here. */
export const COLUMN_RULES: Record<string, ColumnRule> = {
  'applications.texts_enc': { kind: 'sealed-bytes-text' },
  'applications.reason_enc': { kind: 'sealed-bytes-text' },
  'application_changes.to_value': { kind: 'sealed-when-note' },
  'bookings.texts_enc': { kind: 'sealed-bytes-text' },
  'booking_waitlist.texts_enc': { kind: 'sealed-bytes-text' },
  'channels.channel_secret_enc': secret('LINE チャネルシークレット（認証情報）'),
  'channels.access_token_enc': secret('LINE チャネルアクセストークン（認証情報）'),
  'channels.login_channel_secret_enc': secret('LINE ログインのチャネルシークレット（認証情報）'),
  'chatbot_sessions.vars_enc': { kind: 'sealed-bytes-text' },
  'consultations.data_key_enc': secret('相談ごとのデータ鍵（鍵そのもの。削除で破棄）'),
  'consultation_messages.body_enc': { kind: 'consultation-sealed', consultationIdColumn: 'consultation_id' },
  'consultation_records.values_enc': { kind: 'consultation-sealed', consultationIdColumn: 'consultation_id' },
  'consultees.web_token_hash': secret('ブラウザ相談の合言葉のハッシュ（認証情報）'),
  'desks.access_code_hash': secret('窓口のアクセスコードのハッシュ（認証情報）'),
  'form_responses.texts_enc': { kind: 'sealed-bytes-text' },
  'forwarding_targets.secret_enc': secret('転送先の署名用シークレット（認証情報）'),
  'identity_verifications.nonce_enc': secret('本人確認の手続き中の使い捨て値'),
  'identity_verifications.verifier_enc': secret('本人確認の手続き中の使い捨て値（PKCE）'),
  'identity_verifications.sign_text_enc': { kind: 'sealed-text' },
  'identity_verifications.sign_transaction_enc': secret('電子署名の手続き中の使い捨て値'),
  'identity_verifications.attributes_enc': { kind: 'sealed-text' },
  'identity_verifications.state_hash': secret('本人確認の手続き中の使い捨て値のハッシュ'),
  'line_events.payload_enc': { kind: 'sealed-bytes-text' },
  'line_events_rejected.payload_enc': { kind: 'sealed-bytes-text' },
  'line_outbox.messages_enc': { kind: 'sealed-bytes-text' },
  'line_outbox.reply_token': secret('LINE の応答トークン（一時的な認証情報）'),
  'mail_addresses.imap_password_enc': secret('IMAP サーバーのパスワード（認証情報）'),
  'mail_messages.subject_enc': { kind: 'sealed-text' },
  'mail_messages.raw_enc': { kind: 'sealed-file', ext: 'eml' },
  'media.bytes': { kind: 'file' },
  'media.preview': { kind: 'file' },
  'payment_webhook_events.payload_enc': { kind: 'sealed-bytes-text' },
  'report_changes.to_value': { kind: 'sealed-when-note' },
  'report_location_requests.address_enc': { kind: 'sealed-bytes-text' },
  'report_photos.bytes': { kind: 'file-sealed-when-flagged' },
  'reports.text_enc': { kind: 'sealed-bytes-text' },
  'staff_accounts.password_hash': secret('職員のパスワードのハッシュ（認証情報）'),
  'staff_accounts.totp_secret_enc': secret('職員の二要素認証の秘密鍵（認証情報）'),
  'staff_accounts.totp_pending_secret_enc': secret('職員の二要素認証の登録中の秘密鍵（認証情報）'),
  'survey_documents.bytes': { kind: 'file' },
  'survey_files.name_enc': { kind: 'sealed-bytes-text' },
  'survey_files.bytes_enc': { kind: 'sealed-file' },
  'survey_files.respondent_key': { kind: 'hex' },
  'survey_responses.respondent_key': { kind: 'hex' },
  'survey_responses.texts_enc': { kind: 'sealed-bytes-text' },
};

/** The column's name in the export: a decrypted `<name>_enc` comes out as `<name>`. */
export function exportedColumnName(column: string, rule: ColumnRule | undefined): string {
  if (!rule || !column.endsWith('_enc')) return column;
  return rule.kind === 'secret' ? column : column.slice(0, -'_enc'.length);
}

/** Whether a column must have a rule: binary, or named as sealed. */
export const needsRule = (column: { name: string; type: string }) =>
  column.type === 'bytea' || column.name.endsWith('_enc');

/**
 * Japanese meanings of code values the CHECK constraints list (the constraints give the codes; these
 * give what they mean). Labels the product already keeps are taken from there.
 */
export const CODE_LABELS: Record<string, Record<string, string>> = {
  'applications.status': APPLICATION_STATUS_LABELS,
  'bookings.status': BOOKING_STATUS_LABELS,
  'reports.status': REPORT_STATUS_LABELS,
  'survey_responses.status': RESPONSE_STATUS_LABELS,
  'shelters.status': Object.fromEntries(Object.entries(SHELTER_STATUS_LABELS).map(([k, v]) => [k, v.ja])),
  'channels.environment': { production: '本番', test: 'テスト' },
  'friends.status': { following: '友だち', blocked: 'ブロック中' },
  'friend_events.kind': { follow: '友だち追加', refollow: '再追加', unfollow: 'ブロック' },
  'audit_log.result': { success: '成功', failure: '失敗' },
  'incident_reports.status': { open: '対応中', resolved: '解決済み' },
  'change_records.kind': { start: '起動時の記録', patch: 'パッチ', update: '更新', config: '設定の変更' },
  'consultations.origin': { line: 'LINE', web: 'ブラウザ' },
  'consultations.status': { waiting: '待機中', active: '対応中', closed: '終了' },
  'consultation_messages.sender': { consultee: '相談者', counselor: '相談員', system: 'システム' },
  'consultation_messages.kind': { text: 'メッセージ', note: '内部メモ' },
  'forms.status': { draft: '下書き', published: '公開', closed: '終了' },
  'deliveries.status': {
    draft: '下書き',
    scheduled: '予約',
    sending: '配信中',
    sent: '配信済み',
    failed: '失敗',
    cancelled: '取消',
  },
  'mail_outbox.status': { pending: '送信待ち', sent: '送信済み', failed: '失敗' },
  'line_outbox.status': { pending: '送信待ち', sent: '送信済み', failed: '失敗' },
  'surveys.kind': { survey: 'アンケート', public_comment: 'パブリックコメント' },
  'surveys.status': { draft: '下書き', open: '受付中', closed: '終了' },
  'booking_calendars.status': { draft: '下書き', open: '受付中', closed: '終了' },
  'booking_waitlist.status': { waiting: 'キャンセル待ち', booked: '予約済み', left: '取り下げ' },
};
