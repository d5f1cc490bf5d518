import { useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { ChoicesEditor, type Run } from './ChoicesEditor.tsx';
import {
  CHOICE_TYPES,
  type FormItem,
  type FormPurpose,
  formsApi,
  moved,
  type RegistrationForm,
} from './formTypes.ts';
import { ItemSettings } from './ItemSettings.tsx';
import { MoveButtons } from './MoveButtons.tsx';

export const typeLabel = (t: TFunction, type: FormItem['type']) => t(`forms.type.${type}` as MessageKey);

/** One item of the form in the designer: its summary, order, retire / restore, and its editor. */
export function ItemCard({
  form,
  item,
  index,
  run,
  purpose = 'registration',
}: {
  form: RegistrationForm;
  item: FormItem;
  index: number;
  run: Run;
  purpose?: FormPurpose;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const headingId = `item-${item.id}`;

  const move = (by: -1 | 1) =>
    run(
      () =>
        formsApi.orderItems(
          form.id,
          moved(
            form.items.map((i) => i.id),
            index,
            by,
          ),
        ),
      t(by < 0 ? 'forms.movedUp' : 'forms.movedDown', { label: item.label }),
    );

  const setRetired = (retired: boolean) =>
    run(
      () => formsApi.setItemRetired(form.id, item.id, retired),
      t(retired ? 'forms.retiredDone' : 'forms.restoredDone', { label: item.label }),
    );

  return (
    <li
      className={`flex flex-col gap-3 rounded-12 border p-4 ${
        item.retired
          ? 'border-dashed border-solid-gray-420 bg-solid-gray-50'
          : 'border-solid-gray-420 bg-white'
      }`}
    >
      <div className="flex flex-wrap items-start gap-3">
        <span className="mt-1 text-std-16B-170 text-solid-gray-700" aria-hidden="true">
          {index + 1}.
        </span>
        <div className="flex min-w-60 flex-1 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={headingId} className="text-std-18B-160 text-solid-gray-900">
              {item.label}
            </h3>
            <Badge tone="info">{typeLabel(t, item.type)}</Badge>
            {item.required && <Badge tone="danger">{t('forms.requiredBadge')}</Badge>}
            {item.config.staffOnly && <Badge tone="warning">{t('forms.staffOnlyBadge')}</Badge>}
            {item.config.showIf && <Badge tone="neutral">{t('forms.showIfBadge')}</Badge>}
            {item.retired && <Badge tone="neutral">{t('forms.retiredBadge')}</Badge>}
          </div>
          {item.help && <p className="text-std-16N-170 text-solid-gray-700">{item.help}</p>}
          <p className="font-mono text-dns-14N-130 text-solid-gray-600">
            {t('forms.key', { key: item.key })}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-1">
          <MoveButtons label={item.label} index={index} count={form.items.length} onMove={move} />
          <Button
            size="sm"
            variant="secondary"
            aria-expanded={editing}
            aria-label={editing ? t('forms.closeEditor') : t('forms.editLabel', { label: item.label })}
            onClick={() => setEditing((e) => !e)}
          >
            {editing ? t('forms.closeEditor') : t('forms.edit')}
          </Button>
          <Button
            size="sm"
            variant="tertiary"
            aria-label={t(item.retired ? 'forms.restoreLabel' : 'forms.retireLabel', { label: item.label })}
            onClick={() => (item.retired ? void setRetired(false) : setConfirming(true))}
          >
            {t(item.retired ? 'forms.restore' : 'forms.retire')}
          </Button>
        </div>
      </div>
      {editing && (
        <div className="flex flex-col gap-5 border-t border-solid-gray-200 pt-4">
          <ItemSettings form={form} item={item} index={index} run={run} purpose={purpose} />
          {CHOICE_TYPES.includes(item.type) && <ChoicesEditor formId={form.id} item={item} run={run} />}
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('forms.retireConfirmTitle', { label: item.label })}
        message={t('forms.retireConfirmBody')}
        confirmLabel={t('forms.retire')}
        confirmVariant="danger"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await setRetired(true);
          setConfirming(false);
        }}
      />
    </li>
  );
}
