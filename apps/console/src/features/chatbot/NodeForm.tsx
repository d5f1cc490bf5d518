import {
  type BranchCondition,
  type BranchRule,
  CHATBOT_LIMITS,
  type GraphProblem,
  type ScenarioAction,
  type ScenarioGraph,
  type ScenarioNode,
  VARIABLE_PATTERN,
} from '@madoguchi/contracts/chatbot.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { CHOICE_TYPES } from '../forms/formTypes.ts';
import { DeskSelect } from '../richmenus/DeskSelect.tsx';
import { SegmentConditionField } from '../segments/SegmentBuilder.tsx';
import { newCondition, type RegistrationForm } from '../segments/segmentTree.ts';
import { exitsOf, freshId, innerIds, UNCONNECTED } from './graph.ts';
import { exitLabel, nodeOptionLabel, nodeTypeLabel, problemText } from './labels.ts';
import { MessagesEditor } from './MessagesEditor.tsx';

type Question = Extract<ScenarioNode, { type: 'question' }>;
type Branch = Extract<ScenarioNode, { type: 'branch' }>;
type Action = Extract<ScenarioNode, { type: 'action' }>;

/**
 * The side form of the selected node (B-01): its title, its content by type, and 「つながり」 — a
 * 「次へ」 select for every exit, the way to connect nodes without dragging.
 */
export function NodeForm({
  node,
  graph,
  form,
  problems,
  onChange,
  onConnect,
  onDelete,
  onSetStart,
}: {
  node: ScenarioNode;
  graph: ScenarioGraph;
  form: RegistrationForm | undefined;
  problems: GraphProblem[];
  onChange: (node: ScenarioNode) => void;
  onConnect: (exitId: string, target: string | null) => void;
  onDelete: () => void;
  onSetStart: () => void;
}) {
  const t = useT();
  const newId = (prefix: string) => freshId(prefix, innerIds(node));
  const isStart = graph.start === node.id;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-std-20B-150">
          {t('chatbot.node.heading', { type: nodeTypeLabel(t, node.type) })}
        </h3>
        <span className="font-mono text-dns-14N-130 text-solid-gray-600">{node.id}</span>
      </div>
      {problems.map((p) => (
        <Alert key={`${p.code}-${p.message}`} tone={p.severity === 'error' ? 'error' : 'warning'}>
          {problemText(t, p, graph)}
        </Alert>
      ))}
      <TextField
        label={t('chatbot.node.title')}
        hint={t('chatbot.node.titleHint')}
        value={node.title}
        maxLength={CHATBOT_LIMITS.name}
        onChange={(title) => onChange({ ...node, title })}
      />
      {node.type === 'message' && (
        <MessagesEditor
          messages={node.messages}
          onChange={(messages) => onChange({ ...node, messages })}
          newId={newId}
        />
      )}
      {node.type === 'question' && <QuestionFields node={node} onChange={onChange} newId={newId} />}
      {node.type === 'branch' && (
        <BranchFields node={node} graph={graph} form={form} onChange={onChange} newId={newId} />
      )}
      {node.type === 'action' && <ActionFields node={node} form={form} onChange={onChange} />}
      {node.type === 'end' && (
        <TextArea
          label={t('chatbot.end.text')}
          hint={t('chatbot.end.textHint')}
          value={node.text ?? ''}
          maxLength={CHATBOT_LIMITS.text}
          onChange={(text) => onChange({ ...node, text })}
        />
      )}
      <ExitsSection node={node} graph={graph} onConnect={onConnect} />
      <div className="flex flex-wrap gap-3 border-t border-solid-gray-300 pt-4">
        <Button variant="secondary" size="sm" disabled={isStart} onClick={onSetStart}>
          {isStart ? t('chatbot.node.isStart') : t('chatbot.node.setStart')}
        </Button>
        <Button
          variant="tertiary"
          size="sm"
          aria-label={t('chatbot.node.deleteLabel', { title: node.title || node.id })}
          onClick={onDelete}
        >
          {t('chatbot.node.delete')}
        </Button>
      </div>
    </div>
  );
}

