import { type ReactNode, type Ref, type TextareaHTMLAttributes, useId } from 'react';
import { controlClass, describedBy, ErrorText, FieldLabel, SupportText } from './Field.tsx';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  textareaClassName?: string;
  ref?: Ref<HTMLTextAreaElement>;
};

/** Multi-line text input; same label / ※必須 / hint / error layout as TextField. */
export function TextArea({
  label,
  value,
  onChange,
  hint,
  error,
  required,
  id,
  rows = 4,
  textareaClassName = '',
  className = '',
  ref,
  ...rest
}: TextAreaProps) {
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
      <textarea
        ref={ref}
        id={inputId}
        value={value}
        rows={rows}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        className={`${controlClass} ${textareaClassName}`}
        {...rest}
      />
      {error && errorId && <ErrorText id={errorId}>{error}</ErrorText>}
    </div>
  );
}
