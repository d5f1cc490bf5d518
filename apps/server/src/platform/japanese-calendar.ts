import holidayJp from '@holiday-jp/holiday_jp';

// Days Japanese offices close: national holidays (holiday_jp) and 年末年始. Dates are Tokyo
// calendar dates (YYYY-MM-DD). Used by desks' reception hours (C-06) and booking calendars (V-01).

/** 年末年始: 29 December to 3 January. */
export function isYearEnd(date: string): boolean {
  const md = date.slice(5);
  return md >= '12-29' || md <= '01-03';
}

/** holiday_jp reads the local calendar date of the Date it gets, so build one at local midnight. */
export function isHolidayJp(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  return holidayJp.isHoliday(new Date(y!, m! - 1, d!));
}
