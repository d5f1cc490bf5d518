import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { RegistrationItem } from '../../registration/api.ts';
import type { Draft } from '../../registration/draft.ts';

// One item of the registration form. Choice groups are a fieldset with a legend; every control has a
// label, the help and the error are linked with aria-describedby, and touch targets are ≥ 44 px.

const control =
  'block w-full min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-17N-170 text-solid-gray-900 hover:border-black aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-536';
const optionRow =
  'flex min-h-11 cursor-pointer items-center gap-3 rounded-8 px-2 py-1.5 text-std-17N-170 hover:bg-solid-gray-50';
const box = 'size-6 shrink-0 cursor-pointer accent-blue-900';

function Required() {
  const { t } = useI18n();
  return <span className="ml-2 text-std-16N-170 text-error-1">{t('register.required')}</span>;
}

/** The options of a select: a placeholder, then the choices. */
function Options({ placeholder, choices }: { placeholder: string; choices: RegistrationItem['choices'] }) {
  return (
    <>
      <option value="">{placeholder}</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.label}
        </option>
      ))}
    </>
  );
}

export function ItemField({
  item,
  value,
  error,
  onChange,
}: {
  item: RegistrationItem;
  value: Draft;
  error: string | null;
  onChange: (value: Draft) => void;
}) {
  const { t } = useI18n();
  const id = `item-${item.key}`;
  const helpId = item.help ? `${id}-help` : null;
  const errorId = error ? `${id}-error` : null;
  const limitId = item.type === 'multiple' && item.config.maxSelections !== undefined ? `${id}-limit` : null;
  const describedBy = [helpId, limitId, errorId].filter(Boolean).join(' ') || undefined;
  const invalid = error ? true : undefined;
  const topChoices = item.choices.filter((c) => c.parentId === null);

  const help = helpId && (
    <p id={helpId} className="text-std-16N-170 text-solid-gray-700">
      {item.help}
    </p>
  );
  const errorText = errorId && (
    <p id={errorId} className="text-std-16B-170 text-error-1">
      ＊{error}
    </p>
  );

  /** A group of radios, checkboxes or the two area selects. */
  const group = (children: ReactNode) => (
    <fieldset aria-describedby={describedBy} className="flex flex-col gap-2">
      <legend className="mb-1 text-std-18B-160 text-solid-gray-900">
        {item.label}
        {item.required && <Required />}
      </legend>
      {help}
      {children}
      {errorText}
    </fieldset>
  );

  /** One labelled control (select, year, text). */
  const single = (children: ReactNode) => (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline">
        <label htmlFor={id} className="text-std-18B-160 text-solid-gray-900">
          {item.label}
        </label>
        {item.required && (
          <span aria-hidden="true">
            <Required />
          </span>
        )}
      </div>
      {help}
      {children}
      {errorText}
    </div>
  );

  switch (item.type) {
    case 'single':
      return group(
        <div className="flex flex-col gap-1">
          {topChoices.map((c) => (
            <label key={c.id} className={optionRow}>
              <input
                type="radio"
                name={id}
                value={c.id}
                checked={value === c.id}
                required={item.required}
                aria-invalid={invalid}
                onChange={() => onChange(c.id)}
                className={box}
              />
              {c.label}
            </label>
          ))}
        </div>,
      );
    case 'multiple': {
      const chosen = Array.isArray(value) ? value : [];
      return group(
        <>
          {limitId && (
            <p id={limitId} className="text-std-16N-170 text-solid-gray-700">
              {t('register.maxSelections', { max: item.config.maxSelections ?? '' })}
            </p>
          )}
          <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
            {topChoices.map((c) => (
              <label key={c.id} className={optionRow}>
                <input
                  type="checkbox"
                  value={c.id}
                  checked={chosen.includes(c.id)}
                  aria-invalid={invalid}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))
                  }
                  className={box}
                />
                {c.label}
              </label>
            ))}
          </div>
        </>,
      );
    }
    case 'select':
      return single(
        <select
          id={id}
          value={typeof value === 'string' ? value : ''}
          required={item.required}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          className={control}
        >
          <Options placeholder={t('register.choose')} choices={topChoices} />
        </select>,
      );
    case 'area': {
      const area = typeof value === 'object' && !Array.isArray(value) ? value : { ward: '', town: '' };
      const towns = item.choices.filter((c) => c.parentId !== null && c.parentId === area.ward);
      return group(
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-ward`} className="text-std-16B-170">
              {t('register.ward')}
            </label>
            <select
              id={`${id}-ward`}
              value={area.ward}
              required={item.required}
              aria-invalid={invalid && !area.ward ? true : undefined}
              onChange={(e) => onChange({ ward: e.target.value, town: '' })}
              className={control}
            >
              <Options placeholder={t('register.choose')} choices={topChoices} />
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-town`} className="text-std-16B-170">
              {t('register.town')}
            </label>
            <select
              id={`${id}-town`}
              value={area.town}
              disabled={towns.length === 0}
              required={item.required && towns.length > 0}
              aria-invalid={invalid && area.ward && !area.town ? true : undefined}
              onChange={(e) => onChange({ ward: area.ward, town: e.target.value })}
              className={control}
            >
              <Options
                placeholder={area.ward ? t('register.choose') : t('register.chooseWardFirst')}
                choices={towns}
              />
            </select>
          </div>
        </div>,
      );
    }
    case 'birth_year':
      return single(
        <>
          <p id={`${id}-hint`} className="text-std-16N-170 text-solid-gray-700">
            {t('register.yearHint')}
          </p>
          <input
            id={id}
            type="text"
            inputMode="numeric"
            autoComplete="bday-year"
            maxLength={4}
            value={typeof value === 'string' ? value : ''}
            required={item.required}
            aria-invalid={invalid}
            aria-describedby={[`${id}-hint`, describedBy].filter(Boolean).join(' ')}
            onChange={(e) => onChange(e.target.value)}
            className={`${control} max-w-40`}
          />
        </>,
      );
    default:
      return single(
        item.type === 'textarea' ? (
          <textarea
            id={id}
            rows={4}
            value={typeof value === 'string' ? value : ''}
            required={item.required}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
            className={control}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={typeof value === 'string' ? value : ''}
            required={item.required}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
            className={control}
          />
        ),
      );
  }
}
