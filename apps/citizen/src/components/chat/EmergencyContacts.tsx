import { type ReactNode, useId, useState } from 'react';
import type { EmergencyContact } from '../../consult/api.ts';
import { telHref } from '../../consult/hours.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function PhoneIcon({ className = 'size-5' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className={`${className} shrink-0 fill-current`}>
      <path d="M6.6 10.8a15.2 15.2 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25c1.1.37 2.3.57 3.6.57a1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1L6.6 10.8Z" />
    </svg>
  );
}

/**
 * "緊急の連絡先": a toggle that shows the desk's emergency numbers as tel: links. It stays in the chat's
 * sticky bar so it is one tap away while chatting. `trailing` goes on the toggle's row (right side).
 */
export function EmergencyContacts({
  contacts,
  trailing,
  defaultOpen = false,
}: {
  contacts: EmergencyContact[];
  trailing?: ReactNode;
  defaultOpen?: boolean;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(defaultOpen);
  const panelId = useId();
  const hasContacts = contacts.length > 0;

  return (
    <div className="flex flex-col gap-2">
      {(hasContacts || trailing) && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          {hasContacts ? (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={panelId}
              onClick={() => setOpen((v) => !v)}
              className="inline-flex min-h-11 items-center gap-2 rounded-8 border-2 border-red-900 bg-red-50 px-3 text-oln-16B-100 text-red-1000 hover:bg-red-100 active:bg-red-200"
            >
              <PhoneIcon />
              {t('consult.emergencyHeading')}
              <svg
                aria-hidden="true"
                viewBox="0 0 24 24"
                className={`size-5 fill-current motion-safe:transition-transform ${open ? 'rotate-180' : ''}`}
              >
                <path d="M5.3 8.3a1 1 0 0 1 1.4 0L12 13.6l5.3-5.3a1 1 0 1 1 1.4 1.4l-6 6a1 1 0 0 1-1.4 0l-6-6a1 1 0 0 1 0-1.4Z" />
              </svg>
            </button>
          ) : (
            <span />
          )}
          {trailing}
        </div>
      )}
      {hasContacts && (
        <div
          id={panelId}
          hidden={!open}
          className="max-h-[50dvh] overflow-y-auto rounded-8 border-2 border-red-900 bg-white p-3"
        >
          <p className="mb-2 text-std-16N-170 text-solid-gray-900">{t('consult.emergencyLead')}</p>
          <EmergencyContactList contacts={contacts} />
        </div>
      )}
    </div>
  );
}

/** The desk's emergency numbers as tel: links (in the toggle's panel, and in the out-of-hours notice). */
export function EmergencyContactList({ contacts }: { contacts: EmergencyContact[] }) {
  const { t } = useI18n();
  return (
    <ul className="flex flex-col gap-3">
      {contacts.map((c) => (
        <li
          key={`${c.name}-${c.phone}`}
          className="flex flex-col gap-1 border-t border-solid-gray-200 pt-3 first:border-t-0 first:pt-0 sm:flex-row sm:items-center sm:justify-between sm:gap-3"
        >
          <div className="min-w-0">
            <p className="text-std-16B-170 text-solid-gray-900">{c.name}</p>
            {c.hours && <p className="text-std-16N-170 text-solid-gray-700">{c.hours}</p>}
          </div>
          <a
            href={telHref(c.phone)}
            className="inline-flex min-h-12 shrink-0 items-center gap-2 self-start rounded-8 border-2 border-red-900 bg-white px-4 text-oln-17B-100 text-red-1000 underline underline-offset-[3px] hover:bg-red-50 active:bg-red-100 sm:self-auto"
          >
            <PhoneIcon />
            <span className="sr-only">
              {c.name} {t('consult.emergencyCall')}
            </span>
            {c.phone}
          </a>
        </li>
      ))}
    </ul>
  );
}
