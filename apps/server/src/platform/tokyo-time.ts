// Asia/Tokyo calendar and clock, whatever the server's TZ (JST has no DST: always UTC+9).

const OFFSET_MS = 9 * 3600_000;

const shifted = (d: Date) => new Date(d.getTime() + OFFSET_MS).toISOString();

/** YYYY-MM-DD of an instant in Tokyo. */
export const tokyoDay = (d: Date): string => shifted(d).slice(0, 10);

/** 'YYYY-MM-DD HH:MM:SS' of an instant in Tokyo ('' for none), as exports show it. */
export const tokyoDateTime = (d: Date | null | undefined): string =>
  d ? shifted(d).replace('T', ' ').slice(0, 19) : '';

/** The calendar year of an instant in Tokyo. */
export const tokyoYear = (d: Date): number => new Date(d.getTime() + OFFSET_MS).getUTCFullYear();
