import { useState } from 'react';
import { fieldErrors } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RemoveDialog } from '../../components/RemoveDialog.tsx';
import { RowActions } from '../../components/RowActions.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { ChannelListPage, useChannelScope, useListAction } from '../channels/ChannelListPage.tsx';
import { type CategoryInput, categoriesPath, type ReportCategoryView, reportsApi } from './api.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** 通報の種類 (#/reports/categories, R-02): the types citizens choose and whom each one notifies. */
export function ReportCategoriesPage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const list = useApi<ReportCategoryView[]>(ready ? categoriesPath(channelId) : null);
  const action = useListAction(list);
  const [editing, setEditing] = useState<ReportCategoryView | 'new' | null>(null);
  const [removing, setRemoving] = useState<ReportCategoryView | null>(null);

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('reportCategories.title')}
        description={t('reportCategories.lead')}
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('reportCategories.add')}
          </Button>
        }
        message={action.message}
        error={action.error}
        list={list}
      >
        <Table caption={t('reportCategories.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('reportCategories.col.name')}</Th>
              <Th>{t('reportCategories.col.emails')}</Th>
              <Th>{t('reportCategories.col.active')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.data?.length === 0 && <EmptyRow colSpan={4}>{t('reportCategories.empty')}</EmptyRow>}
            {list.data?.map((c) => (
              <tr key={c.id}>
                <Td className="font-bold">{c.name}</Td>
                <Td>
                  <ul>
                    {c.emails.map((e) => (
                      <li key={e} className="break-all">
                        {e}
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td>
                  <Badge tone={c.active ? 'success' : 'neutral'}>
                    {c.active ? t('reportCategories.active') : t('reportCategories.inactive')}
                  </Badge>
                </Td>
                <Td>
                  <RowActions
                    editLabel={t('reportCategories.edit', { name: c.name })}
                    removeLabel={t('reportCategories.remove', { name: c.name })}
                    onEdit={() => setEditing(c)}
                    onRemove={() => setRemoving(c)}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </ChannelListPage>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? t('reportCategories.createTitle') : t('reportCategories.editTitle')}
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <CategoryForm
            category={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSave={async (input) => {
              const saved =
                editing === 'new'
                  ? await reportsApi.createCategory(channelId, input)
                  : await reportsApi.updateCategory(editing.id, input);
              setEditing(null);
              await action.run(async () => {}, t('reportCategories.saved', { name: saved.name }));
            }}
          />
        )}
      </Dialog>
      <RemoveDialog
        item={removing}
        name={(x) => x.name}
        title="reportCategories.remove"
        message="reportCategories.removeConfirm"
        remove={(x) => reportsApi.removeCategory(x.id)}
        done={(name) => action.run(async () => {}, t('reportCategories.removed', { name }))}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

function CategoryForm({
  category,
  onSave,
  onCancel,
}: {
  category: ReportCategoryView | null;
  onSave: (input: CategoryInput) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(category?.name ?? '');
  const [emails, setEmails] = useState((category?.emails ?? []).join('\n'));
  const [active, setActive] = useState(category?.active ?? true);
  const [position, setPosition] = useState(String(category?.position ?? 0));
  const list = () =>
    emails
      .split(/[\n,、]/)
      .map((e) => e.trim())
      .filter(Boolean);
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const found: Record<string, string> = {};
      if (!name.trim()) found.name = t('reportCategories.nameRequired');
      const bad = list().find((e) => !EMAIL.test(e));
      if (list().length === 0) found.emails = t('reportCategories.emailsRequired');
      else if (bad) found.emails = t('reportCategories.emailInvalid', { email: bad });
      return found;
    },
    save: () => onSave({ name: name.trim(), emails: list(), active, position: Number(position) || 0 }),
    // One message under 通知先: the first of the addresses' (`emails.2`).
    serverFieldErrors: (error) => {
      const fields = fieldErrors(error);
      return {
        name: fields.name ?? '',
        emails: fields.emails ?? Object.entries(fields).find(([k]) => k.startsWith('emails'))?.[1] ?? '',
      };
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('reportCategories.field.name')}
        value={name}
        onChange={setName}
        required
        maxLength={50}
        error={errors.name || null}
      />
      <TextArea
        label={t('reportCategories.field.emails')}
        value={emails}
        onChange={setEmails}
        required
        rows={4}
        hint={t('reportCategories.field.emailsHint')}
        error={errors.emails || null}
      />
      <TextField
        label={t('reportCategories.field.position')}
        type="number"
        min={0}
        max={1000}
        value={position}
        onChange={setPosition}
        inputClassName="max-w-32"
      />
      <Checkbox label={t('reportCategories.field.active')} checked={active} onChange={setActive} />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('reportCategories.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
