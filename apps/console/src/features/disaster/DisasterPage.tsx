import { DISASTER_UNTIL_MAX_DAYS } from '@madoguchi/contracts/richmenu-constants.ts';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { jstToIso } from '../deliveries/time.ts';
import { serverFieldErrors } from '../richmenus/draft.ts';
import {
  type DeliveryView,
  type DisasterModeView,
  type DisasterPrepared,
  disasterGroupsPath,
  disasterStatusPath,
  draftDeliveriesPath,
  prepareSwitch,
  type TabGroupSummary,
} from './api.ts';
import { SwitchDialog } from './SwitchDialog.tsx';

const POLL_MS = 3_000;

export type Outcome = { tone: 'success' | 'error'; text: string };

const UNTIL_MAX_MS = DISASTER_UNTIL_MAX_DAYS * 86_400_000;

/** The optional scheduled end, Tokyo date + time → ISO; both empty: none. */
function untilIso(
  date: string,
  time: string,
):
  | { iso: string | null }
  | { error: 'disaster.errUntil' | 'disaster.errUntilPast' | 'disaster.errUntilFar' } {
  if (!date && !time) return { iso: null };
  const iso = jstToIso(date, time);
  if (!iso) return { error: 'disaster.errUntil' };
  const at = Date.parse(iso);
  if (at <= Date.now()) return { error: 'disaster.errUntilPast' };
  if (at > Date.now() + UNTIL_MAX_MS) return { error: 'disaster.errUntilFar' };
  return { iso };
}

/**
 * 災害モード: the current state, one switch with the API's two steps (prepare shows the
 * friends and the menu, confirm switches; Esc cancels), and an optional prepared message — a draft
 * delivery sent right after the switch succeeds, both outcomes shown.
 */
