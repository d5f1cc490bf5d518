import type { ChannelConfig, Friendship, RichMenu } from './model.ts';

/** Everything the simulator keeps for one channel (LINE official account). */
export class ChannelRuntime {
  config: ChannelConfig;
  readonly friends = new Map<string, Friendship>();
  readonly richMenus = new Map<string, RichMenu>();
  /** Rich menu alias ID → rich menu ID. */
  readonly aliases = new Map<string, string>();
  defaultRichMenuId: string | undefined;
  /** Messages counted for "quota consumption" in the current month. */
  usage = { month: '', total: 0 };
  #followerIds: string[] | null = null;

  constructor(config: ChannelConfig) {
    this.config = config;
  }

  get channelId(): string {
    return this.config.channelId;
  }

  /** The relation of a user to this channel; created (state "none") when asked to. */
  friendship(userId: string): Friendship | undefined;
  friendship(userId: string, create: true): Friendship;
  friendship(userId: string, create = false): Friendship | undefined {
    let f = this.friends.get(userId);
    if (!f && create) {
      f = { userId, state: 'none', inbox: [], deliveries: 0, messages: 0 };
      this.friends.set(userId, f);
    }
    return f;
  }

  isFollowing(userId: string): boolean {
    return this.friends.get(userId)?.state === 'following';
  }

  /** User IDs of current followers in the order they became friends (cached). */
  followerIds(): string[] {
    if (!this.#followerIds) {
      const ids: string[] = [];
      for (const f of this.friends.values()) if (f.state === 'following') ids.push(f.userId);
      this.#followerIds = ids;
    }
    return this.#followerIds;
  }

  followersChanged(): void {
    this.#followerIds = null;
  }

  /** The rich menu the user sees: the one linked to them, else the default one. */
  currentRichMenu(userId: string): RichMenu | undefined {
    const linked = this.friends.get(userId)?.linkedRichMenuId;
    const id = linked ?? this.defaultRichMenuId;
    return id ? this.richMenus.get(id) : undefined;
  }

  /** Counts messages towards this month's quota consumption. */
  addUsage(count: number, now: number): void {
    const month = new Date(now).toISOString().slice(0, 7);
    if (this.usage.month !== month) this.usage = { month, total: 0 };
    this.usage.total += count;
  }

  usageThisMonth(now: number): number {
    return this.usage.month === new Date(now).toISOString().slice(0, 7) ? this.usage.total : 0;
  }
}
