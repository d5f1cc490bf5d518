import { type ReactNode, useId } from 'react';
import { useT } from '../i18n/i18n.tsx';

/** "※必須" badge. Hidden from the accessible name (the control itself carries `required`). */
export function RequiredBadge() {
  const t = useT();
  return (
    <span aria-hidden="true" className="ml-2 text-dns-16N-130 text-error-1">
      {t('common.required')}
    </span>
  );
}

/**
 * Label of a form control. The "※必須" badge sits next to (not inside) the <label>, so the control's
 * accessible name is exactly the label text (stable for getByLabel(..., { exact: true })).
 */
export function FieldLabel({
  htmlFor,
  required,
  children,
}: {
  htmlFor: string;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-baseline">
      <label htmlFor={htmlFor} className="text-std-16B-170 text-solid-gray-800">
        {children}
      </label>
      {required && <RequiredBadge />}
    </div>
  );
}

export function SupportText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="text-std-16N-170 text-solid-gray-600">
      {children}
    </p>
  );
}

/** A field's error message, after the error mark (＊ / *). */
export function ErrorText({
  id,
  className = '',
  children,
}: {
  id?: string;
  className?: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <p id={id} className={`text-dns-16B-130 text-error-1 ${className}`.trim()}>
      {t('common.errorMark')}
      {children}
    </p>
  );
}

/** Joins the ids for aria-describedby, skipping missing ones. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

export const controlClass =
  'block w-full min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-16N-170 text-solid-gray-800 placeholder:text-solid-gray-420 hover:border-black aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420 [&[readonly]]:bg-solid-gray-50';

/** What a control inside a FieldFrame spreads onto itself: its id and the ARIA links to hint and error. */
export interface FieldControlProps {
  id: string;
  required: boolean | undefined;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * The one layout of every form control: label with "※必須", support text, the control, error text.
 * The control is rendered by `children` with the ids and ARIA attributes it must carry.
 */
export function FieldFrame({
  id,
  label,
  required,
  hint,
  error,
  className = '',
  children,
}: {
  id?: string | undefined;
  label: ReactNode;
  required?: boolean | undefined;
  hint?: ReactNode;
  error?: string | null | undefined;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const autoId = useId();
  const controlId = id ?? autoId;
  const hintId = hint ? `${controlId}-hint` : null;
  const errorId = error ? `${controlId}-error` : null;
  return (
    <div className={`flex flex-col gap-1.5 ${className}`}>
      <FieldLabel htmlFor={controlId} required={required}>
        {label}
      </FieldLabel>
      {hint && hintId && <SupportText id={hintId}>{hint}</SupportText>}
      {children({
        id: controlId,
        required,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(hintId, errorId),
      })}
      {error && errorId && <ErrorText id={errorId}>{error}</ErrorText>}
    </div>
  );
}
