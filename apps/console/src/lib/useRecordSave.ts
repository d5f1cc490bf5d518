import { useState } from 'react';
import { errorMessage, fieldErrors } from '../api/errors.ts';
import { useT } from '../i18n/i18n.tsx';

/**
 * Saving a change to the record a detail page shows (a status, an assignee, a note): the server's
 * answer replaces the record, `done` is said on success, the error above the page and a note's own
 * message at the note field. One save at a time (`busy`).
 */
export function useRecordSave<T>(setData: (value: T) => void) {
  const t = useT();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(action: () => Promise<T>, done: string): Promise<boolean> {
    setMessage('');
    setError(null);
    setBusy(true);
    try {
      setData(await action());
      setMessage(done);
      return true;
    } catch (err) {
      setError(errorMessage(t, err));
      const fields = fieldErrors(err);
      if (fields.note) setNoteError(fields.note);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { message, setMessage, error, setError, noteError, setNoteError, busy, save };
}
