import { useI18n } from '../i18n/i18n.tsx';
import { Button } from './Button.tsx';

/** A failed sign-in: the reason in an alert and a retry button. */
export function ErrorView({
  heading,
  message,
  onRetry,
}: {
  heading: string;
  message: string;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-6 py-6">
      <h1 className="text-std-24B-150 text-solid-gray-900">{heading}</h1>
      <div
        role="alert"
        className="rounded-8 border-2 border-error-2 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
      >
        {message}
      </div>
      <Button onClick={onRetry}>{t('error.retry')}</Button>
    </div>
  );
}
