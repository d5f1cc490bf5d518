import type { ReactNode, Ref, TextareaHTMLAttributes } from 'react';
import { controlClass, FieldFrame } from './Field.tsx';

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
  return (
    <FieldFrame id={id} label={label} required={required} hint={hint} error={error} className={className}>
      {(control) => (
        <textarea
          ref={ref}
          {...control}
          value={value}
          rows={rows}
          onChange={(e) => onChange(e.target.value)}
          className={`${controlClass} ${textareaClassName}`}
          {...rest}
        />
      )}
    </FieldFrame>
  );
}
