import { useId, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { PastConsultation } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { MessageItem } from './MessageList.tsx';

/**
 * C-10 "history first": until the counselor confirms, the past consultations of this consultee are
 * shown with a checkbox and 確認して対応を始める; afterwards they stay available, collapsed.
 */
export function HistoryPanel({
  consultationId,
  pastCount,
  gate,
  labels,
  onConfirmed,
  onOutreach,
}: {
  consultationId: string;
  pastCount: number;
  /** true = not confirmed yet: the reply box is locked until the confirmation succeeds. */
  gate: boolean;
  /** record field key → label (from the desks), for the past records. */
  labels: Map<string, string>;
  onConfirmed: () => void;
  /** この相談者に話しかける from a past consultation (its desk name); no button when absent. */
  onOutreach?: (deskName: string) => void;
}) {
  const t = useT();
  const headingId = useId();
  const [expanded, setExpanded] = useState(false);
  const title = t('consult.historyCount', { count: pastCount });

  if (!gate) {
    if (pastCount === 0) return null;
    return (
      <section aria-labelledby={headingId} className="flex flex-col gap-2">
        <h3 id={headingId} className="text-std-17B-170">
          <button
            type="button"
            aria-expanded={expanded}
            onClick={() => setExpanded((v) => !v)}
            className="inline-flex min-h-11 items-center gap-2 text-left text-blue-900 underline hover:decoration-2"
          >
            {title}
          </button>
        </h3>
        {expanded && <PastList consultationId={consultationId} labels={labels} onOutreach={onOutreach} />}
      </section>
    );
  }

  if (pastCount === 0) {
    // Nothing to read: say so, and one click confirms (no checkbox to tick first).
    return (
      <section
        aria-labelledby={headingId}
        className="flex flex-col gap-3 rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 p-3"
      >
        <h3 id={headingId} className="text-std-17B-170">
          {t('consult.history')}
        </h3>
        <p className="text-std-16B-170" data-testid="history-none">
          {t('consult.historyNone')}
        </p>
        <p className="text-dns-16N-130">{t('consult.historyNoneLead')}</p>
        <ConfirmForm consultationId={consultationId} onConfirmed={onConfirmed} withCheckbox={false} />
      </section>
    );
  }

  return (
    <section
      aria-labelledby={headingId}
      className="flex max-h-full min-h-0 flex-col gap-3 rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 p-3"
    >
      <h3 id={headingId} className="text-std-17B-170">
        {title}
      </h3>
      <p className="text-dns-16N-130">{t('consult.historyLead')}</p>
      <PastList consultationId={consultationId} labels={labels} />
      <ConfirmForm consultationId={consultationId} onConfirmed={onConfirmed} withCheckbox />
    </section>
  );
}

function ConfirmForm({
  consultationId,
  onConfirmed,
  withCheckbox,
}: {
  consultationId: string;
  onConfirmed: () => void;
  /** false when there is no past consultation: the button alone confirms. */
  withCheckbox: boolean;
}) {
  const t = useT();
  const [checked, setChecked] = useState(!withCheckbox);
  const [checkError, setCheckError] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const errorId = useId();

  async function confirm() {
    if (!checked) {
      setCheckError(true);
      document.getElementById(`${errorId}-box`)?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await api.post(`/api/consultations/${encodeURIComponent(consultationId)}/history-confirm`);
      onConfirmed();
    } catch (err) {
      setError(errorMessage(t, err));
      setSubmitting(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      {error && <Alert tone="error">{error}</Alert>}
      {withCheckbox && (
        <Checkbox
          id={`${errorId}-box`}
          label={t('consult.historyConfirmCheck')}
          checked={checked}
          onChange={(v) => {
            setChecked(v);
            if (v) setCheckError(false);
          }}
          aria-invalid={checkError ? true : undefined}
          aria-errormessage={checkError ? errorId : undefined}
        />
      )}
      {checkError && <ErrorText id={errorId}>{t('consult.historyConfirmRequired')}</ErrorText>}
      <Button disabled={submitting} onClick={() => void confirm()}>
        {t('consult.historyConfirmButton')}
      </Button>
    </div>
  );
}

function PastList({
  consultationId,
  labels,
  onOutreach,
}: {
  consultationId: string;
  labels: Map<string, string>;
  onOutreach?: ((deskName: string) => void) | undefined;
}) {
  const t = useT();
  const history = useApi<{ past: PastConsultation[] }>(
    `/api/consultations/${encodeURIComponent(consultationId)}/history`,
  );
  if (history.error !== null)
    return <LoadError error={history.error} onRetry={() => void history.reload()} />;
  if (!history.data) return <Loading />;
  if (history.data.past.length === 0) return <p className="text-std-16B-170">{t('consult.historyNone')}</p>;
  return (
    // Scrolls inside the panel; keyboard users reach it through the disclosure in each item.
    <ol className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto">
      {history.data.past.map((p) => (
        <PastItem key={p.id} past={p} labels={labels} onOutreach={onOutreach} />
      ))}
    </ol>
  );
}

/** `2026/11/01 10:05 〜 10:40` (the end date is repeated only when it differs). */
function period(openedAt: string, closedAt: string | null): string {
  const from = formatDateTimeMinutes(openedAt);
  if (!closedAt) return from;
  const to = formatDateTimeMinutes(closedAt);
  return `${from} 〜 ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
}

function PastItem({
  past,
  labels,
  onOutreach,
}: {
  past: PastConsultation;
  labels: Map<string, string>;
  onOutreach?: ((deskName: string) => void) | undefined;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const values = Object.entries(past.record?.values ?? {}).filter(([, v]) => v !== '');
  const when = period(past.openedAt, past.closedAt);
  return (
    <li className="flex flex-col gap-1 rounded-8 border border-solid-gray-420 bg-white p-3 text-dns-14N-130">
      <p className="text-dns-16B-130">{when}</p>
      <dl className="flex flex-col gap-0.5">
        {[
          [t('consult.desk'), past.deskName] as const,
          [t('consult.counselor'), past.counselorName ?? t('common.none')] as const,
          ...values.map(([key, value]) => [labels.get(key) ?? key, value] as const),
        ].map(([label, value]) => (
          <div key={label}>
            <dt className="inline text-solid-gray-700">{label}: </dt>
            <dd className="inline break-words whitespace-pre-wrap">{value}</dd>
          </div>
        ))}
      </dl>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="inline-flex min-h-11 cursor-pointer items-center text-blue-900 underline">
          {t('consult.historyMessages', { count: past.messages.length })}
        </summary>
        {/* Rendered only while open: long past conversations cost nothing when collapsed. */}
        {open && (
          <ol className="flex flex-col gap-2 pt-1">
            {past.messages.map((m) => (
              <MessageItem key={m.id} m={m} />
            ))}
          </ol>
        )}
      </details>
      {onOutreach && (
        <div>
          <Button
            variant="secondary"
            size="sm"
            // The visible text starts the name; the period tells the items apart.
            aria-label={t('consult.outreachFor', { period: when })}
            onClick={() => onOutreach(past.deskName)}
          >
            {t('consult.outreach')}
          </Button>
        </div>
      )}
    </li>
  );
}
