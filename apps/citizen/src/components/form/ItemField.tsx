import type { InputHTMLAttributes, ReactNode } from 'react';
import type { Draft, FormItem } from '../../form/draft.ts';
import { hintText } from '../../form/messages.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { FileField } from './FileField.tsx';

// One item of a form (registration, survey), following the Digital Agency's form pattern: choice
// groups are a fieldset with a legend; every control has a label and "※必須" when required; the help,
// the hint of its settings and the error are linked with aria-describedby (the error with
// aria-invalid); touch targets are ≥ 44 px. A description item is text only.

const control =
  'block w-full min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-17N-170 text-solid-gray-900 hover:border-black aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-536';
const optionRow =
  'flex min-h-11 cursor-pointer items-center gap-3 rounded-8 px-2 py-1.5 text-std-17N-170 hover:bg-solid-gray-50';
const box = 'size-6 shrink-0 cursor-pointer accent-blue-900';
const note = 'text-std-16N-170 text-solid-gray-700';

function Required() {
  const { t } = useI18n();
  return <span className="ml-2 text-std-16N-170 text-error-1">{t('form.required')}</span>;
}

/** The options of a select: a placeholder, then the choices. */
function Options({ placeholder, choices }: { placeholder: string; choices: FormItem['choices'] }) {
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

/** The id of an item's control (or its first one), for links and focus. */
export const fieldId = (key: string) => `item-${key}`;

export function ItemField({
  item,
  value,
  error,
  onChange,
  fillsAddress = false,
  after,
}: {
  item: FormItem;
  value: Draft;
  error: string | null;
  onChange: (value: Draft) => void;
  /** postal_code: an address item follows, which a complete code fills in. */
  fillsAddress?: boolean;
  /** Shown below the control (e.g. the postal code's announcement). */
  after?: ReactNode;
}) {
  const { t } = useI18n();
  const id = fieldId(item.key);
  const hint = hintText(t, item, { fillsAddress });
  const helpId = item.help ? `${id}-help` : null;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [helpId, hintId, errorId].filter(Boolean).join(' ') || undefined;
  const invalid = error ? true : undefined;
  const topChoices = item.choices.filter((c) => c.parentId === null);
  const text = typeof value === 'string' ? value : '';

  const help = helpId && (
    <p id={helpId} className={`${note} whitespace-pre-line`}>
      {item.help}
    </p>
  );
  const hintLine = hintId && (
    <p id={hintId} className={note}>
      {hint}
    </p>
  );
  const errorText = errorId && (
    <p id={errorId} className="text-std-16B-170 text-error-1">
      {t('form.errorMark')}
      {error}
    </p>
  );

  /** A group of radios, checkboxes or the two area selects. */
  const group = (children: ReactNode) => (
    <fieldset data-item={item.key} aria-describedby={describedBy} className="flex flex-col gap-2">
      <legend className="mb-1 text-std-18B-160 text-solid-gray-900">
        {item.label}
        {item.required && <Required />}
      </legend>
      {help}
      {hintLine}
      {children}
      {errorText}
      {after}
    </fieldset>
  );

  /** One labelled control (select, year, number, text…). */
  const single = (children: ReactNode) => (
    <div data-item={item.key} className="flex flex-col gap-2">
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
      {hintLine}
      {children}
      {errorText}
      {after}
    </div>
  );

  /** A one-line input with the shared attributes. */
  const input = (
    attrs: Pick<
      InputHTMLAttributes<HTMLInputElement>,
      'type' | 'inputMode' | 'autoComplete' | 'maxLength' | 'className' | 'spellCheck' | 'autoCapitalize'
    >,
  ) => (
    <input
      id={id}
      type="text"
      className={control}
      {...attrs}
      value={text}
      required={item.required}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    />
  );

  switch (item.type) {
    case 'description':
      return (
        <div data-item={item.key} className="flex flex-col gap-2">
          <h2 className="text-std-20B-160 text-solid-gray-900">{item.label}</h2>
          {item.help && <p className="whitespace-pre-line text-std-17N-170">{item.help}</p>}
        </div>
      );
    case 'single':
      return group(
        <div className="flex flex-col gap-1">
          {topChoices.map((c, i) => (
            <label key={c.id} className={optionRow}>
              <input
                id={i === 0 ? id : undefined}
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
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {topChoices.map((c, i) => (
            <label key={c.id} className={optionRow}>
              <input
                id={i === 0 ? id : undefined}
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
        </div>,
      );
    }
    case 'select':
      return single(
        <select
          id={id}
          value={text}
          required={item.required}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          className={control}
        >
          <Options placeholder={t('form.choose')} choices={topChoices} />
        </select>,
      );
    case 'area': {
      const area = typeof value === 'object' && !Array.isArray(value) ? value : { ward: '', town: '' };
      const towns = item.choices.filter((c) => c.parentId !== null && c.parentId === area.ward);
      return group(
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-ward`} className="text-std-16B-170">
              {t('form.ward')}
            </label>
            <select
              id={`${id}-ward`}
              value={area.ward}
              required={item.required}
              aria-invalid={invalid && !area.ward ? true : undefined}
              onChange={(e) => onChange({ ward: e.target.value, town: '' })}
              className={control}
            >
              <Options placeholder={t('form.choose')} choices={topChoices} />
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-town`} className="text-std-16B-170">
              {t('form.town')}
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
                placeholder={area.ward ? t('form.choose') : t('form.chooseWardFirst')}
                choices={towns}
              />
            </select>
          </div>
        </div>,
      );
    }
    case 'birth_year':
      return single(
        input({
          inputMode: 'numeric',
          autoComplete: 'bday-year',
          maxLength: 4,
          className: `${control} max-w-40`,
        }),
      );
    case 'number': {
      const { integer, minValue } = item.config;
      // The numeric keypad has no minus sign: only for whole numbers that cannot be negative.
      const numeric = integer && minValue !== undefined && minValue >= 0;
      return single(
        input({
          inputMode: numeric ? 'numeric' : 'decimal',
          autoComplete: 'off',
          className: `${control} max-w-60`,
        }),
      );
    }
    case 'date':
      return single(
        <input
          id={id}
          type="date"
          value={text}
          required={item.required}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          className={`${control} max-w-60`}
        />,
      );
    case 'postal_code':
      return single(
        input({
          inputMode: 'numeric',
          autoComplete: 'postal-code',
          maxLength: 8,
          className: `${control} max-w-40`,
        }),
      );
    case 'phone':
      return single(input({ type: 'tel', autoComplete: 'tel', className: `${control} max-w-80` }));
    case 'email':
      return single(
        input({ type: 'email', autoComplete: 'email', spellCheck: false, autoCapitalize: 'none' }),
      );
    case 'address':
      return single(input({ autoComplete: 'street-address' }));
    case 'file':
      return single(
        <FileField
          item={item}
          id={id}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
          invalid={invalid}
          describedBy={describedBy}
        />,
      );
    case 'textarea':
      return single(
        <textarea
          id={id}
          rows={4}
          value={text}
          required={item.required}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          className={control}
        />,
      );
    default:
      return single(input({}));
  }
}
