import { type ReactNode, useId } from 'react';
import { RequiredBadge, SupportText } from './Field.tsx';

type RadioGroupProps = {
  legend: ReactNode;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: ReactNode }[];
  required?: boolean;
  hint?: ReactNode;
};

export function RadioGroup({ legend, name, value, onChange, options, required, hint }: RadioGroupProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <fieldset aria-describedby={hintId} className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">
        {legend}
        {required && <RequiredBadge />}
      </legend>
      {hint && hintId && <SupportText id={hintId}>{hint}</SupportText>}
      <div className="flex flex-wrap gap-x-6">
        {options.map((option) => (
          <label
            key={option.value}
            className="inline-flex min-h-11 cursor-pointer items-center gap-3 rounded-8 py-1 pr-2 text-std-16N-170 hover:bg-solid-gray-50"
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              className="size-6 shrink-0 cursor-pointer accent-blue-900"
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
