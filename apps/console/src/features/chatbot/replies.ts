import type { TestInput } from '@madoguchi/contracts/chatbot.ts';

// The test panel (B-01) shows the LINE messages a test turn answers like a phone chat. This reads
// the Messaging API message objects (text with quick replies, buttons / carousel templates, a flex
// bubble, an image) into a small view model; anything else is shown by its altText.

/** What tapping a button does in the test chat: send a postback or a text, or open a link. */
export type ChatAction =
  | { label: string; kind: 'send'; input: TestInput }
  | { label: string; kind: 'link'; uri: string }
  | { label: string; kind: 'none' };

export interface ChatColumn {
  title: string;
  text: string;
  imageUrl: string | null;
  actions: ChatAction[];
}

export type ChatItem =
  | { kind: 'text'; text: string; quickReplies: ChatAction[] }
  | { kind: 'buttons'; title: string; text: string; imageUrl: string | null; actions: ChatAction[] }
  | { kind: 'carousel'; columns: ChatColumn[] }
  | { kind: 'card'; texts: string[]; imageUrl: string | null; actions: ChatAction[] }
  | { kind: 'image'; url: string }
  | { kind: 'other'; text: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A LINE action object as a test-chat action. */
export function toAction(raw: unknown): ChatAction {
  if (!isObj(raw)) return { label: '', kind: 'none' };
  const label = str(raw.label) || str(raw.displayText) || str(raw.text);
  switch (raw.type) {
    case 'postback':
      return { label, kind: 'send', input: { kind: 'postback', data: str(raw.data) } };
    case 'message':
      return { label, kind: 'send', input: { kind: 'text', text: str(raw.text) } };
    case 'uri':
      return { label, kind: 'link', uri: str(raw.uri) };
    default:
      return { label, kind: 'none' };
  }
}

/** Texts, an image and button actions found in a flex bubble, in reading order. */
function readFlex(node: unknown, out: { texts: string[]; imageUrl: string | null; actions: ChatAction[] }) {
  if (!isObj(node)) return;
  if (node.type === 'text' && str(node.text)) out.texts.push(str(node.text));
  if (node.type === 'image' && !out.imageUrl && str(node.url)) out.imageUrl = str(node.url);
  if (node.type === 'button' && isObj(node.action)) out.actions.push(toAction(node.action));
  for (const key of ['hero', 'header', 'body', 'footer']) readFlex(node[key], out);
  for (const child of list(node.contents)) readFlex(child, out);
}

function fromTemplate(message: Obj): ChatItem {
  const template = isObj(message.template) ? message.template : {};
  if (template.type === 'carousel') {
    return {
      kind: 'carousel',
      columns: list(template.columns)
        .filter(isObj)
        .map((c) => ({
          title: str(c.title),
          text: str(c.text),
          imageUrl: str(c.thumbnailImageUrl) || null,
          actions: list(c.actions).map(toAction),
        })),
    };
  }
  if (template.type === 'buttons' || template.type === 'confirm') {
    return {
      kind: 'buttons',
      title: str(template.title),
      text: str(template.text),
      imageUrl: str(template.thumbnailImageUrl) || null,
      actions: list(template.actions).map(toAction),
    };
  }
  return { kind: 'other', text: str(message.altText) };
}

/** One reply (a Messaging API message object) as a chat item. */
export function toChatItem(raw: unknown): ChatItem {
  if (!isObj(raw)) return { kind: 'other', text: '' };
  switch (raw.type) {
    case 'text': {
      const quick = isObj(raw.quickReply) ? list(raw.quickReply.items) : [];
      return {
        kind: 'text',
        text: str(raw.text),
        quickReplies: quick.filter(isObj).map((item) => toAction(item.action)),
      };
    }
    case 'template':
      return fromTemplate(raw);
    case 'flex': {
      const out = { texts: [] as string[], imageUrl: null as string | null, actions: [] as ChatAction[] };
      readFlex(raw.contents, out);
      if (out.texts.length === 0 && !out.imageUrl && out.actions.length === 0) {
        return { kind: 'other', text: str(raw.altText) };
      }
      return { kind: 'card', ...out };
    }
    case 'image':
      return { kind: 'image', url: str(raw.previewImageUrl) || str(raw.originalContentUrl) };
    default:
      return { kind: 'other', text: str(raw.altText) || str(raw.text) };
  }
}

/** What the friend's own bubble shows for a test input. */
export function inputText(input: TestInput, label?: string): string | null {
  if (input.kind === 'text') return input.text;
  if (input.kind === 'postback') return label ?? input.data;
  return null;
}
