import type { MessageKey } from '../../i18n/ja.ts';
import {
  type DeliveryMessage,
  type FlexBox,
  type FlexBubble,
  type FlexButton,
  type FlexText,
  type ImagemapArea,
  type MediaRef,
  mediaRefOf,
} from './api.ts';
import {
  type AreaAction,
  areaActionsOf,
  detectLayout,
  IMAGEMAP_WIDTH,
  imagemapActions,
  type LayoutId,
  resizeActions,
  toImagemapAction,
} from './imagemap.ts';

// The composer's editable form of the (up to 5) messages, and the conversions to and from the
// contract's message objects.

export const MAX_MESSAGES = 5;
export const MAX_TEXT = 5000;
export const MAX_ALT_TEXT = 400;
export const MAX_BUTTONS = 3;
export const MAX_BUTTON_LABEL = 40;

export type TextDraft = { key: string; type: 'text'; text: string };
export type ImageDraft = { key: string; type: 'image'; media: MediaRef | null };
export type ImagemapDraft = {
  key: string;
  type: 'imagemap';
  media: MediaRef | null;
  /** Base height (the width is 1040). */
  height: number;
  altText: string;
  layout: LayoutId;
  areas: AreaAction[];
  /** Areas of a saved imagemap that was not made from a template (kept until a layout is chosen). */
  customAreas: ImagemapArea[] | null;
};
export type CardButton = { label: string; uri: string };
export type CardDraft = {
  key: string;
  type: 'card';
  image: MediaRef | null;
  title: string;
  body: string;
  buttons: CardButton[];
};
export type MessageDraft = TextDraft | ImageDraft | ImagemapDraft | CardDraft;
export type DraftType = MessageDraft['type'];

let counter = 0;
const nextKey = () => `m${++counter}`;

export function newDraft(type: DraftType): MessageDraft {
  const key = nextKey();
  switch (type) {
    case 'text':
      return { key, type, text: '' };
    case 'image':
      return { key, type, media: null };
    case 'imagemap':
      return {
        key,
        type,
        media: null,
        height: IMAGEMAP_WIDTH,
        altText: '',
        layout: 'full',
        areas: resizeActions([], 'full'),
        customAreas: null,
      };
    case 'card':
      return { key, type, image: null, title: '', body: '', buttons: [] };
  }
}

/** Characters as LINE and the server count them (UTF-16 code units: most emoji count as 2). */
export function textLength(text: string): number {
  return text.length;
}

/** A link target the server and LINE accept: http(s)://, tel: or line://. */
export function isLinkUri(value: string): boolean {
  const v = value.trim();
  if (v.length > 1000 || !/^(https?:\/\/[^\s]+|tel:[0-9+\-()]+|line:\/\/[^\s]+)$/.test(v)) return false;
  if (!v.startsWith('http')) return true;
  try {
    return new URL(v).hostname.length > 0;
  } catch {
    return false;
  }
}

// ---- Card (flex bubble) ----

export function bubbleFromCard(card: CardDraft): FlexBubble {
  const texts: FlexText[] = [
    { type: 'text', text: card.title.trim(), weight: 'bold', size: 'lg', wrap: true },
  ];
  if (card.body.trim())
    texts.push({ type: 'text', text: card.body, size: 'sm', wrap: true, color: '#555555' });
  const bubble: FlexBubble = {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', spacing: 'md', contents: texts },
  };
  if (card.image)
    bubble.hero = {
      type: 'image',
      url: card.image.url,
      size: 'full',
      aspectRatio: '20:13',
      aspectMode: 'cover',
    };
  if (card.buttons.length > 0)
    bubble.footer = {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: card.buttons.map(
        (b): FlexButton => ({
          type: 'button',
          style: 'link',
          height: 'sm',
          action: { type: 'uri', label: b.label.trim(), uri: b.uri.trim() },
        }),
      ),
    };
  return bubble;
}

