import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { CellInput, CellTextArea } from './cells.tsx';
import { type CannedRow, type DeskSectionProps, fieldSetter, rowKey } from './deskForm.ts';
import { RowsEditor } from './RowsEditor.tsx';

/** 定型文: canned responses offered to counselors. */
export function CannedSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.cannedSection')} description={t('desks.cannedLead')}>
      <RowsEditor<CannedRow>
        rows={form.canned}
        onChange={set('canned')}
        columns={[t('desks.cannedTitle'), t('desks.cannedText')]}
        addLabel={t('desks.addCanned')}
        newRow={() => ({ key: rowKey(), title: '', text: '' })}
        renderCells={(row, n, update) => (
          <>
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.cannedTitle'), n })}
              value={row.title}
              onChange={(v) => update({ title: v })}
              error={errors[`canned.${row.key}.title`]}
              className="w-56"
            />
            <CellTextArea
              label={t('desks.rowLabel', { column: t('desks.cannedText'), n })}
              value={row.text}
              onChange={(v) => update({ text: v })}
              error={errors[`canned.${row.key}.text`]}
            />
          </>
        )}
      />
    </Section>
  );
}
