import {
  type CarouselColumn,
  CHATBOT_LIMITS,
  type ScenarioButton,
  type ScenarioMessage,
} from '@madoguchi/contracts/chatbot.ts';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { mediaRefOf } from '../deliveries/api.ts';
import { MediaUpload } from '../deliveries/MediaUpload.tsx';
import { UNCONNECTED } from './graph.ts';

// The messages a message node sends (B-01): text with quick replies, buttons, carousel, card, image.
// A button leads to a node (connected in 「つながり」 below, or by dragging) or opens a link.

const KINDS: ScenarioMessage['kind'][] = ['text', 'buttons', 'carousel', 'card', 'image'];

/** Gives new buttons / columns IDs not used in the node. */
export type IdMaker = (prefix: string) => string;

const lines = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

function emptyMessage(kind: ScenarioMessage['kind'], newId: IdMaker): ScenarioMessage {
  switch (kind) {
    case 'text':
      return { kind, text: '' };
    case 'buttons':
      return { kind, text: '', buttons: [] };
    case 'carousel':
      return {
        kind,
        altText: '',
        columns: [{ id: newId('col'), title: '', text: '', imageMediaId: null, buttons: [] }],
      };
    case 'card':
      return { kind, title: '', text: '', imageMediaId: null, buttons: [] };
    case 'image':
      return { kind, mediaId: '' };
  }
}

export function MessagesEditor({
  messages,
  onChange,
  newId,
}: {
  messages: ScenarioMessage[];
  onChange: (messages: ScenarioMessage[]) => void;
  newId: IdMaker;
}) {
  const t = useT();
  const set = (i: number, m: ScenarioMessage) => onChange(messages.map((x, j) => (j === i ? m : x)));
  return (
    <div className="flex flex-col gap-4">
      {messages.map((message, i) => {
        const n = i + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages have no ID; their order is their identity
          <fieldset key={i} className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-3">
            <legend className="px-1 text-std-16B-170">{t('chatbot.msg.legend', { n })}</legend>
            <div className="flex flex-wrap items-end justify-between gap-2">
              <Select
                label={t('chatbot.msg.kind')}
                value={message.kind}
                onChange={(kind) => set(i, emptyMessage(kind as ScenarioMessage['kind'], newId))}
                options={KINDS.map((k) => ({ value: k, label: t(`chatbot.msg.kind.${k}` as MessageKey) }))}
                selectClassName="w-48"
              />
              <Button
                variant="tertiary"
                size="sm"
                aria-label={t('chatbot.msg.removeLabel', { n })}
                onClick={() => onChange(messages.filter((_, j) => j !== i))}
              >
                {t('common.delete')}
              </Button>
            </div>
            <MessageFields message={message} onChange={(m) => set(i, m)} newId={newId} n={n} />
          </fieldset>
        );
      })}
      {messages.length < CHATBOT_LIMITS.messagesPerNode && (
        <Button
          variant="secondary"
          size="sm"
          className="self-start"
          onClick={() => onChange([...messages, emptyMessage('text', newId)])}
        >
          {t('chatbot.msg.add')}
        </Button>
      )}
    </div>
  );
}

function MessageFields({
  message,
  onChange,
  newId,
  n,
}: {
  message: ScenarioMessage;
  onChange: (m: ScenarioMessage) => void;
  newId: IdMaker;
  n: number;
}) {
  const t = useT();
  switch (message.kind) {
    case 'text':
      return (
        <>
          <TextArea
            label={t('chatbot.msg.text')}
            value={message.text}
            maxLength={CHATBOT_LIMITS.text}
            onChange={(text) => onChange({ ...message, text })}
          />
          <TextArea
            label={t('chatbot.msg.quickReplies')}
            hint={t('chatbot.msg.quickRepliesHint', { max: CHATBOT_LIMITS.quickReplies })}
            rows={3}
            value={(message.quickReplies ?? []).join('\n')}
            onChange={(v) => {
              const items = v.split('\n').slice(0, CHATBOT_LIMITS.quickReplies);
              onChange({ ...message, quickReplies: v.trim() ? items : [] });
            }}
            onBlur={() =>
              onChange({ ...message, quickReplies: lines((message.quickReplies ?? []).join('\n')) })
            }
          />
        </>
      );
    case 'buttons':
      return (
        <>
          <TextField
            label={t('chatbot.msg.title')}
            value={message.title ?? ''}
            maxLength={CHATBOT_LIMITS.title}
            onChange={(title) => onChange({ ...message, title })}
          />
          <TextArea
            label={t('chatbot.msg.text')}
            rows={3}
            value={message.text}
            maxLength={CHATBOT_LIMITS.buttonsText}
            onChange={(text) => onChange({ ...message, text })}
          />
          <ButtonsEditor
            buttons={message.buttons}
            onChange={(buttons) => onChange({ ...message, buttons })}
            newId={newId}
            name={t('chatbot.msg.legend', { n })}
          />
        </>
      );
    case 'card':
      return (
        <PanelFields
          panel={message}
          onChange={(panel) => onChange({ ...message, ...panel })}
          textMax={CHATBOT_LIMITS.text}
          rows={3}
          newId={newId}
          name={t('chatbot.msg.legend', { n })}
        />
      );
    case 'carousel':
      return (
        <>
          <TextField
            label={t('chatbot.msg.altText')}
            hint={t('chatbot.msg.altTextHint')}
            value={message.altText}
            maxLength={400}
            onChange={(altText) => onChange({ ...message, altText })}
          />
          {message.columns.map((column, ci) => {
            const setColumn = (c: CarouselColumn) =>
              onChange({ ...message, columns: message.columns.map((x, j) => (j === ci ? c : x)) });
            const name = t('chatbot.msg.column', { n: ci + 1 });
            return (
              <fieldset
                key={column.id}
                className="flex flex-col gap-3 rounded-8 border border-solid-gray-300 p-3"
              >
                <legend className="px-1 text-std-16B-170">{name}</legend>
                <PanelFields
                  panel={column}
                  onChange={(panel) => setColumn({ ...column, ...panel })}
                  textMax={CHATBOT_LIMITS.carouselText}
                  rows={2}
                  newId={newId}
                  name={name}
                />
                {message.columns.length > 1 && (
                  <Button
                    variant="tertiary"
                    size="sm"
                    className="self-start"
                    aria-label={t('chatbot.msg.removeColumnLabel', { n: ci + 1 })}
                    onClick={() =>
                      onChange({ ...message, columns: message.columns.filter((_, j) => j !== ci) })
                    }
                  >
                    {t('chatbot.msg.removeColumn')}
                  </Button>
                )}
              </fieldset>
            );
          })}
          {message.columns.length < CHATBOT_LIMITS.carouselColumns && (
            <Button
              variant="secondary"
              size="sm"
              className="self-start"
              onClick={() =>
                onChange({
                  ...message,
                  columns: [
                    ...message.columns,
                    { id: newId('col'), title: '', text: '', imageMediaId: null, buttons: [] },
                  ],
                })
              }
            >
              {t('chatbot.msg.addColumn')}
            </Button>
          )}
          <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.msg.carouselHint')}</p>
        </>
      );
    case 'image':
      return (
        <MediaUpload
          label={t('chatbot.msg.image')}
          required
          value={message.mediaId ? mediaRefOf(message.mediaId) : null}
          onChange={(media) => onChange({ ...message, mediaId: media.id })}
          previewAlt={t('chatbot.msg.imageAlt')}
        />
      );
  }
}

