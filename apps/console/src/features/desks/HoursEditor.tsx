import { Button } from '../../components/Button.tsx';
import { describedBy, ErrorText } from '../../components/Field.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { cell, sizedControl } from './cells.tsx';
import {
  type DeskForm,
  type DeskSectionProps,
  rowKey,
  WEEKDAYS,
  type Weekday,
  weekdayLabel,
} from './deskForm.ts';

function plusOneHour(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const total = Math.min(h * 60 + m + 60, 23 * 60 + 59);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Weekday rows, each with start–end time ranges. */
export function HoursEditor({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const setDay = (day: Weekday, update: (slots: DeskForm['hours'][Weekday]) => DeskForm['hours'][Weekday]) =>
    setForm((f) => ({ ...f, hours: { ...f.hours, [day]: update(f.hours[day]) } }));

  return (
    <table className="w-full border-collapse text-left">
      <tbody>
        {WEEKDAYS.map((day) => {
          const dayName = t(weekdayLabel(day));
          const slots = form.hours[day];
          return (
            <tr key={day}>
              <th scope="row" className={`${cell} w-24 py-4 text-dns-16B-130`}>
                {dayName}
              </th>
              <td className={cell}>
                {slots.length === 0 && (
                  <p className="py-2 text-std-16N-170 text-solid-gray-700">{t('desks.dayOff')}</p>
                )}
                <ul className="flex flex-col gap-2">
                  {slots.map((slot, i) => {
                    const n = i + 1;
                    const error = errors[`hours.${day}.${slot.key}`];
                    const errorId = `hours-${day}-${slot.key}-error`;
                    const update = (patch: Partial<typeof slot>) =>
                      setDay(day, (list) => list.map((s) => (s.key === slot.key ? { ...s, ...patch } : s)));
                    return (
                      <li key={slot.key} className="flex flex-col gap-1">
                        <div className="flex flex-wrap items-center gap-2">
                          <input
                            type="time"
                            aria-label={t('desks.startLabel', { day: dayName, n })}
                            value={slot.start}
                            onChange={(e) => update({ start: e.target.value })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={describedBy(error && errorId)}
                            className={`${sizedControl} w-36`}
                          />
                          <span aria-hidden="true">〜</span>
                          <input
                            type="time"
                            aria-label={t('desks.endLabel', { day: dayName, n })}
                            value={slot.end}
                            onChange={(e) => update({ end: e.target.value })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={describedBy(error && errorId)}
                            className={`${sizedControl} w-36`}
                          />
                          <Button
                            variant="tertiary"
                            size="sm"
                            aria-label={t('desks.removeSlotLabel', { day: dayName, n })}
                            onClick={() => setDay(day, (list) => list.filter((s) => s.key !== slot.key))}
                          >
                            {t('common.delete')}
                          </Button>
                        </div>
                        {error && <ErrorText id={errorId}>{error}</ErrorText>}
                      </li>
                    );
                  })}
                </ul>
              </td>
              <td className={`${cell} w-44 text-right`}>
                <Button
                  variant="secondary"
                  size="sm"
                  aria-label={t('desks.addSlotLabel', { day: dayName })}
                  onClick={() => {
                    // After the last range: one hour from its end (the counselor adjusts it).
                    const start = slots[slots.length - 1]?.end || '09:00';
                    setDay(day, (list) => [...list, { key: rowKey(), start, end: plusOneHour(start) }]);
                  }}
                >
                  {t('desks.addSlot')}
                </Button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
