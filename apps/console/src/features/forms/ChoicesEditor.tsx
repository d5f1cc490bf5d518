import { type FormEvent, type ReactNode, useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import {
  type FormChoice,
  type FormItem,
  formsApi,
  lines,
  moved,
  type RegistrationForm,
} from './formTypes.ts';
import { MoveButtons } from './MoveButtons.tsx';

/** Runs a change of the form; answers whether it succeeded (the page shows the result). */
export type Run = (action: () => Promise<RegistrationForm>, done: string) => Promise<boolean>;

/**
 * The choices of one item: rename, reorder, retire / restore, add. An area item lists its wards
 * (区), each with its towns (町丁).
 */
export function ChoicesEditor({ formId, item, run }: { formId: string; item: FormItem; run: Run }) {
  const t = useT();
  const wards = item.choices.filter((c) => c.parentId === null);
  const isArea = item.type === 'area';
  return (
    <div className="flex flex-col gap-3">
      <h4 className="text-std-17B-170">{isArea ? t('forms.wards') : t('forms.choices')}</h4>
      <ChoiceList formId={formId} item={item} choices={wards} run={run}>
        {(ward) =>
          isArea ? (
            <div className="mt-2 ml-8 flex flex-col gap-2 border-l-2 border-solid-gray-200 pl-4">
              <ChoiceList
                formId={formId}
                item={item}
                choices={item.choices.filter((c) => c.parentId === ward.id)}
                run={run}
                label={t('forms.townsOf', { ward: ward.label })}
              />
              <AddChoices
                formId={formId}
                item={item}
                parentId={ward.id}
                label={t('forms.addTowns', { ward: ward.label })}
                run={run}
              />
            </div>
          ) : null
        }
      </ChoiceList>
      <AddChoices
        formId={formId}
        item={item}
        parentId={null}
        label={isArea ? t('forms.addWards') : t('forms.addChoices')}
        run={run}
      />
    </div>
  );
}

function ChoiceList({
  formId,
  item,
  choices,
  run,
  label,
  children,
}: {
  formId: string;
  item: FormItem;
  choices: FormChoice[];
  run: Run;
  label?: string;
  children?: (choice: FormChoice) => ReactNode;
}) {
  const t = useT();
  if (choices.length === 0)
    return <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noChoices')}</p>;
  return (
    <ol aria-label={label ?? t('forms.choices')} className="flex flex-col gap-1">
      {choices.map((c, index) => (
        <li key={c.id}>
          <ChoiceRow formId={formId} item={item} choice={c} siblings={choices} index={index} run={run} />
          {children?.(c)}
        </li>
      ))}
    </ol>
  );
}

function ChoiceRow({
  formId,
  item,
  choice,
  siblings,
  index,
  run,
}: {
  formId: string;
  item: FormItem;
  choice: FormChoice;
  siblings: FormChoice[];
  index: number;
  run: Run;
}) {
  const t = useT();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(choice.label);
  const [error, setError] = useState<string | null>(null);
  const move = (by: -1 | 1) =>
    run(
      () =>
        formsApi.orderChoices(
          formId,
          item.id,
          moved(
            siblings.map((s) => s.id),
            index,
            by,
          ),
        ),
      t(by < 0 ? 'forms.movedUp' : 'forms.movedDown', { label: choice.label }),
    );

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    const label = name.trim();
    if (!label) {
      setError(t('common.fieldRequired', { label: t('forms.choiceName', { label: choice.label }) }));
      return;
    }
    if (
      await run(() => formsApi.renameChoice(formId, item.id, choice.id, label), t('forms.renamed', { label }))
    )
      setRenaming(false);
  };

  return (
    <div className="flex flex-col gap-2 rounded-8 px-2 py-1 hover:bg-solid-gray-50">
      <div className="flex flex-wrap items-center gap-2">
        <span
          className={`min-w-40 flex-1 text-std-16N-170 ${choice.retired ? 'text-solid-gray-600 line-through' : ''}`}
        >
          {choice.label}
        </span>
        {choice.retired && <Badge tone="neutral">{t('forms.retiredBadge')}</Badge>}
        <MoveButtons label={choice.label} index={index} count={siblings.length} onMove={move} />
        <Button
          size="sm"
          variant="tertiary"
          aria-expanded={renaming}
          aria-label={t('forms.renameLabel', { label: choice.label })}
          onClick={() => {
            setName(choice.label);
            setError(null);
            setRenaming((r) => !r);
          }}
        >
          {t('forms.rename')}
        </Button>
        <Button
          size="sm"
          variant="tertiary"
          aria-label={t(choice.retired ? 'forms.restoreLabel' : 'forms.retireLabel', { label: choice.label })}
          onClick={() =>
            void run(
              () => formsApi.setChoiceRetired(formId, item.id, choice.id, !choice.retired),
              t(choice.retired ? 'forms.restoredDone' : 'forms.retiredDone', { label: choice.label }),
            )
          }
        >
          {t(choice.retired ? 'forms.restore' : 'forms.retire')}
        </Button>
      </div>
      {renaming && (
        <form noValidate onSubmit={rename} className="flex flex-wrap items-end gap-3 pb-2">
          <TextField
            label={t('forms.choiceName', { label: choice.label })}
            value={name}
            onChange={setName}
            error={error}
            required
            maxLength={100}
            className="w-80"
          />
          <Button type="submit" size="sm">
            {t('common.save')}
          </Button>
        </form>
      )}
    </div>
  );
}

function AddChoices({
  formId,
  item,
  parentId,
  label,
  run,
}: {
  formId: string;
  item: FormItem;
  parentId: string | null;
  label: string;
  run: Run;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const labels = lines(text);
    if (labels.length === 0) {
      setError(t('forms.err.choicesNeeded'));
      return;
    }
    setError(null);
    if (
      await run(
        () => formsApi.addChoices(formId, item.id, labels, parentId),
        t('forms.choicesAdded', { count: labels.length }),
      )
    )
      setText('');
  };

  return (
    <form noValidate onSubmit={submit} className="flex flex-wrap items-end gap-3">
      <TextArea
        label={label}
        hint={t('forms.linesHint')}
        value={text}
        onChange={setText}
        error={error}
        rows={2}
        className="w-96 max-w-full"
      />
      <Button type="submit" variant="secondary" size="sm">
        {t('forms.add')}
      </Button>
    </form>
  );
}
