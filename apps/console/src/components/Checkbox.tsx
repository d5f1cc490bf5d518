import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'type' | 'checked'> & {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
};

/** Checkbox with a 44px-high clickable label. */
export function Checkbox({ label, checked, onChange, hint, id, className = '', ...rest }: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div className={className}>
      <label
        htmlFor={inputId}
        className="inline-flex min-h-11 cursor-pointer items-center gap-3 rounded-8 py-1 pr-2 text-std-16N-170 text-solid-gray-800 hover:bg-solid-gray-50"
      >
        <input
          id={inputId}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={hintId}
          className="size-6 shrink-0 cursor-pointer accent-blue-900"
          {...rest}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <p id={hintId} className="ml-9 text-std-16N-170 text-solid-gray-600">
          {hint}
        </p>
      )}
    </div>
  );
}
