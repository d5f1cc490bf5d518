import { Fragment } from 'react';
import type { PublicDesk } from '../../consult/api.ts';
import { hoursRows, tokyoWeekday } from '../../consult/hours.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

/** "受付時間": one row per weekday, Monday first; today's row is marked; "祝日は休みです。". */
export function DeskHours({ desk, headingLevel = 2 }: { desk: PublicDesk; headingLevel?: 2 | 3 }) {
  const { t } = useI18n();
  const today = tokyoWeekday();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="desk-hours-heading" className="flex flex-col gap-2">
      <Heading id="desk-hours-heading" className="text-std-20B-160 text-solid-gray-900">
        {t('consult.hoursHeading')}
      </Heading>
      <table className="w-full border-collapse text-std-16N-170">
        <tbody>
          {hoursRows(desk.hours).map(({ weekday, ranges }) => {
            const isToday = weekday === today;
            return (
              <tr
                key={weekday}
                aria-current={isToday ? 'date' : undefined}
                className={`border-b border-solid-gray-200 ${isToday ? 'bg-blue-50 font-bold' : ''}`}
              >
                <th
                  scope="row"
                  className="w-2/5 py-2 pr-3 pl-2 sm:w-56 text-left align-top font-bold text-solid-gray-900"
                >
                  <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    {t(`consult.weekday.${weekday}` as MessageKey)}
                    {isToday && (
                      <span className="whitespace-nowrap rounded-full bg-blue-900 px-2 py-0.5 text-oln-16B-100 text-white">
                        {t('consult.today')}
                      </span>
                    )}
                  </span>
                </th>
                <td className="py-2 pr-2 text-solid-gray-900">
                  {ranges.length === 0
                    ? t('consult.hoursClosed')
                    : ranges.map((r, i) => (
                        // A range never breaks inside; the line breaks between ranges.
                        <Fragment key={`${r.start}-${r.end}`}>
                          {i > 0 && t('consult.hoursSeparator')}
                          <span className="whitespace-nowrap">
                            {t('consult.hoursRange', { start: r.start, end: r.end })}
                          </span>
                        </Fragment>
                      ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {desk.closedOnHolidays && (
        <p className="text-std-16N-170 text-solid-gray-900">{t('consult.closedOnHolidays')}</p>
      )}
    </section>
  );
}
