import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import type { Run } from './ChoicesEditor.tsx';
import {
  CHOICE_TYPES,
  type FormPurpose,
  formsApi,
  fullDesigner,
  type ItemType,
  itemTypesFor,
  lines,
} from './formTypes.ts';
import { typeLabel } from './ItemCard.tsx';

/**
 * 項目を追加: type, name, required, help and (for choice items) the first choices; a survey's form
 * offers every type and 管理項目.
 */
export function AddItemForm({
  formId,
  run,
  purpose = 'registration',
}: {
  formId: string;
  run: Run;
  purpose?: FormPurpose;
}) {
  const t = useT();
  const [type, setType] = useState<ItemType>('single');
  const [label, setLabel] = useState('');
  const [required, setRequired] = useState(false);
  const [help, setHelp] = useState('');
  const [choices, setChoices] = useState('');
  const [staffOnly, setStaffOnly] = useState(false);
  const hasChoices = CHOICE_TYPES.includes(type);
  const answerless = type === 'description';
  // A file answer comes only from the respondent: a file item is never staff-only.
  const canBeStaffOnly = fullDesigner(purpose) && !answerless && type !== 'file';

  // A failure's message is the editor's (where `run` shows it).
  const { errors, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!label.trim()) next.label = t('common.fieldRequired', { label: t('forms.label') });
      if (hasChoices && lines(choices).length === 0) next.choices = t('forms.err.choicesNeeded');
      return next;
    },
    save: async () => {
      const name = label.trim();
      const ok = await run(
        () =>
          formsApi.addItem(formId, {
            type,
            label: name,
            required: answerless ? false : required,
            help: help.trim(),
            config: canBeStaffOnly && staffOnly ? { staffOnly: true } : {},
            choices: hasChoices ? lines(choices).map((l) => ({ label: l })) : [],
          }),
        t('forms.added', { label: name }),
      );
      if (ok) {
        setLabel('');
        setHelp('');
        setChoices('');
        setRequired(false);
        setStaffOnly(false);
      }
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4">
      <div className="grid grid-cols-2 gap-4">
        <Select
          label={t('forms.type')}
          value={type}
          onChange={(v) => setType(v as ItemType)}
          options={itemTypesFor(purpose).map((value) => ({ value, label: typeLabel(t, value) }))}
          required
        />
        <TextField
          label={t('forms.label')}
          value={label}
          onChange={setLabel}
          required
          maxLength={100}
          error={errors.label}
        />
      </div>
      {!answerless && (
        <Checkbox label={t('forms.requiredCheckbox')} checked={required} onChange={setRequired} />
      )}
      {canBeStaffOnly && (
        <Checkbox label={t('forms.staffOnly')} checked={staffOnly} onChange={setStaffOnly} />
      )}
      <TextArea label={t('forms.help')} hint={t('forms.helpHint')} value={help} onChange={setHelp} rows={2} />
      {hasChoices && (
        <TextArea
          label={type === 'area' ? t('forms.initialWards') : t('forms.initialChoices')}
          hint={type === 'area' ? t('forms.initialWardsHint') : t('forms.linesHint')}
          value={choices}
          onChange={setChoices}
          rows={5}
          required
          error={errors.choices}
        />
      )}
      <div>
        <Button type="submit" disabled={submitting}>
          {t('forms.addItem')}
        </Button>
      </div>
    </form>
  );
}
