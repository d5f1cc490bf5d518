import type { RecordFieldType } from '../../api/types.ts';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { CellInput, cell, sizedControl } from './cells.tsx';
import { type DeskSectionProps, type FieldRow, fieldSetter, rowKey } from './deskForm.ts';
import { RowsEditor } from './RowsEditor.tsx';

/** 相談記録: the record fields a counselor fills in, and whether a record may stay incomplete. */
export function RecordFieldsSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.recordSection')} description={t('desks.recordLead')}>
      <RowsEditor<FieldRow>
        rows={form.fields}
        onChange={set('fields')}
        columns={[
          t('desks.fieldKey'),
          t('desks.fieldLabel'),
          t('desks.fieldType'),
          t('desks.fieldOptions'),
          t('desks.fieldRequired'),
        ]}
        addLabel={t('desks.addField')}
        newRow={() => ({
          key: rowKey(),
          fieldKey: '',
          label: '',
          type: 'select',
          options: '',
          required: true,
        })}
        renderCells={(row, n, update) => (
          <>
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.fieldKey'), n })}
              value={row.fieldKey}
              onChange={(v) => update({ fieldKey: v })}
              error={errors[`field.${row.key}.key`]}
              spellCheck={false}
              className="w-36 font-mono"
            />
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.fieldLabel'), n })}
              value={row.label}
              onChange={(v) => update({ label: v })}
              error={errors[`field.${row.key}.label`]}
            />
            <td className={cell}>
              <select
                aria-label={t('desks.rowLabel', { column: t('desks.fieldType'), n })}
                value={row.type}
                onChange={(e) => update({ type: e.target.value as RecordFieldType })}
                className={`${sizedControl} w-44`}
              >
                <option value="select">{t('desks.typeSelect')}</option>
                <option value="text">{t('desks.typeText')}</option>
                <option value="textarea">{t('desks.typeTextarea')}</option>
              </select>
            </td>
            <CellInput
              label={t('desks.rowLabel', { column: t('desks.fieldOptions'), n })}
              value={row.options}
              onChange={(v) => update({ options: v })}
              error={errors[`field.${row.key}.options`]}
              disabled={row.type !== 'select'}
            />
            <td className={`${cell} text-center`}>
              <input
                type="checkbox"
                aria-label={t('desks.rowLabel', { column: t('desks.fieldRequired'), n })}
                checked={row.required}
                onChange={(e) => update({ required: e.target.checked })}
                className="mt-3 size-6 cursor-pointer accent-blue-900"
              />
            </td>
          </>
        )}
      />
      <Checkbox
        className="mt-4"
        label={t('desks.allowIncomplete')}
        checked={form.allowIncompleteRecords}
        onChange={set('allowIncompleteRecords')}
      />
    </Section>
  );
}
