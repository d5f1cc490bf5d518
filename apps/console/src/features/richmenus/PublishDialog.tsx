import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import type { Segment } from '../segments/segmentTree.ts';
import { useSegmentCount } from '../segments/useSegmentCount.ts';
import { publishTabGroup, type TabGroupView } from './api.ts';
import { serverFieldErrors } from './draft.ts';
import { periodLabel } from './labels.ts';
import { EMPTY_PUBLISH_FORM, type PublishForm as Form, publishRequest } from './publish.ts';

/**
 * 公開 (M-01, M-03): the default menu or a saved segment (with its live count), now or on a schedule
 * (Asia/Tokyo), then a second step naming the channel and whether it is 本番 or テスト.
 */
export function PublishDialog({
  open,
  group,
  channel,
  segments,
  onClose,
  onPublished,
}: {
  open: boolean;
  group: TabGroupView;
  channel: Channel | undefined;
  segments: Segment[] | undefined;
  onClose: () => void;
  onPublished: (group: TabGroupView, message: string) => void;
}) {
  const t = useT();
  return (
    <Dialog open={open} title={t('richMenus.publishTitle')} onClose={onClose}>
      {open && (
        <PublishBody
          group={group}
          channel={channel}
          segments={segments}
          onClose={onClose}
          onPublished={onPublished}
        />
      )}
    </Dialog>
  );
}

function PublishBody({
  group,
  channel,
  segments,
  onClose,
  onPublished,
}: {
  group: TabGroupView;
  channel: Channel | undefined;
  segments: Segment[] | undefined;
  onClose: () => void;
  onPublished: (group: TabGroupView, message: string) => void;
}) {
  const t = useT();
  const [form, setForm] = useState<Form>(EMPTY_PUBLISH_FORM);
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const segment = segments?.find((s) => s.id === form.segmentId);
  const count = useSegmentCount(group.channelId, form.target === 'segment' && segment ? segment.tree : null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const checked = publishRequest(form, {
    required: t('common.selectRequired', { label: t('richMenus.segment') }),
    dateTime: t('richMenus.errDateTime'),
    until: t('richMenus.errUntil'),
  });
  const request = 'request' in checked ? checked.request : null;
  const isProduction = channel?.environment === 'production';
  const targetText =
    form.target === 'default'
      ? t('richMenus.target.default')
      : t('richMenus.state.segment', { name: segment?.name ?? '' });

  async function publish() {
    if (!request) return;
    setSubmitting(true);
    setError(null);
    try {
      const view = await publishTabGroup(group.id, request);
      onPublished(view, request.from ? t('richMenus.scheduled') : t('richMenus.published'));
    } catch (err) {
      setError(errorMessage(t, err));
      setErrors(serverFieldErrors(err));
      setStep('form');
      setSubmitting(false);
    }
  }

  if (step === 'confirm' && request) {
    return (
      <>
        {error && <Alert tone="error">{error}</Alert>}
        <p className="text-std-16N-170">{t('richMenus.confirmLead')}</p>
        <ul className="flex flex-col gap-1 text-std-16N-170" data-testid="publish-confirm">
          <li className="font-bold">
            {t('richMenus.confirmChannel', {
              name: channel?.name ?? '',
              env: isProduction ? t('channels.production') : t('channels.test'),
            })}
          </li>
          <li>{t('richMenus.confirmTarget', { target: targetText })}</li>
          <li>
            {t('richMenus.confirmPeriod', {
              period: periodLabel(t, { from: request.from ?? null, until: request.until ?? null }),
            })}
          </li>
        </ul>
        {isProduction && <Alert tone="warning">{t('richMenus.confirmProduction')}</Alert>}
        <div className="flex flex-wrap gap-4">
          <Button disabled={submitting} onClick={() => void publish()}>
            {t('richMenus.confirmPublish')}
          </Button>
          <Button variant="secondary" disabled={submitting} onClick={() => setStep('form')}>
            {t('richMenus.back')}
          </Button>
        </div>
      </>
    );
  }

  return (
    <form
      noValidate
      className="flex flex-col gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        if ('errors' in checked) {
          setErrors(checked.errors);
          return;
        }
        setErrors({});
        setStep('confirm');
      }}
    >
      {error && <Alert tone="error">{error}</Alert>}
      <RadioGroup
        legend={t('richMenus.publishTarget')}
        name="publish-target"
        value={form.target}
        onChange={(target) => set({ target: target as Form['target'] })}
        hint={
          form.target === 'default' ? t('richMenus.target.defaultHint') : t('richMenus.target.segmentHint')
        }
        options={[
          { value: 'default', label: t('richMenus.target.default') },
          { value: 'segment', label: t('richMenus.target.segment') },
        ]}
      />
      {form.target === 'segment' && (
        <div className="flex flex-col gap-2">
          <Select
            label={t('richMenus.segment')}
            required
            value={form.segmentId}
            onChange={(segmentId) => set({ segmentId })}
            placeholder={segments?.length === 0 ? t('richMenus.noSegments') : t('common.selectPlaceholder')}
            options={(segments ?? []).map((s) => ({ value: s.id, label: s.name }))}
            error={errors.segmentId}
            selectClassName="w-full"
          />
          <p aria-live="polite" className="text-std-16B-170" data-testid="publish-segment-count">
            {segment
              ? count.loading || count.count === null
                ? count.error
                  ? errorMessage(t, count.error)
                  : t('richMenus.segmentCounting')
                : t('richMenus.segmentCount', { count: formatNumber(count.count) })
              : ''}
          </p>
        </div>
      )}
      <Checkbox
        label={t('richMenus.schedule')}
        hint={t('richMenus.scheduleHint')}
        checked={form.scheduled}
        onChange={(scheduled) => set({ scheduled })}
      />
      {form.scheduled && (
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap gap-4">
            <TextField
              label={t('richMenus.fromDate')}
              type="date"
              value={form.fromDate}
              onChange={(fromDate) => set({ fromDate })}
              error={errors.from}
            />
            <TextField
              label={t('richMenus.fromTime')}
              type="time"
              value={form.fromTime}
              onChange={(fromTime) => set({ fromTime })}
            />
          </div>
          <div className="flex flex-wrap gap-4">
            <TextField
              label={t('richMenus.untilDate')}
              type="date"
              value={form.untilDate}
              onChange={(untilDate) => set({ untilDate })}
              error={errors.until}
            />
            <TextField
              label={t('richMenus.untilTime')}
              type="time"
              value={form.untilTime}
              onChange={(untilTime) => set({ untilTime })}
            />
          </div>
        </div>
      )}
      <div className="flex flex-wrap gap-4">
        <Button type="submit">{t('richMenus.next')}</Button>
        <Button variant="secondary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
