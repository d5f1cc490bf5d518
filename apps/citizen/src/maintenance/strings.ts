// The maintenance notice of the citizen pages (O-04, C-15; issue 16), spread into i18n/ja.ts and en.ts.

export const maintenanceJa = {
  'maintenance.activeTitle': 'ただいまメンテナンス中です',
  'maintenance.activeLead': 'メンテナンスが終わるまで、申込みや送信はできません。',
  'maintenance.upcomingTitle': 'メンテナンスのお知らせ',
  'error.MAINTENANCE': 'ただいまメンテナンス中です。終わってから、もう一度開いてください。',
} as const;

export const maintenanceEn: Record<keyof typeof maintenanceJa, string> = {
  'maintenance.activeTitle': 'Under maintenance',
  'maintenance.activeLead': 'Applications and submissions are not possible until the maintenance ends.',
  'maintenance.upcomingTitle': 'Maintenance notice',
  'error.MAINTENANCE': 'The service is under maintenance. Please open this page again after it ends.',
};
