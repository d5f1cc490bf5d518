import type { MailImapView } from '@madoguchi/contracts/mail-bridge.ts';
import { Checkbox } from '../../components/Checkbox.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';

// The IMAP polling settings of a receiving address (issue 14): for a city that cannot point an MX
// record here. The password is write-only: empty keeps the saved one.

export interface ImapDraft {
  on: boolean;
  host: string;
  port: string;
  tls: boolean;
  user: string;
  password: string;
  mailbox: string;
  intervalMin: string;
}

export const imapDraftOf = (v: MailImapView | null | undefined): ImapDraft => ({
  on: Boolean(v),
  host: v?.host ?? '',
  port: String(v?.port ?? 993),
  tls: v?.tls ?? true,
  user: v?.user ?? '',
  password: '',
  mailbox: v?.mailbox ?? 'INBOX',
  intervalMin: String(Math.round((v?.intervalSeconds ?? 300) / 60)),
});

/** The API's `imap` field from the draft (null: polling off). */
export const imapInputOf = (d: ImapDraft) =>
  d.on
    ? {
        host: d.host.trim(),
        port: Number(d.port) || 0,
        tls: d.tls,
        user: d.user.trim(),
        ...(d.password ? { password: d.password } : {}),
        mailbox: d.mailbox.trim() || 'INBOX',
        intervalSeconds: Math.round(Number(d.intervalMin) * 60) || 0,
      }
    : null;

export function ImapFields({
  draft,
  onChange,
  saved,
  errors,
}: {
  draft: ImapDraft;
  onChange: (d: ImapDraft) => void;
  saved: MailImapView | null;
  errors: Record<string, string>;
}) {
  const t = useT();
  const set =
    <K extends keyof ImapDraft>(k: K) =>
    (v: ImapDraft[K]) =>
      onChange({ ...draft, [k]: v });
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-2 text-std-17B-170">{t('mailBridge.imap.title')}</legend>
      <Checkbox label={t('mailBridge.imap.on')} checked={draft.on} onChange={set('on')} />
      {draft.on && (
        <>
          <TextField
            label={t('mailBridge.imap.host')}
            value={draft.host}
            onChange={set('host')}
            required
            maxLength={253}
            error={errors['imap.host'] || null}
          />
          <TextField
            label={t('mailBridge.imap.port')}
            type="number"
            min={1}
            max={65535}
            value={draft.port}
            onChange={set('port')}
            inputClassName="max-w-40"
            error={errors['imap.port'] || null}
          />
          <Checkbox label={t('mailBridge.imap.tls')} checked={draft.tls} onChange={set('tls')} />
          <TextField
            label={t('mailBridge.imap.user')}
            value={draft.user}
            onChange={set('user')}
            required
            maxLength={254}
            autoComplete="off"
            error={errors['imap.user'] || null}
          />
          <TextField
            label={t('mailBridge.imap.password')}
            hint={saved?.passwordSet ? t('mailBridge.imap.passwordKept') : undefined}
            type="password"
            value={draft.password}
            onChange={set('password')}
            required={!saved?.passwordSet}
            maxLength={500}
            autoComplete="new-password"
            error={errors['imap.password'] || null}
          />
          <TextField
            label={t('mailBridge.imap.mailbox')}
            value={draft.mailbox}
            onChange={set('mailbox')}
            maxLength={200}
            error={errors['imap.mailbox'] || null}
          />
          <TextField
            label={t('mailBridge.imap.intervalMin')}
            type="number"
            min={1}
            max={1440}
            value={draft.intervalMin}
            onChange={set('intervalMin')}
            inputClassName="max-w-40"
            error={errors['imap.intervalSeconds'] || null}
          />
          {saved && (
            <p className="text-std-16N-170 text-solid-gray-700">
              {saved.polledAt
                ? t('mailBridge.imap.polledAt', { at: formatDateTime(saved.polledAt) })
                : t('mailBridge.imap.notPolled')}
              {saved.error && ` ${t('mailBridge.imap.error', { error: saved.error })}`}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}
