import { useId } from 'react';
import { Button } from '../../components/Button.tsx';
import { describedBy, ErrorText } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { baseHeight, LAYOUTS, type LayoutId, resizeActions } from './imagemap.ts';
import { ImagemapImage } from './LinePreview.tsx';
import { MediaUpload } from './MediaUpload.tsx';
import {
  type CardDraft,
  type DraftType,
  type ImagemapDraft,
  MAX_BUTTONS,
  MAX_MESSAGES,
  MAX_TEXT,
  type MessageDraft,
  newDraft,
  type TextDraft,
  textLength,
} from './messages.ts';

const TYPE_KEYS: Record<DraftType, MessageKey> = {
  text: 'composer.type.text',
  image: 'composer.type.image',
  imagemap: 'composer.type.imagemap',
  card: 'composer.type.card',
};
const LAYOUT_KEYS: Record<LayoutId, MessageKey> = {
  full: 'imagemap.layout.full',
  cols2: 'imagemap.layout.cols2',
  rows2: 'imagemap.layout.rows2',
  grid2x2: 'imagemap.layout.grid2x2',
  grid2x3: 'imagemap.layout.grid2x3',
};

type Errors = Record<string, string>;

/** The 1–5 messages: one editor each, reorder / remove, and add buttons per type. */
export function MessagesEditor({
  messages,
  onChange,
  errors,
  disabled,
}: {
  messages: MessageDraft[];
  onChange: (messages: MessageDraft[]) => void;
  errors: Errors;
  disabled: boolean;
}) {
  const t = useT();
  const full = messages.length >= MAX_MESSAGES;
  const move = (i: number, by: number) => {
    const next = [...messages];
    const [item] = next.splice(i, 1);
    if (item) next.splice(i + by, 0, item);
    onChange(next);
  };
  const replace = (i: number, draft: MessageDraft) => onChange(messages.map((m, j) => (j === i ? draft : m)));

  return (
    <div className="flex flex-col gap-4">
      {errors.messages && <ErrorText id="messages-error">{errors.messages}</ErrorText>}
      <ol className="flex flex-col gap-4">
        {messages.map((m, i) => {
          const n = i + 1;
          const kind = t(TYPE_KEYS[m.type]);
          return (
            <li key={m.key}>
              <fieldset
                className="rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-4"
                disabled={disabled}
              >
                <legend className="px-1 text-std-17B-170 text-solid-gray-900">
                  {t('composer.messageN', { n, type: kind })}
                </legend>
                <div className="mb-3 flex flex-wrap gap-2">
                  <Button
                    variant="tertiary"
                    size="sm"
                    disabled={i === 0}
                    aria-label={t('composer.moveUpLabel', { n })}
                    onClick={() => move(i, -1)}
                  >
                    {t('composer.moveUp')}
                  </Button>
                  <Button
                    variant="tertiary"
                    size="sm"
                    disabled={i === messages.length - 1}
                    aria-label={t('composer.moveDownLabel', { n })}
                    onClick={() => move(i, 1)}
                  >
                    {t('composer.moveDown')}
                  </Button>
                  <Button
                    variant="tertiary"
                    size="sm"
                    aria-label={t('composer.removeLabel', { n })}
                    onClick={() => onChange(messages.filter((_, j) => j !== i))}
                  >
                    {t('common.delete')}
                  </Button>
                </div>
                {errors[`messages.${i}`] && (
                  <div className="mb-3">
                    <ErrorText id={`message-${i}-error`}>{errors[`messages.${i}`]}</ErrorText>
                  </div>
                )}
                <MessageEditor n={n} index={i} draft={m} onChange={(d) => replace(i, d)} errors={errors} />
              </fieldset>
            </li>
          );
        })}
      </ol>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">{t('composer.addGroup')}</legend>
        <div className="flex flex-wrap gap-2">
          {(Object.keys(TYPE_KEYS) as DraftType[]).map((type) => (
            <Button
              key={type}
              variant="secondary"
              size="sm"
              disabled={full || disabled}
              aria-describedby={full ? 'messages-full' : undefined}
              onClick={() => onChange([...messages, newDraft(type)])}
            >
              {t('composer.addType', { type: t(TYPE_KEYS[type]) })}
            </Button>
          ))}
        </div>
        {full && (
          <p id="messages-full" className="text-dns-14N-130 text-solid-gray-700">
            {t('composer.maxReached', { max: MAX_MESSAGES })}
          </p>
        )}
      </fieldset>
    </div>
  );
}