function ExitsSection({
  node,
  graph,
  onConnect,
}: {
  node: ScenarioNode;
  graph: ScenarioGraph;
  onConnect: (exitId: string, target: string | null) => void;
}) {
  const t = useT();
  const exits = exitsOf(node);
  const options = graph.nodes
    .filter((n) => n.id !== node.id)
    .map((n) => ({ value: n.id, label: nodeOptionLabel(t, n) }));
  return (
    <fieldset className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-3">
      <legend className="px-1 text-std-16B-170">{t('chatbot.exits.legend')}</legend>
      {exits.length === 0 ? (
        <p className="text-std-16N-170">{t('chatbot.exits.none')}</p>
      ) : (
        exits.map((exit) => (
          <Select
            key={exit.id}
            label={exitLabel(t, exit)}
            value={exit.target ?? ''}
            placeholder={t('chatbot.exits.unconnected')}
            options={options}
            onChange={(v) => onConnect(exit.id, v || null)}
          />
        ))
      )}
      <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.exits.hint')}</p>
    </fieldset>
  );
}

function QuestionFields({
  node,
  onChange,
  newId,
}: {
  node: Question;
  onChange: (node: ScenarioNode) => void;
  newId: (prefix: string) => string;
}) {
  const t = useT();
  const varError = VARIABLE_PATTERN.test(node.saveAs) ? null : t('chatbot.question.saveAsInvalid');
  return (
    <>
      <TextArea
        label={t('chatbot.question.text')}
        value={node.text}
        maxLength={CHATBOT_LIMITS.text}
        onChange={(text) => onChange({ ...node, text })}
      />
      <TextField
        label={t('chatbot.question.saveAs')}
        hint={t('chatbot.question.saveAsHint')}
        value={node.saveAs}
        maxLength={32}
        onChange={(saveAs) => onChange({ ...node, saveAs: saveAs.trim() })}
        error={varError}
        inputClassName="max-w-80 font-mono"
      />
      <RadioGroup
        legend={t('chatbot.question.input')}
        name={`input-${node.id}`}
        value={node.input}
        onChange={(input) => onChange({ ...node, input: input as Question['input'] })}
        options={[
          { value: 'choice', label: t('chatbot.question.input.choice') },
          { value: 'text', label: t('chatbot.question.input.text') },
        ]}
      />
      {node.input === 'choice' && (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-std-16B-170">{t('chatbot.question.choices')}</legend>
          {node.choices.map((choice, i) => (
            <div key={choice.id} className="flex items-end gap-2">
              <TextField
                className="grow"
                label={t('chatbot.question.choice', { n: i + 1 })}
                value={choice.label}
                maxLength={CHATBOT_LIMITS.label}
                onChange={(label) =>
                  onChange({
                    ...node,
                    choices: node.choices.map((c) => (c.id === choice.id ? { ...c, label } : c)),
                  })
                }
              />
              <Button
                variant="tertiary"
                size="sm"
                aria-label={t('chatbot.question.removeChoiceLabel', { n: i + 1 })}
                onClick={() => onChange({ ...node, choices: node.choices.filter((c) => c.id !== choice.id) })}
              >
                {t('common.delete')}
              </Button>
            </div>
          ))}
          {node.choices.length < CHATBOT_LIMITS.quickReplies && (
            <Button
              variant="secondary"
              size="sm"
              className="self-start"
              onClick={() =>
                onChange({
                  ...node,
                  choices: [...node.choices, { id: newId('c'), label: '', next: UNCONNECTED }],
                })
              }
            >
              {t('chatbot.question.addChoice')}
            </Button>
          )}
          <TextField
            label={t('chatbot.question.retryText')}
            hint={t('chatbot.question.retryTextHint')}
            value={node.retryText ?? ''}
            maxLength={CHATBOT_LIMITS.text}
            onChange={(retryText) => onChange({ ...node, retryText })}
          />
        </fieldset>
      )}
    </>
  );
}

