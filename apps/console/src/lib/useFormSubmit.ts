import { type FormEvent, useState } from 'react';
import { errorMessage, fieldErrors } from '../api/errors.ts';
import { useT } from '../i18n/i18n.tsx';
import { setFlash } from './flash.ts';
import { focusFirstInvalid } from './focus.ts';
import { navigate } from './router.tsx';

export type FormSubmit = {
  /** Per-field messages (client checks, or the server's VALIDATION_FAILED details). */
  errors: Record<string, string>;
  /** The message above the form. */
  formError: string | null;
  submitting: boolean;
  /** The list page the form returns to after saving (and on 戻る). */
  backTo: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
};

/**
 * The submit of an add/edit form page: checks the fields, saves, then shows `save`'s message on
 * the list page it navigates back to; on a failure shows the message above the form and the field
 * errors, and moves focus to the first invalid control.
 */
export function useFormSubmit({
  validate,
  blockedBy,
  save,
  backTo,
  serverFieldErrors = fieldErrors,
}: {
  validate: () => Record<string, string>;
  /** A form-level reason not to save, shown instead of the generic validation message. */
  blockedBy?: () => string | null;
  /** Saves and returns the success message for the list page. */
  save: () => Promise<string>;
  backTo: string;
  /** Field messages of a failed save, keyed like `validate`'s (default: the error's field paths). */
  serverFieldErrors?: (error: unknown) => Record<string, string>;
}): FormSubmit {
  const t = useT();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next = validate();
    const blocked = blockedBy?.() ?? null;
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0 || blocked) {
      setFormError(blocked ?? t('errors.VALIDATION_FAILED'));
      focusFirstInvalid(formElement);
      return;
    }
    setSubmitting(true);
    try {
      setFlash(await save());
      navigate(backTo);
    } catch (error) {
      setErrors(serverFieldErrors(error));
      setFormError(errorMessage(t, error));
      focusFirstInvalid(formElement);
      window.scrollTo({ top: 0 });
    } finally {
      setSubmitting(false);
    }
  }

  return { errors, formError, submitting, backTo, onSubmit };
}