function MessageEditor({
  n,
  index,
  draft,
  onChange,
  errors,
}: {
  n: number;
  index: number;
  draft: MessageDraft;
  onChange: (draft: MessageDraft) => void;
  errors: Errors;
}) {
  const t = useT();
  const p = `messages.${index}`;
  switch (draft.type) {
    case 'text':
      return <TextEditor n={n} draft={draft} onChange={onChange} error={errors[`${p}.text`]} />;
    case 'image':
      return (
        <MediaUpload
          label={t('media.label', { n })}
          value={draft.media}
          onChange={(media) => onChange({ ...draft, media })}
          error={errors[`${p}.media`]}
          required
          previewAlt={t('media.previewAlt', { n })}
        />
      );
    case 'imagemap':
      return <ImagemapEditor n={n} p={p} draft={draft} onChange={onChange} errors={errors} />;
    case 'card':
      return <CardEditor n={n} p={p} draft={draft} onChange={onChange} errors={errors} />;
  }
}

function TextEditor({
  n,
  draft,
  onChange,
  error,
}: {
  n: number;
  draft: TextDraft;
  onChange: (draft: MessageDraft) => void;
  error: string | undefined;
}) {
  const t = useT();
  const id = useId();
  const counterId = `${id}-counter`;
  const length = textLength(draft.text);
  const over = length > MAX_TEXT;
  return (
    <div className="flex flex-col gap-1">
      <TextArea
        id={id}
        label={t('text.label', { n })}
        hint={t('text.hint')}
        required
        rows={6}
        value={draft.text}
        onChange={(text) => onChange({ ...draft, text })}
        error={error}
        // The counter is read with the field (not announced on every key).
        aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`, counterId)}
      />
      <p
        id={counterId}
        data-testid={`text-counter-${n}`}
        className={`self-end text-dns-16N-130 ${over ? 'font-bold text-error-1' : 'text-solid-gray-700'}`}
      >
        {t('text.counter', { count: formatNumber(length), max: formatNumber(MAX_TEXT) })}
      </p>
    </div>
  );
}

function ImagemapEditor({
  n,
  p,
  draft,
  onChange,
  errors,
}: {
  n: number;
  p: string;
  draft: ImagemapDraft;
  onChange: (draft: MessageDraft) => void;
  errors: Errors;
}) {
  const t = useT();
  const setLayout = (layout: string) =>
    onChange({
      ...draft,
      layout: layout as LayoutId,
      areas: resizeActions(draft.areas, layout as LayoutId),
      customAreas: null,
    });
  return (
    <div className="flex flex-col gap-5">
      <MediaUpload
        label={t('media.label', { n })}
        hint={t('imagemap.imageHint')}
        value={draft.media}
        onChange={(media) =>
          onChange({ ...draft, media, height: baseHeight(media.width ?? 1040, media.height ?? 1040) })
        }
        error={errors[`${p}.media`]}
        required
        previewAlt={t('media.previewAlt', { n })}
      />
      <TextField
        label={t('imagemap.altText')}
        hint={t('imagemap.altTextHint')}
        required
        maxLength={400}
        value={draft.altText}
        onChange={(altText) => onChange({ ...draft, altText })}
        error={errors[`${p}.altText`]}
      />
      <RadioGroup
        legend={t('imagemap.layout')}
        name={`layout-${draft.key}`}
        value={draft.customAreas ? '' : draft.layout}
        onChange={setLayout}
        hint={draft.customAreas ? t('imagemap.custom') : undefined}
        options={LAYOUTS.map((l) => ({ value: l.id, label: t(LAYOUT_KEYS[l.id]) }))}
      />
      {draft.media && (
        <div className="max-w-80">
          <p className="mb-1 text-dns-14N-130 text-solid-gray-700">{t('imagemap.numbersHint')}</p>
          <ImagemapImage draft={draft} numbered />
        </div>
      )}
      <ol className="flex flex-col gap-4">
        {draft.areas.map((area, j) => {
          const an = j + 1;
          const setArea = (next: Partial<typeof area>) =>
            onChange({ ...draft, areas: draft.areas.map((a, k) => (k === j ? { ...a, ...next } : a)) });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: areas are positional.
            <li key={j} className="grid grid-cols-[12rem_minmax(0,1fr)] items-start gap-4">
              <Select
                label={t('imagemap.areaKind', { n: an })}
                value={area.kind}
                onChange={(kind) => setArea({ kind: kind as 'uri' | 'message' })}
                options={[
                  { value: 'uri', label: t('imagemap.kindUri') },
                  { value: 'message', label: t('imagemap.kindMessage') },
                ]}
              />
              <TextField
                label={
                  area.kind === 'uri' ? t('imagemap.areaUrl', { n: an }) : t('imagemap.areaText', { n: an })
                }
                required
                type={area.kind === 'uri' ? 'url' : 'text'}
                inputMode={area.kind === 'uri' ? 'url' : undefined}
                placeholder={area.kind === 'uri' ? 'https://' : undefined}
                value={area.value}
                onChange={(value) => setArea({ value })}
                error={errors[`${p}.areas.${j}`]}
              />
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function CardEditor({
  n,
  p,
  draft,
  onChange,
  errors,
}: {
  n: number;
  p: string;
  draft: CardDraft;
  onChange: (draft: MessageDraft) => void;
  errors: Errors;
}) {
  const t = useT();
  const setButton = (j: number, next: Partial<CardDraft['buttons'][number]>) =>
    onChange({ ...draft, buttons: draft.buttons.map((b, k) => (k === j ? { ...b, ...next } : b)) });
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <MediaUpload
          label={t('card.image')}
          value={draft.image}
          onChange={(image) => onChange({ ...draft, image })}
          previewAlt={t('media.previewAlt', { n })}
        />
        {draft.image && (
          <Button
            variant="tertiary"
            size="sm"
            className="self-start"
            onClick={() => onChange({ ...draft, image: null })}
          >
            {t('card.removeImage')}
          </Button>
        )}
      </div>
      <TextField
        label={t('card.title')}
        hint={t('card.titleHint')}
        required
        maxLength={400}
        value={draft.title}
        onChange={(title) => onChange({ ...draft, title })}
        error={errors[`${p}.title`]}
      />
      <TextArea
        label={t('card.body')}
        rows={3}
        value={draft.body}
        onChange={(body) => onChange({ ...draft, body })}
        error={errors[`${p}.body`]}
      />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1.5 text-std-16B-170 text-solid-gray-800">
          {t('card.buttons', { max: MAX_BUTTONS })}
        </legend>
        {draft.buttons.map((b, j) => {
          const bn = j + 1;
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: buttons are positional.
              key={j}
              className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.5fr)_auto] items-end gap-3"
            >
              <TextField
                label={t('card.buttonLabel', { n: bn })}
                required
                maxLength={40}
                value={b.label}
                onChange={(label) => setButton(j, { label })}
                error={errors[`${p}.buttons.${j}.label`]}
              />
              <TextField
                label={t('card.buttonUrl', { n: bn })}
                required
                type="url"
                placeholder="https://"
                value={b.uri}
                onChange={(uri) => setButton(j, { uri })}
                error={errors[`${p}.buttons.${j}.uri`]}
              />
              <Button
                variant="tertiary"
                size="sm"
                aria-label={t('card.removeButton', { n: bn })}
                onClick={() => onChange({ ...draft, buttons: draft.buttons.filter((_, k) => k !== j) })}
              >
                {t('common.delete')}
              </Button>
            </div>
          );
        })}
        <Button
          variant="secondary"
          size="sm"
          className="self-start"
          disabled={draft.buttons.length >= MAX_BUTTONS}
          onClick={() => onChange({ ...draft, buttons: [...draft.buttons, { label: '', uri: '' }] })}
        >
          {t('card.addButton')}
        </Button>
      </fieldset>
    </div>
  );
}
