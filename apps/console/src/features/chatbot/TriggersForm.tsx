import {
  CHATBOT_LIMITS,
  type ScenarioDraft,
  type ScenarioTrigger,
  type TriggerKind,
} from '@madoguchi/contracts/chatbot.ts';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

type Keyword = Extract<ScenarioTrigger, { kind: 'keyword' }>;
const KINDS: TriggerKind[] = ['keyword', 'postback', 'follow', 'fallback'];

function newTrigger(kind: TriggerKind): ScenarioTrigger {
  return kind === 'keyword' ? { kind, match: 'exact', words: [] } : { kind };
}

/** 「トリガーと設定」 (B-02): the scenario's name, what starts it, and how long a friend's place is kept. */
export function TriggersForm({
  draft,
  scenarioKey,
  onChange,
}: {
  draft: ScenarioDraft;
  scenarioKey: string;
  onChange: (draft: ScenarioDraft) => void;
}) {
  const t = useT();
  const setTrigger = (i: number, trigger: ScenarioTrigger) =>
    onChange({ ...draft, triggers: draft.triggers.map((x, j) => (j === i ? trigger : x)) });
  const has = (kind: TriggerKind) => draft.triggers.some((x) => x.kind === kind);
  const timeout = draft.timeoutMinutes;
  const timeoutError =
    Number.isInteger(timeout) &&
    timeout >= CHATBOT_LIMITS.timeoutMinutes.min &&
    timeout <= CHATBOT_LIMITS.timeoutMinutes.max
      ? null
      : t('chatbot.settings.timeoutInvalid', {
          min: CHATBOT_LIMITS.timeoutMinutes.min,
          max: CHATBOT_LIMITS.timeoutMinutes.max,
        });

  return (
    <div className="flex flex-col gap-5">
      <TextField
        label={t('chatbot.settings.name')}
        required
        value={draft.name}
        maxLength={CHATBOT_LIMITS.name}
        onChange={(name) => onChange({ ...draft, name })}
        error={draft.name.trim() ? null : t('chatbot.create.nameRequired')}
      />
      <TextField
        label={t('chatbot.settings.timeout')}
        hint={t('chatbot.settings.timeoutHint')}
        type="number"
        inputMode="numeric"
        min={CHATBOT_LIMITS.timeoutMinutes.min}
        max={CHATBOT_LIMITS.timeoutMinutes.max}
        value={Number.isNaN(timeout) ? '' : String(timeout)}
        onChange={(v) => onChange({ ...draft, timeoutMinutes: v.trim() === '' ? Number.NaN : Number(v) })}
        error={timeoutError}
        inputClassName="w-40"
      />
      <h3 className="text-std-17B-170">{t('chatbot.trigger.heading')}</h3>
      {draft.triggers.length === 0 && <p className="text-std-16N-170">{t('chatbot.trigger.empty')}</p>}
      {draft.triggers.map((trigger, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: triggers have no ID
        <fieldset key={i} className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-3">
          <legend className="px-1 text-std-16B-170">
            {t(`chatbot.trigger.kind.${trigger.kind}` as MessageKey)}
          </legend>
          {trigger.kind === 'keyword' && (
            <KeywordFields trigger={trigger} n={i} onChange={(x) => setTrigger(i, x)} />
          )}
          {trigger.kind === 'postback' && (
            <p className="text-std-16N-170">{t('chatbot.trigger.postbackHint', { key: scenarioKey })}</p>
          )}
          {trigger.kind === 'follow' && <p className="text-std-16N-170">{t('chatbot.trigger.followHint')}</p>}
          {trigger.kind === 'fallback' && (
            <p className="text-std-16N-170">{t('chatbot.trigger.fallbackHint')}</p>
          )}
          <Button
            variant="tertiary"
            size="sm"
            className="self-start"
            aria-label={t('chatbot.trigger.removeLabel', {
              kind: t(`chatbot.trigger.kind.${trigger.kind}` as MessageKey),
              n: i + 1,
            })}
            onClick={() => onChange({ ...draft, triggers: draft.triggers.filter((_, j) => j !== i) })}
          >
            {t('common.delete')}
          </Button>
        </fieldset>
      ))}
      <div className="flex flex-wrap gap-2">
        {KINDS.filter((k) => k === 'keyword' || !has(k)).map((kind) => (
          <Button
            key={kind}
            variant="secondary"
            size="sm"
            onClick={() => onChange({ ...draft, triggers: [...draft.triggers, newTrigger(kind)] })}
          >
            {t('chatbot.trigger.add', { kind: t(`chatbot.trigger.kind.${kind}` as MessageKey) })}
          </Button>
        ))}
      </div>
    </div>
  );
}

function KeywordFields({
  trigger,
  n,
  onChange,
}: {
  trigger: Keyword;
  n: number;
  onChange: (t: Keyword) => void;
}) {
  const t = useT();
  return (
    <>
      <RadioGroup
        legend={t('chatbot.trigger.match')}
        name={`keyword-match-${n}`}
        value={trigger.match}
        onChange={(match) => onChange({ ...trigger, match: match as Keyword['match'] })}
        options={[
          { value: 'exact', label: t('chatbot.trigger.match.exact') },
          { value: 'contains', label: t('chatbot.trigger.match.contains') },
        ]}
      />
      <TextArea
        label={t('chatbot.trigger.words')}
        hint={t('chatbot.trigger.wordsHint', { max: CHATBOT_LIMITS.keywordsPerTrigger })}
        rows={3}
        value={trigger.words.join('\n')}
        onChange={(v) =>
          onChange({ ...trigger, words: v.split('\n').slice(0, CHATBOT_LIMITS.keywordsPerTrigger) })
        }
        onBlur={() => onChange({ ...trigger, words: trigger.words.map((w) => w.trim()).filter(Boolean) })}
      />
      <Checkbox
        label={t('chatbot.trigger.disasterOnly')}
        checked={trigger.onlyInDisasterMode ?? false}
        onChange={(on) => onChange({ ...trigger, onlyInDisasterMode: on })}
      />
    </>
  );
}
