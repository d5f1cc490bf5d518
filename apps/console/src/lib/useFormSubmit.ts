import { type FormEvent, useState } from 'react';
import { errorMessage, fieldErrors } from '../api/errors.ts';
import { translateEach, useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/ja.ts';
import { setFlash } from './flash.ts';
import { focusFirstInvalid } from './focus.ts';
import { navigate } from './router.tsx';

export type Submit = {
  /** Per-field messages (client checks, or the server's VALIDATION_FAILED details). */
  errors: Record<string, string>;
  /** The message above the form. */
  formError: string | null;
  /** What the last save threw (null once a submit starts, and after a failed check). */
  failure: unknown;
  submitting: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
  /** Drops a field's message (once the field is fixed, before the next submit). */
  clearError: (field: string) => void;
};

export type FormSubmit = Submit & {
  /** The list page the form returns to after saving (and on 戻る). */
  backTo: string;
};

type Checks = {
  /** The fields' messages, keyed as the form shows them; none: the form may be saved. */
  validate: () => Record<string, string>;
  /** A form-level reason not to save, shown instead of the generic validation message. */
  blockedBy?: () => string | null;
  /** Field messages of a failed save, keyed like `validate`'s (default: the error's field paths). */
  serverFieldErrors?: (error: unknown) => Record<string, string>;
};

/**
 * The submit of every console form — a page, a dialog, an editor's section: checks the fields, and
 * on a failure shows the message above the form and the field errors and moves focus to the first
 * invalid control; else runs `save`, which also does what follows (navigate, call onDone, show a
 * status). A save that throws shows the error's message (`messages` overrides codes) and the
 * server's field messages (VALIDATION_FAILED details) in the same way.
 */
export function useSubmit({
  validate,
  blockedBy,
  save,
  serverFieldErrors = fieldErrors,
  messages,
  onFailed,
}: Checks & {
  save: () => Promise<void>;
  messages?: Partial<Record<string, MessageKey>>;
  /** After a failed save (a page scrolls up to the message). */
  onFailed?: () => void;
}): Submit {
  const t = useT();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next = validate();
    const blocked = blockedBy?.() ?? null;
    setErrors(next);
    setFormError(null);
    setFailure(null);
    if (Object.keys(next).length > 0 || blocked) {
      setFormError(blocked ?? t('errors.VALIDATION_FAILED'));
      focusFirstInvalid(formElement);
      return;
    }
    setSubmitting(true);
    try {
      await save();
    } catch (error) {
      setFailure(error);
      setErrors(serverFieldErrors(error));
      setFormError(errorMessage(t, error, messages));
      focusFirstInvalid(formElement);
      onFailed?.();
    } finally {
      setSubmitting(false);
    }
  }

  const clearError = (field: string) =>
    setErrors((current) => {
      const { [field]: _, ...rest } = current;
      return rest;
    });

  return { errors, formError, failure, submitting, onSubmit, clearError };
}

/**
 * useSubmit for a form whose check gives the request, or the message keys of the fields to fix
 * (the settings forms' settingsRequest): `save` gets the request.
 */
export function useRequestSubmit<R>({
  request,
  save,
  serverFieldErrors,
}: {
  request: () => { settings: R } | { errors: Record<string, MessageKey> };
  save: (settings: R) => Promise<void>;
  serverFieldErrors?: Checks['serverFieldErrors'];
}): Submit {
  const t = useT();
  return useSubmit({
    validate: () => {
      const checked = request();
      return 'errors' in checked ? translateEach(t, checked.errors) : {};
    },
    save: async () => {
      const checked = request();
      if ('settings' in checked) await save(checked.settings);
    },
    ...(serverFieldErrors && { serverFieldErrors }),
  });
}

/**
 * The submit of an add/edit form page (useSubmit): once saved, shows `save`'s message on the list
 * page it navigates back to; a failure scrolls up to the message above the form.
 */
export function useFormSubmit({
  save,
  backTo,
  ...checks
}: Checks & {
  /** Saves and returns the success message for the list page. */
  save: () => Promise<string>;
  backTo: string;
}): FormSubmit {
  const submit = useSubmit({
    ...checks,
    save: async () => {
      setFlash(await save());
      navigate(backTo);
    },
    onFailed: () => window.scrollTo({ top: 0 }),
  });
  return { ...submit, backTo };
}
