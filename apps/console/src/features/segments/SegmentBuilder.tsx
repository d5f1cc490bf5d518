import { useId } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { type TFunction, useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import {
  birthYearItems,
  choiceItems,
  type FormItem,
  isCountable,
  isGroup,
  leafProblem,
  measure,
  newCondition,
  type RegistrationForm,
  registrationFormPath,
  SEGMENT_LIMITS,
  type SegmentGroup,
  type SegmentLeaf,
  type SegmentTree,
  unwrapNot,
  withNegation,
} from './segmentTree.ts';
import { useSegmentCount } from './useSegmentCount.ts';

type Ctx = { t: TFunction; form: RegistrationForm | undefined; leaves: number };

/**
 * The segment builder (G-04): nested AND / OR groups with NOT, conditions on the registration
 * form's items and on friend facts, and the live audience size 「対象者 N 人」 (debounced).
 * `showCount: false` leaves the count to the caller (e.g. a page that shows it elsewhere).
 */
export function SegmentBuilder({
  channelId,
  value,
  onChange,
  showCount = true,
}: {
  channelId: string;
  value: SegmentTree;
  onChange: (tree: SegmentTree) => void;
  showCount?: boolean;
}) {
  const t = useT();
  const form = useApi<RegistrationForm>(channelId ? registrationFormPath(channelId) : null);
  const countable = isCountable(value);
  const count = useSegmentCount(channelId, showCount && countable ? value : null);
  const size = measure(value);
  const overLimit = size.depth > SEGMENT_LIMITS.depth || size.leaves > SEGMENT_LIMITS.leaves;
  // The root is always shown as a group; a single condition is a group of one.
  const root = isGroup(unwrapNot(value).node) ? value : { type: 'and' as const, children: [value] };
  const ctx: Ctx = { t, form: form.data, leaves: size.leaves };

  return (
    <div className="flex flex-col gap-4">
      {form.error !== null && (
        <Alert tone="error">{t('segments.formFailed', { message: errorMessage(t, form.error) })}</Alert>
      )}
      <NodeEditor node={root} path="" depth={1} onChange={onChange} ctx={ctx} />
      {overLimit && (
        <Alert tone="warning">
          {t('segments.limits', {
            depth: SEGMENT_LIMITS.depth,
            leaves: SEGMENT_LIMITS.leaves,
            children: SEGMENT_LIMITS.children,
          })}
        </Alert>
      )}
      {showCount && (
        <p
          role="status"
          aria-live="polite"
          aria-atomic="true"
          aria-busy={count.loading}
          data-testid="segment-count"
          data-value={count.loading || count.count === null ? '' : count.count}
          className="text-std-20B-150 text-solid-gray-900"
        >
          {!countable
            ? t('segments.countIncomplete')
            : count.error
              ? t('segments.countFailed', { message: errorMessage(t, count.error) })
              : count.loading || count.count === null
                ? t('segments.counting')
                : t('segments.count', { count: formatNumber(count.count) })}
        </p>
      )}
    </div>
  );
}

function NodeEditor({
  node,
  path,
  depth,
  onChange,
  onRemove,
  ctx,
}: {
  node: SegmentTree;
  path: string;
  depth: number;
  onChange: (node: SegmentTree) => void;
  onRemove?: () => void;
  ctx: Ctx;
}) {
  const { node: inner, negated } = unwrapNot(node);
  const set = (n: SegmentTree) => onChange(withNegation(n, negated));
  const negate = (v: boolean) => onChange(withNegation(inner, v));
  const innerDepth = depth + (negated ? 1 : 0);
  if (isGroup(inner)) {
    return (
      <GroupEditor
        group={inner}
        negated={negated}
        path={path}
        depth={innerDepth}
        onChange={set}
        onNegate={negate}
        onRemove={onRemove}
        ctx={ctx}
      />
    );
  }
  return (
    <ConditionEditor
      leaf={inner as SegmentLeaf}
      negated={negated}
      path={path}
      onChange={set}
      onNegate={negate}
      onRemove={onRemove}
      ctx={ctx}
    />
  );
}

function GroupEditor({
  group,
  negated,
  path,
  depth,
  onChange,
  onNegate,
  onRemove,
  ctx,
}: {
  group: SegmentGroup;
  negated: boolean;
  path: string;
  depth: number;
  onChange: (g: SegmentGroup) => void;
  onNegate: (v: boolean) => void;
  onRemove: (() => void) | undefined;
  ctx: Ctx;
}) {
  const { t } = ctx;
  const name = useId();
  const legend = path ? t('segments.groupLegend', { path }) : t('segments.rootLegend');
  const full = group.children.length >= SEGMENT_LIMITS.children || ctx.leaves >= SEGMENT_LIMITS.leaves;
  // A new group holds one condition: two levels below this group.
  const tooDeep = depth + 2 > SEGMENT_LIMITS.depth;
  const setChild = (i: number, child: SegmentTree) =>
    onChange({ ...group, children: group.children.map((c, j) => (j === i ? child : c)) });
  const removeChild = (i: number) =>
    onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  const add = (child: SegmentTree) => onChange({ ...group, children: [...group.children, child] });
  const joiner = group.type === 'and' ? t('segments.joinAnd') : t('segments.joinOr');

  return (
    <fieldset
      className={`flex flex-col gap-3 rounded-12 border-2 p-4 ${
        negated ? 'border-error-1 border-dashed' : 'border-solid-gray-420'
      } ${path ? 'bg-solid-gray-50' : 'bg-white'}`}
    >
      <legend className="px-1 text-std-17B-170 text-solid-gray-900">{legend}</legend>
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
        <RadioGroup
          legend={t('segments.combine')}
          name={name}
          value={group.type}
          onChange={(v) => onChange({ ...group, type: v as 'and' | 'or' })}
          options={[
            { value: 'and', label: t('segments.and') },
            { value: 'or', label: t('segments.or') },
          ]}
        />
        {onRemove && (
          <Button
            variant="tertiary"
            size="sm"
            aria-label={t('segments.removeGroupLabel', { path })}
            onClick={onRemove}
          >
            {t('common.delete')}
          </Button>
        )}
      </div>
      <Checkbox label={t('segments.notGroup')} checked={negated} onChange={onNegate} />
      {group.children.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t('segments.emptyGroup')}</p>
      ) : (
        <ol className="flex flex-col gap-2">
          {group.children.map((child, i) => {
            const childPath = path ? `${path}-${i + 1}` : `${i + 1}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity; the position is their name
              <li key={i} className="flex flex-col gap-2">
                {i > 0 && (
                  <span
                    aria-hidden="true"
                    className="self-start rounded-4 bg-blue-100 px-2 text-dns-16B-130 text-blue-1000"
                  >
                    {joiner}
                  </span>
                )}
                <NodeEditor
                  node={child}
                  path={childPath}
                  depth={depth + 1}
                  onChange={(c) => setChild(i, c)}
                  onRemove={() => removeChild(i)}
                  ctx={ctx}
                />
              </li>
            );
          })}
        </ol>
      )}
      <div className="flex flex-wrap gap-3">
        <Button
          variant="secondary"
          size="sm"
          disabled={full}
          aria-label={t('segments.addConditionLabel', { group: legend })}
          onClick={() => add(newCondition(ctx.form))}
        >
          {t('segments.addCondition')}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={full || tooDeep}
          aria-label={t('segments.addGroupLabel', { group: legend })}
          onClick={() =>
            add({ type: group.type === 'and' ? 'or' : 'and', children: [newCondition(ctx.form)] })
          }
        >
          {t('segments.addGroup')}
        </Button>
      </div>
    </fieldset>
  );
}

/** The value of the 条件の種類 select for a condition. */
function kindOf(leaf: SegmentLeaf): string {
  return leaf.type === 'choice' || leaf.type === 'birthYear' || leaf.type === 'age'
    ? `${leaf.type}:${leaf.itemId}`
    : leaf.type;
}

function leafOfKind(kind: string, previous: SegmentLeaf): SegmentLeaf {
  const [type, itemId = ''] = kind.split(':');
  switch (type) {
    case 'choice':
      return {
        type: 'choice',
        itemId,
        choiceIds: [],
        match: previous.type === 'choice' ? previous.match : 'any',
      };
    case 'birthYear':
      return { type: 'birthYear', itemId };
    case 'age':
      return { type: 'age', itemId };
    case 'followedAt':
      return { type: 'followedAt' };
    case 'test':
      return { type: 'test', value: true };
    default:
      return { type: 'registered', value: true };
  }
}

function kindOptions(ctx: Ctx, leaf: SegmentLeaf) {
  const { t, form } = ctx;
  const label = (item: FormItem) => `${item.label}${item.retired ? t('segments.retired') : ''}`;
  const options = [
    ...choiceItems(form).map((item) => ({
      value: `choice:${item.id}`,
      label: t('segments.kind.choice', { label: label(item) }),
    })),
    ...birthYearItems(form).flatMap((item) => [
      { value: `birthYear:${item.id}`, label: t('segments.kind.birthYear', { label: label(item) }) },
      { value: `age:${item.id}`, label: t('segments.kind.age', { label: label(item) }) },
    ]),
    { value: 'registered', label: t('segments.kind.registered') },
    { value: 'followedAt', label: t('segments.kind.followedAt') },
    { value: 'test', label: t('segments.kind.test') },
  ];
  const current = kindOf(leaf);
  if (!options.some((o) => o.value === current)) {
    options.unshift({ value: current, label: form ? t('segments.kind.unknown') : t('app.loading') });
  }
  return options;
}

const toNumber = (s: string): number | undefined => {
  const trimmed = s.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
};

function ConditionEditor({
  leaf,
  negated,
  path,
  onChange,
  onNegate,
  onRemove,
  ctx,
}: {
  leaf: SegmentLeaf;
  negated: boolean;
  path: string;
  onChange: (leaf: SegmentLeaf) => void;
  /** Undefined: no 「〜ではない」 checkbox (a single condition used outside a tree). */
  onNegate: ((v: boolean) => void) | undefined;
  onRemove: (() => void) | undefined;
  ctx: Ctx;
}) {
  const { t } = ctx;
  const id = useId();
  const problem = leafProblem(leaf);
  const errorId = problem ? `${id}-error` : undefined;
  const item = 'itemId' in leaf ? ctx.form?.items.find((i) => i.id === leaf.itemId) : undefined;

  return (
    <fieldset
      aria-describedby={errorId}
      className={`flex flex-col gap-3 rounded-8 border p-4 ${
        negated ? 'border-2 border-dashed border-error-1' : 'border-solid-gray-420'
      } bg-white`}
    >
      <legend className="px-1 text-std-16B-170 text-solid-gray-900">
        {t('segments.conditionLegend', { path })}
      </legend>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Select
          label={t('segments.kind')}
          value={kindOf(leaf)}
          onChange={(kind) => onChange(leafOfKind(kind, leaf))}
          options={kindOptions(ctx, leaf)}
          selectClassName="w-96 max-w-full"
        />
        {onRemove && (
          <Button
            variant="tertiary"
            size="sm"
            aria-label={t('segments.removeConditionLabel', { path })}
            onClick={onRemove}
          >
            {t('common.delete')}
          </Button>
        )}
      </div>

      {leaf.type === 'choice' && <ChoiceEditor leaf={leaf} item={item} onChange={onChange} ctx={ctx} />}

      {leaf.type === 'birthYear' && (
        <div className="flex flex-wrap gap-4">
          <TextField
            label={t('segments.yearFrom')}
            type="number"
            inputMode="numeric"
            min={1900}
            max={2100}
            value={leaf.from === undefined || Number.isNaN(leaf.from) ? '' : String(leaf.from)}
            onChange={(v) => onChange({ ...leaf, from: toNumber(v) })}
            inputClassName="w-40"
          />
          <TextField
            label={t('segments.yearTo')}
            type="number"
            inputMode="numeric"
            min={1900}
            max={2100}
            value={leaf.to === undefined || Number.isNaN(leaf.to) ? '' : String(leaf.to)}
            onChange={(v) => onChange({ ...leaf, to: toNumber(v) })}
            inputClassName="w-40"
          />
          <p className="basis-full text-std-16N-170 text-solid-gray-600">{t('segments.yearHint')}</p>
        </div>
      )}

      {leaf.type === 'age' && (
        <div className="flex flex-wrap gap-4">
          <TextField
            label={t('segments.ageMin')}
            type="number"
            inputMode="numeric"
            min={0}
            max={150}
            value={leaf.min === undefined || Number.isNaN(leaf.min) ? '' : String(leaf.min)}
            onChange={(v) => onChange({ ...leaf, min: toNumber(v) })}
            inputClassName="w-32"
          />
          <TextField
            label={t('segments.ageMax')}
            type="number"
            inputMode="numeric"
            min={0}
            max={150}
            value={leaf.max === undefined || Number.isNaN(leaf.max) ? '' : String(leaf.max)}
            onChange={(v) => onChange({ ...leaf, max: toNumber(v) })}
            inputClassName="w-32"
          />
          <p className="basis-full text-std-16N-170 text-solid-gray-600">{t('segments.ageHint')}</p>
        </div>
      )}

      {leaf.type === 'registered' && (
        <RadioGroup
          legend={t('segments.registered')}
          name={`${id}-registered`}
          value={leaf.value ? 'yes' : 'no'}
          onChange={(v) => onChange({ type: 'registered', value: v === 'yes' })}
          options={[
            { value: 'yes', label: t('segments.registered.yes') },
            { value: 'no', label: t('segments.registered.no') },
          ]}
        />
      )}

      {leaf.type === 'followedAt' && (
        <div className="flex flex-wrap gap-4">
          <TextField
            label={t('segments.followedFrom')}
            type="date"
            value={leaf.from ?? ''}
            onChange={(v) => onChange({ type: 'followedAt', from: v || undefined, to: leaf.to })}
            inputClassName="w-48"
          />
          <TextField
            label={t('segments.followedTo')}
            type="date"
            value={leaf.to ?? ''}
            onChange={(v) => onChange({ type: 'followedAt', from: leaf.from, to: v || undefined })}
            inputClassName="w-48"
          />
          <p className="basis-full text-std-16N-170 text-solid-gray-600">{t('segments.followedHint')}</p>
        </div>
      )}

      {leaf.type === 'test' && (
        <RadioGroup
          legend={t('segments.test')}
          name={`${id}-test`}
          value={leaf.value ? 'yes' : 'no'}
          onChange={(v) => onChange({ type: 'test', value: v === 'yes' })}
          options={[
            { value: 'yes', label: t('segments.test.yes') },
            { value: 'no', label: t('segments.test.no') },
          ]}
        />
      )}

      {onNegate && <Checkbox label={t('segments.notCondition')} checked={negated} onChange={onNegate} />}
      {problem && errorId && <ErrorText id={errorId}>{t(problem)}</ErrorText>}
    </fieldset>
  );
}

function ChoiceEditor({
  leaf,
  item,
  onChange,
  ctx,
}: {
  leaf: Extract<SegmentLeaf, { type: 'choice' }>;
  item: FormItem | undefined;
  onChange: (leaf: SegmentLeaf) => void;
  ctx: Ctx;
}) {
  const { t } = ctx;
  const name = useId();
  const selected = new Set(leaf.choiceIds);
  const toggle = (choiceId: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(choiceId);
    else next.delete(choiceId);
    // Keep the form's order so the saved tree reads like the form.
    const order = (item?.choices ?? []).map((c) => c.id);
    onChange({ ...leaf, choiceIds: [...next].sort((a, b) => order.indexOf(a) - order.indexOf(b)) });
  };
  const choices = [...(item?.choices ?? [])].sort((a, b) => a.position - b.position);
  const roots = choices.filter((c) => c.parentId === null);
  const childrenOf = (id: string) => choices.filter((c) => c.parentId === id);
  const label = (c: { label: string; retired: boolean }) =>
    `${c.label}${c.retired ? t('segments.retired') : ''}`;

  return (
    <>
      <RadioGroup
        legend={t('segments.match')}
        name={name}
        value={leaf.match}
        onChange={(v) => onChange({ ...leaf, match: v as 'any' | 'all' | 'none' })}
        options={[
          { value: 'any', label: t('segments.match.any') },
          { value: 'all', label: t('segments.match.all') },
          { value: 'none', label: t('segments.match.none') },
        ]}
      />
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-std-16B-170 text-solid-gray-800">
          {item ? `${t('segments.choices')}: ${item.label}` : t('segments.choices')}
        </legend>
        {item?.type === 'area' && (
          <p className="text-std-16N-170 text-solid-gray-600">{t('segments.areaHint')}</p>
        )}
        <div className="max-h-96 overflow-y-auto rounded-8 border border-solid-gray-300 px-3 py-2">
          <ul className="grid grid-cols-[repeat(auto-fill,minmax(14rem,1fr))] gap-x-4">
            {roots.map((c) => {
              const towns = childrenOf(c.id);
              return (
                <li key={c.id} className={towns.length > 0 ? 'col-span-full' : ''}>
                  <Checkbox
                    label={label(c)}
                    checked={selected.has(c.id)}
                    onChange={(on) => toggle(c.id, on)}
                  />
                  {towns.length > 0 && (
                    <ul className="ml-9 grid grid-cols-[repeat(auto-fill,minmax(12rem,1fr))] gap-x-4">
                      {towns.map((town) => (
                        <li key={town.id}>
                          <Checkbox
                            label={label(town)}
                            checked={selected.has(town.id)}
                            onChange={(on) => toggle(town.id, on)}
                          />
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      </fieldset>
    </>
  );
}

/**
 * One condition on the friend's registered attributes, on its own (a chatbot branch rule checks one
 * condition, B-03): the same editor as a leaf of the segment builder, without NOT.
 */
export function SegmentConditionField({
  form,
  value,
  onChange,
  path,
  onRemove,
}: {
  form: RegistrationForm | undefined;
  value: SegmentLeaf;
  onChange: (leaf: SegmentLeaf) => void;
  /** Names the condition in its legend and the remove button (e.g. 「1-2」). */
  path: string;
  onRemove?: () => void;
}) {
  const t = useT();
  return (
    <ConditionEditor
      leaf={value}
      negated={false}
      path={path}
      onChange={onChange}
      onNegate={undefined}
      onRemove={onRemove}
      ctx={{ t, form, leaves: 1 }}
    />
  );
}
