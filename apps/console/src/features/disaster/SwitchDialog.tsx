import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes, formatNumber } from '../../lib/format.ts';
import { confirmSwitch, type DeliveryView, type DisasterPrepared, sendDraftNow } from './api.ts';
import type { Outcome } from './DisasterPage.tsx';
import { sinceText } from './sinceText.ts';

/**
 * The second step of the switch: what the prepared token will do — channel, friends, menu, the
 * message — then 切り替える. Esc or やめる closes it without switching (the native <dialog>). After a
 * successful switch on, the chosen draft delivery is sent; both outcomes are handed back.
 */
export function SwitchDialog({
  prepared,
  channel,
  message,
  onClose,
  onDone,
}: {
  prepared: DisasterPrepared | null;
  channel: Channel | undefined;
  message: { draft: DeliveryView; audience: string } | null;
  onClose: () => void;
  onDone: (outcomes: Outcome[]) => void;
}) {
  const t = useT();
  return (
    <Dialog
      open={prepared !== null}
      title={prepared?.on ? t('disaster.confirmOnTitle') : t('disaster.confirmOffTitle')}
      onClose={onClose}
    >
      {prepared && (
        <SwitchBody
          prepared={prepared}
          channel={channel}
          message={message}
          onClose={onClose}
          onDone={onDone}
        />
      )}
    </Dialog>
  );
}

function SwitchBody({
  prepared,
  channel,
  message,
  onClose,
  onDone,
}: {
  prepared: DisasterPrepared;
  channel: Channel | undefined;
  message: { draft: DeliveryView; audience: string } | null;
  onClose: () => void;
  onDone: (outcomes: Outcome[]) => void;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function confirm() {
    setSubmitting(true);
    setError(null);
    try {
      await confirmSwitch(prepared.token);
    } catch (err) {
      setError(errorMessage(t, err));
      setSubmitting(false);
      return;
    }
    const outcomes: Outcome[] = [
      { tone: 'success', text: prepared.on ? t('disaster.switchedOn') : t('disaster.switchedOff') },
    ];
    if (message) {
      try {
        await sendDraftNow(message.draft.id);
        outcomes.push({ tone: 'success', text: t('disaster.messageSent', { title: message.draft.title }) });
      } catch (err) {
        outcomes.push({
          tone: 'error',
          text: t('disaster.messageFailed', { title: message.draft.title, error: errorMessage(t, err) }),
        });
      }
    }
    onDone(outcomes);
  }

  return (
    <>
      {error && <Alert tone="error">{error}</Alert>}
      <p className="text-std-16N-170">{t('disaster.confirmLead')}</p>
      <ul className="flex flex-col gap-1 text-std-16N-170" data-testid="disaster-confirm">
        {channel && (
          <li className="font-bold">
            {t('disaster.confirmChannel', {
              name: channel.name,
              env: channel.environment === 'production' ? t('channels.production') : t('channels.test'),
            })}
          </li>
        )}
        <li>{t('disaster.confirmFriends', { count: formatNumber(prepared.friends) })}</li>
        <li>
          {prepared.on
            ? t('disaster.confirmMenu', { name: prepared.groupName ?? '' })
            : t('disaster.confirmBack')}
        </li>
        {prepared.on && (
          <li data-testid="disaster-confirm-until">
            {prepared.until
              ? t('disaster.confirmUntil', { at: formatDateTimeMinutes(prepared.until) })
              : t('disaster.confirmNoUntil')}
          </li>
        )}
        {prepared.on && (
          <li>
            {message
              ? t('disaster.confirmMessage', { title: message.draft.title, audience: message.audience })
              : t('disaster.confirmNoMessage')}
          </li>
        )}
      </ul>
      <p className="text-dns-14N-130 text-solid-gray-700">
        {t('disaster.confirmExpires', { time: sinceText(t, prepared.expiresAt) })}
      </p>
      <div className="flex flex-wrap gap-4">
        <Button
          variant={prepared.on ? 'danger' : 'primary'}
          disabled={submitting}
          onClick={() => void confirm()}
        >
          {t('disaster.confirm')}
        </Button>
        <Button variant="secondary" disabled={submitting} onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </>
  );
}
