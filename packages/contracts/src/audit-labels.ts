// Plain-word labels for the audit log (S-09): the console shows them and the CSV export writes them
// beside the codes. Every action the server writes must have one; a server test walks the routes and
// the recordAudit calls and fails when an action is missing here.

export type AuditLabel = { ja: string; en: string };

export const AUDIT_ACTION_LABELS = {
  'access.read': { ja: '情報を閲覧', en: 'Viewed information' },
  'access.denied': { ja: '権限のない操作（拒否）', en: 'Refused (no permission)' },
  'session.login': { ja: 'ログイン', en: 'Signed in' },
  'session.logout': { ja: 'ログアウト', en: 'Signed out' },
  'session.password-change': { ja: '自分のパスワードを変更', en: 'Changed own password' },
  'session.totp-setup': { ja: '2段階認証の準備', en: 'Prepared two-step verification' },
  'session.totp-enable': { ja: '2段階認証を有効化', en: 'Turned on two-step verification' },
  'session.totp-disable': { ja: '2段階認証を無効化', en: 'Turned off two-step verification' },
  'account.create': { ja: 'アカウントを作成', en: 'Created an account' },
  'account.update': { ja: 'アカウントを変更', en: 'Changed an account' },
  'account.password-reset': { ja: 'パスワードを再設定', en: 'Reset a password' },
  'account.unlock': { ja: 'アカウントのロックを解除', en: 'Unlocked an account' },
  'role.create': { ja: '役割を作成', en: 'Created a role' },
  'role.update': { ja: '役割を変更', en: 'Changed a role' },
  'role.delete': { ja: '役割を削除', en: 'Deleted a role' },
  'ip-allowlist.update': { ja: '接続を許可する IP アドレスを変更', en: 'Changed the allowed IP addresses' },
  'audit.export': { ja: '操作ログを CSV で出力', en: 'Exported the audit log (CSV)' },
  'channel.create': { ja: 'LINE 公式アカウントを登録', en: 'Registered a LINE official account' },
  'channel.update': { ja: 'LINE 公式アカウントを変更', en: 'Changed a LINE official account' },
  'friend.list': { ja: '友だち一覧を表示', en: 'Listed friends' },
  'friend.test-flag': { ja: 'テスト配信の受信者を設定', en: 'Set a test recipient' },
  'friend.export': { ja: '友だちを CSV で出力', en: 'Exported friends (CSV)' },
  'form.update': { ja: '登録フォームを変更', en: 'Changed the registration form' },
  'form.item.create': { ja: '登録フォームに項目を追加', en: 'Added a form item' },
  'form.item.update': { ja: '登録フォームの項目を変更', en: 'Changed a form item' },
  'form.item.reorder': { ja: '登録フォームの項目を並べ替え', en: 'Reordered form items' },
  'form.item.retire': { ja: '登録フォームの項目を廃止', en: 'Retired a form item' },
  'form.item.restore': { ja: '登録フォームの項目を戻す', en: 'Restored a form item' },
  'form.choice.create': { ja: '選択肢を追加', en: 'Added a choice' },
  'form.choice.update': { ja: '選択肢を変更', en: 'Changed a choice' },
  'form.choice.reorder': { ja: '選択肢を並べ替え', en: 'Reordered choices' },
  'form.choice.retire': { ja: '選択肢を廃止', en: 'Retired a choice' },
  'form.choice.restore': { ja: '選択肢を戻す', en: 'Restored a choice' },
  'segment.create': { ja: '配信先の条件を作成', en: 'Created a segment' },
  'segment.update': { ja: '配信先の条件を変更', en: 'Changed a segment' },
  'segment.delete': { ja: '配信先の条件を削除', en: 'Deleted a segment' },
  'segments.count': { ja: '配信先の人数を確認', en: 'Counted a segment' },
  'media.upload': { ja: '画像をアップロード', en: 'Uploaded an image' },
  'delivery.create': { ja: '配信を作成', en: 'Created a delivery' },
  'delivery.update': { ja: '配信を変更', en: 'Changed a delivery' },
  'delivery.test': { ja: 'テスト配信を送信', en: 'Sent a test delivery' },
  'delivery.cancel': { ja: '配信を取り消し', en: 'Cancelled a delivery' },
  'deliveries.occurrences': { ja: '繰り返し配信の予定を確認', en: 'Previewed recurring dates' },
  'analytics.export': { ja: '分析を CSV で出力', en: 'Exported analytics (CSV)' },
  'richmenu.create': { ja: 'リッチメニューを作成', en: 'Created a rich menu' },
  'richmenu.update': { ja: 'リッチメニューを変更', en: 'Changed a rich menu' },
  'richmenu.delete': { ja: 'リッチメニューを削除', en: 'Deleted a rich menu' },
  'richmenu.sync': { ja: 'リッチメニューを LINE に再登録', en: 'Re-sent a rich menu to LINE' },
  'richmenu.publish': { ja: 'リッチメニューを公開・予約', en: 'Published or scheduled a rich menu' },
  'richmenu.unpublish': { ja: 'リッチメニューの公開を終了', en: 'Ended a rich menu publication' },
  'richmenu.disaster-prepare': {
    ja: '災害用メニューへの切り替えを準備',
    en: 'Prepared the disaster menu switch',
  },
  'richmenu.disaster-switch': {
    ja: '災害用メニューに切り替え・解除',
    en: 'Switched the disaster menu on or off',
  },
  'richmenu.disaster-scheduled-end': {
    ja: '災害用メニューを予定どおり自動で解除',
    en: 'Ended the disaster menu at its scheduled time',
  },
  'desk.create': { ja: '相談窓口を作成', en: 'Created a desk' },
  'desk.update': { ja: '相談窓口を変更', en: 'Changed a desk' },
  'consultation.read': { ja: '相談を閲覧', en: 'Read a consultation' },
  'consultation.history-read': { ja: '過去の相談履歴を閲覧', en: 'Read past consultations' },
  'consultation.history-confirm': { ja: '過去の相談履歴を確認', en: 'Confirmed past consultations' },
  'consultation.assign': { ja: '相談の対応を開始', en: 'Took a consultation' },
  'consultation.transfer': { ja: '相談を転送', en: 'Transferred a consultation' },
  'consultation.message': { ja: '相談に返信・メモ', en: 'Replied or noted in a consultation' },
  'consultation.close': { ja: '相談を終了', en: 'Closed a consultation' },
  'consultation.record': { ja: '相談記録を保存', en: 'Saved a consultation record' },
  'consultation.takeover': { ja: '相談を引き継ぎ', en: 'Took over a consultation' },
  'consultation.outreach': { ja: '相談者に連絡', en: 'Contacted a consultee' },
  'consultation.export': { ja: '相談の統計を CSV で出力', en: 'Exported consultation statistics' },
  'consultation.contract-export': { ja: '契約終了時の相談データ出力', en: 'Contract-end export' },
  'consultation.contract-purge': { ja: '契約終了時の相談データ削除', en: 'Contract-end deletion' },
  'shelter.status': { ja: '避難所の開設状況を変更', en: 'Changed a shelter status' },
  'shelter.import-preview': { ja: '避難所 CSV を確認（登録なし）', en: 'Checked a shelter CSV (dry run)' },
  'shelter.import': { ja: '避難所を CSV で一括登録', en: 'Imported shelters (CSV)' },
  'chatbot.scenario-create': { ja: 'シナリオを作成', en: 'Created a scenario' },
  'chatbot.scenario-update': { ja: 'シナリオの下書きを保存', en: 'Saved a scenario draft' },
  'chatbot.scenario-publish': { ja: 'シナリオを公開', en: 'Published a scenario' },
  'chatbot.scenario-unpublish': { ja: 'シナリオの公開を停止', en: 'Unpublished a scenario' },
  'chatbot.scenario-restore': { ja: 'シナリオの以前の版を下書きに戻す', en: 'Restored a scenario version' },
  'chatbot.scenario-delete': { ja: 'シナリオを削除', en: 'Deleted a scenario' },
  'chatbot.scenario-test': { ja: 'シナリオの下書きを試す', en: 'Tried a scenario draft' },
  'chatbot.scenario-send-test': { ja: 'シナリオをテスト端末に送信', en: 'Sent a scenario to a test phone' },
  'chatbot.stats-export': { ja: 'チャットボットの利用状況を出力', en: 'Exported chatbot statistics' },
  'chatbot.handover-close': { ja: '引き継ぎを終了', en: 'Closed a hand-over' },
  'chatbot.faq-import': {
    ja: 'FAQ を Excel / CSV から取り込み（確認だけの場合を含む）',
    en: 'Imported the FAQ (or checked a file)',
  },
  'chatbot.faq-export': { ja: 'FAQ を Excel に出力', en: 'Exported the FAQ' },
  'chatbot.faq-search': { ja: 'FAQ の回答を試す', en: 'Tried the FAQ search' },
  'chatbot.faq-unanswered-dismiss': {
    ja: '未回答の質問を一覧から外す',
    en: 'Dismissed an unanswered question',
  },
  'report.category.create': { ja: '通報カテゴリを作成', en: 'Created a report category' },
  'report.category.update': { ja: '通報カテゴリを変更', en: 'Changed a report category' },
  'report.category.delete': { ja: '通報カテゴリを削除', en: 'Deleted a report category' },
  'report.list.view': { ja: '通報一覧を閲覧', en: 'Viewed fault reports' },
  'report.view': { ja: '通報を閲覧', en: 'Viewed a fault report' },
  'report.update': { ja: '通報の対応状況・担当者・メモを変更', en: 'Changed a fault report' },
  'report.mails.retry': { ja: '通報の通知メールを再送', en: 'Retried notification mails' },
  'report.photo.view': { ja: '通報の写真を閲覧', en: 'Viewed a report photo' },
  'report.export': { ja: '通報を出力', en: 'Exported fault reports' },
} as const satisfies Record<string, AuditLabel>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export const AUDIT_TARGET_LABELS = {
  account: { ja: 'アカウント', en: 'Account' },
  role: { ja: '役割', en: 'Role' },
  audit: { ja: '操作ログ', en: 'Audit log' },
  channel: { ja: 'LINE 公式アカウント', en: 'LINE official account' },
  friend: { ja: '友だち', en: 'Friend' },
  form: { ja: '登録フォーム', en: 'Registration form' },
  segment: { ja: '配信先の条件', en: 'Segment' },
  media: { ja: '画像', en: 'Image' },
  delivery: { ja: '配信', en: 'Delivery' },
  richmenu: { ja: 'リッチメニュー', en: 'Rich menu' },
  desk: { ja: '相談窓口', en: 'Desk' },
  consultation: { ja: '相談', en: 'Consultation' },
  consultee: { ja: '相談者', en: 'Consultee' },
  'ip-allowlist': { ja: '接続を許可する IP アドレス', en: 'Allowed IP addresses' },
  shelter: { ja: '避難所', en: 'Shelter' },
  'chatbot-scenario': { ja: 'シナリオ', en: 'Scenario' },
  'chatbot-handover': { ja: '引き継ぎ', en: 'Hand-over' },
  'chatbot-faq': { ja: 'FAQ', en: 'FAQ' },
  report: { ja: '通報', en: 'Fault report' },
  'report-category': { ja: '通報カテゴリ', en: 'Report category' },
} as const satisfies Record<string, AuditLabel>;

export const AUDIT_RESULT_LABELS = {
  success: { ja: '成功', en: 'Succeeded' },
  failure: { ja: '失敗', en: 'Failed' },
} as const satisfies Record<string, AuditLabel>;

const lookup = (table: Record<string, AuditLabel>, code: string | null | undefined, locale: 'ja' | 'en') =>
  code && Object.hasOwn(table, code) ? table[code]![locale] : null;

/** The plain-word label of an action; the code itself when it has none. */
export const auditActionLabel = (action: string, locale: 'ja' | 'en' = 'ja'): string =>
  lookup(AUDIT_ACTION_LABELS, action, locale) ?? action;

/** The plain-word label of a target type; null when there is no type, the code when unknown. */
export const auditTargetLabel = (type: string | null | undefined, locale: 'ja' | 'en' = 'ja') =>
  type ? (lookup(AUDIT_TARGET_LABELS, type, locale) ?? type) : null;

export const auditResultLabel = (result: string, locale: 'ja' | 'en' = 'ja'): string =>
  lookup(AUDIT_RESULT_LABELS, result, locale) ?? result;
