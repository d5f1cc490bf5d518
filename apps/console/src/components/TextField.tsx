import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { controlClass, FieldFrame } from './Field.tsx';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  /** Tailwind width class for the input, e.g. `max-w-80`. */
  inputClassName?: string;
  ref?: Ref<HTMLInputElement>;
};

/** Text input with label, optional "※必須" badge, support text and error text (Digital Agency style). */
export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  required,
  id,
  inputClassName = '',
  className = '',
  ref,
  ...rest
}: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} required={required} hint={hint} error={error} className={className}>
      {(control) => (
        <input
          ref={ref}
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={`${controlClass} ${inputClassName}`}
          {...rest}
        />
      )}
    </FieldFrame>
  );
}
