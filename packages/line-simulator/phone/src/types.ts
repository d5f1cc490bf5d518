// Shapes of the simulator's /_sim API and of the LINE message objects the phone renders.
// LINE objects are typed loosely (every field optional) because the phone must render whatever
// the product sent, including objects the simulator accepted but the phone only partly knows.

export type FollowState = 'following' | 'blocked' | 'none';

export interface LiffApp {
  liffId: string;
  endpointUrl: string;
}

export interface Channel {
  channelId: string;
  name: string;
  botUserId?: string;
  liffApps?: LiffApp[];
}

export interface SimUser {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  follows?: Record<string, FollowState | undefined>;
}

export interface WebhookResult {
  webhookStatus?: number | string | null;
  webhookError?: string;
  event?: { timestamp?: number; [key: string]: unknown };
}

export interface InboxEntry {
  id: string;
  at: string | number;
  via?: string;
  message: LineMessage;
}

export interface RichMenuBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RichMenu {
  richMenuId?: string;
  size: { width: number; height: number };
  selected?: boolean;
  name?: string;
  chatBarText?: string;
  areas: { bounds: RichMenuBounds; action: Action }[];
}

export interface RichMenuState {
  richMenu: RichMenu;
  imageUrl: string;
  /** Why the user sees it: linked to the user (per-user menu, or a tab switch) or the default. */
  source?: 'user' | 'default';
}

export interface RichMenuTapResult {
  action?: Action;
  uri?: string;
  /** A LIFF uri already opened by the simulator (with credentials). */
  liffUrl?: string;
  clipboardText?: string;
  webhookStatus?: number | string | null;
  webhookError?: string;
}

/** Events of GET /_sim/events (server-sent events). */
export type SimEvent =
  | { type: 'delivery'; channelId: string; via?: string; userIds?: string[] }
  | { type: 'richmenu'; channelId: string; userIds?: string[] | 'all' }
  | { type: 'follow'; channelId: string; userId: string; state?: string }
  | { type: 'loading'; channelId: string; userId: string; seconds?: number };

/** Any LINE action object (message, postback, uri, datetimepicker, location, richmenuswitch, …). */
export interface Action {
  type: string;
  label?: string;
  text?: string;
  data?: string;
  displayText?: string;
  inputOption?: string;
  fillInText?: string;
  uri?: string;
  altUri?: { desktop?: string };
  mode?: 'date' | 'time' | 'datetime';
  initial?: string;
  max?: string;
  min?: string;
  richMenuAliasId?: string;
  clipboardText?: string;
}

export interface QuickReplyItem {
  type?: string;
  imageUrl?: string;
  action: Action;
}

export interface Emoji {
  index: number;
  productId?: string;
  emojiId?: string;
}

export interface Sender {
  name?: string;
  iconUrl?: string;
}

export interface ImagemapAction {
  type: string;
  area: RichMenuBounds;
  text?: string;
  linkUri?: string;
  clipboardText?: string;
  label?: string;
}

export interface TemplateColumn {
  thumbnailImageUrl?: string;
  imageBackgroundColor?: string;
  imageUrl?: string;
  title?: string;
  text?: string;
  defaultAction?: Action;
  action?: Action;
  actions?: Action[];
}

export interface Template extends TemplateColumn {
  type: string;
  imageAspectRatio?: string;
  imageSize?: string;
  columns?: TemplateColumn[];
}

export interface FlexBlockStyle {
  backgroundColor?: string;
  separator?: boolean;
  separatorColor?: string;
}

/** A flex container (bubble / carousel) or component (box, text, image, …). */
export interface FlexNode {
  type: string;
  // containers
  size?: string;
  direction?: string;
  header?: FlexNode;
  hero?: FlexNode;
  body?: FlexNode;
  footer?: FlexNode;
  styles?: { header?: FlexBlockStyle; hero?: FlexBlockStyle; body?: FlexBlockStyle; footer?: FlexBlockStyle };
  // components
  layout?: string;
  contents?: FlexNode[];
  flex?: number;
  spacing?: string;
  margin?: string;
  position?: string;
  offsetTop?: string;
  offsetBottom?: string;
  offsetStart?: string;
  offsetEnd?: string;
  backgroundColor?: string;
  borderColor?: string;
  borderWidth?: string;
  cornerRadius?: string;
  width?: string;
  maxWidth?: string;
  height?: string;
  maxHeight?: string;
  paddingAll?: string;
  paddingTop?: string;
  paddingBottom?: string;
  paddingStart?: string;
  paddingEnd?: string;
  justifyContent?: string;
  alignItems?: string;
  background?: {
    type: string;
    angle?: string;
    startColor?: string;
    endColor?: string;
    centerColor?: string;
    centerPosition?: string;
  };
  action?: Action;
  text?: string;
  color?: string;
  weight?: string;
  style?: string;
  decoration?: string;
  align?: string;
  gravity?: string;
  wrap?: boolean;
  maxLines?: number;
  lineSpacing?: string;
  url?: string;
  previewUrl?: string;
  altContent?: FlexNode;
  aspectRatio?: string;
  aspectMode?: string;
}

/** Any LINE message object. */
export interface LineMessage {
  type: string;
  quickReply?: { items?: QuickReplyItem[] };
  sender?: Sender;
  altText?: string;
  // text / textV2
  text?: string;
  emojis?: Emoji[];
  substitution?: Record<string, { type: string; productId?: string; emojiId?: string }>;
  // sticker
  packageId?: string;
  stickerId?: string;
  // image / video / audio
  originalContentUrl?: string;
  previewImageUrl?: string;
  duration?: number;
  /** Image the user sent from the phone. */
  dataUrl?: string;
  // location
  title?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  // imagemap
  baseUrl?: string;
  baseSize?: { width: number; height: number };
  actions?: ImagemapAction[];
  // template / flex
  template?: Template;
  contents?: FlexNode;
  // coupon
  couponId?: string;
}

/** A message the user sent from this phone, kept locally (sessionStorage). */
export interface SentEntry {
  id: string;
  at: number;
  message: LineMessage;
  state: 'sending' | 'sent' | 'failed';
}

export type TimelineEntry =
  | { from: 'account'; id: string; at: number; via?: string; message: LineMessage }
  | ({ from: 'user' } & SentEntry);
