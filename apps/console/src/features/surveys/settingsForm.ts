import { SURVEY_LIMITS, type SurveyMode } from '@madoguchi/contracts/surveys.ts';
import type { MessageKey } from '../../i18n/ja.ts';
import { isoToJst, jstToIso } from '../deliveries/time.ts';
import type { SurveySettings, SurveyView } from './api.ts';

// The settings of a survey as the create dialog and the editor edit them: the period as a date and
// a time in Tokyo (as deliveries and rich menus take them), checked here, sent as SurveySettings.

export type SettingsForm = {
  title: string;
  description: string;
  mode: SurveyMode;
  anonymous: boolean;
  opensDate: string;
  opensTime: string;
  closesDate: string;
  closesTime: string;
  /** '' = every friend. */
  audienceSegmentId: string;
};

export const EMPTY_SETTINGS: SettingsForm = {
  title: '',
  description: '',
  mode: 'overwrite',
  anonymous: false,
  opensDate: '',
  opensTime: '',
  closesDate: '',
  closesTime: '',
  audienceSegmentId: '',
};

export function settingsOf(view: SurveyView): SettingsForm {
  const opens = view.opensAt ? isoToJst(view.opensAt) : null;
  const closes = view.closesAt ? isoToJst(view.closesAt) : null;
  return {
    title: view.title,
    description: view.description,
    mode: view.mode,
    anonymous: view.anonymous,
    opensDate: opens?.date ?? '',
    opensTime: opens?.time ?? '',
    closesDate: closes?.date ?? '',
    closesTime: closes?.time ?? '',
    audienceSegmentId: view.audienceSegmentId ?? '',
  };
}

/** Message keys per field (keys: title, opens, closes, description). */
export type SettingsErrors = Record<string, MessageKey>;

/** The request, or the message keys of the fields to fix. */
export function settingsRequest(f: SettingsForm): { settings: SurveySettings } | { errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  if (!f.title.trim()) errors.title = 'surveys.err.title';
  else if (f.title.trim().length > SURVEY_LIMITS.title) errors.title = 'surveys.err.titleLong';
  if (f.description.trim().length > SURVEY_LIMITS.description)
    errors.description = 'surveys.err.descriptionLong';
  const at = (date: string, time: string, key: string, defaultTime: string) => {
    if (!date && !time) return null;
    const iso = jstToIso(date, time || defaultTime);
    if (!iso) errors[key] = 'surveys.err.dateTime';
    return iso;
  };
  const opensAt = at(f.opensDate, f.opensTime, 'opens', '00:00');
  const closesAt = at(f.closesDate, f.closesTime, 'closes', '23:59');
  if (opensAt && closesAt && Date.parse(opensAt) >= Date.parse(closesAt))
    errors.closes = 'surveys.err.period';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    settings: {
      title: f.title.trim(),
      description: f.description.trim(),
      mode: f.mode,
      anonymous: f.anonymous,
      opensAt,
      closesAt,
      audienceSegmentId: f.audienceSegmentId || null,
    },
  };
}
