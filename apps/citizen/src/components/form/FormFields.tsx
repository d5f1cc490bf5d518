import { type Dispatch, type SetStateAction, useEffect, useRef, useState } from 'react';
import { postalDigits } from '../../form/checks.ts';
import { type Draft, type Drafts, type FormItem, shownItems } from '../../form/draft.ts';
import { addressText, lookUpPostalCode } from '../../form/postal-code.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ItemField } from './ItemField.tsx';

// The items of a form as the citizen sees them: only the shown ones (conditions, config.showIf), and
// a postal code that, once complete, fills the next address item when it is still empty (announced
// in a polite live region under the postal code).

/** The address item a postal code item fills: the next address item after it, before another code. */
function addressAfter(items: FormItem[], postal: FormItem): FormItem | null {
  for (const item of items.slice(items.indexOf(postal) + 1)) {
    if (item.type === 'address') return item;
    if (item.type === 'postal_code') return null;
  }
  return null;
}

export function FormFields({
  items,
  drafts,
  setDrafts,
  errors,
}: {
  items: FormItem[];
  drafts: Drafts;
  setDrafts: Dispatch<SetStateAction<Drafts>>;
  /** Error texts by item key. */
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const shown = shownItems(items, drafts);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const latest = useRef(drafts);
  latest.current = drafts;
  const lookups = useRef<Record<string, string>>({});
  const active = useRef(true);
  useEffect(
    () => () => {
      active.current = false;
    },
    [],
  );

  const fillAddress = (postal: FormItem, digits: string) => {
    const target = addressAfter(shown, postal);
    if (!target || lookups.current[postal.key] === digits) return;
    lookups.current[postal.key] = digits;
    lookUpPostalCode(digits).then(
      (addresses) => {
        // Only the answer for the code still typed, into a still empty address.
        if (!active.current || postalDigits(String(latest.current[postal.key] ?? '')) !== digits) return;
        const address = addressText(addresses);
        const current = latest.current[target.key];
        if (address === null) {
          setNotes((n) => ({ ...n, [postal.key]: t('form.postalNotFound') }));
        } else if (typeof current !== 'string' || current.trim() === '') {
          setDrafts((d) => ({ ...d, [target.key]: address }));
          setNotes((n) => ({ ...n, [postal.key]: t('form.postalFilled', { address }) }));
        }
      },
      (err: unknown) => {
        console.warn('Postal code lookup failed', err);
        delete lookups.current[postal.key];
      },
    );
  };

  const change = (item: FormItem, value: Draft) => {
    setDrafts((d) => ({ ...d, [item.key]: value }));
    if (item.type !== 'postal_code' || typeof value !== 'string') return;
    setNotes((n) => (n[item.key] ? { ...n, [item.key]: '' } : n));
    const digits = postalDigits(value);
    if (digits) fillAddress(item, digits);
    else delete lookups.current[item.key];
  };

  return shown.map((item) => {
    const fills = item.type === 'postal_code' && addressAfter(shown, item) !== null;
    return (
      <ItemField
        key={item.key}
        item={item}
        value={drafts[item.key] ?? ''}
        error={errors[item.key] ?? null}
        onChange={(value) => change(item, value)}
        fillsAddress={fills}
        after={
          fills ? (
            <p aria-live="polite" className="text-std-16N-170 text-solid-gray-800">
              {notes[item.key] ?? ''}
            </p>
          ) : undefined
        }
      />
    );
  });
}
