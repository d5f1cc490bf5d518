import { useT } from '../i18n/i18n.tsx';
import { Button, LinkButton } from './Button.tsx';

/** Save + back-to-list buttons at the bottom of a form page. */
export function FormActions({
  submitting,
  cancelTo,
  submitLabel,
}: {
  submitting: boolean;
  cancelTo: string;
  submitLabel?: string;
}) {
  const t = useT();
  return (
    <div className="flex flex-wrap gap-4 border-t border-solid-gray-420 pt-5">
      <Button type="submit" disabled={submitting}>
        {submitting ? t('common.saving') : (submitLabel ?? t('common.save'))}
      </Button>
      <LinkButton to={cancelTo} variant="secondary">
        {t('common.cancel')}
      </LinkButton>
    </div>
  );
}