export function DisasterPage() {
  const t = useT();
  const can = useCan();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const ready = !!channelId && !!channels.data?.some((c) => c.id === channelId);
  const status = useApi<DisasterModeView>(ready ? disasterStatusPath(channelId) : null);
  const groups = useApi<TabGroupSummary[]>(ready ? disasterGroupsPath(channelId) : null);
  const canSend = can('deliveries.send');
  const drafts = useApi<DeliveryView[]>(ready && canSend ? draftDeliveriesPath(channelId) : null);
  const [groupId, setGroupId] = useState('');
  const [withMessage, setWithMessage] = useState(false);
  const [draftId, setDraftId] = useState('');
  const [untilDate, setUntilDate] = useState('');
  const [untilTime, setUntilTime] = useState('');
  const [errors, setErrors] = useState<{ groupId?: string; draftId?: string; until?: string }>({});
  const [prepareError, setPrepareError] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [prepared, setPrepared] = useState<DisasterPrepared | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const channel = channels.data?.find((c) => c.id === channelId);
  const mode = status.data;
  const { reload } = status;
  const busy = mode?.active && mode.status !== 'active';

  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => void reload(true), POLL_MS);
    return () => window.clearInterval(timer);
  }, [busy, reload]);

  const disasterGroups = (groups.data ?? []).filter((g) => g.kind === 'disaster' && g.status === 'ready');
  const draft = drafts.data?.find((d) => d.id === draftId);
  const audienceText = (d: DeliveryView) =>
    d.audience.kind === 'all'
      ? t('disaster.audience.all')
      : d.audience.kind === 'segment'
        ? t('disaster.audience.segment')
        : t('disaster.audience.other');

  async function prepare(on: boolean) {
    const problems: typeof errors = {};
    if (on && !groupId) problems.groupId = t('common.selectRequired', { label: t('disaster.groupLabel') });
    if (on && withMessage && !draftId)
      problems.draftId = t('common.selectRequired', { label: t('disaster.draftLabel') });
    const until = on ? untilIso(untilDate, untilTime) : { iso: null };
    if ('error' in until) problems.until = t(until.error);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setPreparing(true);
    setPrepareError(null);
    setOutcomes([]);
    try {
      const iso = 'iso' in until ? until.iso : null;
      setPrepared(
        await prepareSwitch({ channelId, on, ...(on ? { groupId } : {}), ...(iso ? { until: iso } : {}) }),
      );
    } catch (err) {
      setPrepareError(errorMessage(t, err));
      const field = serverFieldErrors(err).until;
      if (field) setErrors((e) => ({ ...e, until: field }));
    } finally {
      setPreparing(false);
    }
  }

  return (
    <>
      <PageHeader title={t('disaster.title')} description={t('disaster.lead')} />
      <div className="flex flex-col gap-6">
        {channels.error !== null && (
          <LoadError error={channels.error} onRetry={() => void channels.reload()} />
        )}
        {channels.data && (
          <ChannelSelect channels={channels.data} value={channelId} onChange={setChannelId} />
        )}
        {outcomes.map((o) => (
          <Alert key={o.text} tone={o.tone}>
            <span data-testid={`disaster-outcome-${o.tone}`}>{o.text}</span>
          </Alert>
        ))}
        {status.error !== null && <LoadError error={status.error} onRetry={() => void reload()} />}
        {!mode && status.loading && <Loading />}
        {mode && (
          <Section title={t('disaster.state')}>
            <div className="flex flex-col gap-2" data-testid="disaster-state">
              <p className="text-std-24B-150">
                {mode.active ? (
                  <Badge tone="danger">{t('disaster.on')}</Badge>
                ) : (
                  <Badge tone="neutral">{t('disaster.normal')}</Badge>
                )}
              </p>
              {mode.active ? (
                <ul className="flex flex-col gap-1 text-std-16N-170">
                  <li>{t('disaster.since', { at: formatDateTimeMinutes(mode.since) })}</li>
                  <li>{mode.byName ? t('disaster.by', { name: mode.byName }) : t('disaster.byUnknown')}</li>
                  <li>{t('disaster.group', { name: mode.groupName })}</li>
                  {mode.until && (
                    <li data-testid="disaster-until">
                      {t('disaster.until', { at: formatDateTimeMinutes(mode.until) })}
                    </li>
                  )}
                  {mode.status === 'linking' && <li aria-live="polite">{t('disaster.linking')}</li>}
                  {mode.status === 'ending' && <li aria-live="polite">{t('disaster.ending')}</li>}
                  {mode.error && <li>{t('disaster.lineError', { error: mode.error })}</li>}
                </ul>
              ) : (
                <p className="text-std-16N-170">{t('disaster.normalNote')}</p>
              )}
            </div>
          </Section>
        )}
        {prepareError && <Alert tone="error">{prepareError}</Alert>}
        {mode && !mode.active && (
          <Section title={t('disaster.switchOnTitle')}>
            <form
              noValidate
              className="flex flex-col gap-5"
              onSubmit={(e) => {
                e.preventDefault();
                void prepare(true);
              }}
            >
              <Select
                label={t('disaster.groupLabel')}
                required
                hint={
                  groups.data && disasterGroups.length === 0
                    ? t('disaster.noGroups')
                    : t('disaster.groupHint')
                }
                value={groupId}
                onChange={setGroupId}
                placeholder={t('common.selectPlaceholder')}
                options={disasterGroups.map((g) => ({ value: g.id, label: g.name }))}
                error={errors.groupId}
                selectClassName="w-96 max-w-full"
              />
              <div className="flex flex-wrap gap-4">
                <TextField
                  id="disaster-until-date"
                  label={t('disaster.untilDate')}
                  type="date"
                  hint={t('disaster.untilHint')}
                  value={untilDate}
                  onChange={setUntilDate}
                  error={errors.until}
                />
                <TextField
                  label={t('disaster.untilTime')}
                  type="time"
                  value={untilTime}
                  onChange={setUntilTime}
                  aria-invalid={errors.until ? true : undefined}
                  aria-describedby={errors.until ? 'disaster-until-date-error' : undefined}
                />
              </div>
              {canSend ? (
                <>
                  <Checkbox
                    label={t('disaster.sendMessage')}
                    hint={t('disaster.sendMessageHint')}
                    checked={withMessage}
                    onChange={setWithMessage}
                  />
                  {withMessage && (
                    <Select
                      label={t('disaster.draftLabel')}
                      required
                      hint={drafts.data?.length === 0 ? t('disaster.noDrafts') : undefined}
                      value={draftId}
                      onChange={setDraftId}
                      placeholder={t('common.selectPlaceholder')}
                      options={(drafts.data ?? []).map((d) => ({
                        value: d.id,
                        label: t('disaster.draftOption', { title: d.title, audience: audienceText(d) }),
                      }))}
                      error={errors.draftId}
                      selectClassName="w-[36rem] max-w-full"
                    />
                  )}
                </>
              ) : (
                <p className="text-std-16N-170">{t('disaster.noSendPermission')}</p>
              )}
              <div>
                <Button
                  type="submit"
                  variant="danger"
                  disabled={preparing}
                  className="min-h-16 px-10 text-std-20B-150"
                >
                  {preparing ? t('disaster.preparing') : t('disaster.switchOn')}
                </Button>
              </div>
            </form>
          </Section>
        )}
        {mode?.active && (
          <div>
            <Button
              disabled={preparing || mode.status === 'ending'}
              onClick={() => void prepare(false)}
              className="min-h-16 px-10 text-std-20B-150"
            >
              {preparing ? t('disaster.preparing') : t('disaster.switchOff')}
            </Button>
          </div>
        )}
      </div>
      <SwitchDialog
        prepared={prepared}
        channel={channel}
        message={prepared?.on && withMessage && draft ? { draft, audience: audienceText(draft) } : null}
        onClose={() => setPrepared(null)}
        onDone={(results) => {
          setPrepared(null);
          setOutcomes(results);
          setGroupId('');
          setWithMessage(false);
          setDraftId('');
          setUntilDate('');
          setUntilTime('');
          void reload(true);
          void drafts.reload(true);
        }}
      />
    </>
  );
}