type ConditionKind = BranchCondition['kind'];
const CONDITION_KINDS: ConditionKind[] = ['answer', 'answerContains', 'attribute', 'disasterMode'];

function newBranchCondition(
  kind: ConditionKind,
  variable: string,
  form: RegistrationForm | undefined,
): BranchCondition {
  switch (kind) {
    case 'answer':
      return { kind, variable, anyOf: [] };
    case 'answerContains':
      return { kind, variable, text: '' };
    case 'attribute':
      return { kind, condition: newCondition(form) };
    case 'disasterMode':
      return { kind, on: true };
  }
}

function BranchFields({
  node,
  graph,
  form,
  onChange,
  newId,
}: {
  node: Branch;
  graph: ScenarioGraph;
  form: RegistrationForm | undefined;
  onChange: (node: ScenarioNode) => void;
  newId: (prefix: string) => string;
}) {
  const t = useT();
  const questions = graph.nodes.filter((n): n is Question => n.type === 'question');
  const variables = [...new Set(questions.map((q) => q.saveAs))];
  const setRule = (rule: BranchRule) =>
    onChange({ ...node, rules: node.rules.map((r) => (r.id === rule.id ? rule : r)) });

  return (
    <div className="flex flex-col gap-4">
      <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.branch.hint')}</p>
      {node.rules.map((rule, ri) => {
        const setCondition = (ci: number, c: BranchCondition) =>
          setRule({ ...rule, when: rule.when.map((x, j) => (j === ci ? c : x)) });
        return (
          <fieldset key={rule.id} className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-3">
            <legend className="px-1 text-std-16B-170">{t('chatbot.branch.rule', { n: ri + 1 })}</legend>
            {rule.when.map((condition, ci) => {
              const path = `${ri + 1}-${ci + 1}`;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no ID
                <div key={ci} className="flex flex-col gap-2 rounded-8 bg-solid-gray-50 p-3">
                  <div className="flex flex-wrap items-end justify-between gap-2">
                    <Select
                      label={t('chatbot.cond.kind', { path })}
                      value={condition.kind}
                      onChange={(k) =>
                        setCondition(ci, newBranchCondition(k as ConditionKind, variables[0] ?? '', form))
                      }
                      options={CONDITION_KINDS.map((k) => ({
                        value: k,
                        label: t(`chatbot.cond.kind.${k}` as MessageKey),
                      }))}
                      selectClassName="w-60"
                    />
                    <Button
                      variant="tertiary"
                      size="sm"
                      aria-label={t('chatbot.cond.removeLabel', { path })}
                      onClick={() => setRule({ ...rule, when: rule.when.filter((_, j) => j !== ci) })}
                    >
                      {t('common.delete')}
                    </Button>
                  </div>
                  <ConditionFields
                    condition={condition}
                    questions={questions}
                    variables={variables}
                    form={form}
                    path={path}
                    onChange={(c) => setCondition(ci, c)}
                  />
                </div>
              );
            })}
            <div className="flex flex-wrap gap-2">
              <Button
                variant="secondary"
                size="sm"
                onClick={() =>
                  setRule({
                    ...rule,
                    when: [
                      ...rule.when,
                      newBranchCondition(
                        variables.length > 0 ? 'answer' : 'attribute',
                        variables[0] ?? '',
                        form,
                      ),
                    ],
                  })
                }
              >
                {t('chatbot.cond.add', { n: ri + 1 })}
              </Button>
              <Button
                variant="tertiary"
                size="sm"
                aria-label={t('chatbot.branch.removeRuleLabel', { n: ri + 1 })}
                onClick={() => onChange({ ...node, rules: node.rules.filter((r) => r.id !== rule.id) })}
              >
                {t('chatbot.branch.removeRule')}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button
        variant="secondary"
        size="sm"
        className="self-start"
        onClick={() =>
          onChange({
            ...node,
            rules: [
              ...node.rules,
              {
                id: newId('r'),
                when: [
                  newBranchCondition(variables.length > 0 ? 'answer' : 'attribute', variables[0] ?? '', form),
                ],
                next: UNCONNECTED,
              },
            ],
          })
        }
      >
        {t('chatbot.branch.addRule')}
      </Button>
    </div>
  );
}

function ConditionFields({
  condition,
  questions,
  variables,
  form,
  path,
  onChange,
}: {
  condition: BranchCondition;
  questions: Question[];
  variables: string[];
  form: RegistrationForm | undefined;
  path: string;
  onChange: (c: BranchCondition) => void;
}) {
  const t = useT();
  const variableSelect = (value: string, set: (v: string) => void) => (
    <Select
      label={t('chatbot.cond.variable', { path })}
      value={value}
      placeholder={variables.length === 0 ? t('chatbot.cond.noVariables') : undefined}
      options={(variables.includes(value) || !value ? variables : [value, ...variables]).map((v) => ({
        value: v,
        label: v,
      }))}
      onChange={set}
      selectClassName="w-60"
    />
  );
  switch (condition.kind) {
    case 'answer': {
      const question = questions.find((q) => q.saveAs === condition.variable && q.input === 'choice');
      const selected = new Set(condition.anyOf);
      return (
        <>
          {variableSelect(condition.variable, (variable) => onChange({ ...condition, variable, anyOf: [] }))}
          {question ? (
            <fieldset className="flex flex-col">
              <legend className="mb-1 text-std-16B-170">{t('chatbot.cond.anyOf', { path })}</legend>
              {question.choices.map((c) => (
                <Checkbox
                  key={c.id}
                  label={c.label || c.id}
                  checked={selected.has(c.id)}
                  onChange={(on) =>
                    onChange({
                      ...condition,
                      anyOf: on ? [...condition.anyOf, c.id] : condition.anyOf.filter((x) => x !== c.id),
                    })
                  }
                />
              ))}
            </fieldset>
          ) : (
            <TextArea
              label={t('chatbot.cond.anyOfTexts', { path })}
              hint={t('chatbot.cond.anyOfTextsHint')}
              rows={2}
              value={condition.anyOf.join('\n')}
              onChange={(v) => onChange({ ...condition, anyOf: v.split('\n') })}
              onBlur={() =>
                onChange({ ...condition, anyOf: condition.anyOf.map((s) => s.trim()).filter(Boolean) })
              }
            />
          )}
        </>
      );
    }
    case 'answerContains':
      return (
        <>
          {variableSelect(condition.variable, (variable) => onChange({ ...condition, variable }))}
          <TextField
            label={t('chatbot.cond.contains', { path })}
            value={condition.text}
            maxLength={CHATBOT_LIMITS.keyword}
            onChange={(text) => onChange({ ...condition, text })}
          />
        </>
      );
    case 'attribute':
      return (
        <SegmentConditionField
          form={form}
          path={path}
          value={condition.condition}
          onChange={(leaf) => onChange({ kind: 'attribute', condition: leaf })}
        />
      );
    case 'disasterMode':
      return (
        <RadioGroup
          legend={t('chatbot.cond.disasterMode', { path })}
          name={`disaster-${path}`}
          value={condition.on ? 'on' : 'off'}
          onChange={(v) => onChange({ kind: 'disasterMode', on: v === 'on' })}
          options={[
            { value: 'on', label: t('chatbot.cond.disasterMode.on') },
            { value: 'off', label: t('chatbot.cond.disasterMode.off') },
          ]}
        />
      );
  }
}

type ActionKind = ScenarioAction['kind'];
const ACTION_KINDS: ActionKind[] = [
  'setAttribute',
  'openPage',
  'startConsultation',
  'handover',
  'shelterSearch',
];

function newAction(kind: ActionKind): ScenarioAction {
  switch (kind) {
    case 'setAttribute':
      return { kind, itemId: '', choiceIds: [] };
    case 'openPage':
      return { kind, text: '', label: '', url: '' };
    case 'startConsultation':
      return { kind, deskSlug: '' };
    case 'handover':
      return { kind, text: '' };
    case 'shelterSearch':
      return { kind, text: '' };
  }
}

function ActionFields({
  node,
  form,
  onChange,
}: {
  node: Action;
  form: RegistrationForm | undefined;
  onChange: (node: ScenarioNode) => void;
}) {
  const t = useT();
  const action = node.action;
  const set = (a: ScenarioAction) => onChange({ ...node, action: a });
  const items = (form?.items ?? []).filter((i) => CHOICE_TYPES.includes(i.type) && !i.retired);
  return (
    <>
      <Select
        label={t('chatbot.action.kind')}
        value={action.kind}
        onChange={(k) => set(newAction(k as ActionKind))}
        options={ACTION_KINDS.map((k) => ({ value: k, label: t(`chatbot.action.kind.${k}` as MessageKey) }))}
        selectClassName="w-72"
      />
      {action.kind === 'setAttribute' && (
        <>
          <Select
            label={t('chatbot.action.item')}
            hint={t('chatbot.action.itemHint')}
            value={action.itemId}
            placeholder={t('chatbot.action.itemPlaceholder')}
            options={items.map((i) => ({ value: i.id, label: i.label }))}
            onChange={(itemId) => set({ ...action, itemId, choiceIds: [] })}
          />
          {action.itemId && (
            <fieldset className="flex flex-col">
              <legend className="mb-1 text-std-16B-170">{t('chatbot.action.choices')}</legend>
              {(items.find((i) => i.id === action.itemId)?.choices ?? [])
                .filter((c) => !c.retired)
                .map((c) => (
                  <Checkbox
                    key={c.id}
                    label={c.label}
                    checked={action.choiceIds.includes(c.id)}
                    onChange={(on) =>
                      set({
                        ...action,
                        choiceIds: on
                          ? [...action.choiceIds, c.id]
                          : action.choiceIds.filter((x) => x !== c.id),
                      })
                    }
                  />
                ))}
            </fieldset>
          )}
        </>
      )}
      {action.kind === 'openPage' && (
        <>
          <TextArea
            label={t('chatbot.action.text')}
            rows={2}
            value={action.text}
            maxLength={CHATBOT_LIMITS.buttonsText}
            onChange={(text) => set({ ...action, text })}
          />
          <TextField
            label={t('chatbot.action.label')}
            value={action.label}
            maxLength={CHATBOT_LIMITS.label}
            onChange={(label) => set({ ...action, label })}
          />
          <TextField
            label={t('chatbot.action.url')}
            hint={t('chatbot.action.urlHint')}
            type="url"
            inputMode="url"
            value={action.url}
            onChange={(url) => set({ ...action, url: url.trim() })}
          />
        </>
      )}
      {action.kind === 'startConsultation' && (
        <>
          <DeskSelect
            value={action.deskSlug}
            onChange={(deskSlug) => set({ ...action, deskSlug })}
            error={undefined}
          />
          <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.action.consultationHint')}</p>
        </>
      )}
      {(action.kind === 'handover' || action.kind === 'shelterSearch') && (
        <TextArea
          label={t('chatbot.action.text')}
          hint={t(`chatbot.action.${action.kind}Hint` as MessageKey)}
          rows={3}
          value={action.text}
          maxLength={CHATBOT_LIMITS.text}
          onChange={(text) => set({ ...action, text })}
        />
      )}
    </>
  );
}
