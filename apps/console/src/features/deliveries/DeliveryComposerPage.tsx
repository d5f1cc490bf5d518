import { type FormEvent, useMemo, useRef, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { setFlash } from '../../lib/flash.ts';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { formatNumber } from '../../lib/format.ts';
import { navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { AudienceSection } from './AudienceSection.tsx';
import {
  type Audience,
  cancelDelivery,
  createDelivery,
  type DeliveryView,
  deliveryPath,
  type Segment,
  segmentsPath,
  testDelivery,
  updateDelivery,
} from './api.ts';
import {
  type AudienceForm,
  audienceFromForm,
  audienceToForm,
  audienceTree,
  emptyAudienceForm,
  emptyScheduleForm,
  type ScheduleForm,
  scheduleFromForm,
  scheduleToForm,
} from './composer.ts';
import { LinePreview } from './LinePreview.tsx';
import { MessagesEditor } from './MessageEditors.tsx';
import {
  draftsFromMessages,
  errorKeyOfPath,
  type MessageDraft,
  messagesFromDrafts,
  newDraft,
  validateMessages,
} from './messages.ts';
import { describeRecurrence, recurrenceFromForm } from './recurrence.ts';
import { ScheduleSection } from './ScheduleSection.tsx';
import { STATUS_KEYS } from './StatusBadge.tsx';
import { formatJst, isoToJst } from './time.ts';
import { useAudienceCount } from './useAudienceCount.ts';
import { useOccurrences } from './useOccurrences.ts';

const MAX_TITLE = 100;

/** 配信の作成 (#/deliveries/new) and 編集 (#/deliveries/:id/edit): messages, audience, schedule, preview. */
export function DeliveryComposerPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const delivery = useApi<DeliveryView>(editing ? deliveryPath(id) : null);
  const channels = useApi<Channel[]>('/api/channels');
  const [selected, setSelected] = useSelectedChannel(channels.data);
  const title = editing ? t('composer.editTitle') : t('composer.newTitle');

  if (editing && (delivery.error !== null || !delivery.data)) {
    return (
      <>
        <PageHeader title={title} />
        {delivery.error !== null ? (
          <LoadError error={delivery.error} onRetry={() => void delivery.reload()} />
        ) : (
          <Loading />
        )}
      </>
    );
  }
  if (!editing && channels.data?.length === 0) {
    return (
      <>
        <PageHeader title={title} />
        <Alert tone="info">{t('dashboard.noChannels')}</Alert>
      </>
    );
  }
  if (!editing && !channels.data && channels.error === null) {
    return (
      <>
        <PageHeader title={title} />
        <Loading />
      </>
    );
  }
  return (
    <Composer
      pageTitle={title}
      delivery={delivery.data ?? null}
      channels={channels.data}
      channelId={delivery.data?.channelId ?? selected}
      onChannelChange={setSelected}
    />
  );
}

type Busy = 'draft' | 'test' | 'send' | null;

function Composer({
  pageTitle,
  delivery,
  channels,
  channelId,
  onChannelChange,
}: {
  pageTitle: string;
  delivery: DeliveryView | null;
  channels: Channel[] | undefined;
  channelId: string;
  onChannelChange: (id: string) => void;
}) {
  const t = useT();
  const can = useCan();
  const canSend = can('deliveries.send');
  const form = useRef<HTMLFormElement>(null);
  const [savedId, setSavedId] = useState<string | null>(delivery?.id ?? null);
  const [status, setStatus] = useState(delivery?.status ?? 'draft');
  const [title, setTitle] = useState(delivery?.title ?? '');
  const [messages, setMessages] = useState<MessageDraft[]>(() =>
    delivery ? draftsFromMessages(delivery.messages) : [newDraft('text')],
  );
  const [audience, setAudience] = useState<AudienceForm>(() =>
    delivery ? audienceToForm(delivery.audience) : emptyAudienceForm(),
  );
  const [schedule, setSchedule] = useState<ScheduleForm>(() =>
    delivery ? scheduleToForm(delivery, new Date()) : emptyScheduleForm(new Date()),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [scheduleErrors, setScheduleErrors] = useState<Record<string, MessageKey>>({});
  const recurrence = useMemo(() => {
    if (schedule.mode !== 'recurring') return null;
    const parsed = recurrenceFromForm(schedule.recurrence);
    return parsed.ok ? parsed.value : null;
  }, [schedule]);
  const upcoming = useOccurrences(recurrence);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [dialog, setDialog] = useState<'send' | 'cancel' | 'test' | null>(null);

  const segments = useApi<Segment[]>(channelId ? segmentsPath(channelId) : null);
  const tree = useMemo(() => audienceTree(audience, segments.data), [audience, segments.data]);
  const count = useAudienceCount(channelId, tree);

  const editable = status === 'draft' || status === 'scheduled';
  const channel = channels?.find((c) => c.id === channelId);
  const testChannels = (channels ?? []).filter((c) => c.environment === 'test' && c.id !== channelId);
  const previewTime =
    schedule.mode === 'at'
      ? schedule.time
      : schedule.mode === 'recurring'
        ? schedule.recurrence.time
        : (isoToJst(new Date().toISOString())?.time ?? '');

  /** Checks the content (and the schedule when sending); shows the errors and focuses the first. */
  function validate(withSchedule: boolean) {
    const next: Record<string, string> = {};
    if (!title.trim()) next.title = t('composer.errTitle');
    else if (title.trim().length > MAX_TITLE) next.title = t('composer.errTitleLong', { max: MAX_TITLE });
    for (const [key, message] of Object.entries(validateMessages(messages))) next[key] = t(message);
    const audienceValue = audienceFromForm(audience);
    if (!audienceValue)
      next.audience = audience.kind === 'tree' ? t('audience.errTree') : t('audience.errSegment');
    let scheduled: ReturnType<typeof scheduleFromForm> | null = null;
    if (withSchedule) {
      scheduled = scheduleFromForm(schedule, new Date(), upcoming);
      setScheduleErrors(scheduled.ok ? {} : scheduled.errors);
      if (!scheduled.ok) Object.assign(next, scheduled.errors);
    } else setScheduleErrors({});
    setErrors(next);
    setNotice(null);
    if (Object.keys(next).length > 0 || !audienceValue) {
      setFormError(t('errors.VALIDATION_FAILED'));
      focusFirstInvalid(form.current);
      return null;
    }
    setFormError(null);
    return { audience: audienceValue, scheduled };
  }

  function showServerError(error: unknown) {
    const mapped: Record<string, string> = {};
    for (const [path, message] of Object.entries(fieldErrors(error))) {
      const key = path.startsWith('messages')
        ? errorKeyOfPath(messages, path)
        : path.startsWith('audience')
          ? 'audience'
          : path.startsWith('schedule')
            ? 'schedule.date'
            : path;
      if (!(key in mapped)) mapped[key] = message;
    }
    setErrors(mapped);
    setFormError(errorMessage(t, error));
    focusFirstInvalid(form.current);
    window.scrollTo({ top: 0 });
  }

  /** Saves the content as a draft (a scheduled delivery keeps its schedule); returns the delivery's id. */
  async function saveContent(audienceValue: Audience): Promise<string> {
    const content = { title: title.trim(), messages: messagesFromDrafts(messages), audience: audienceValue };
    if (savedId) {
      const saved = await updateDelivery(
        savedId,
        status === 'scheduled' ? content : { ...content, schedule: { mode: 'draft' }, recurrence: null },
      );
      setStatus(saved.status);
      return saved.id;
    }
    const created = await createDelivery({ channelId, ...content, schedule: { mode: 'draft' } });
    setSavedId(created.id);
    setStatus(created.status);
    return created.id;
  }

  async function onSaveDraft() {
    const checked = validate(false);
    if (!checked) return;
    setBusy('draft');
    try {
      await saveContent(checked.audience);
      setNotice(t('composer.savedDraft'));
    } catch (error) {
      showServerError(error);
    } finally {
      setBusy(null);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (validate(true)) setDialog('send');
  }

  async function send() {
    const checked = validate(true);
    if (!checked?.scheduled?.ok) {
      setDialog(null);
      return;
    }
    const { schedule: sched, recurrence } = checked.scheduled;
    const content = {
      title: title.trim(),
      messages: messagesFromDrafts(messages),
      audience: checked.audience,
    };
    setBusy('send');
    try {
      if (savedId)
        await updateDelivery(savedId, { ...content, schedule: sched, recurrence: recurrence ?? null });
      else
        await createDelivery({
          channelId,
          ...content,
          schedule: sched,
          ...(recurrence ? { recurrence } : {}),
        });
      setFlash(sched.mode === 'now' ? t('composer.sentFlash') : t('composer.scheduledFlash'));
      navigate('/deliveries');
    } catch (error) {
      setDialog(null);
      showServerError(error);
    } finally {
      setBusy(null);
    }
  }

  const confirmText = (() => {
    const people = count.count === null ? t('confirm.countUnknown') : formatNumber(count.count);
    const name = title.trim();
    if (schedule.mode === 'now') return t('confirm.now', { title: name, count: people });
    const result = dialog === 'send' ? scheduleFromForm(schedule, new Date(), upcoming) : null;
    if (result?.ok && result.recurrence)
      return t('confirm.recurring', {
        title: name,
        rule: describeRecurrence(t, result.recurrence),
        count: people,
      });
    return t('confirm.at', { title: name, time: formatJst(result?.ok ? result.first : null), count: people });
  })();

  const sendLabel = schedule.mode === 'now' ? t('composer.send') : t('composer.schedule');

  return (
    <>
      <PageHeader
        title={pageTitle}
        description={delivery ? t(STATUS_KEYS[status]) : t('composer.lead')}
        actions={
          <LinkButton to="/deliveries" variant="secondary">
            {t('common.backToList')}
          </LinkButton>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <form ref={form} noValidate onSubmit={onSubmit} className="flex min-w-0 flex-col gap-6">
          {formError && <Alert tone="error">{formError}</Alert>}
          {notice && <Alert tone="success">{notice}</Alert>}
          {!editable && (
            <Alert tone="info">{t('composer.readOnly', { status: t(STATUS_KEYS[status]) })}</Alert>
          )}
          {editable && !canSend && <Alert tone="info">{t('composer.noSendPermission')}</Alert>}

          <Section title={t('composer.basic')}>
            <fieldset disabled={!editable} className="flex flex-col gap-5">
              {!delivery && channels && (
                <ChannelSelect
                  channels={channels}
                  value={channelId}
                  onChange={(next) => {
                    onChannelChange(next);
                    setAudience((a) => ({ ...a, segmentId: '' }));
                  }}
                />
              )}
              {delivery && channel && (
                <p className="text-std-16N-170">{t('composer.channelFixed', { name: channel.name })}</p>
              )}
              <TextField
                label={t('composer.title')}
                hint={t('composer.titleHint')}
                required
                maxLength={MAX_TITLE}
                value={title}
                onChange={setTitle}
                error={errors.title}
              />
            </fieldset>
          </Section>

          <Section title={t('composer.messages')} description={t('composer.messagesHint')}>
            <MessagesEditor messages={messages} onChange={setMessages} errors={errors} disabled={!editable} />
          </Section>

          <Section title={t('audience.section')}>
            <AudienceSection
              channelId={channelId}
              value={audience}
              onChange={setAudience}
              segments={segments.data}
              segmentsError={segments.error}
              count={count}
              error={errors.audience}
              disabled={!editable}
            />
          </Section>

          {canSend && (
            <Section title={t('schedule.section')}>
              <ScheduleSection
                value={schedule}
                onChange={setSchedule}
                errors={scheduleErrors}
                disabled={!editable}
                upcoming={upcoming}
              />
            </Section>
          )}

          {editable && (
            <div className="flex flex-wrap gap-4 border-t border-solid-gray-420 pt-5">
              {canSend && (
                <Button type="submit" disabled={busy !== null}>
                  {busy === 'send' ? t('composer.sending') : sendLabel}
                </Button>
              )}
              {status !== 'scheduled' && (
                <Button variant="secondary" disabled={busy !== null} onClick={() => void onSaveDraft()}>
                  {busy === 'draft' ? t('common.saving') : t('composer.saveDraft')}
                </Button>
              )}
              <Button
                variant="secondary"
                disabled={busy !== null}
                onClick={() => {
                  if (validate(false)) setDialog('test');
                }}
              >
                {t('composer.test')}
              </Button>
              {status === 'scheduled' && canSend && savedId && (
                <Button variant="danger" disabled={busy !== null} onClick={() => setDialog('cancel')}>
                  {t('deliveries.cancel')}
                </Button>
              )}
            </div>
          )}
        </form>

        <aside aria-label={t('preview.title')} className="flex flex-col gap-2 lg:sticky lg:top-4">
          <h2 className="text-std-20B-150 text-solid-gray-900">{t('preview.title')}</h2>
          <p className="text-dns-14N-130 text-solid-gray-700">{t('preview.lead')}</p>
          <LinePreview
            accountName={channel?.name ?? t('preview.account')}
            messages={messages}
            time={previewTime}
          />
        </aside>
      </div>

      <ConfirmDialog
        open={dialog === 'send'}
        title={schedule.mode === 'now' ? t('confirm.sendTitle') : t('confirm.scheduleTitle')}
        message={
          <>
            <span className="mb-2 block font-bold" data-testid="confirm-channel">
              {t('confirm.channel', {
                name: channel?.name ?? '',
                env: channel?.environment === 'test' ? t('channels.test') : t('channels.production'),
              })}
            </span>
            {confirmText}
          </>
        }
        confirmLabel={sendLabel}
        onConfirm={send}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'cancel'}
        title={t('deliveries.cancelTitle')}
        message={t('deliveries.cancelConfirm', {
          title: title.trim(),
          time: formatJst(delivery?.scheduledAt),
        })}
        confirmLabel={t('deliveries.cancel')}
        confirmVariant="danger"
        onConfirm={async () => {
          if (!savedId) return;
          await cancelDelivery(savedId);
          setFlash(t('deliveries.cancelDone'));
          navigate('/deliveries');
        }}
        onClose={() => setDialog(null)}
      />
      <TestDialog
        open={dialog === 'test'}
        testChannels={testChannels}
        onClose={() => setDialog(null)}
        onSend={async (testChannelId) => {
          const checked = validate(false);
          if (!checked) throw new Error(t('errors.VALIDATION_FAILED'));
          setBusy('test');
          try {
            const deliveryId = await saveContent(checked.audience);
            const result = await testDelivery(deliveryId, testChannelId);
            setNotice(
              result.recipients !== null
                ? t('test.done', { count: formatNumber(result.recipients) })
                : t('test.doneNoCount'),
            );
            setDialog(null);
          } finally {
            setBusy(null);
          }
        }}
      />
    </>
  );
}

/** テスト配信 (G-09): to the test friends of this channel or to a test channel; never to production friends. */
function TestDialog({
  open,
  testChannels,
  onClose,
  onSend,
}: {
  open: boolean;
  testChannels: Channel[];
  onClose: () => void;
  onSend: (testChannelId: string | undefined) => Promise<void>;
}) {
  const t = useT();
  return (
    <Dialog open={open} title={t('test.title')} onClose={onClose}>
      {open && <TestBody testChannels={testChannels} onClose={onClose} onSend={onSend} />}
    </Dialog>
  );
}

function TestBody({
  testChannels,
  onClose,
  onSend,
}: {
  testChannels: Channel[];
  onClose: () => void;
  onSend: (testChannelId: string | undefined) => Promise<void>;
}) {
  const t = useT();
  const [target, setTarget] = useState<'friends' | 'channel'>('friends');
  const [testChannelId, setTestChannelId] = useState(testChannels[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit() {
    setSending(true);
    setError(null);
    try {
      await onSend(target === 'channel' ? testChannelId : undefined);
    } catch (err) {
      setError(errorMessage(t, err));
      setSending(false);
    }
  }

  return (
    <>
      {error && <Alert tone="error">{error}</Alert>}
      <p className="text-std-16N-170">{t('test.hint')}</p>
      <RadioGroup
        legend={t('test.target')}
        name="test-target"
        value={target}
        onChange={(v) => setTarget(v as 'friends' | 'channel')}
        options={[
          { value: 'friends', label: t('test.toTestFriends') },
          ...(testChannels.length > 0 ? [{ value: 'channel', label: t('test.toTestChannel') }] : []),
        ]}
      />
      {target === 'channel' && (
        <Select
          label={t('test.channel')}
          value={testChannelId}
          onChange={setTestChannelId}
          options={testChannels.map((c) => ({ value: c.id, label: c.name }))}
        />
      )}
      <div className="flex flex-wrap gap-4">
        <Button disabled={sending} onClick={() => void submit()}>
          {sending ? t('composer.sending') : t('test.send')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </>
  );
}
