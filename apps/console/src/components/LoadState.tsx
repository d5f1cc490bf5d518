import { errorMessage } from '../api/errors.ts';
import { useT } from '../i18n/i18n.tsx';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';

export function Loading() {
  const t = useT();
  return (
    <p role="status" className="py-6 text-std-16N-170 text-solid-gray-700">
      {t('app.loading')}
    </p>
  );
}

/** Error banner for a failed GET, with a reload button. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert tone="error" title={t('common.loadFailed')}>
      <p>{errorMessage(t, error)}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
