import { FILE_ACCEPT_TYPES, FORM_LIMITS, fileSizeText } from '@madoguchi/contracts/forms.ts';
import type { SurveyFileAccepted } from '@madoguchi/contracts/surveys.ts';
import { type ChangeEvent, createContext, useContext, useRef, useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import type { FormItem } from '../../form/draft.ts';
import { useI18n } from '../../i18n/i18n.tsx';

// The control of a file item (surveys, Q-01; ItemField gives its label, ※必須, help, hint and error): a
// file input described by the hint naming the accepted types, the count and the size (an error sets
// aria-invalid), each picked file uploaded at once with its state
// announced in a polite live region, and the chosen files listed with a 削除 button (≥ 44 px) each.
// The draft holds the uploaded files' IDs; the page provides the upload and the names it knows.

export interface FileUploads {
  upload(file: File): Promise<SurveyFileAccepted>;
  /** Files known by ID: the current answer's and those uploaded on this page. */
  known: Record<string, SurveyFileAccepted>;
  remember(file: SurveyFileAccepted): void;
  /** 削除 of a file this page uploaded: the server deletes it (a sent answer's file stays until sent again). */
  discard(fileId: string): void;
}

export const FileUploadsContext = createContext<FileUploads | null>(null);

export function FileField({
  item,
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  item: FormItem;
  id: string;
  value: string[];
  onChange: (ids: string[]) => void;
  invalid: true | undefined;
  describedBy: string | undefined;
}) {
  const { t } = useI18n();
  const uploads = useContext(FileUploadsContext);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(value);
  latest.current = value;
  const accept = item.config.accept ?? 'image';
  const max = item.config.maxFiles ?? 1;
  const types = FILE_ACCEPT_TYPES[accept];
  const full = value.length >= max;
  const problemId = problem ? `${id}-problem` : null;
  const described = [describedBy, problemId].filter(Boolean).join(' ') || undefined;

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (!uploads) return;
    setProblem(null);
    setBusy(true);
    try {
      for (const file of files) {
        if (latest.current.length >= max) {
          setProblem(t('form.err.tooManyFiles', { max }));
          break;
        }
        if (file.type !== '' && !types.includes(file.type)) {
          setProblem(t('form.err.fileType', { kinds: t(`form.fileKinds.${accept}`) }));
          continue;
        }
        if (file.size > FORM_LIMITS.fileBytes) {
          setProblem(t('form.err.fileSize', { mb: FORM_LIMITS.fileBytes / 1024 / 1024 }));
          continue;
        }
        setStatus(t('form.fileUploading', { name: file.name }));
        try {
          const done = await uploads.upload(file);
          uploads.remember(done);
          const next = [...latest.current, done.fileId];
          latest.current = next;
          onChange(next);
          setStatus(t('form.fileAdded', { name: done.name }));
        } catch (err) {
          console.error('Could not send the file', err);
          setStatus('');
          setProblem(errorText(t, err));
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = (fileId: string, name: string) => {
    const next = latest.current.filter((x) => x !== fileId);
    latest.current = next;
    onChange(next);
    uploads?.discard(fileId);
    setProblem(null);
    setStatus(t('form.fileRemoved', { name }));
  };

  return (
    <div className="flex flex-col gap-2">
      {value.length > 0 && (
        <ul aria-label={t('form.fileChosen')} className="flex flex-col gap-2">
          {value.map((fileId) => {
            const file = uploads?.known[fileId];
            const name = file?.name ?? fileId;
            return (
              <li
                key={fileId}
                className="flex min-h-12 items-center justify-between gap-3 rounded-8 border border-solid-gray-300 bg-white px-3 py-1"
              >
                <span className="min-w-0 break-all text-std-16N-170 text-solid-gray-900">
                  {name}
                  {file && <span className="ml-2 text-solid-gray-700">（{fileSizeText(file.bytes)}）</span>}
                </span>
                <button
                  type="button"
                  onClick={() => remove(fileId, name)}
                  aria-label={t('form.fileRemoveLabel', { name })}
                  className="min-h-11 min-w-11 shrink-0 rounded-8 border-2 border-blue-900 bg-white px-3 text-std-16B-170 text-blue-900 hover:bg-blue-50"
                >
                  {t('form.fileRemove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {full ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t('form.fileFull', { max })}</p>
      ) : (
        <input
          id={id}
          type="file"
          accept={types.join(',')}
          multiple={max - value.length > 1}
          disabled={busy}
          aria-invalid={invalid || (problem ? true : undefined)}
          aria-describedby={described}
          required={item.required && value.length === 0}
          onChange={pick}
          className="block min-h-12 w-full rounded-8 border border-solid-gray-600 bg-white px-2 py-2 text-std-16N-170 text-solid-gray-900 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-8 file:border-2 file:border-blue-900 file:bg-white file:px-4 file:text-std-16B-170 file:text-blue-900 aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1"
        />
      )}
      <p aria-live="polite" className="text-std-16N-170 text-solid-gray-800">
        {status}
      </p>
      {problemId && (
        <p id={problemId} className="text-std-16B-170 text-error-1">
          ＊{problem}
        </p>
      )}
    </div>
  );
}
