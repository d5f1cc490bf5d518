import type { ReactNode, SelectHTMLAttributes } from 'react';
import { controlClass, FieldFrame } from './Field.tsx';

export type SelectOption = { value: string; label: string };

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: SelectOption[];
  /** Adds a first empty option with this text. */
  placeholder?: string;
  hint?: ReactNode;
  error?: string | null;
  selectClassName?: string;
};

export function Select({
  label,
  value,
  onChange,
  options,
  placeholder,
  hint,
  error,
  required,
  id,
  selectClassName = '',
  className = '',
  ...rest
}: SelectProps) {
  return (
    <FieldFrame id={id} label={label} required={required} hint={hint} error={error} className={className}>
      {(control) => (
        <div className={`relative ${selectClassName}`}>
          <select
            {...control}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className={`${controlClass} appearance-none pr-11`}
            {...rest}
          >
            {placeholder !== undefined && <option value="">{placeholder}</option>}
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className="pointer-events-none absolute top-1/2 right-4 size-4 -translate-y-1/2 fill-solid-gray-800"
          >
            <path d="M8 11.5 2.5 6l1.1-1.1L8 9.3l4.4-4.4L13.5 6z" />
          </svg>
        </div>
      )}
    </FieldFrame>
  );
}
