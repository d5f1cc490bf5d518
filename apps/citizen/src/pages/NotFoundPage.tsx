import { useI18n } from '../i18n/i18n.tsx';
import { useDocumentTitle } from '../site.ts';

/** An unknown path below /citizen/. */
export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="flex flex-col gap-4 py-6">
      <h1 className="text-std-24B-150 text-solid-gray-900">{t('notFound.title')}</h1>
      <p className="text-std-17N-170">{t('notFound.body')}</p>
    </div>
  );
}
