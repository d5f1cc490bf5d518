import { IDENTITY_LEVELS, type ProcedureIdentityLevel } from '@madoguchi/contracts/applications.ts';
import { useState } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { applicationsApi, type ProcedureDetail, procedurePath } from '../applications/api.ts';
import { AddItemForm } from '../forms/AddItemForm.tsx';
import { FormPreview } from '../forms/FormPreview.tsx';
import { ItemCard } from '../forms/ItemCard.tsx';
import { type OwnerSave, useFormOwnerEditor } from '../forms/useFormOwnerEditor.ts';
import { identityKey, isYen } from './ProceduresPage.tsx';

function SettingsSection({ view, save }: { view: ProcedureDetail; save: OwnerSave<ProcedureDetail> }) {
  const t = useT();
  const [nameJa, setNameJa] = useState(view.nameJa);
  const [nameEn, setNameEn] = useState(view.nameEn);
  const [description, setDescription] = useState(view.description);
  const [identityLevel, setIdentityLevel] = useState<ProcedureIdentityLevel>(view.identityLevel);
  const [retention, setRetention] = useState(String(view.retentionDays));
  const [active, setActive] = useState(view.active);
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => ({
      ...(nameJa.trim() ? {} : { nameJa: t('procedures.error.name') }),
      ...(/^\d{1,4}$/.test(retention) && Number(retention) >= 1 && Number(retention) <= 3650
        ? {}
        : { retentionDays: t('procedures.error.days') }),
    }),
    save: () =>
      save(
        () =>
          applicationsApi.updateProcedure(view.id, {
            nameJa: nameJa.trim(),
            nameEn: nameEn.trim(),
            description,
            identityLevel,
            retentionDays: Number(retention),
            active,
          }),
        t('procedures.editor.saved'),
      ),
  });
  return (
    <Section title={t('procedures.editor.settings')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
        {formError && <Alert tone="error">{formError}</Alert>}
        <TextField
          label={t('procedures.field.nameJa')}
          value={nameJa}
          onChange={setNameJa}
          error={errors.nameJa}
          required
          maxLength={80}
        />
        <TextField
          label={t('procedures.field.nameEn')}
          value={nameEn}
          onChange={setNameEn}
          error={errors.nameEn}
          maxLength={80}
        />
        <TextArea
          label={t('procedures.field.description')}
          value={description}
          onChange={setDescription}
          error={errors.description}
          maxLength={2000}
          rows={3}
        />
        <RadioGroup
          legend={t('procedures.field.identity')}
          name="procedure-identity"
          value={identityLevel}
          onChange={(v) => setIdentityLevel(v as ProcedureIdentityLevel)}
          options={IDENTITY_LEVELS.map((value) => ({ value, label: t(identityKey(value)) }))}
        />
        <TextField
          label={t('procedures.field.retention')}
          value={retention}
          onChange={setRetention}
          hint={t('procedures.field.retentionHint')}
          error={errors.retentionDays}
          inputMode="numeric"
          required
          className="w-48"
        />
        <Checkbox label={t('procedures.field.active')} checked={active} onChange={setActive} />
        <div>
          <Button type="submit" disabled={submitting}>
            {t('procedures.editor.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

function FeeSection({ view, save }: { view: ProcedureDetail; save: OwnerSave<ProcedureDetail> }) {
  const t = useT();
  const items = view.form.items.filter((i) => !i.retired);
  const [unitFee, setUnitFee] = useState(String(view.fee.unitFee));
  const [copies, setCopies] = useState(view.fee.copiesItemKey ?? '');
  const [delivery, setDelivery] = useState(view.fee.deliveryItemKey ?? '');
  const [postage, setPostage] = useState<Record<string, string>>(
    Object.fromEntries(view.fee.postage.map((p) => [p.choiceId, String(p.amount)])),
  );
  const deliveryItem = items.find((i) => i.key === delivery);
  const choices = (deliveryItem?.choices ?? []).filter((c) => !c.retired);
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => ({
      ...(isYen(unitFee) ? {} : { 'fee.unitFee': t('procedures.error.yen') }),
      ...Object.fromEntries(
        choices
          .filter((c) => !isYen(postage[c.id] ?? '0'))
          .map((c) => [`postage.${c.id}`, t('procedures.error.yen')]),
      ),
    }),
    save: () =>
      save(
        () =>
          applicationsApi.updateProcedure(view.id, {
            fee: {
              unitFee: Number(unitFee),
              copiesItemKey: copies || null,
              deliveryItemKey: delivery || null,
              postage: delivery
                ? choices.map((c) => ({ choiceId: c.id, amount: Number(postage[c.id] ?? '0') }))
                : [],
            },
          }),
        t('procedures.editor.saved'),
      ),
  });
  return (
    <Section title={t('procedures.editor.fee')} description={t('procedures.editor.feeLead')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
        {formError && <Alert tone="error">{formError}</Alert>}
        <TextField
          label={t('procedures.field.unitFee')}
          value={unitFee}
          onChange={setUnitFee}
          error={errors['fee.unitFee']}
          inputMode="numeric"
          required
          className="w-48"
        />
        <Select
          label={t('procedures.field.copiesItem')}
          value={copies}
          onChange={setCopies}
          hint={t('procedures.field.copiesHint')}
          error={errors['fee.copiesItemKey']}
          placeholder={t('procedures.field.none')}
          options={items.filter((i) => i.type === 'number').map((i) => ({ value: i.key, label: i.label }))}
          className="w-72"
        />
        <Select
          label={t('procedures.field.deliveryItem')}
          value={delivery}
          onChange={setDelivery}
          hint={t('procedures.field.deliveryHint')}
          error={errors['fee.deliveryItemKey']}
          placeholder={t('procedures.field.none')}
          options={items
            .filter((i) => i.type === 'single' || i.type === 'select')
            .map((i) => ({ value: i.key, label: i.label }))}
          className="w-72"
        />
        {choices.map((c) => (
          <TextField
            key={c.id}
            label={t('procedures.field.postage', { choice: c.label })}
            value={postage[c.id] ?? '0'}
            onChange={(v) => setPostage((p) => ({ ...p, [c.id]: v }))}
            error={errors[`postage.${c.id}`] ?? null}
            inputMode="numeric"
            className="w-48"
          />
        ))}
        <div>
          <Button type="submit" disabled={submitting}>
            {t('procedures.editor.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

/**
 * 手続の編集 (#/procedures/:id, A-03): the settings (names, identity level, retention, 受付), the fee
 * rule (yen per copy, the copies item, the postage per delivery choice), the LINE link and the items of
 * its form (the form designer of features/forms with the procedure's form id).
 */
export function ProcedureEditorPage({ id }: { id: string }) {
  const t = useT();
  const procedure = useApi<ProcedureDetail>(procedurePath(id));
  const { status, error, save, runItems } = useFormOwnerEditor(procedure);
  const view = procedure.data;
  return (
    <>
      <PageHeader
        title={view ? view.nameJa : t('procedures.editor.title')}
        actions={
          <LinkButton to="/procedures" variant="tertiary">
            {t('procedures.editor.back')}
          </LinkButton>
        }
      />
      {procedure.error !== null && (
        <LoadError error={procedure.error} onRetry={() => void procedure.reload()} />
      )}
      {!view && procedure.error === null && <Loading />}
      {view && (
        <div className="flex flex-col gap-6">
          <p
            role="status"
            aria-live="polite"
            className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-2 text-std-16N-170 empty:hidden"
          >
            {error ? '' : status}
          </p>
          {error && <Alert tone="error">{error}</Alert>}
          <SettingsSection key={`s-${view.updatedAt}`} view={view} save={save} />
          <FeeSection key={`f-${view.updatedAt}-${view.form.updatedAt}`} view={view} save={save} />
          <Section title={t('procedures.editor.link')}>
            {view.link ? (
              <CopyButton text={view.link} label={t('procedures.editor.linkCopy')}>
                <code className="rounded-4 bg-solid-gray-50 px-2 py-1 text-dns-14N-130 break-all">
                  {view.link}
                </code>
              </CopyButton>
            ) : (
              <Alert tone="warning">{t('procedures.editor.noLiff')}</Alert>
            )}
          </Section>
          <Section
            title={t('forms.itemsSection', { count: view.form.items.length })}
            description={t('procedures.editor.itemsLead')}
          >
            {view.form.items.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>
            ) : (
              <ol
                aria-label={t('forms.itemsSection', { count: view.form.items.length })}
                className="flex flex-col gap-3"
              >
                {view.form.items.map((item, index) => (
                  <ItemCard
                    key={item.id}
                    form={view.form}
                    item={item}
                    index={index}
                    run={runItems}
                    purpose="application"
                  />
                ))}
              </ol>
            )}
          </Section>
          <Section title={t('forms.addSection')}>
            <AddItemForm formId={view.form.id} run={runItems} purpose="application" />
          </Section>
          <Section title={t('procedures.editor.preview')}>
            <FormPreview items={view.form.items} />
          </Section>
        </div>
      )}
    </>
  );
}
