import type { MessageKey } from '../../i18n/ja.ts';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

const parts = (d: Date) => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return {
    ymd: `${p.year}-${p.month}-${p.day}`,
    month: String(Number(p.month)),
    day: String(Number(p.day)),
    h: String(Number(p.hour)),
    m: String(p.minute).padStart(2, '0'),
  };
};

/** 「14時05分」 today (Asia/Tokyo), else 「12月1日 14時05分」: the banner's 「◯時◯分から」. */
export function sinceText(t: T, iso: string, now = new Date()): string {
  const at = parts(new Date(iso));
  const today = parts(now);
  return at.ymd === today.ymd
    ? t('disaster.today', { h: at.h, m: at.m })
    : t('disaster.otherDay', { month: at.month, day: at.day, h: at.h, m: at.m });
}
