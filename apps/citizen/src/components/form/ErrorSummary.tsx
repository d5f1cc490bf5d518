import type { MouseEvent } from 'react';
import { fieldId } from './ItemField.tsx';

// The error summary at the top of a form: what went wrong, and a link to each field to fix (the
// link moves the focus into the field, as a plain #anchor would not for a group of radios).

export type FieldError = { key: string; label: string; message: string };

/** Moves the focus to the first invalid control inside `root` (after the next paint). */
export function focusFirstError(root: HTMLElement | null): void {
  requestAnimationFrame(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

function focusField(event: MouseEvent<HTMLAnchorElement>, key: string) {
  const field = document.querySelector<HTMLElement>(`[data-item="${CSS.escape(key)}"]`);
  const control =
    field?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    field?.querySelector<HTMLElement>('input, select, textarea');
  if (!control) return;
  event.preventDefault();
  control.focus();
  control.scrollIntoView({ block: 'center' });
}

export function ErrorSummary({ message, errors }: { message: string; errors: FieldError[] }) {
  return (
    <div
      role="alert"
      className="flex flex-col gap-2 rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
    >
      <p className="text-std-17B-170">{message}</p>
      {errors.length > 0 && (
        <ul className="flex flex-col gap-1">
          {errors.map((e) => (
            <li key={e.key}>
              <a
                href={`#${fieldId(e.key)}`}
                onClick={(event) => focusField(event, e.key)}
                className="inline-flex min-h-11 items-center text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
              >
                {e.message.includes(e.label) ? e.message : `${e.label}：${e.message}`}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
