import { FORWARDING_EVENT_TYPES } from '@madoguchi/contracts/forwarding.ts';
import { type FormEvent, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { RemoveDialog } from '../../components/RemoveDialog.tsx';
import { RowActions } from '../../components/RowActions.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope, useListAction } from '../channels/ChannelListPage.tsx';
import {
  type ForwardingEventType,
  type ForwardingItemView,
  type ForwardingTargetView,
  failuresPath,
  forwardingApi,
  type TargetInput,
  targetsPath,
} from './api.ts';

/** Webhook 転送 (#/forwarding, W-01): a channel's forwarding targets, their figures and failures. */
export function ForwardingPage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const list = useApi<ForwardingTargetView[]>(ready ? targetsPath(channelId) : null);
  const action = useListAction(list);
  const [editing, setEditing] = useState<ForwardingTargetView | 'new' | null>(null);
  const [removing, setRemoving] = useState<ForwardingTargetView | null>(null);
  const [failures, setFailures] = useState<ForwardingTargetView | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('forwarding.title')}
        description={t('forwarding.lead')}
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('forwarding.add')}
          </Button>
        }
        message={action.message}
        error={action.error}
        list={list}
      >
        {secret && (
          <Alert tone="warning" className="mb-4">
            <p>{t('forwarding.secretOnce', { name: secret.name })}</p>
            <CopyButton text={secret.secret} label={t('forwarding.secretValue')}>
              <code className="rounded-4 bg-solid-gray-50 px-2 py-1 font-mono text-dns-14N-130 break-all">
                {secret.secret}
              </code>
            </CopyButton>
          </Alert>
        )}
        <Table caption={t('forwarding.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('forwarding.col.name')}</Th>
              <Th>{t('forwarding.col.url')}</Th>
              <Th>{t('forwarding.col.events')}</Th>
              <Th>{t('forwarding.col.state')}</Th>
              <Th>{t('forwarding.col.figures')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.data?.length === 0 && <EmptyRow colSpan={6}>{t('forwarding.empty')}</EmptyRow>}
            {list.data?.map((target) => (
              <tr key={target.id}>
                <Td className="font-bold">{target.name}</Td>
                <Td className="break-all font-mono text-dns-14N-130">{target.url}</Td>
                <Td>
                  <p>{target.eventTypes ? target.eventTypes.join(', ') : t('forwarding.allEvents')}</p>
                  <p className="text-dns-14N-130 text-solid-gray-700">
                    {t(`forwarding.mode.${target.messageMode}`)}
                  </p>
                </Td>
                <Td>
                  <Badge tone={target.enabled ? 'success' : 'neutral'}>
                    {target.enabled ? t('forwarding.enabled') : t('forwarding.disabled')}
                  </Badge>
                </Td>
                <Td>
                  <p data-testid={`forwarding-figures-${target.name}`}>
                    {t('forwarding.figures', {
                      sent: target.stats.sent,
                      failed: target.stats.failed,
                      queued: target.stats.queued,
                      dead: target.stats.dead,
                    })}
                  </p>
                  {target.stats.oldestWaitingSeconds !== null && (
                    <p className="text-dns-14N-130 text-solid-gray-700">
                      {t('forwarding.oldest', { seconds: target.stats.oldestWaitingSeconds })}
                    </p>
                  )}
                </Td>
                <Td>
                  <RowActions
                    editLabel={t('forwarding.edit', { name: target.name })}
                    removeLabel={t('forwarding.remove', { name: target.name })}
                    onEdit={() => setEditing(target)}
                    onRemove={() => setRemoving(target)}
                  >
                    <Button
                      size="sm"
                      variant="secondary"
                      aria-label={t('forwarding.failuresLabel', { name: target.name })}
                      onClick={() => setFailures(target)}
                    >
                      {t('forwarding.failures')}
                    </Button>
                  </RowActions>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </ChannelListPage>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? t('forwarding.createTitle') : t('forwarding.editTitle')}
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <TargetForm
            target={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSave={async (input) => {
              if (editing === 'new') {
                const created = await forwardingApi.create(channelId, input);
                setSecret(
                  created.generatedSecret ? { name: created.name, secret: created.generatedSecret } : null,
                );
                setEditing(null);
                await action.run(async () => {}, t('forwarding.saved', { name: created.name }));
              } else {
                const saved = await forwardingApi.update(editing.id, input);
                setEditing(null);
                await action.run(async () => {}, t('forwarding.saved', { name: saved.name }));
              }
            }}
          />
        )}
      </Dialog>
      <Dialog
        open={failures !== null}
        title={failures ? t('forwarding.items.title', { name: failures.name }) : ''}
        onClose={() => setFailures(null)}
      >
        {failures && (
          <Failures
            target={failures}
            onChanged={() => void list.reload(true)}
            onClose={() => setFailures(null)}
          />
        )}
      </Dialog>
      <RemoveDialog
        item={removing}
        name={(x) => x.name}
        title="forwarding.remove"
        message="forwarding.removeConfirm"
        remove={(x) => forwardingApi.remove(x.id)}
        done={(name) => action.run(async () => {}, t('forwarding.removed', { name }))}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

/** The target's failed and dead-lettered deliveries, with 再送 per item and for all dead ones. */
function Failures({
  target,
  onChanged,
  onClose,
}: {
  target: ForwardingTargetView;
  onChanged: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const items = useApi<{ items: ForwardingItemView[] }>(failuresPath(target.id));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resend = async (run: () => Promise<{ resent: number }>) => {
    setError(null);
    try {
      const r = await run();
      setMessage(t('forwarding.items.resent', { n: r.resent }));
      await items.reload(true);
      onChanged();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };
  const anyDead = items.data?.items.some((i) => i.state === 'dead') ?? false;
  return (
    <div className="flex flex-col gap-4">
      {message && <Alert tone="success">{message}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      {items.error !== null && <LoadError error={items.error} onRetry={() => void items.reload()} />}
      {items.loading && !items.data && <Loading />}
      {anyDead && (
        <div>
          <Button variant="primary" onClick={() => void resend(() => forwardingApi.resendAll(target.id))}>
            {t('forwarding.items.resendAll')}
          </Button>
        </div>
      )}
      {items.data?.items.length === 0 && <p>{t('forwarding.items.empty')}</p>}
      {items.data && items.data.items.length > 0 && (
        <ul aria-label={t('forwarding.items.table')} className="flex flex-col gap-3">
          {items.data.items.map((item) => (
            <li key={item.id} className="rounded-8 border border-solid-gray-420 p-4">
              <div className="mb-2 flex flex-wrap items-center gap-3">
                <Badge
                  tone={item.state === 'dead' ? 'danger' : item.state === 'sent' ? 'success' : 'warning'}
                >
                  {t(`forwarding.items.${item.state}`)}
                </Badge>
                <span className="font-bold">{item.eventType}</span>
                {item.state === 'dead' && (
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={t('forwarding.items.resendLabel', { id: item.webhookEventId })}
                    onClick={() => void resend(() => forwardingApi.resendItem(target.id, item.id))}
                  >
                    {t('forwarding.items.resend')}
                  </Button>
                )}
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-std-16N-170">
                <dt className="font-bold">{t('forwarding.items.event')}</dt>
                <dd className="break-all font-mono text-dns-14N-130">{item.webhookEventId}</dd>
                <dt className="font-bold">{t('forwarding.items.attempts')}</dt>
                <dd>
                  {t('forwarding.items.attemptsValue', { attempts: item.attempts, failures: item.failures })}
                </dd>
                <dt className="font-bold">{t('forwarding.items.last')}</dt>
                <dd className="break-all">{item.lastError ?? t('common.none')}</dd>
                <dt className="font-bold">{t('forwarding.items.excerpt')}</dt>
                <dd className="break-all font-mono text-dns-14N-130">
                  {item.responseExcerpt ? item.responseExcerpt.slice(0, 200) : t('common.none')}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <div>
        <Button variant="secondary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
    </div>
  );
}

function TargetForm({
  target,
  onSave,
  onCancel,
}: {
  target: ForwardingTargetView | null;
  onSave: (input: TargetInput) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(target?.name ?? '');
  const [url, setUrl] = useState(target?.url ?? 'https://');
  const [secret, setSecret] = useState('');
  const [enabled, setEnabled] = useState(target?.enabled ?? true);
  const [all, setAll] = useState(target ? target.eventTypes === null : true);
  const [types, setTypes] = useState<ForwardingEventType[]>(
    target?.eventTypes ?? ['message', 'postback', 'follow'],
  );
  const [mode, setMode] = useState(target?.messageMode ?? 'unhandled');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t('forwarding.nameRequired');
    if (!url.trim() || url.trim() === 'https://') found.url = t('forwarding.urlRequired');
    else if (!URL.canParse(url.trim())) found.url = t('forwarding.urlInvalid');
    if (secret && secret.length < 16) found.secret = t('forwarding.secretShort');
    if (!all && types.length === 0) found.eventTypes = t('forwarding.typesRequired');
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(form);
      return;
    }
    setSubmitting(true);
    try {
      await onSave({
        name: name.trim(),
        url: url.trim(),
        ...(secret ? { secret } : {}),
        enabled,
        eventTypes: all ? null : types,
        messageMode: mode,
      });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors({ name: fields.name ?? '', url: fields.url ?? '', secret: fields.secret ?? '' });
      setFormError(errorMessage(t, err));
      setSubmitting(false);
      focusFirstInvalid(form);
    }
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('forwarding.field.name')}
        value={name}
        onChange={setName}
        required
        maxLength={50}
        error={errors.name || null}
      />
      <TextField
        label={t('forwarding.field.url')}
        type="url"
        value={url}
        onChange={setUrl}
        required
        maxLength={2000}
        hint={t('forwarding.field.urlHint')}
        error={errors.url || null}
      />
      <TextField
        label={t('forwarding.field.secret')}
        type="password"
        autoComplete="new-password"
        value={secret}
        onChange={setSecret}
        maxLength={200}
        hint={target ? t('forwarding.field.secretHintEdit') : t('forwarding.field.secretHintNew')}
        error={errors.secret || null}
      />
      <RadioGroup
        legend={t('forwarding.field.events')}
        name="forwarding-events"
        value={all ? 'all' : 'chosen'}
        onChange={(v) => setAll(v === 'all')}
        options={[
          { value: 'all', label: t('forwarding.field.eventsAll') },
          { value: 'chosen', label: t('forwarding.field.eventsChosen') },
        ]}
      />
      {!all && (
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">
            {t('forwarding.field.eventTypes')}
          </legend>
          {errors.eventTypes && (
            <p className="text-std-16N-170 text-error-1" role="alert">
              {errors.eventTypes}
            </p>
          )}
          <div className="grid grid-cols-2 gap-x-4">
            {FORWARDING_EVENT_TYPES.map((type) => (
              <Checkbox
                key={type}
                label={type}
                checked={types.includes(type)}
                aria-invalid={errors.eventTypes ? true : undefined}
                onChange={(on) => setTypes(on ? [...types, type] : types.filter((x) => x !== type))}
              />
            ))}
          </div>
        </fieldset>
      )}
      <RadioGroup
        legend={t('forwarding.field.mode')}
        name="forwarding-mode"
        value={mode}
        onChange={(v) => setMode(v === 'always' ? 'always' : 'unhandled')}
        options={[
          { value: 'unhandled', label: t('forwarding.mode.unhandled') },
          { value: 'always', label: t('forwarding.mode.always') },
        ]}
      />
      <Checkbox label={t('forwarding.field.enabled')} checked={enabled} onChange={setEnabled} />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('forwarding.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
