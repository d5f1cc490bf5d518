// Japanese (default). `{name}` etc. are filled in by t(); keys are shared with en.ts.
export const ja = {
  'app.cityName': 'デモ市',
  'app.brand': 'Madoguchi',
  'app.homeTitle': 'ホーム',

  'language.switchTo': 'English',
  'language.switchLabel': 'Switch to English',

  'status.loading': '読み込み中…',
  'status.redirecting': 'LINE のログイン画面に移動しています…',

  'error.title': 'ページを表示できません',
  'error.retry': 'もう一度試す',
  'error.CHANNEL_NOT_FOUND': 'このページの URL が正しくありません。LINE のトーク画面から開き直してください。',
  'error.MISSING_CHANNEL': 'このページは LINE のトーク画面から開いてください。',
  'error.INVALID_ID_TOKEN': 'LINE の認証に失敗しました。LINE のトーク画面から開き直してください。',
  'error.NO_ID_TOKEN': 'LINE のログイン情報を受け取れませんでした。LINE のトーク画面から開き直してください。',
  'error.CITIZEN_UNAUTHENTICATED':
    'ログインの有効期限が切れました。LINE のトーク画面から開き直してください。',
  'error.LIFF_LOAD_FAILED': 'LINE との接続に失敗しました。通信環境を確認して、もう一度お試しください。',
  'error.LIFF_INIT_FAILED': 'LINE との接続に失敗しました。LINE のトーク画面から開き直してください。',
  'error.NETWORK': '通信に失敗しました。通信環境を確認して、もう一度お試しください。',
  'error.UNKNOWN': '問題が発生しました。時間をおいて、もう一度お試しください。',

  'home.welcome': 'ようこそ、{name} さん',
  'home.signedInWithLine': 'LINE でログイン中',
  'home.pictureAlt': '{name} さんの LINE プロフィール画像',
  'home.servicesHeading': 'サービス',
  'home.servicesLead': '次のサービスは準備中です。もうしばらくお待ちください。',
  'home.comingSoon': '準備中',
  'home.service.profile': '登録情報の変更',
  'home.service.profile.description': 'お住まいの地域や受け取りたいお知らせを変更できます。',
  'home.service.consult': '相談する',
  'home.service.consult.description': '市の担当者にチャットで相談できます。',
  'home.service.booking': '予約',
  'home.service.booking.description': '窓口や施設の予約ができます。',
  'home.service.report': '通報',
  'home.service.report.description': '道路の損傷などを写真で知らせることができます。',
  'home.close': '閉じる',
} as const;

export type MessageKey = keyof typeof ja;
export type Messages = Record<MessageKey, string>;
