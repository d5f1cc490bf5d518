import { type FormEvent, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RemoveDialog } from '../../components/RemoveDialog.tsx';
import { RowActions } from '../../components/RowActions.tsx';
import { Section } from '../../components/Section.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope, useListAction } from '../channels/ChannelListPage.tsx';
import {
  type AddressInput,
  addressesPath,
  type MailAddressView,
  type MailMessageView,
  type MailRuleView,
  type MailStatus,
  mailBridgeApi,
  messagesPath,
  rulesPath,
} from './api.ts';
import { type ImapDraft, ImapFields, imapDraftOf, imapInputOf } from './ImapFields.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { TestPanel } from './TestPanel.tsx';

const STATUS_TONE: Record<MailStatus, BadgeTone> = {
  received: 'info',
  delivered: 'success',
  unmatched: 'neutral',
  refused: 'danger',
  parse_failed: 'warning',
  duplicate: 'neutral',
  failed: 'danger',
};

/** 防災メール連携 (#/mail-bridge, issue 14): receiving addresses, ordered rules, the test panel, received mails. */
export function MailBridgePage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const list = useApi<MailAddressView[]>(ready ? addressesPath(channelId) : null);
  const action = useListAction(list);
  const [editing, setEditing] = useState<MailAddressView | 'new' | null>(null);
  const [removing, setRemoving] = useState<MailAddressView | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = list.data?.find((a) => a.id === selectedId) ?? list.data?.[0] ?? null;

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('mailBridge.title')}
        description={t('mailBridge.lead')}
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('mailBridge.addAddress')}
          </Button>
        }
        message={action.message}
        error={action.error}
        list={list}
      >
        <div className="flex flex-col gap-6">
          <Section title={t('mailBridge.addresses')} description={t('mailBridge.addressesLead')}>
            <Table caption={t('mailBridge.addresses')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('mailBridge.col.address')}</Th>
                  <Th>{t('mailBridge.col.senders')}</Th>
                  <Th>{t('mailBridge.col.maxBytes')}</Th>
                  <Th>{t('mailBridge.col.enabled')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {list.data?.length === 0 && <EmptyRow colSpan={5}>{t('mailBridge.noAddresses')}</EmptyRow>}
                {list.data?.map((a) => (
                  <tr key={a.id}>
                    <Td className="font-bold break-all">{a.address}</Td>
                    <Td>
                      <ul>
                        {a.allowedSenders.map((s) => (
                          <li key={s} className="break-all">
                            {s}
                          </li>
                        ))}
                      </ul>
                    </Td>
                    <Td>{formatNumber(Math.round(a.maxBytes / 1024))} KB</Td>
                    <Td>
                      <Badge tone={a.enabled ? 'success' : 'neutral'}>
                        {a.enabled ? t('mailBridge.enabled') : t('mailBridge.disabled')}
                      </Badge>
                    </Td>
                    <Td>
                      <RowActions
                        editLabel={t('mailBridge.editAddress', { name: a.address })}
                        removeLabel={t('mailBridge.removeAddress', { name: a.address })}
                        onEdit={() => setEditing(a)}
                        onRemove={() => setRemoving(a)}
                      >
                        <Button
                          size="sm"
                          variant={selected?.id === a.id ? 'primary' : 'secondary'}
                          aria-pressed={selected?.id === a.id}
                          aria-label={t('mailBridge.selectLabel', { address: a.address })}
                          onClick={() => setSelectedId(a.id)}
                        >
                          {t('mailBridge.select')}
                        </Button>
                      </RowActions>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Section>
          {selected && <AddressDetail key={selected.id} address={selected} channelId={channelId} />}
        </div>
      </ChannelListPage>
      <Dialog open={editing !== null} title={t('mailBridge.addressTitle')} onClose={() => setEditing(null)}>
        {editing !== null && (
          <AddressForm
            address={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSave={async (input) => {
              const saved =
                editing === 'new'
                  ? await mailBridgeApi.createAddress(channelId, input)
                  : await mailBridgeApi.updateAddress(editing.id, {
                      allowedSenders: input.allowedSenders,
                      maxBytes: input.maxBytes,
                      enabled: input.enabled,
                      requireAuth: input.requireAuth,
                      imap: input.imap,
                    });
              setEditing(null);
              setSelectedId(saved.id);
              await action.run(async () => {}, t('mailBridge.saved', { name: saved.address }));
            }}
          />
        )}
      </Dialog>
      <RemoveDialog
        item={removing}
        name={(a) => a.address}
        title="mailBridge.removeAddress"
        message="mailBridge.removeAddressConfirm"
        remove={(a) => mailBridgeApi.removeAddress(a.id)}
        done={(name) => action.run(async () => {}, t('mailBridge.removed', { name }))}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

function AddressForm({
  address,
  onSave,
  onCancel,
}: {
  address: MailAddressView | null;
  onSave: (input: AddressInput) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const [value, setValue] = useState(address?.address ?? '');
  const [senders, setSenders] = useState((address?.allowedSenders ?? []).join('\n'));
  const [maxKb, setMaxKb] = useState(String(Math.round((address?.maxBytes ?? 10 * 1024 * 1024) / 1024)));
  const [enabled, setEnabled] = useState(address?.enabled ?? true);
  const [requireAuth, setRequireAuth] = useState(address?.requireAuth ?? false);
  const [imap, setImap] = useState<ImapDraft>(imapDraftOf(address?.imap));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const list = senders
      .split(/[\n,、]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const found: Record<string, string> = {};
    if (!value.trim()) found.address = t('mailBridge.addressRequired');
    if (list.length === 0) found.allowedSenders = t('mailBridge.sendersRequired');
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(form);
      return;
    }
    setSubmitting(true);
    try {
      await onSave({
        address: value.trim(),
        allowedSenders: list,
        maxBytes: Math.round(Number(maxKb) * 1024) || 0,
        enabled,
        requireAuth,
        imap: imapInputOf(imap),
      });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors({
        address: fields.address ?? '',
        allowedSenders:
          fields.allowedSenders ??
          Object.entries(fields).find(([k]) => k.startsWith('allowedSenders'))?.[1] ??
          '',
        maxBytes: fields.maxBytes ?? '',
        ...Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('imap.'))),
      });
      setFormError(errorMessage(t, err));
      setSubmitting(false);
      focusFirstInvalid(form);
    }
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('mailBridge.field.address')}
        hint={t('mailBridge.field.addressHint')}
        type="email"
        value={value}
        onChange={setValue}
        required
        disabled={address !== null}
        maxLength={254}
        error={errors.address || null}
      />
      <TextArea
        label={t('mailBridge.field.senders')}
        hint={t('mailBridge.field.sendersHint')}
        value={senders}
        onChange={setSenders}
        required
        rows={3}
        error={errors.allowedSenders || null}
      />
      <TextField
        label={t('mailBridge.field.maxKb')}
        type="number"
        min={1}
        max={51200}
        value={maxKb}
        onChange={setMaxKb}
        inputClassName="max-w-40"
        error={errors.maxBytes || null}
      />
      <Checkbox label={t('mailBridge.field.enabled')} checked={enabled} onChange={setEnabled} />
      <Checkbox
        label={t('mailBridge.field.requireAuth')}
        hint={t('mailBridge.field.requireAuthHint')}
        checked={requireAuth}
        onChange={setRequireAuth}
      />
      <ImapFields draft={imap} onChange={setImap} saved={address?.imap ?? null} errors={errors} />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('common.save')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

function ruleSummary(t: ReturnType<typeof useT>, r: MailRuleView): string {
  const d = r.definition;
  return [
    t('mailBridge.summary.conditions', { n: d.conditions.length }),
    d.audience.kind === 'all' ? t('mailBridge.summary.all') : t('mailBridge.summary.segment'),
    d.urgentKeywords.length > 0 ? t('mailBridge.summary.urgent', { n: d.urgentKeywords.length }) : null,
    d.disaster ? t('mailBridge.summary.disaster') : null,
  ]
    .filter(Boolean)
    .join(' / ');
}

/** The rules, the test panel and the received mails of one address. */
function AddressDetail({ address, channelId }: { address: MailAddressView; channelId: string }) {
  const t = useT();
  const can = useCan();
  const rules = useApi<MailRuleView[]>(rulesPath(address.id));
  const mails = useApi<MailMessageView[]>(messagesPath(address.id));
  const ruleAction = useListAction(rules);
  const mailAction = useListAction(mails);
  const [editing, setEditing] = useState<MailRuleView | 'new' | null>(null);
  const [removing, setRemoving] = useState<MailRuleView | null>(null);
  const [replaying, setReplaying] = useState<MailMessageView | null>(null);
  const ordered = rules.data ?? [];

  const move = (i: number, by: -1 | 1) => {
    const ids = ordered.map((r) => r.id);
    const [id] = ids.splice(i, 1);
    ids.splice(i + by, 0, id!);
    return ruleAction.run(
      () => mailBridgeApi.orderRules(address.id, ids),
      t('mailBridge.saved', { name: ordered[i]!.name }),
    );
  };

  return (
    <>
      <Section
        title={t('mailBridge.rules')}
        description={t('mailBridge.rulesLead')}
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('mailBridge.addRule')}
          </Button>
        }
      >
        {ruleAction.message && (
          <Alert tone="success" className="mb-4">
            {ruleAction.message}
          </Alert>
        )}
        {ruleAction.error && (
          <Alert tone="error" className="mb-4">
            {ruleAction.error}
          </Alert>
        )}
        <Table caption={t('mailBridge.rules')} hideCaption>
          <thead>
            <tr>
              <Th>{t('mailBridge.col.order')}</Th>
              <Th>{t('mailBridge.col.name')}</Th>
              <Th>{t('mailBridge.col.summary')}</Th>
              <Th>{t('mailBridge.col.ruleEnabled')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {ordered.length === 0 && <EmptyRow colSpan={5}>{t('mailBridge.noRules')}</EmptyRow>}
            {ordered.map((r, i) => (
              <tr key={r.id}>
                <Td>{i + 1}</Td>
                <Td className="font-bold">{r.name}</Td>
                <Td>{ruleSummary(t, r)}</Td>
                <Td>
                  <Badge tone={r.enabled ? 'success' : 'neutral'}>
                    {r.enabled ? t('mailBridge.ruleOn') : t('mailBridge.ruleOff')}
                  </Badge>
                </Td>
                <Td>
                  <RowActions
                    editLabel={t('mailBridge.editRule', { name: r.name })}
                    removeLabel={t('mailBridge.removeRule', { name: r.name })}
                    onEdit={() => setEditing(r)}
                    onRemove={() => setRemoving(r)}
                  >
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={i === 0}
                      aria-label={t('mailBridge.up', { name: r.name })}
                      onClick={() => void move(i, -1)}
                    >
                      ↑
                    </Button>
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={i === ordered.length - 1}
                      aria-label={t('mailBridge.down', { name: r.name })}
                      onClick={() => void move(i, 1)}
                    >
                      ↓
                    </Button>
                  </RowActions>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>

      <Section title={t('mailBridge.test')} description={t('mailBridge.testLead')}>
        <TestPanel addressId={address.id} messages={mails.data ?? []} />
      </Section>

      <Section title={t('mailBridge.messages')}>
        {mailAction.message && (
          <Alert tone="success" className="mb-4">
            {mailAction.message}
          </Alert>
        )}
        {mailAction.error && (
          <Alert tone="error" className="mb-4">
            {mailAction.error}
          </Alert>
        )}
        <Table caption={t('mailBridge.messages')} hideCaption>
          <thead>
            <tr>
              <Th>{t('mailBridge.col.receivedAt')}</Th>
              <Th>{t('mailBridge.col.from')}</Th>
              <Th>{t('mailBridge.col.subject')}</Th>
              <Th>{t('mailBridge.col.status')}</Th>
              <Th>{t('mailBridge.col.auth')}</Th>
              <Th>{t('mailBridge.col.delivery')}</Th>
            </tr>
          </thead>
          <tbody>
            {mails.data?.length === 0 && <EmptyRow colSpan={6}>{t('mailBridge.noMessages')}</EmptyRow>}
            {mails.data?.map((m) => (
              <tr key={m.id}>
                <Td className="whitespace-nowrap">{formatDateTime(m.receivedAt)}</Td>
                <Td className="break-all">{m.from}</Td>
                <Td>{m.subject}</Td>
                <Td>
                  <Badge tone={STATUS_TONE[m.status]}>
                    {t(`mailBridge.status.${m.status}` as MessageKey)}
                  </Badge>
                  {m.statusReason && (
                    <p className="mt-1 text-std-16N-170 text-solid-gray-700">{m.statusReason}</p>
                  )}
                  {m.status === 'refused' && m.refusedCount > 1 && (
                    <p className="mt-1 text-std-16N-170 text-solid-gray-700">
                      {t('mailBridge.refusedCount', { n: formatNumber(m.refusedCount) })}
                    </p>
                  )}
                  {m.status === 'received' && m.nextAttemptAt && (
                    <p className="mt-1 text-std-16N-170 text-solid-gray-700">
                      {t('mailBridge.retryAt', { n: m.attempts, at: formatDateTime(m.nextAttemptAt) })}
                    </p>
                  )}
                  {m.disasterResult && (
                    <p className="mt-1 text-std-16N-170 text-solid-gray-700">{m.disasterResult}</p>
                  )}
                </Td>
                <Td className="whitespace-nowrap">
                  {m.status === 'refused' ? (
                    '—'
                  ) : (
                    <>
                      <span>{t('mailBridge.auth', { spf: m.spf, dkim: m.dkim, dmarc: m.dmarc })}</span>
                      {m.authDetail && (
                        // What the check said, opened by keyboard too (not only a hover tooltip).
                        <details className="mt-1 whitespace-normal">
                          <summary className="cursor-pointer text-blue-1000 underline">
                            {t('mailBridge.authDetail')}
                          </summary>
                          <p className="break-all text-std-16N-170 text-solid-gray-700">{m.authDetail}</p>
                        </details>
                      )}
                    </>
                  )}
                </Td>
                <Td>
                  <span className="flex flex-wrap items-center gap-2">
                    {m.deliveryId && (
                      <Link to={`/analytics/deliveries/${m.deliveryId}`} className="text-blue-1000 underline">
                        {t('mailBridge.openDelivery')}
                      </Link>
                    )}
                    {can('deliveries.send') && m.status !== 'refused' && m.status !== 'duplicate' && (
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={t('mailBridge.replayLabel', { at: formatDateTime(m.receivedAt) })}
                        onClick={() => setReplaying(m)}
                      >
                        {t('mailBridge.replay')}
                      </Button>
                    )}
                  </span>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>

      <Dialog open={editing !== null} title={t('mailBridge.ruleTitle')} onClose={() => setEditing(null)}>
        {editing !== null && (
          <RuleEditor
            rule={editing === 'new' ? null : editing}
            channelId={channelId}
            addressId={address.id}
            messages={mails.data ?? []}
            onCancel={() => setEditing(null)}
            onSave={async (input) => {
              const saved =
                editing === 'new'
                  ? await mailBridgeApi.createRule(address.id, input)
                  : await mailBridgeApi.updateRule(editing.id, input);
              setEditing(null);
              await ruleAction.run(async () => {}, t('mailBridge.saved', { name: saved.name }));
            }}
          />
        )}
      </Dialog>
      <RemoveDialog
        item={removing}
        name={(r) => r.name}
        title="mailBridge.removeRule"
        message="mailBridge.removeRuleConfirm"
        remove={(r) => mailBridgeApi.removeRule(r.id)}
        done={(name) => ruleAction.run(async () => {}, t('mailBridge.removed', { name }))}
        onClose={() => setRemoving(null)}
      />
      <ConfirmDialog
        open={replaying !== null}
        title={t('mailBridge.replay')}
        message={t('mailBridge.replayConfirm')}
        confirmLabel={t('mailBridge.replay')}
        onConfirm={async () => {
          if (!replaying) return;
          const id = replaying.id;
          setReplaying(null);
          await mailAction.run(() => mailBridgeApi.replay(id), t('mailBridge.replayed'));
        }}
        onClose={() => setReplaying(null)}
      />
    </>
  );
}
