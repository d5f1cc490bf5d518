import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { CellInput } from './cells.tsx';
import { type ContactRow, type DeskSectionProps, fieldSetter, rowKey } from './deskForm.ts';
import { RowsEditor } from './RowsEditor.tsx';

/** 緊急連絡先: the emergency contacts shown to consultees. */
export function ContactsSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.emergencySection')} description={t('desks.emergencyLead')}>
      <RowsEditor<ContactRow>
        rows={form.contacts}
        onChange={set('contacts')}
        columns={[t('desks.contactName'), t('desks.contactPhone'), t('desks.contactHours')]}
        addLabel={t('desks.addContact')}
        newRow={() => ({ key: rowKey(), name: '', phone: '', hours: '' })}
        renderCells={(row, n, update) => (
          <>
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.contactName'), n })}
              value={row.name}
              onChange={(v) => update({ name: v })}
              error={errors[`contact.${row.key}.name`]}
            />
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.contactPhone'), n })}
              value={row.phone}
              onChange={(v) => update({ phone: v })}
              error={errors[`contact.${row.key}.phone`]}
              inputMode="tel"
            />
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.contactHours'), n })}
              value={row.hours}
              onChange={(v) => update({ hours: v })}
            />
          </>
        )}
      />
    </Section>
  );
}
