import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { type MailMessageView, type MailPreview, type MailRuleDefinition, mailBridgeApi } from './api.ts';

/** What the test answered: the exact LINE texts, the audience and its count. */
export function PreviewResult({ preview }: { preview: MailPreview }) {
  const t = useT();
  const reason = preview.reason ?? '';
  return (
    <section aria-label={t('mailBridge.result')} className="flex flex-col gap-3" aria-live="polite">
      {preview.status === 'matched' ? (
        <Alert tone="success">{t('mailBridge.result.matched', { name: preview.ruleName ?? '' })}</Alert>
      ) : (
        <Alert tone="warning">{t(`mailBridge.result.${preview.status}` as MessageKey, { reason })}</Alert>
      )}
      {preview.audience && preview.recipients !== null && (
        <p className="text-std-16B-170">
          {preview.audience.kind === 'all'
            ? t('mailBridge.result.audienceAll', { n: formatNumber(preview.recipients) })
            : t('mailBridge.result.audienceSegment', {
                labels: preview.audience.labels.join('・'),
                n: formatNumber(preview.recipients),
              })}
        </p>
      )}
      {preview.urgent && <p>{t('mailBridge.result.urgent')}</p>}
      {preview.disaster && <p>{t('mailBridge.result.disaster')}</p>}
      {preview.messages.map((text, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the messages of one answer, in order; they never move
        <figure key={i} className="flex flex-col gap-1">
          <figcaption className="text-std-16B-170">
            {t('mailBridge.result.message', { n: i + 1, chars: formatNumber([...text].length) })}
          </figcaption>
          <pre className="whitespace-pre-wrap break-words rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-3 text-std-16N-170">
            {text}
          </pre>
        </figure>
      ))}
    </section>
  );
}

/**
 * The test panel: a pasted mail or a received one through the saved rules, or through `draft` (the
 * rule being edited, not saved yet). Nothing is delivered.
 */
export function TestPanel({
  addressId,
  messages,
  draft,
}: {
  addressId: string;
  messages: MailMessageView[];
  draft?: { name: string; definition: MailRuleDefinition } | undefined;
}) {
  const t = useT();
  const [raw, setRaw] = useState('');
  const [picked, setPicked] = useState('');
  const [preview, setPreview] = useState<MailPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const stored = messages.filter((m) => m.status !== 'refused' && m.status !== 'duplicate');

  async function run() {
    setError(null);
    if (!picked && !raw.trim()) {
      setError(t('mailBridge.testInputRequired'));
      return;
    }
    setRunning(true);
    try {
      setPreview(
        await mailBridgeApi.test({
          addressId,
          ...(picked ? { messageId: picked } : { raw }),
          ...(draft ? { rules: [draft] } : {}),
        }),
      );
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Select
        label={t('mailBridge.field.pick')}
        value={picked}
        onChange={setPicked}
        placeholder={t('mailBridge.pickNone')}
        options={stored.map((m) => ({
          value: m.id,
          label: `${formatDateTime(m.receivedAt)} ${m.subject || m.from}`,
        }))}
      />
      {!picked && (
        <TextArea
          label={t('mailBridge.field.raw')}
          value={raw}
          onChange={setRaw}
          rows={8}
          error={error && !raw.trim() ? error : null}
          textareaClassName="font-mono"
        />
      )}
      {error && (picked || raw.trim()) && <Alert tone="error">{error}</Alert>}
      <div>
        <Button variant="secondary" onClick={() => void run()} disabled={running}>
          {draft ? t('mailBridge.runTestDraft') : t('mailBridge.runTest')}
        </Button>
      </div>
      {preview && <PreviewResult preview={preview} />}
    </div>
  );
}
