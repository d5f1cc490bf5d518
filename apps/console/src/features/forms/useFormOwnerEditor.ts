import type { FormView } from '@madoguchi/contracts/forms.ts';
import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useT } from '../../i18n/i18n.tsx';
import type { ApiState } from '../../lib/useApi.ts';
import type { Run } from './ChoicesEditor.tsx';

/** Saves a change of the owner (a survey, a booking calendar) and shows what the server answered. */
export type OwnerRun<T> = (action: () => Promise<T>, done: string) => Promise<boolean>;
/**
 * The same for a section's form: a failure is shown too and then thrown on, so that the form's
 * submit (useSubmit) puts the server's field messages at their fields.
 */
export type OwnerSave<T> = (action: () => Promise<T>, done: string) => Promise<void>;

/**
 * The editor page of something that owns a form (a survey, a booking calendar): one status or error
 * message for every section's save; `act` (and `save`, for a section's form) keeps the owner as the
 * server answered it, `runItems` the form designer's answer (the form) inside the owner, whose own
 * settings stay.
 */
export function useFormOwnerEditor<T extends { form: FormView }>(owner: ApiState<T>) {
  const t = useT();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function attempt(action: () => Promise<void>, done: string): Promise<void> {
    setError(null);
    setStatus('');
    try {
      await action();
      setStatus(done);
    } catch (err) {
      setError(errorMessage(t, err));
      throw err;
    }
  }
  const succeeded = (attempted: Promise<void>) =>
    attempted.then(
      () => true,
      () => false,
    );
  const save: OwnerSave<T> = (action, done) => attempt(async () => owner.setData(await action()), done);
  const act: OwnerRun<T> = (action, done) => succeeded(save(action, done));
  const runItems: Run = (action, done) =>
    succeeded(
      attempt(async () => {
        const form = await action();
        const view = owner.data;
        if (view) owner.setData({ ...view, form: { ...view.form, ...form } });
      }, done),
    );
  return { status, error, act, save, runItems };
}
