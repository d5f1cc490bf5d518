import type { ItemConfig } from '@madoguchi/contracts/forms.ts';
import { useId } from 'react';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { FormItem } from './formTypes.ts';

export type ShowIf = NonNullable<ItemConfig['showIf']>;

/**
 * 表示する条件 (showIf): an earlier choice item and the choices of it that show this item; none =
 * always shown.
 */
export function ShowIfFields({
  candidates,
  value,
  onChange,
  error,
}: {
  /** The earlier choice items (conditionItems). */
  candidates: FormItem[];
  value: ShowIf | undefined;
  onChange: (value: ShowIf | undefined) => void;
  error?: string | undefined;
}) {
  const t = useT();
  const id = useId();
  const source = value ? candidates.find((c) => c.key === value.item) : undefined;
  const choices = source?.choices.filter((c) => !c.retired && c.parentId === null) ?? [];
  const errorId = `${id}-error`;
  const toggle = (choiceId: string, on: boolean) => {
    if (!value) return;
    const rest = value.choices.filter((c) => c !== choiceId);
    onChange({ item: value.item, choices: on ? [...rest, choiceId] : rest });
  };
  return (
    <div className="flex flex-col gap-3">
      <Select
        label={t('forms.showIfItem')}
        hint={t('forms.showIfHint')}
        value={value?.item ?? ''}
        onChange={(key) => onChange(key ? { item: key, choices: [] } : undefined)}
        placeholder={t('forms.showIfAlways')}
        options={candidates.map((c) => ({ value: c.key, label: c.label }))}
        className="max-w-xl"
      />
      {source && value && (
        <fieldset
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="flex flex-col gap-1"
        >
          <legend className="mb-1 text-std-16B-170 text-solid-gray-800">
            {t('forms.showIfChoices', { label: source.label })}
          </legend>
          <div className="flex flex-wrap gap-x-6">
            {choices.map((c) => (
              <Checkbox
                key={c.id}
                label={c.label}
                checked={value.choices.includes(c.id)}
                onChange={(on) => toggle(c.id, on)}
              />
            ))}
          </div>
          {error && <ErrorText id={errorId}>{error}</ErrorText>}
        </fieldset>
      )}
    </div>
  );
}
