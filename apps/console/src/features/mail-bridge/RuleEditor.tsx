import type { MailCondition, MailField, MatchOp } from '@madoguchi/contracts/mail-bridge.ts';
import { type FormEvent, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { useApi } from '../../lib/useApi.ts';
import type { TabGroupView } from '../richmenus/api.ts';
import { richMenusPath } from '../richmenus/api.ts';
import { type RegistrationForm, registrationFormPath } from '../segments/segmentTree.ts';
import {
  emptyDefinition,
  type MailMessageView,
  type MailRuleDefinition,
  type MailRuleView,
  type RuleInput,
} from './api.ts';
import { TestPanel } from './TestPanel.tsx';

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The rule editor (issue 14): conditions, text changes, audience, urgency, disaster mode, and a test of the draft. */
export function RuleEditor({
  rule,
  channelId,
  addressId,
  messages,
  onSave,
  onCancel,
}: {
  rule: MailRuleView | null;
  channelId: string;
  addressId: string;
  messages: MailMessageView[];
  onSave: (input: RuleInput) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const d = rule?.definition ?? emptyDefinition();
  const form = useApi<RegistrationForm>(registrationFormPath(channelId));
  const menus = useApi<TabGroupView[]>(richMenusPath(channelId));
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [conditions, setConditions] = useState<MailCondition[]>(d.conditions);
  const [cutFrom, setCutFrom] = useState(d.cutFrom.join('\n'));
  const [removeLines, setRemoveLines] = useState(d.removeLines.map((r) => r.value).join('\n'));
  const [replacements, setReplacements] = useState(
    d.replacements.map((r) => `${r.find} => ${r.replace}`).join('\n'),
  );
  const [appendText, setAppendText] = useState(d.appendText);
  const [includeSubject, setIncludeSubject] = useState(d.includeSubject);
  const [audienceKind, setAudienceKind] = useState<'all' | 'fromMail'>(d.audience.kind);
  const [itemId, setItemId] = useState(d.audience.kind === 'fromMail' ? d.audience.itemId : '');
  const [choiceIds, setChoiceIds] = useState<string[]>(
    d.audience.kind === 'fromMail' ? d.audience.choiceIds : [],
  );
  const [whenNone, setWhenNone] = useState<'all' | 'none'>(
    d.audience.kind === 'fromMail' ? d.audience.whenNone : 'none',
  );
  const [urgent, setUrgent] = useState(d.urgentKeywords.join('\n'));
  const [disasterGroup, setDisasterGroup] = useState(d.disaster?.groupId ?? '');
  const [disasterWhen, setDisasterWhen] = useState<'urgent' | 'always'>(d.disaster?.when ?? 'urgent');
  const [longText, setLongText] = useState<'split' | 'cut'>(d.longText);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const items = (form.data?.items ?? []).filter(
    (i) => !i.retired && ['single', 'select', 'area', 'multiple'].includes(i.type),
  );
  const item = items.find((i) => i.id === itemId);
  const disasterGroups = (menus.data ?? []).filter((g) => g.kind === 'disaster');

  function definition(): MailRuleDefinition {
    return {
      conditions: conditions.filter((c) => c.value.trim()),
      cutFrom: lines(cutFrom),
      removeLines: lines(removeLines).map((value) => ({ op: 'contains' as const, value })),
      replacements: lines(replacements).map((l) => {
        const [find, ...rest] = l.split('=>');
        return { find: (find ?? '').trim(), replace: rest.join('=>').trim(), regex: false };
      }),
      appendText,
      includeSubject,
      audience:
        audienceKind === 'all' || !itemId
          ? { kind: 'all' }
          : { kind: 'fromMail', itemId, choiceIds, whenNone },
      urgentKeywords: lines(urgent),
      disaster: disasterGroup ? { groupId: disasterGroup, when: disasterWhen } : null,
      longText,
    };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t('mailBridge.nameRequired');
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(el);
      return;
    }
    setSubmitting(true);
    try {
      await onSave({ name: name.trim(), enabled, definition: definition() });
    } catch (err) {
      const fields = fieldErrors(err);
      const byCondition: Record<string, string> = {};
      for (const [k, v] of Object.entries(fields)) {
        const m = k.match(/^definition\.conditions\.(\d+)\.value$/);
        if (m) byCondition[`c${m[1]}`] = v;
      }
      setErrors({ name: fields.name ?? '', ...byCondition });
      setFormError(errorMessage(t, err));
      setSubmitting(false);
      focusFirstInvalid(el);
    }
  }

  const setCondition = (i: number, change: Partial<MailCondition>) =>
    setConditions((cs) => cs.map((c, k) => (k === i ? { ...c, ...change } : c)));

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('mailBridge.field.name')}
        value={name}
        onChange={setName}
        required
        maxLength={100}
        error={errors.name || null}
      />
      <Checkbox label={t('mailBridge.field.ruleEnabled')} checked={enabled} onChange={setEnabled} />
      <fieldset className="flex flex-col gap-3">
        <legend className="text-std-17B-170">{t('mailBridge.conditions')}</legend>
        <p className="text-std-16N-170 text-solid-gray-700">{t('mailBridge.conditionsHint')}</p>
        {conditions.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no ID; their place is their identity
          <div key={i} className="flex flex-wrap items-end gap-3 rounded-8 border border-solid-gray-420 p-3">
            <Select
              label={t('mailBridge.condition.field')}
              value={c.field}
              onChange={(v) => setCondition(i, { field: v as MailField })}
              options={(['from', 'subject', 'body'] as const).map((f) => ({
                value: f,
                label: t(`mailBridge.field.${f}`),
              }))}
            />
            <Select
              label={t('mailBridge.condition.op')}
              value={c.op}
              onChange={(v) => setCondition(i, { op: v as MatchOp })}
              options={(['contains', 'regex'] as const).map((o) => ({
                value: o,
                label: t(`mailBridge.op.${o}`),
              }))}
            />
            <TextField
              label={t('mailBridge.condition.value')}
              value={c.value}
              onChange={(v) => setCondition(i, { value: v })}
              maxLength={200}
              error={errors[`c${i}`] || null}
              className="min-w-48 flex-1"
            />
            <Button
              size="sm"
              variant="tertiary"
              aria-label={t('mailBridge.removeCondition', { n: i + 1 })}
              onClick={() => setConditions((cs) => cs.filter((_, k) => k !== i))}
            >
              {t('common.delete')}
            </Button>
          </div>
        ))}
        <div>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setConditions((cs) => [...cs, { field: 'subject', op: 'contains', value: '' }])}
          >
            {t('mailBridge.addCondition')}
          </Button>
        </div>
      </fieldset>
      <TextArea
        label={t('mailBridge.field.cutFrom')}
        hint={t('mailBridge.field.cutFromHint')}
        value={cutFrom}
        onChange={setCutFrom}
        rows={2}
      />
      <TextArea
        label={t('mailBridge.field.removeLines')}
        value={removeLines}
        onChange={setRemoveLines}
        rows={2}
      />
      <TextArea
        label={t('mailBridge.field.replacements')}
        hint={t('mailBridge.field.replacementsHint')}
        value={replacements}
        onChange={setReplacements}
        rows={2}
      />
      <TextArea
        label={t('mailBridge.field.append')}
        value={appendText}
        onChange={setAppendText}
        rows={2}
        maxLength={1000}
      />
      <Checkbox
        label={t('mailBridge.field.includeSubject')}
        checked={includeSubject}
        onChange={setIncludeSubject}
      />
      <RadioGroup
        legend={t('mailBridge.audience')}
        name="mail-audience"
        value={audienceKind}
        onChange={(v) => setAudienceKind(v as 'all' | 'fromMail')}
        options={[
          { value: 'all', label: t('mailBridge.audience.all') },
          { value: 'fromMail', label: t('mailBridge.audience.fromMail') },
        ]}
      />
      {audienceKind === 'fromMail' && (
        <div className="flex flex-col gap-3 border-l-4 border-solid-gray-420 pl-4">
          <Select
            label={t('mailBridge.field.item')}
            value={itemId}
            onChange={(v) => {
              setItemId(v);
              setChoiceIds([]);
            }}
            placeholder="—"
            options={items.map((i) => ({ value: i.id, label: i.label }))}
          />
          {item && (
            <fieldset className="flex flex-col">
              <legend className="text-std-16B-170">{t('mailBridge.field.choices')}</legend>
              {item.choices
                .filter((c) => !c.retired && c.parentId === null)
                .map((c) => (
                  <Checkbox
                    key={c.id}
                    label={c.label}
                    checked={choiceIds.includes(c.id)}
                    onChange={(on) =>
                      setChoiceIds((ids) => (on ? [...ids, c.id] : ids.filter((x) => x !== c.id)))
                    }
                  />
                ))}
            </fieldset>
          )}
          <RadioGroup
            legend={t('mailBridge.field.whenNone')}
            name="mail-when-none"
            value={whenNone}
            onChange={(v) => setWhenNone(v as 'all' | 'none')}
            options={[
              { value: 'none', label: t('mailBridge.whenNone.none') },
              { value: 'all', label: t('mailBridge.whenNone.all') },
            ]}
          />
        </div>
      )}
      <TextArea
        label={t('mailBridge.field.urgent')}
        hint={t('mailBridge.field.urgentHint')}
        value={urgent}
        onChange={setUrgent}
        rows={2}
      />
      <Select
        label={t('mailBridge.field.disaster')}
        value={disasterGroup}
        onChange={setDisasterGroup}
        placeholder={t('mailBridge.disaster.none')}
        options={disasterGroups.map((g) => ({ value: g.id, label: g.name }))}
      />
      {disasterGroup && (
        <RadioGroup
          legend={t('mailBridge.field.disasterWhen')}
          name="mail-disaster-when"
          value={disasterWhen}
          onChange={(v) => setDisasterWhen(v as 'urgent' | 'always')}
          options={[
            { value: 'urgent', label: t('mailBridge.disasterWhen.urgent') },
            { value: 'always', label: t('mailBridge.disasterWhen.always') },
          ]}
        />
      )}
      <RadioGroup
        legend={t('mailBridge.field.longText')}
        name="mail-long-text"
        value={longText}
        onChange={(v) => setLongText(v as 'split' | 'cut')}
        options={[
          { value: 'split', label: t('mailBridge.longText.split') },
          { value: 'cut', label: t('mailBridge.longText.cut') },
        ]}
      />
      <details className="rounded-8 border border-solid-gray-420 p-3">
        <summary className="min-h-11 cursor-pointer py-2 text-std-16B-170">{t('mailBridge.test')}</summary>
        <TestPanel
          addressId={addressId}
          messages={messages}
          draft={{ name: name.trim() || '—', definition: definition() }}
        />
      </details>
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('mailBridge.saveRule')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
