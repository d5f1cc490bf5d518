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
] as const;

export type Permission = (typeof PERMISSIONS)[number]['key'];
