import { query } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';

/** The access log of a period as CSV (S-05), on the audit log page; the server audits the export. */
export function AccessLogExport() {
  const t = useT();
  const { values, set, errors, onSubmit } = usePeriodForm({ from: '', to: '' }, (period) => {
    // An attachment: the browser downloads it and stays on this page.
    window.location.assign(`/api/access-log.csv${query(period)}`);
  });
  return (
    <Section title={t('accessLog.title')} description={t('accessLog.lead')} className="mt-6">
      <form noValidate onSubmit={onSubmit} className="flex flex-wrap items-end gap-4">
        <PeriodFields values={values} errors={errors} onChange={set} />
        <Button type="submit" variant="secondary">
          {t('accessLog.download')}
        </Button>
      </form>
    </Section>
  );
}
