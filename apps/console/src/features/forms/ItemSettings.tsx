import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import type { Run } from './ChoicesEditor.tsx';
import {
  conditionItems,
  FILE_ACCEPTS,
  type FileAccept,
  FORM_LIMITS,
  type FormItem,
  type FormPurpose,
  formsApi,
  fullDesigner,
  type ItemConfig,
  type RegistrationForm,
  TEXT_CHARSETS,
  type TextCharset,
} from './formTypes.ts';
import { type ShowIf, ShowIfFields } from './ShowIfFields.tsx';

/** The numeric settings an item may have (ItemConfig keys). */
type NumberKey =
  | 'min'
  | 'max'
  | 'minLength'
  | 'maxLength'
  | 'minSelections'
  | 'maxSelections'
  | 'minValue'
  | 'maxValue'
  | 'maxFiles';

const NUMBER_KEYS: NumberKey[] = [
  'min',
  'max',
  'minLength',
  'maxLength',
  'minSelections',
  'maxSelections',
  'minValue',
  'maxValue',
  'maxFiles',
];

const FIELD_LABELS: Record<NumberKey, { label: MessageKey; hint?: MessageKey }> = {
  min: { label: 'forms.yearMin' },
  max: { label: 'forms.yearMax', hint: 'forms.yearMaxHint' },
  minLength: { label: 'forms.minLength', hint: 'forms.limitHint' },
  maxLength: { label: 'forms.maxLength' },
  minSelections: { label: 'forms.minSelections', hint: 'forms.limitHint' },
  maxSelections: { label: 'forms.maxSelections', hint: 'forms.maxSelectionsHint' },
  minValue: { label: 'forms.minValue', hint: 'forms.limitHint' },
  maxValue: { label: 'forms.maxValue', hint: 'forms.limitHint' },
  maxFiles: { label: 'forms.maxFiles', hint: 'forms.maxFilesHint' },
};

/** The numeric settings of a type; the registration form keeps its original, smaller set. */
function numberFields(type: FormItem['type'], purpose: FormPurpose): NumberKey[] {
  const survey = fullDesigner(purpose);
  switch (type) {
    case 'birth_year':
      return ['min', 'max'];
    case 'text':
    case 'textarea':
      return survey ? ['minLength', 'maxLength'] : ['maxLength'];
    case 'multiple':
      return survey ? ['minSelections', 'maxSelections'] : ['maxSelections'];
    case 'number':
      return survey ? ['minValue', 'maxValue'] : [];
    case 'file':
      return ['maxFiles'];
    default:
      return [];
  }
}

const numberText = (n: number | undefined) => (n === undefined ? '' : String(n));

/**
 * Name, required, help and the settings of the item's type; for a survey also the allowed characters
 * (text), whole numbers only (number), the display condition and 管理項目.
 */
