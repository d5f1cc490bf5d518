import { SURVEY_KINDS, type SurveyKind } from '@madoguchi/contracts/surveys.ts';
import { useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useFlash } from '../../lib/flash.ts';
import { formatNumber } from '../../lib/format.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useRequestSubmit } from '../../lib/useFormSubmit.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import { type SurveySummary, surveysApi, surveysPath } from './api.ts';
import { editorPath, periodText, resultsPagePath, STATUS_TONE, shownStatus, statusLabel } from './labels.ts';
import { SettingsFields, serverSettingsErrors } from './SettingsFields.tsx';
import { EMPTY_SETTINGS, settingsRequest } from './settingsForm.ts';

/** アンケート (#/surveys, Q-01 … Q-05): the channel's surveys and public comments, and a new one. */
export function SurveysPage() {
  const t = useT();
  const can = useCan();
  const flash = useFlash();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const surveys = useApi<SurveySummary[]>(ready ? surveysPath(channelId) : null);
  const [creating, setCreating] = useState(false);
  const canResults = can('surveys.results');

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('surveys.title')}
        description={t('surveys.lead')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('surveys.add')}
          </Button>
        }
        message={flash}
        list={surveys}
      >
        <Table caption={t('surveys.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('surveys.col.kind')}</Th>
              <Th>{t('surveys.col.title')}</Th>
              <Th>{t('surveys.col.status')}</Th>
              <Th>{t('surveys.col.period')}</Th>
              <Th className="text-right">{t('surveys.col.responses')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {surveys.data?.length === 0 && <EmptyRow colSpan={6}>{t('surveys.empty')}</EmptyRow>}
            {surveys.data?.map((s) => (
              <tr key={s.id}>
                <Td className="whitespace-nowrap">{t(`surveys.kind.${s.kind}` as MessageKey)}</Td>
                <Td className="font-bold">
                  <Link to={editorPath(s.id)} className="text-blue-1000 underline">
                    {s.title}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[shownStatus(s)]}>{statusLabel(t, shownStatus(s))}</Badge>
                </Td>
                <Td className="whitespace-nowrap">{periodText(t, s)}</Td>
                <Td className="text-right whitespace-nowrap">{formatNumber(s.responses)}</Td>
                <Td>
                  <span className="flex flex-wrap gap-2">
                    <LinkButton
                      to={editorPath(s.id)}
                      size="sm"
                      variant="secondary"
                      aria-label={t('surveys.editLabel', { title: s.title })}
                    >
                      {t('common.edit')}
                    </LinkButton>
                    {canResults && (
                      <LinkButton
                        to={resultsPagePath(s.id)}
                        size="sm"
                        variant="tertiary"
                        aria-label={t('surveys.resultsLabel', { title: s.title })}
                      >
                        {t('surveys.results')}
                      </LinkButton>
                    )}
                  </span>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </ChannelListPage>
      <Dialog open={creating} title={t('surveys.create.title')} onClose={() => setCreating(false)}>
        {creating && <CreateForm channelId={channelId} onCancel={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}

function CreateForm({ channelId, onCancel }: { channelId: string; onCancel: () => void }) {
  const t = useT();
  const [kind, setKind] = useState<SurveyKind>('survey');
  const [settings, setSettings] = useState(EMPTY_SETTINGS);
  const { errors, formError, submitting, onSubmit } = useRequestSubmit({
    request: () => settingsRequest(settings),
    save: async (request) => {
      const view = await surveysApi.create({ channelId, kind, ...request });
      navigate(editorPath(view.id));
    },
    serverFieldErrors: serverSettingsErrors,
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <RadioGroup
        legend={t('surveys.field.kind')}
        name="survey-kind"
        value={kind}
        onChange={(v) => setKind(v as SurveyKind)}
        hint={t('surveys.field.kindHint')}
        options={SURVEY_KINDS.map((value) => ({ value, label: t(`surveys.kind.${value}` as MessageKey) }))}
      />
      <SettingsFields channelId={channelId} value={settings} onChange={setSettings} errors={errors} />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('surveys.create.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
