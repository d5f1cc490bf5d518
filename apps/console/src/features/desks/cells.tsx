import { type InputHTMLAttributes, useId } from 'react';
import { controlClass, describedBy, ErrorText } from '../../components/Field.tsx';

/** Table cells of the desk form's row editors: inputs labelled by their column and row. */
export const cell = 'border-b border-solid-gray-420 px-2 py-2 align-top';
/** controlClass without its full width, for controls given an explicit width. */
export const sizedControl = controlClass.replace('w-full', '');

function CellError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <ErrorText id={id} className="mt-1">
      {error}
    </ErrorText>
  );
}

export function CellInput({
  label,
  value,
  onChange,
  error,
  className = '',
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const errorId = useId();
  return (
    <td className={cell}>
      <input
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && errorId)}
        autoComplete="off"
        className={className ? `${sizedControl} ${className}` : controlClass}
        {...rest}
      />
      <CellError id={errorId} error={error} />
    </td>
  );
}

export function CellTextArea({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const errorId = useId();
  return (
    <td className={cell}>
      <textarea
        aria-label={label}
        value={value}
        rows={2}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && errorId)}
        className={controlClass}
      />
      <CellError id={errorId} error={error} />
    </td>
  );
}
