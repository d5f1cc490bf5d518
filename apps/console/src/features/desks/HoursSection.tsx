import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';
import { HoursEditor } from './HoursEditor.tsx';

/** 受付時間: the weekly hours, holidays and closed dates. */
export function HoursSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.hoursSection')} description={t('desks.hoursLead')}>
      <HoursEditor form={form} setForm={setForm} errors={errors} />
      <div className="mt-4 flex flex-col gap-4">
        <Checkbox
          label={t('desks.closedOnHolidays')}
          checked={form.closedOnHolidays}
          onChange={set('closedOnHolidays')}
        />
        <TextArea
          label={t('desks.closedDates')}
          hint={t('desks.closedDatesHint')}
          value={form.closedDates}
          onChange={set('closedDates')}
          error={errors.closedDates}
          rows={3}
          spellCheck={false}
          textareaClassName="max-w-80 font-mono"
        />
      </div>
    </Section>
  );
}
