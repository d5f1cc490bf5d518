import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { SegmentBuilder } from '../segments/SegmentBuilder.tsx';
import { isCountable, type Segment, type SegmentTree } from './api.ts';
import type { AudienceForm, AudienceKind } from './composer.ts';
import type { AudienceCount } from './useAudienceCount.ts';

export const AUDIENCE_KEYS: Record<AudienceKind | 'test', MessageKey> = {
  all: 'audience.all',
  segment: 'audience.segment',
  tree: 'audience.tree',
  unregistered: 'audience.unregistered',
  test: 'audience.test',
};
const HINT_KEYS: Record<AudienceKind, MessageKey> = {
  all: 'audience.allHint',
  segment: 'audience.segmentHint',
  tree: 'audience.treeHint',
  unregistered: 'audience.unregisteredHint',
};

/** 配信先: every friend, a saved segment, conditions (B's SegmentBuilder) or the unregistered ones (G-02). */
export function AudienceSection({
  channelId,
  value,
  onChange,
  segments,
  segmentsError,
  count,
  error,
  disabled,
}: {
  channelId: string;
  value: AudienceForm;
  onChange: (value: AudienceForm) => void;
  segments: Segment[] | undefined;
  segmentsError: unknown;
  count: AudienceCount;
  error: string | undefined;
  disabled: boolean;
}) {
  const t = useT();
  return (
    <fieldset disabled={disabled} className="flex flex-col gap-4">
      <RadioGroup
        legend={t('audience.legend')}
        name="audience"
        value={value.kind}
        onChange={(kind) => onChange({ ...value, kind: kind as AudienceKind })}
        hint={t(HINT_KEYS[value.kind])}
        options={(['all', 'segment', 'tree', 'unregistered'] as const).map((k) => ({
          value: k,
          label: t(AUDIENCE_KEYS[k]),
        }))}
      />
      {value.kind === 'segment' &&
        (segmentsError ? (
          <Alert tone="error">{errorMessage(t, segmentsError)}</Alert>
        ) : (
          <Select
            label={t('audience.segmentSelect')}
            required
            value={value.segmentId}
            onChange={(segmentId) => onChange({ ...value, segmentId })}
            placeholder={segments?.length === 0 ? t('audience.noSegments') : t('common.selectPlaceholder')}
            options={(segments ?? []).map((s) => ({ value: s.id, label: s.name }))}
            error={error}
            selectClassName="w-96 max-w-full"
          />
        ))}
      {error && value.kind !== 'segment' && <ErrorText id="audience-error">{error}</ErrorText>}
      {value.kind === 'tree' && channelId && (
        <SegmentBuilder
          channelId={channelId}
          value={value.tree}
          onChange={(tree: SegmentTree) => onChange({ ...value, tree })}
          // The count below is the one of every audience choice (one request, not two).
          showCount={false}
        />
      )}
      <p
        className="text-std-17B-170 text-solid-gray-900"
        aria-live="polite"
        data-testid="audience-count"
        data-value={count.loading ? '' : (count.count ?? '')}
        aria-busy={count.loading}
      >
        {count.error
          ? t('audience.countFailed', { message: errorMessage(t, count.error) })
          : count.loading || count.count === null
            ? value.kind === 'segment' && !value.segmentId
              ? t('audience.chooseSegment')
              : value.kind === 'tree' && !isCountable(value.tree)
                ? t('audience.addCondition')
                : t('audience.counting')
            : t('audience.count', { count: formatNumber(count.count) })}
      </p>
    </fieldset>
  );
}
