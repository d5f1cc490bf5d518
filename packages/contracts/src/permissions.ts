// Per-feature permission keys shared by the server and the console.

export const PERMISSIONS = [
  { key: 'dashboard.view', group: 'ダッシュボード', label: 'ダッシュボードを見る' },
  { key: 'friends.view', group: '友だち', label: '友だち一覧を見る' },
  { key: 'channels.view', group: 'LINE チャネル', label: 'チャネルを見る' },
  { key: 'channels.manage', group: 'LINE チャネル', label: 'チャネルを登録・変更する' },
  { key: 'accounts.view', group: 'アカウント', label: 'アカウント一覧を見る' },
  { key: 'accounts.manage', group: 'アカウント', label: 'アカウントを作成・変更・パスワード再設定する' },
  { key: 'roles.manage', group: 'アカウント', label: 'ロールと権限を管理する' },
  { key: 'security.manage', group: 'セキュリティ', label: 'IP アクセス制限を変更する' },
  { key: 'audit.view', group: 'セキュリティ', label: '操作ログを見る・出力する' },
  { key: 'consultation.handle', group: 'SNS相談', label: '相談に対応する' },
  { key: 'consultation.monitor', group: 'SNS相談', label: '相談をモニタリング・閲覧する' },
  { key: 'consultation.manage', group: 'SNS相談', label: '相談窓口を設定する' },
  { key: 'consultation.export', group: 'SNS相談', label: '相談の統計を見る・出力する' },
  { key: 'forms.manage', group: '属性登録・フォーム', label: '登録フォームの項目を設計する' },
  { key: 'friends.export', group: '友だち', label: '友だちの属性データを出力する' },
  { key: 'segments.manage', group: '配信', label: 'セグメントを作成・変更する' },
  { key: 'deliveries.create', group: '配信', label: '配信を作成・テスト配信する' },
  { key: 'deliveries.send', group: '配信', label: '本番配信・予約・取り消しをする' },
  { key: 'analytics.view', group: '配信', label: '配信分析を見る・出力する' },
  {
    key: 'mailbridge.manage',
    group: '配信',
    label: '防災メール連携（受信アドレス・ルール・受信メール・再配信）を設定する',
  },
  { key: 'shelters.status', group: '避難所', label: '避難所の一覧を見る・開設状況を変更する' },
  { key: 'shelters.manage', group: '避難所', label: '避難所を CSV で一括登録する' },
  { key: 'richmenus.manage', group: 'リッチメニュー', label: 'リッチメニューを作成・公開する' },
  { key: 'chatbot.view', group: 'チャットボット', label: 'シナリオ・FAQ の利用状況と未回答の質問を見る' },
  { key: 'chatbot.manage', group: 'チャットボット', label: 'シナリオと FAQ を作成・公開する' },
  { key: 'surveys.manage', group: 'アンケート', label: 'アンケート・パブリックコメントを作成・公開する' },
  {
    key: 'surveys.results',
    group: 'アンケート',
    label: 'アンケートの回答を見る・対応状況を変更する・出力する',
  },
  { key: 'reservations.manage', group: '予約', label: '予約カレンダーと枠を作成・変更する' },
  {
    key: 'reservations.handle',
    group: '予約',
    label: '予約を見る・変更・取消する・リマインドする・出力する',
  },
  { key: 'reports.manage', group: '通報', label: '通報のカテゴリと通知先メールアドレスを設定する' },
  {
    key: 'reports.handle',
    group: '通報',
    label: '通報を見る・対応状況と担当者を変更する・出力する（写真を含む）',
  },
  {
    key: 'applications.read',
    group: '申請（スマホ市役所）',
    label: '申請を見る（本人確認の情報を含む）・記録を印刷する',
  },
  {
    key: 'applications.manage',
    group: '申請（スマホ市役所）',
    label: '申請の状況（審査中・発送済・差戻し・却下と返金）・担当者・メモを変更する',
  },
  {
    key: 'procedures.manage',
    group: '申請（スマホ市役所）',
    label: '手続（フォーム・本人確認・手数料）を作成・変更する',
  },
] as const;

export type Permission = (typeof PERMISSIONS)[number]['key'];
