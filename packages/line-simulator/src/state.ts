import { createHash } from 'node:crypto';
import { ChannelRuntime } from './channel-runtime.ts';
import { MessageIdGenerator } from './ids.ts';
import type { ChannelConfig, LiffApp, MessageContent, VirtualUser } from './model.ts';

/** Input of POST /_sim/channels. */
export interface ChannelInput {
  channelId: string;
  name?: string;
  channelSecret: string;
  accessToken: string;
  webhookUrl?: string;
  botUserId?: string;
  pictureUrl?: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  liffApps?: LiffApp[];
}

/** A LINE Login access token issued to a virtual user for a LIFF app. */
export interface LoginAccessToken {
  userId: string;
  channelId: string;
  loginChannelId: string;
  liffId: string;
  expiresAt: number;
}

const MAX_CONTENTS = 2_000;

/** Deterministic bot user ID for a channel (U + 32 hex), stable across restarts. */
export function botUserIdFor(channelId: string): string {
  return `U${createHash('sha256').update(`bot:${channelId}`).digest('hex').slice(0, 32)}`;
}

/** The simulator's in-memory state. Mutations call `changed()` so a state file can be written. */
export class SimulatorState {
  readonly channels = new Map<string, ChannelRuntime>();
  readonly users = new Map<string, VirtualUser>();
  readonly messageIds = new MessageIdGenerator();
  /** Message ID → content the user sent (images). Bounded. */
  readonly contents = new Map<string, MessageContent>();
  readonly loginTokens = new Map<string, LoginAccessToken>();
  readonly #byToken = new Map<string, ChannelRuntime>();
  #onChange: () => void = () => {};

  onChange(listener: () => void): void {
    this.#onChange = listener;
  }

  changed(): void {
    this.#onChange();
  }

  channelByToken(token: string): ChannelRuntime | undefined {
    return this.#byToken.get(token);
  }

  /** Idempotent upsert by channelId; friends, rich menus and inboxes are kept. */
  upsertChannel(input: ChannelInput): ChannelRuntime {
    const existing = this.channels.get(input.channelId);
    const config: ChannelConfig = {
      channelId: input.channelId,
      name: input.name ?? existing?.config.name ?? input.channelId,
      channelSecret: input.channelSecret,
      accessToken: input.accessToken,
      webhookUrl: input.webhookUrl ?? existing?.config.webhookUrl ?? '',
      botUserId: input.botUserId ?? existing?.config.botUserId ?? botUserIdFor(input.channelId),
      basicId:
        existing?.config.basicId ??
        `@${createHash('sha256').update(input.channelId).digest('hex').slice(0, 7)}`,
      liffApps: input.liffApps ?? existing?.config.liffApps ?? [],
    };
    const pictureUrl = input.pictureUrl ?? existing?.config.pictureUrl;
    if (pictureUrl) config.pictureUrl = pictureUrl;
    const loginChannelId = input.loginChannelId ?? existing?.config.loginChannelId;
    const loginChannelSecret = input.loginChannelSecret ?? existing?.config.loginChannelSecret;
    if (loginChannelId) config.loginChannelId = loginChannelId;
    if (loginChannelSecret) config.loginChannelSecret = loginChannelSecret;

    let runtime = existing;
    if (runtime) {
      this.#byToken.delete(runtime.config.accessToken);
      runtime.config = config;
    } else {
      runtime = new ChannelRuntime(config);
      this.channels.set(config.channelId, runtime);
    }
    this.#byToken.set(config.accessToken, runtime);
    this.changed();
    return runtime;
  }

  addUser(user: VirtualUser): VirtualUser {
    this.users.set(user.userId, user);
    this.changed();
    return user;
  }

  addContent(messageId: string, content: MessageContent): void {
    this.contents.set(messageId, content);
    if (this.contents.size > MAX_CONTENTS) {
      const oldest = this.contents.keys().next().value;
      if (oldest !== undefined) this.contents.delete(oldest);
    }
  }

  /** The channel that owns a LIFF app. */
  liffApp(liffId: string): { channel: ChannelRuntime; app: LiffApp } | undefined {
    for (const channel of this.channels.values()) {
      const app = channel.config.liffApps.find((a) => a.liffId === liffId);
      if (app) return { channel, app };
    }
    return undefined;
  }

  /** The channel whose LINE Login channel has this ID (its own channel ID when none is registered). */
  loginChannel(loginChannelId: string): { channel: ChannelRuntime; secret: string } | undefined {
    for (const channel of this.channels.values()) {
      const login = loginCredentials(channel.config);
      if (login.loginChannelId === loginChannelId) return { channel, secret: login.loginChannelSecret };
    }
    return undefined;
  }
}

/** LINE Login credentials of a channel; falls back to the Messaging API channel's own. */
export function loginCredentials(config: ChannelConfig): {
  loginChannelId: string;
  loginChannelSecret: string;
} {
  return {
    loginChannelId: config.loginChannelId ?? config.channelId,
    loginChannelSecret: config.loginChannelSecret ?? config.channelSecret,
  };
}
