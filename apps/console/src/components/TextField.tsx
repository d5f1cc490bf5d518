import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from 'react';
import { controlClass, describedBy, ErrorText, FieldLabel, SupportText } from './Field.tsx';

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
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : null;
  const errorId = error ? `${inputId}-error` : null;
  return (
    <div className={`flex flex-col gap-1.5 ${className}`}>
      <FieldLabel htmlFor={inputId} required={required}>
        {label}
      </FieldLabel>
      {hint && hintId && <SupportText id={hintId}>{hint}</SupportText>}
      <input
        ref={ref}
        id={inputId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        className={`${controlClass} ${inputClassName}`}
        {...rest}
      />
      {error && errorId && <ErrorText id={errorId}>{error}</ErrorText>}
    </div>
  );
}
