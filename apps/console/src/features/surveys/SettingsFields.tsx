import { SURVEY_LIMITS, SURVEY_MODES } from '@madoguchi/contracts/surveys.ts';
import { fieldErrors } from '../../api/errors.ts';
import { Checkbox } from '../../components/Checkbox.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useApi } from '../../lib/useApi.ts';
import { type Segment, segmentsListPath } from '../segments/segmentTree.ts';
import type { SettingsForm } from './settingsForm.ts';

/** A failed save's field messages at these fields (the server's opensAt / closesAt are 受付期間's). */
export function serverSettingsErrors(error: unknown): Record<string, string> {
  const { opensAt, closesAt, ...fields } = fieldErrors(error);
  return { ...fields, ...(opensAt && { opens: opensAt }), ...(closesAt && { closes: closesAt }) };
}

/**
 * 題名, 説明, 回答の扱い (上書き / 追加), 匿名, 受付期間 (Tokyo) and 対象 (a saved segment of the
 * channel): the settings of the create dialog and of the editor.
 */
export function SettingsFields({
  channelId,
  value,
  onChange,
  errors,
  answered = false,
}: {
  channelId: string;
  value: SettingsForm;
  onChange: (value: SettingsForm) => void;
  /** Field messages (settingsRequest's, translated, or serverSettingsErrors). */
  errors: Record<string, string>;
  /** The survey has answers: changing 匿名 or the mode is warned about. */
  answered?: boolean;
}) {
  const t = useT();
  const segments = useApi<Segment[]>(segmentsListPath(channelId));
  const set =
    <K extends keyof SettingsForm>(key: K) =>
    (v: SettingsForm[K]) =>
      onChange({ ...value, [key]: v });
  const e = (key: string) => errors[key] || undefined;
  return (
    <div className="flex flex-col gap-5">
      <TextField
        label={t('surveys.field.title')}
        required
        value={value.title}
        onChange={set('title')}
        maxLength={SURVEY_LIMITS.title}
        error={e('title')}
      />
      <TextArea
        label={t('surveys.field.description')}
        hint={t('surveys.field.descriptionHint')}
        value={value.description}
        onChange={set('description')}
        rows={4}
        maxLength={SURVEY_LIMITS.description}
        error={e('description')}
      />
      <RadioGroup
        legend={t('surveys.field.mode')}
        name="survey-mode"
        value={value.mode}
        onChange={(v) => set('mode')(v as SettingsForm['mode'])}
        hint={answered ? t('surveys.field.modeAnsweredHint') : t('surveys.field.modeHint')}
        options={SURVEY_MODES.map((mode) => ({
          value: mode,
          label: t(`surveys.mode.${mode}` as MessageKey),
        }))}
      />
      <Checkbox
        label={t('surveys.field.anonymous')}
        hint={t('surveys.field.anonymousHint')}
        checked={value.anonymous}
        onChange={set('anonymous')}
      />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{t('surveys.field.period')}</legend>
        <p className="text-std-16N-170 text-solid-gray-600">{t('surveys.field.periodHint')}</p>
        <div className="flex flex-wrap items-start gap-4">
          <TextField
            label={t('surveys.field.opensDate')}
            type="date"
            value={value.opensDate}
            onChange={set('opensDate')}
            error={e('opens')}
            className="w-56"
          />
          <TextField
            label={t('surveys.field.opensTime')}
            type="time"
            step={60}
            value={value.opensTime}
            onChange={set('opensTime')}
            className="w-40"
          />
        </div>
        <div className="flex flex-wrap items-start gap-4">
          <TextField
            label={t('surveys.field.closesDate')}
            type="date"
            value={value.closesDate}
            onChange={set('closesDate')}
            error={e('closes')}
            className="w-56"
          />
          <TextField
            label={t('surveys.field.closesTime')}
            type="time"
            step={60}
            value={value.closesTime}
            onChange={set('closesTime')}
            className="w-40"
          />
        </div>
      </fieldset>
      <Select
        label={t('surveys.field.audience')}
        hint={
          segments.error !== null ? t('surveys.field.audienceLoadFailed') : t('surveys.field.audienceHint')
        }
        value={value.audienceSegmentId}
        onChange={set('audienceSegmentId')}
        placeholder={t('surveys.field.audienceAll')}
        options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        className="max-w-xl"
      />
    </div>
  );
}
