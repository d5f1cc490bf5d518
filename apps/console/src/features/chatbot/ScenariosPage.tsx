import {
  CHATBOT_LIMITS,
  SCENARIO_KEY_PATTERN,
  SCENARIO_TEMPLATES,
  type ScenarioTemplate,
} from '@madoguchi/contracts/chatbot.ts';
import { useState } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useFlash } from '../../lib/flash.ts';
import { formatDateTimeMinutes, formatNumber } from '../../lib/format.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import { chatbotApi, type ScenarioList, scenariosPath } from './api.ts';
import { STATUS_TONE, statusLabel, triggersSummary } from './labels.ts';

export const editorPath = (id: string) => `/chatbot/scenarios/${encodeURIComponent(id)}`;

/** シナリオ (#/chatbot/scenarios): the channel's scenarios, their state and triggers (B-01, B-02). */
export function ScenariosPage() {
  const t = useT();
  const flash = useFlash();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const scenarios = useApi<ScenarioList>(ready ? scenariosPath(channelId) : null);
  const [creating, setCreating] = useState(false);

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('chatbot.scenarios.title')}
        description={t('chatbot.scenarios.lead')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('chatbot.scenarios.add')}
          </Button>
        }
        message={flash}
        list={scenarios}
      >
        <Table caption={t('chatbot.scenarios.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('chatbot.col.name')}</Th>
              <Th>{t('chatbot.col.key')}</Th>
              <Th>{t('chatbot.col.status')}</Th>
              <Th>{t('chatbot.col.triggers')}</Th>
              <Th>{t('chatbot.col.nodes')}</Th>
              <Th>{t('chatbot.col.updatedAt')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {scenarios.data?.length === 0 && <EmptyRow colSpan={7}>{t('chatbot.scenarios.empty')}</EmptyRow>}
            {scenarios.data?.map((s) => (
              <tr key={s.id}>
                <Td className="font-bold">
                  <Link to={editorPath(s.id)} className="text-blue-1000 underline">
                    {s.name}
                  </Link>
                </Td>
                <Td className="font-mono">{s.key}</Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    <Badge tone={STATUS_TONE[s.status]}>{statusLabel(t, s.status)}</Badge>
                    {s.draftChanged && s.status !== 'draft' && (
                      <Badge tone="info">{t('chatbot.status.changed')}</Badge>
                    )}
                  </span>
                </Td>
                <Td className="max-w-md text-std-16N-170">{triggersSummary(t, s.triggers)}</Td>
                <Td className="whitespace-nowrap">{formatNumber(s.nodeCount)}</Td>
                <Td className="whitespace-nowrap">{formatDateTimeMinutes(s.updatedAt)}</Td>
                <Td>
                  <LinkButton
                    to={editorPath(s.id)}
                    size="sm"
                    aria-label={t('chatbot.scenarios.editLabel', { name: s.name })}
                  >
                    {t('common.edit')}
                  </LinkButton>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </ChannelListPage>
      <Dialog open={creating} title={t('chatbot.create.title')} onClose={() => setCreating(false)}>
        {creating && <CreateForm channelId={channelId} onCancel={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}

function CreateForm({ channelId, onCancel }: { channelId: string; onCancel: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [template, setTemplate] = useState<ScenarioTemplate>('blank');
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!name.trim()) next.name = t('chatbot.create.nameRequired');
      if (!SCENARIO_KEY_PATTERN.test(key)) next.key = t('chatbot.create.keyInvalid');
      return next;
    },
    save: async () => {
      const view = await chatbotApi.create({ channelId, key, name: name.trim(), template });
      navigate(editorPath(view.id));
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('chatbot.create.name')}
        required
        value={name}
        maxLength={CHATBOT_LIMITS.name}
        onChange={setName}
        error={errors.name}
        hint={t('chatbot.create.nameHint')}
      />
      <TextField
        label={t('chatbot.create.key')}
        required
        value={key}
        maxLength={64}
        onChange={(v) => setKey(v.trim())}
        error={errors.key}
        hint={t('chatbot.create.keyHint')}
        inputClassName="max-w-80 font-mono"
      />
      <RadioGroup
        legend={t('chatbot.create.template')}
        name="scenario-template"
        value={template}
        onChange={(v) => setTemplate(v as ScenarioTemplate)}
        options={SCENARIO_TEMPLATES.map((value) => ({
          value,
          label: t(`chatbot.template.${value}` as MessageKey),
        }))}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('chatbot.create.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
