import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import type { FormItem, ItemType } from './formTypes.ts';

/** The placeholder of an item answered by typing (choice items list their choices instead). */
const INPUT_HINTS: Partial<Record<ItemType, MessageKey>> = {
  birth_year: 'forms.previewYear',
  text: 'forms.previewText',
  textarea: 'forms.previewText',
  number: 'forms.previewNumber',
  date: 'forms.previewDate',
  postal_code: 'forms.previewPostalCode',
  phone: 'forms.previewPhone',
  email: 'forms.previewEmail',
  address: 'forms.previewAddress',
  file: 'forms.previewFile',
};

/**
 * Roughly what friends see on the registration page (or a survey): the active items in order with
 * their choices; staff-only items (管理項目) are left out, conditional ones say when they appear.
 * Not interactive (the real page is the citizen app's).
 */
export function FormPreview({ items }: { items: FormItem[] }) {
  const t = useT();
  const active = items.filter((i) => !i.retired && !i.config.staffOnly);
  if (active.length === 0)
    return <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>;
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-5 rounded-16 border border-solid-gray-420 bg-white p-5">
      {active.map((item) => {
        const choices = item.choices.filter((c) => !c.retired && c.parentId === null);
        const hint = INPUT_HINTS[item.type];
        const condition = item.config.showIf;
        const source = condition ? items.find((i) => i.key === condition.item) : undefined;
        return (
          <div key={item.id} className="flex flex-col gap-1">
            {source && condition && (
              <p className="text-dns-14N-130 text-solid-gray-600">
                {t('forms.showIfNote', {
                  label: source.label,
                  choices: source.choices
                    .filter((c) => condition.choices.includes(c.id))
                    .map((c) => t('forms.showIfChoice', { label: c.label }))
                    .join(t('forms.showIfChoiceSeparator')),
                })}
              </p>
            )}
            <p
              className={
                item.type === 'description'
                  ? 'text-std-16N-170 text-solid-gray-900'
                  : 'text-std-17B-170 text-solid-gray-900'
              }
            >
              {item.label}
              {item.required && (
                <span className="ml-2 text-std-16N-170 text-error-1">{t('common.required')}</span>
              )}
            </p>
            {item.help && <p className="text-std-16N-170 text-solid-gray-700">{item.help}</p>}
            {hint && <p className="text-std-16N-170">{t('forms.previewHint', { hint: t(hint) })}</p>}
            {choices.length > 0 && (
              <ul className="flex flex-wrap gap-x-4 gap-y-1 text-std-16N-170">
                {choices.map((c) => (
                  <li key={c.id}>
                    <span aria-hidden="true">
                      {item.type === 'multiple' ? '☐ ' : item.type === 'single' ? '○ ' : ''}
                    </span>
                    {c.label}
                  </li>
                ))}
              </ul>
            )}
            {item.type === 'area' && (
              <p className="text-std-16N-170 text-solid-gray-700">{t('forms.previewTowns')}</p>
            )}
          </div>
        );
      })}
    </div>
  );
}
