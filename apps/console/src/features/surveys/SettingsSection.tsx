import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useRequestSubmit } from '../../lib/useFormSubmit.ts';
import { type SurveyView, surveysApi } from './api.ts';
import { SettingsFields, serverSettingsErrors } from './SettingsFields.tsx';
import type { SurveySave } from './SurveyEditorPage.tsx';
import { settingsOf, settingsRequest } from './settingsForm.ts';

/** 設定: title, description, mode, anonymous, period and audience, saved by PATCH. */
export function SettingsSection({ view, save }: { view: SurveyView; save: SurveySave }) {
  const t = useT();
  const [settings, setSettings] = useState(() => settingsOf(view));
  // A failure's message is the editor's; the server's field messages go to their fields.
  const { errors, submitting, onSubmit } = useRequestSubmit({
    request: () => settingsRequest(settings),
    save: (request) => save(() => surveysApi.update(view.id, request), t('surveys.editor.saved')),
    serverFieldErrors: serverSettingsErrors,
  });

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
          <Button type="submit" disabled={submitting}>
            {t('surveys.editor.saveSettings')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
