import { tokyoDateTime } from '../../platform/tokyo-time.ts';

// The notification mail about one fault report, sent through the mail outbox (modules/mail).

/** The mail about one report: category, time, place (with a map link), photo count, console link. */
export function reportMail(r: {
  id: string;
  category: string;
  occurredAt: Date;
  receivedAt: Date;
  lat: number;
  lng: number;
  photos: number;
  publicUrl: string;
}) {
  const base = r.publicUrl.replace(/\/+$/, '');
  const map = `https://www.openstreetmap.org/?mlat=${r.lat}&mlon=${r.lng}#map=18/${r.lat}/${r.lng}`;
  return {
    subject: `【通報】${r.category}（${tokyoDateTime(r.receivedAt)} 受付）`,
    body: [
      `LINE から通報がありました（カテゴリ: ${r.category}）。`,
      '',
      `カテゴリ: ${r.category}`,
      `発生日時: ${tokyoDateTime(r.occurredAt)}`,
      `場所: 緯度 ${r.lat}, 経度 ${r.lng}`,
      `地図: ${map}`,
      `写真: ${r.photos} 枚`,
      `受付日時: ${tokyoDateTime(r.receivedAt)}`,
      `受付番号: ${r.id}`,
      '',
      '通報の内容と写真は管理画面で確認し、対応状況を更新してください:',
      `${base}/console/#/reports/${r.id}`,
      '',
      '（このメールは送信専用です。個人情報保護のため本文と写真はメールに含めていません）',
    ].join('\n'),
  };
}