export function ItemSettings({
  form,
  item,
  index,
  run,
  purpose,
}: {
  form: RegistrationForm;
  item: FormItem;
  index: number;
  run: Run;
  purpose: FormPurpose;
}) {
  const t = useT();
  const survey = fullDesigner(purpose);
  const isText = item.type === 'text' || item.type === 'textarea';
  const answerless = item.type === 'description';
  const isFile = item.type === 'file';
  const [label, setLabel] = useState(item.label);
  const [required, setRequired] = useState(item.required);
  const [help, setHelp] = useState(item.help);
  const [numbers, setNumbers] = useState<Record<NumberKey, string>>(
    () =>
      Object.fromEntries(NUMBER_KEYS.map((k) => [k, numberText(item.config[k])])) as Record<
        NumberKey,
        string
      >,
  );
  const [charset, setCharset] = useState<TextCharset | ''>(item.config.charset ?? '');
  const [integer, setInteger] = useState(item.config.integer ?? false);
  const [accept, setAccept] = useState<FileAccept>(item.config.accept ?? 'image');
  const [showIf, setShowIf] = useState<ShowIf | undefined>(item.config.showIf);
  const [staffOnly, setStaffOnly] = useState(item.config.staffOnly ?? false);
  const setNumber = (key: NumberKey) => (value: string) => setNumbers((n) => ({ ...n, [key]: value }));

  const fields = numberFields(item.type, purpose);
  const candidates = survey ? conditionItems(form.items, index) : [];
  // A condition already saved stays editable even if its item moved below or was retired.
  const conditionShown = survey && !staffOnly && (candidates.length > 0 || showIf !== undefined);
  const sendsConfig = survey || fields.length > 0;

  /** The fields' messages and the item's config as entered. */
  const check = () => {
    const errors: Record<string, string> = {};
    if (!label.trim()) errors.label = t('common.fieldRequired', { label: t('forms.label') });
    const config: ItemConfig = {};
    for (const key of fields) {
      const text = numbers[key].trim();
      if (text === '') continue;
      const decimal = key === 'minValue' || key === 'maxValue';
      if (decimal ? !/^-?[0-9]+(\.[0-9]+)?$/.test(text) : !/^[0-9]+$/.test(text))
        errors[key] = t(decimal ? 'forms.err.decimal' : 'forms.err.number');
      else if (key === 'maxFiles' && (Number(text) < 1 || Number(text) > FORM_LIMITS.files))
        errors[key] = t('forms.err.maxFiles', { max: FORM_LIMITS.files });
      else config[key] = Number(text);
    }
    if (isFile) config.accept = accept;
    if (survey) {
      if (isText && charset) config.charset = charset;
      if (item.type === 'number' && integer) config.integer = true;
      if (staffOnly && !answerless && !isFile) config.staffOnly = true;
      else if (showIf) {
        if (showIf.choices.length === 0) errors.showIf = t('forms.err.showIfChoices');
        else config.showIf = showIf;
      }
    }
    return { errors, config };
  };
  // A failure's message is the editor's (where `run` shows it).
  const { errors, submitting, onSubmit } = useSubmit({
    validate: () => check().errors,
    save: async () => {
      await run(
        () =>
          formsApi.updateItem(form.id, item.id, {
            label: label.trim(),
            required: answerless ? false : required,
            help: help.trim(),
            ...(sendsConfig ? { config: check().config } : {}),
          }),
        t('forms.saved'),
      );
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4">
      <div className="grid grid-cols-2 gap-4">
        <TextField
          label={t('forms.label')}
          value={label}
          onChange={setLabel}
          required
          maxLength={100}
          error={errors.label}
        />
        {!answerless && (
          <div className="flex items-end">
            <Checkbox label={t('forms.requiredCheckbox')} checked={required} onChange={setRequired} />
          </div>
        )}
      </div>
      <TextArea
        label={t('forms.help')}
        hint={t('forms.helpHint')}
        value={help}
        onChange={setHelp}
        rows={2}
        maxLength={500}
      />
      {fields.length > 0 && (
        <div className="grid grid-cols-3 gap-4">
          {fields.map((key) => (
            <TextField
              key={key}
              label={t(FIELD_LABELS[key].label)}
              hint={
                FIELD_LABELS[key].hint ? t(FIELD_LABELS[key].hint, { max: FORM_LIMITS.files }) : undefined
              }
              inputMode={key === 'minValue' || key === 'maxValue' ? 'decimal' : 'numeric'}
              value={numbers[key]}
              onChange={setNumber(key)}
              error={errors[key]}
            />
          ))}
        </div>
      )}
      {survey && isText && (
        <Select
          label={t('forms.charset')}
          value={charset}
          onChange={(v) => setCharset(v as TextCharset | '')}
          options={[
            { value: '', label: t('forms.charsetAny') },
            ...TEXT_CHARSETS.map((value) => ({ value, label: t(`forms.charset.${value}` as MessageKey) })),
          ]}
          className="max-w-sm"
        />
      )}
      {isFile && (
        <Select
          label={t('forms.fileAccept')}
          hint={t('forms.fileAcceptHint')}
          value={accept}
          onChange={(v) => setAccept(v as FileAccept)}
          options={FILE_ACCEPTS.map((value) => ({ value, label: t(`forms.fileAccept.${value}`) }))}
          className="max-w-md"
        />
      )}
      {survey && item.type === 'number' && (
        <Checkbox label={t('forms.integerOnly')} checked={integer} onChange={setInteger} />
      )}
      {survey && !answerless && !isFile && (
        <Checkbox label={t('forms.staffOnly')} checked={staffOnly} onChange={setStaffOnly} />
      )}
      {conditionShown && (
        <ShowIfFields candidates={candidates} value={showIf} onChange={setShowIf} error={errors.showIf} />
      )}
      <div>
        <Button type="submit" disabled={submitting}>
          {t('forms.saveItem')}
        </Button>
      </div>
    </form>
  );
}