const MEDIA_URL_RE = /\/media\/([^/?#]+)/;

function textsOf(box: FlexBox | undefined): FlexText[] {
  return (box?.contents ?? []).flatMap((c) =>
    c.type === 'text' ? [c] : c.type === 'box' ? textsOf(c as FlexBox) : [],
  );
}

export function cardFromBubble(bubble: FlexBubble, key = nextKey()): CardDraft {
  const texts = textsOf(bubble.body);
  const heroUrl = bubble.hero?.url;
  const mediaId = heroUrl ? MEDIA_URL_RE.exec(heroUrl)?.[1] : undefined;
  const image: MediaRef | null = heroUrl
    ? mediaId
      ? { ...mediaRefOf(decodeURIComponent(mediaId)), url: heroUrl }
      : { id: '', url: heroUrl, previewUrl: heroUrl }
    : null;
  const buttons = (bubble.footer?.contents ?? []).flatMap((c) =>
    c.type === 'button' ? [{ label: c.action.label, uri: c.action.uri }] : [],
  );
  return {
    key,
    type: 'card',
    image,
    title: texts[0]?.text ?? '',
    body: texts
      .slice(1)
      .map((t) => t.text)
      .join('\n'),
    buttons,
  };
}

// ---- Conversions ----

/** The contract's message objects (call after validateMessages found no error). */
export function messagesFromDrafts(drafts: MessageDraft[]): DeliveryMessage[] {
  return drafts.map((d): DeliveryMessage => {
    switch (d.type) {
      case 'text':
        return { type: 'text', text: d.text };
      case 'image':
        return { type: 'image', mediaId: d.media?.id ?? '' };
      case 'imagemap': {
        const actions = d.customAreas
          ? d.customAreas.map((area, i) => toImagemapAction(d.areas[i], area))
          : imagemapActions(d.layout, d.height, d.areas);
        return {
          type: 'imagemap',
          mediaId: d.media?.id ?? '',
          altText: d.altText.trim(),
          baseSize: { width: IMAGEMAP_WIDTH, height: d.height },
          actions,
        };
      }
      default:
        return {
          type: 'flex',
          altText: d.title.trim().slice(0, MAX_ALT_TEXT),
          contents: bubbleFromCard(d),
        };
    }
  });
}

/** Editable drafts from saved messages (editing a draft or scheduled delivery). */
export function draftsFromMessages(messages: DeliveryMessage[]): MessageDraft[] {
  return messages.map((m): MessageDraft => {
    const key = nextKey();
    switch (m.type) {
      case 'text':
        return { key, type: 'text', text: m.text };
      case 'image':
        return { key, type: 'image', media: mediaRefOf(m.mediaId) };
      case 'imagemap': {
        const layout = detectLayout(m.baseSize.height, m.actions);
        const areas = areaActionsOf(m.actions);
        return {
          key,
          type: 'imagemap',
          media: mediaRefOf(m.mediaId, { width: IMAGEMAP_WIDTH, height: m.baseSize.height }),
          height: m.baseSize.height,
          altText: m.altText,
          layout: layout ?? 'full',
          areas,
          customAreas: layout ? null : m.actions.map((a) => a.area),
        };
      }
      default:
        // The contract allows any bubble; the console edits the cards it builds (FlexBubble).
        return cardFromBubble(m.contents as FlexBubble, key);
    }
  });
}

/** Client-side checks; keys are `messages.<i>.<field>` (the server's detail paths use the same start). */
export function validateMessages(drafts: MessageDraft[]): Record<string, MessageKey> {
  const errors: Record<string, MessageKey> = {};
  if (drafts.length === 0) errors.messages = 'deliveries.err.noMessages';
  if (drafts.length > MAX_MESSAGES) errors.messages = 'deliveries.err.tooManyMessages';
  drafts.forEach((d, i) => {
    const p = `messages.${i}`;
    switch (d.type) {
      case 'text':
        if (!d.text.trim()) errors[`${p}.text`] = 'deliveries.err.textEmpty';
        else if (textLength(d.text) > MAX_TEXT) errors[`${p}.text`] = 'deliveries.err.textLong';
        break;
      case 'image':
        if (!d.media) errors[`${p}.media`] = 'deliveries.err.imageMissing';
        break;
      case 'imagemap':
        if (!d.media) errors[`${p}.media`] = 'deliveries.err.imageMissing';
        if (!d.altText.trim()) errors[`${p}.altText`] = 'deliveries.err.altTextEmpty';
        else if (d.altText.length > MAX_ALT_TEXT) errors[`${p}.altText`] = 'deliveries.err.altTextLong';
        d.areas.forEach((a, j) => {
          const key = `${p}.areas.${j}`;
          if (!a.value.trim())
            errors[key] = a.kind === 'uri' ? 'deliveries.err.areaUrlEmpty' : 'deliveries.err.areaTextEmpty';
          else if (a.kind === 'uri' && !isLinkUri(a.value)) errors[key] = 'deliveries.err.url';
          else if (a.kind === 'message' && a.value.length > MAX_ALT_TEXT)
            errors[key] = 'deliveries.err.areaTextLong';
        });
        break;
      case 'card':
        if (!d.title.trim()) errors[`${p}.title`] = 'deliveries.err.cardTitleEmpty';
        if (d.buttons.length > MAX_BUTTONS) errors[`${p}.buttons`] = 'deliveries.err.tooManyButtons';
        d.buttons.forEach((b, j) => {
          if (!b.label.trim()) errors[`${p}.buttons.${j}.label`] = 'deliveries.err.buttonLabelEmpty';
          else if (b.label.trim().length > MAX_BUTTON_LABEL)
            errors[`${p}.buttons.${j}.label`] = 'deliveries.err.buttonLabelLong';
          if (!b.uri.trim()) errors[`${p}.buttons.${j}.uri`] = 'deliveries.err.areaUrlEmpty';
          else if (!isLinkUri(b.uri)) errors[`${p}.buttons.${j}.uri`] = 'deliveries.err.url';
        });
        break;
    }
  });
  return errors;
}

/**
 * Where a server error detail (`messages.0.actions.1.linkUri`, `messages.2.contents.footer…`) is shown:
 * the matching field of the editor, else the message as a whole.
 */
export function errorKeyOfPath(drafts: MessageDraft[], path: string): string {
  const m = /^messages\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!m) return path;
  const i = Number(m[1]);
  const rest = m[2] ?? '';
  const d = drafts[i];
  const p = `messages.${i}`;
  if (!d) return 'messages';
  if (d.type === 'text' && rest.startsWith('text')) return `${p}.text`;
  if ((d.type === 'image' || d.type === 'imagemap') && rest.startsWith('mediaId')) return `${p}.media`;
  if (d.type === 'imagemap' && rest.startsWith('altText')) return `${p}.altText`;
  const area = /^actions\.(\d+)/.exec(rest);
  if (d.type === 'imagemap' && area) return `${p}.areas.${area[1]}`;
  return p;
}

// ---- Preview ----

export type TextPart = { text: string; url?: string };

/** Splits text into plain parts and URLs (ASCII only, as LINE links them; trailing punctuation stays text). */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const re = /https?:\/\/[\x21-\x7e]+/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let url = m[0];
    const trimmed = url.replace(/[.,;:!?)\]'"]+$/, '');
    url = trimmed;
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: url, url });
    last = m.index + url.length;
    re.lastIndex = last;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Number of links a message will have counted (URLs of text, imagemap links, card buttons). */
export function linkCount(drafts: MessageDraft[]): number {
  let n = 0;
  for (const d of drafts) {
    if (d.type === 'text') n += linkify(d.text).filter((p) => p.url).length;
    if (d.type === 'imagemap') n += d.areas.filter((a) => a.kind === 'uri' && a.value.trim()).length;
    if (d.type === 'card') n += d.buttons.filter((b) => b.uri.trim()).length;
  }
  return n;
}
