import { useT } from '../../i18n/i18n.tsx';
import type { FormItem } from './formTypes.ts';

/**
 * Roughly what friends see on the registration page: the active items in order with their choices.
 * Not interactive (the real page is the citizen app's).
 */
export function FormPreview({ items }: { items: FormItem[] }) {
  const t = useT();
  const active = items.filter((i) => !i.retired);
  if (active.length === 0)
    return <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>;
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-5 rounded-16 border border-solid-gray-420 bg-white p-5">
      {active.map((item) => {
        const choices = item.choices.filter((c) => !c.retired && c.parentId === null);
        return (
          <div key={item.id} className="flex flex-col gap-1">
            <p className="text-std-17B-170 text-solid-gray-900">
              {item.label}
              {item.required && (
                <span className="ml-2 text-std-16N-170 text-error-1">{t('common.required')}</span>
              )}
            </p>
            {item.help && <p className="text-std-16N-170 text-solid-gray-700">{item.help}</p>}
            {item.type === 'birth_year' && <p className="text-std-16N-170">［ {t('forms.previewYear')} ］</p>}
            {(item.type === 'text' || item.type === 'textarea') && (
              <p className="text-std-16N-170">［ {t('forms.previewText')} ］</p>
            )}
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
