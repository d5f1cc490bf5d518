import type { PublicSlot } from '../../bookings/api.ts';
import { dayText, slotState, slotsByDay, tokyoTime } from '../../bookings/days.ts';
import { useI18n } from '../../i18n/i18n.tsx';

// The slots as a list of days (not a grid: phones and screen readers), each slot with its time and
// 残り n 席 / 満席 / 受付終了. An open or full slot is a button (a full one offers the waiting list);
// a closed one is plain text.

export function SlotDays({ slots, onChoose }: { slots: PublicSlot[]; onChoose: (slot: PublicSlot) => void }) {
  const { t, locale } = useI18n();
  return (
    <div className="flex flex-col gap-6">
      {slotsByDay(slots).map((day) => (
        <section key={day.date} aria-labelledby={`day-${day.date}`} className="flex flex-col gap-2">
          <h3 id={`day-${day.date}`} className="text-std-18B-160 text-solid-gray-900">
            {dayText(day.date, locale)}
          </h3>
          <ul className="flex flex-col gap-2">
            {day.slots.map((slot) => {
              const state = slotState(slot);
              const time = `${tokyoTime(slot.startsAt)}〜${tokyoTime(slot.endsAt)}`;
              const label =
                state === 'open'
                  ? t('booking.slot.left', { n: slot.left })
                  : t(state === 'full' ? 'booking.slot.full' : 'booking.slot.closed');
              const content = (
                <>
                  <span className="text-std-17B-170">{time}</span>
                  <span className={state === 'open' ? 'text-std-16B-170' : 'text-std-16N-170'}>{label}</span>
                </>
              );
              return (
                <li key={slot.id} data-testid="slot">
                  {state === 'closed' ? (
                    <div className="flex min-h-12 items-center justify-between gap-3 rounded-8 border border-solid-gray-300 bg-solid-gray-50 px-4 py-2 text-solid-gray-700">
                      {content}
                    </div>
                  ) : (
                    <button
                      type="button"
                      onClick={() => onChoose(slot)}
                      className={`flex min-h-12 w-full items-center justify-between gap-3 rounded-8 border-2 px-4 py-2 text-left hover:underline ${
                        state === 'open'
                          ? 'border-blue-900 bg-white text-blue-1000 hover:bg-blue-50'
                          : 'border-solid-gray-600 bg-white text-solid-gray-800 hover:bg-solid-gray-50'
                      }`}
                    >
                      {content}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
