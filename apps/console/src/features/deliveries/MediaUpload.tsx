import { type ChangeEvent, useId, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { ErrorText, FieldLabel, SupportText } from '../../components/Field.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, type MediaRef, uploadMedia } from './api.ts';

/**
 * Image file input: checks the type and size, uploads the file as the raw body of POST /api/media
 * and shows the server's preview. The refusal message (Japanese) is the API's `message`.
 */
export function MediaUpload({
  label,
  value,
  onChange,
  error,
  required,
  hint,
  previewAlt,
}: {
  label: string;
  value: MediaRef | null;
  onChange: (media: MediaRef) => void;
  error?: string | undefined;
  required?: boolean;
  hint?: string;
  previewAlt: string;
}) {
  const t = useT();
  const id = useId();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  /** The name of the file uploaded in this session (also named in the status line). */
  const [fileName, setFileName] = useState<string | null>(null);
  const shownError = uploadError ?? error;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setUploadError(null);
    if (!(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type)) {
      setUploadError(t('media.errType'));
      input.value = '';
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      setUploadError(t('media.errSize'));
      input.value = '';
      return;
    }
    setUploading(true);
    try {
      const media = await uploadMedia(file);
      onChange({
        id: media.id,
        url: media.url,
        previewUrl: media.previewUrl,
        width: media.width,
        height: media.height,
      });
      setFileName(file.name);
    } catch (err) {
      setUploadError(errorMessage(t, err));
      input.value = '';
    } finally {
      // After a successful upload the input keeps the file, so it shows the chosen file's name.
      setUploading(false);
    }
  }

  return (
    <div className="flex flex-col gap-1.5">
      <FieldLabel htmlFor={id} required={required}>
        {label}
      </FieldLabel>
      <SupportText id={hintId}>{hint ?? t('media.hint')}</SupportText>
      <div className="flex flex-wrap items-start gap-4">
        {value && (
          <img
            src={value.previewUrl}
            alt={previewAlt}
            className="max-h-40 max-w-60 rounded-8 border border-solid-gray-420 bg-solid-gray-50 object-contain"
          />
        )}
        <input
          id={id}
          type="file"
          accept={ACCEPTED_IMAGE_TYPES.join(',')}
          onChange={(e) => void onFile(e)}
          disabled={uploading}
          required={required}
          aria-invalid={shownError ? true : undefined}
          aria-describedby={[hintId, shownError ? errorId : '', statusId].filter(Boolean).join(' ')}
          className="min-h-12 max-w-full text-std-16N-170 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-8 file:border-2 file:border-blue-900 file:bg-white file:px-3 file:text-oln-16B-100 file:text-blue-900 hover:file:bg-blue-50"
        />
      </div>
      <p id={statusId} aria-live="polite" className="text-dns-14N-130 text-solid-gray-700">
        {uploading
          ? t('media.uploading')
          : value
            ? fileName
              ? t('media.uploadedFile', { name: fileName, size: sizeText(value) })
              : t('media.uploaded', { size: sizeText(value) })
            : ''}
      </p>
      {shownError && <ErrorText id={errorId}>{shownError}</ErrorText>}
    </div>
  );
}

function sizeText(media: MediaRef): string {
  return media.width && media.height ? `${media.width} × ${media.height}` : '';
}