/** Up to 4 buttons: a label and where it leads (a node of this scenario, or a link). */
function ButtonsEditor({
  buttons,
  onChange,
  newId,
  name,
}: {
  buttons: ScenarioButton[];
  onChange: (buttons: ScenarioButton[]) => void;
  newId: IdMaker;
  /** The message or column the buttons belong to (names the remove buttons). */
  name: string;
}) {
  const t = useT();
  const set = (i: number, b: ScenarioButton) => onChange(buttons.map((x, j) => (j === i ? b : x)));
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-std-16B-170">{t('chatbot.btn.legend')}</legend>
      {buttons.map((button, i) => (
        <div key={button.id} className="flex flex-col gap-2 rounded-8 bg-solid-gray-50 p-3">
          <TextField
            label={t('chatbot.btn.label', { n: i + 1 })}
            value={button.label}
            maxLength={CHATBOT_LIMITS.label}
            onChange={(label) => set(i, { ...button, label })}
          />
          <Select
            label={t('chatbot.btn.target', { n: i + 1 })}
            value={button.target.kind}
            onChange={(kind) =>
              set(i, {
                ...button,
                target: kind === 'uri' ? { kind: 'uri', uri: '' } : { kind: 'node', next: UNCONNECTED },
              })
            }
            options={[
              { value: 'node', label: t('chatbot.btn.target.node') },
              { value: 'uri', label: t('chatbot.btn.target.uri') },
            ]}
            selectClassName="w-60"
          />
          {button.target.kind === 'uri' ? (
            <TextField
              label={t('chatbot.btn.uri', { n: i + 1 })}
              type="url"
              inputMode="url"
              value={button.target.uri}
              onChange={(uri) => set(i, { ...button, target: { kind: 'uri', uri: uri.trim() } })}
            />
          ) : (
            <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.btn.nodeHint')}</p>
          )}
          <Button
            variant="tertiary"
            size="sm"
            className="self-start"
            aria-label={t('chatbot.btn.removeLabel', { name, n: i + 1 })}
            onClick={() => onChange(buttons.filter((_, j) => j !== i))}
          >
            {t('common.delete')}
          </Button>
        </div>
      ))}
      {buttons.length < CHATBOT_LIMITS.buttons && (
        <Button
          variant="secondary"
          size="sm"
          className="self-start"
          onClick={() =>
            onChange([
              ...buttons,
              { id: newId('btn'), label: '', target: { kind: 'node', next: UNCONNECTED } },
            ])
          }
        >
          {t('chatbot.btn.add')}
        </Button>
      )}
    </fieldset>
  );
}

/** The fields a card and a carousel panel share: title, text, an optional image, buttons. */
interface Panel {
  title: string;
  text: string;
  imageMediaId?: string | null | undefined;
  buttons: ScenarioButton[];
}

function PanelFields(props: {
  panel: Panel;
  onChange: (panel: Panel) => void;
  textMax: number;
  rows: number;
  newId: IdMaker;
  name: string;
}) {
  const t = useT();
  const { panel, onChange } = props;
  return (
    <>
      <TextField
        label={t('chatbot.msg.title')}
        value={panel.title}
        maxLength={CHATBOT_LIMITS.title}
        onChange={(title) => onChange({ ...panel, title })}
      />
      <TextArea
        label={t('chatbot.msg.text')}
        rows={props.rows}
        value={panel.text}
        maxLength={props.textMax}
        onChange={(text) => onChange({ ...panel, text })}
      />
      <MediaUpload
        label={t('chatbot.msg.imageOptional')}
        value={panel.imageMediaId ? mediaRefOf(panel.imageMediaId) : null}
        onChange={(media) => onChange({ ...panel, imageMediaId: media.id })}
        previewAlt={t('chatbot.msg.imageAlt')}
      />
      <ButtonsEditor
        buttons={panel.buttons}
        onChange={(buttons) => onChange({ ...panel, buttons })}
        newId={props.newId}
        name={props.name}
      />
    </>
  );
}
