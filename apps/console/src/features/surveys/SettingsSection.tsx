import { type FormEvent, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { type SurveyView, surveysApi } from './api.ts';
import { SettingsFields } from './SettingsFields.tsx';
import type { SurveyRun } from './SurveyEditorPage.tsx';
import { type SettingsErrors, settingsOf, settingsRequest } from './settingsForm.ts';

/** 設定: title, description, mode, anonymous, period and audience, saved by PATCH. */
export function SettingsSection({ view, run }: { view: SurveyView; run: SurveyRun }) {
  const t = useT();
  const [settings, setSettings] = useState(() => settingsOf(view));
  const [errors, setErrors] = useState<SettingsErrors>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const checked = settingsRequest(settings);
    if ('errors' in checked) {
      setErrors(checked.errors);
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    await run(() => surveysApi.update(view.id, checked.settings), t('surveys.editor.saved'));
  }

  return (
    <Section title={t('surveys.editor.settingsSection')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex max-w-3xl flex-col gap-5">
        <SettingsFields
          channelId={view.channelId}
          value={settings}
          onChange={setSettings}
          errors={errors}
          answered={view.responses > 0}
        />
        <div>
          <Button type="submit">{t('surveys.editor.saveSettings')}</Button>
        </div>
      </form>
    </Section>
  );
}
