// The simulator's domain objects: channels (LINE official accounts), virtual users, friendships,
// rich menus and deliveries.

export type JsonObject = Record<string, unknown>;

export interface LiffApp {
  liffId: string;
  endpointUrl: string;
}

export interface ChannelConfig {
  channelId: string;
  name: string;
  channelSecret: string;
  accessToken: string;
  webhookUrl: string;
  botUserId: string;
  basicId: string;
  pictureUrl?: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  liffApps: LiffApp[];
}

export interface VirtualUser {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  statusMessage?: string;
  /** Created by POST /_sim/users/bulk (benchmarks); hidden from GET /_sim/users unless asked for. */
  bulk?: boolean;
}

export type SendVia = 'reply' | 'push' | 'multicast' | 'narrowcast' | 'broadcast';

/** One accepted send request; shared by all its recipients (multicast stays O(1) per recipient). */
export interface Delivery {
  id: string;
  at: number;
  via: SendVia;
  messages: JsonObject[];
  messageIds: string[];
}

export type FollowState = 'following' | 'blocked' | 'none';

/** The relation between one user and one channel. */
export interface Friendship {
  userId: string;
  state: FollowState;
  followedAt?: number;
  /** Deliveries received, oldest first (bounded). */
  inbox: Delivery[];
  /** Number of deliveries and of message objects received since start (never trimmed). */
  deliveries: number;
  messages: number;
  linkedRichMenuId?: string;
}

export interface RichMenu {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: { bounds: { x: number; y: number; width: number; height: number }; action: JsonObject }[];
  image?: { contentType: string; data: Buffer };
}

/** Content a virtual user sent (images), retrievable with the get-content endpoint. */
export interface MessageContent {
  channelId: string;
  contentType: string;
  data: Buffer;
}
