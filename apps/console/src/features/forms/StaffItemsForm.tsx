import type { Answers, AnswerValue, FormItemView } from '@madoguchi/contracts/forms.ts';
import { useId, useState } from 'react';
import { fieldErrors } from '../../api/errors.ts';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';

type StaffValue = string | string[];

function initialValue(item: FormItemView, value: AnswerValue | undefined): StaffValue {
  if (item.type === 'multiple') return Array.isArray(value) ? value : [];
  if (value === null || value === undefined || typeof value === 'object') return '';
  return String(value);
}

function answerOf(item: FormItemView, value: StaffValue): AnswerValue {
  if (Array.isArray(value)) return value;
  const text = value.trim();
  if (text === '') return null;
  if (item.type === 'number' || item.type === 'birth_year') return Number(text);
  return text;
}

/**
 * 管理項目: the staff-only items of a form (a survey answer's, a booking's), filled in by staff and
 * saved together.
 */
export function StaffItemsForm({
  items,
  answers,
  save,
}: {
  /** The active staff-only items of the form. */
  items: FormItemView[];
  /** The record's answers (the staff-only ones are read from them). */
  answers: Answers;
  /** Saves; resolves to the error when it failed (its field details are shown at their items), else null. */
  save: (body: { staffAnswers: Answers }, done: string) => Promise<unknown>;
}) {
  const t = useT();
  const [values, setValues] = useState<Record<string, StaffValue>>(() =>
    Object.fromEntries(items.map((i) => [i.key, initialValue(i, answers[i.key])])),
  );
  const set = (key: string) => (value: StaffValue) => setValues((v) => ({ ...v, [key]: value }));
  // The failure's message is the record's (where `save` shows it); its field details go to the items.
  const { errors, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      for (const item of items) {
        const v = values[item.key];
        if ((item.type === 'number' || item.type === 'birth_year') && typeof v === 'string' && v.trim())
          if (!Number.isFinite(Number(v.trim()))) next[item.key] = t('forms.err.decimal');
      }
      return next;
    },
    save: async () => {
      const staffAnswers: Answers = Object.fromEntries(
        items.filter((i) => i.type !== 'area').map((i) => [i.key, answerOf(i, values[i.key] ?? '')]),
      );
      const failed = await save({ staffAnswers }, t('forms.staff.saved'));
      if (failed) throw failed;
    },
    serverFieldErrors: (failed) =>
      Object.fromEntries(
        Object.entries(fieldErrors(failed)).map(([path, text]) => [
          path.replace(/^(staffAnswers|answers)\./, ''),
          text,
        ]),
      ),
  });

  return (
    <form
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      className="flex flex-col gap-4 rounded-8 border border-dashed border-solid-gray-420 bg-solid-gray-50 p-4"
    >
      <div className="flex items-center gap-2">
        <h4 className="text-std-16B-170">{t('forms.staff.title')}</h4>
        <Badge tone="warning">{t('forms.staffOnlyBadge')}</Badge>
      </div>
      {items.map((item) => (
        <StaffField
          key={item.id}
          item={item}
          value={values[item.key] ?? ''}
          onChange={set(item.key)}
          error={errors[item.key]}
        />
      ))}
      <div>
        <Button type="submit" size="sm" disabled={submitting}>
          {t('forms.staff.save')}
        </Button>
      </div>
    </form>
  );
}

function StaffField({
  item,
  value,
  onChange,
  error,
}: {
  item: FormItemView;
  value: StaffValue;
  onChange: (value: StaffValue) => void;
  error: string | undefined;
}) {
  const t = useT();
  const id = useId();
  const choices = item.choices.filter((c) => !c.retired && c.parentId === null);
  if (item.type === 'multiple') {
    const list = Array.isArray(value) ? value : [];
    const errorId = `${id}-error`;
    return (
      <fieldset aria-describedby={error ? errorId : undefined} className="flex flex-col gap-1">
        <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{item.label}</legend>
        <div className="flex flex-wrap gap-x-6">
          {choices.map((c) => (
            <Checkbox
              key={c.id}
              label={c.label}
              checked={list.includes(c.id)}
              onChange={(on) =>
                onChange(on ? [...list.filter((x) => x !== c.id), c.id] : list.filter((x) => x !== c.id))
              }
            />
          ))}
        </div>
        {error && <ErrorText id={errorId}>{error}</ErrorText>}
      </fieldset>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (item.type === 'single' || item.type === 'select')
    return (
      <Select
        label={item.label}
        hint={item.help || undefined}
        value={text}
        onChange={onChange}
        placeholder={t('forms.staff.unset')}
        options={choices.map((c) => ({ value: c.id, label: c.label }))}
        error={error}
        className="max-w-md"
      />
    );
  if (item.type === 'textarea')
    return (
      <TextArea
        label={item.label}
        hint={item.help || undefined}
        value={text}
        onChange={onChange}
        rows={3}
        error={error}
      />
    );
  if (item.type === 'area')
    return (
      <p className="text-std-16N-170">
        {item.label}: {t('forms.staff.areaReadOnly')}
      </p>
    );
  return (
    <TextField
      label={item.label}
      hint={item.help || undefined}
      type={item.type === 'date' ? 'date' : item.type === 'email' ? 'email' : 'text'}
      inputMode={
        item.type === 'number' || item.type === 'birth_year'
          ? 'decimal'
          : item.type === 'phone'
            ? 'tel'
            : undefined
      }
      value={text}
      onChange={onChange}
      error={error}
      className="max-w-md"
    />
  );
}
