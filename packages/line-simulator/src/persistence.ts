import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { ChannelConfig, Delivery, FollowState, RichMenu, VirtualUser } from './model.ts';
import type { SimulatorLogger } from './options.ts';
import type { SimulatorState } from './state.ts';

// Optional JSON persistence of channels, users, friendships, rich menus (with images) and inboxes.
// Writes are debounced and atomic (temporary file + rename); close() flushes synchronously.

interface SavedFriend {
  userId: string;
  state: FollowState;
  followedAt?: number;
  linkedRichMenuId?: string;
  deliveries: number;
  messages: number;
  inbox: string[];
}

interface SavedChannel {
  config: ChannelConfig;
  defaultRichMenuId?: string;
  aliases: [string, string][];
  richMenus: (Omit<RichMenu, 'image'> & { image?: { contentType: string; base64: string } })[];
  usage: { month: string; total: number };
  friends: SavedFriend[];
}

interface SavedState {
  version: 1;
  savedAt: string;
  users: VirtualUser[];
  channels: SavedChannel[];
  deliveries: Delivery[];
}

const DEBOUNCE_MS = 500;

export function serializeState(state: SimulatorState): string {
  const deliveries = new Map<string, Delivery>();
  const channels: SavedChannel[] = [];
  for (const channel of state.channels.values()) {
    const friends: SavedFriend[] = [];
    for (const f of channel.friends.values()) {
      for (const d of f.inbox) deliveries.set(d.id, d);
      const saved: SavedFriend = {
        userId: f.userId,
        state: f.state,
        deliveries: f.deliveries,
        messages: f.messages,
        inbox: f.inbox.map((d) => d.id),
      };
      if (f.followedAt !== undefined) saved.followedAt = f.followedAt;
      if (f.linkedRichMenuId !== undefined) saved.linkedRichMenuId = f.linkedRichMenuId;
      friends.push(saved);
    }
    const saved: SavedChannel = {
      config: channel.config,
      aliases: [...channel.aliases],
      richMenus: [...channel.richMenus.values()].map(({ image, ...menu }) =>
        image
          ? { ...menu, image: { contentType: image.contentType, base64: image.data.toString('base64') } }
          : menu,
      ),
      usage: channel.usage,
      friends,
    };
    if (channel.defaultRichMenuId) saved.defaultRichMenuId = channel.defaultRichMenuId;
    channels.push(saved);
  }
  const saved: SavedState = {
    version: 1,
    savedAt: new Date().toISOString(),
    users: [...state.users.values()],
    channels,
    deliveries: [...deliveries.values()],
  };
  return JSON.stringify(saved);
}

export function restoreState(state: SimulatorState, json: string): void {
  const saved = JSON.parse(json) as SavedState;
  if (saved.version !== 1) throw new Error(`Unsupported state file version ${String(saved.version)}`);
  const deliveries = new Map(saved.deliveries.map((d) => [d.id, d]));
  for (const user of saved.users) state.users.set(user.userId, user);
  for (const c of saved.channels) {
    const channel = state.upsertChannel({ ...c.config });
    channel.config = c.config;
    for (const [alias, id] of c.aliases) channel.aliases.set(alias, id);
    for (const { image, ...menu } of c.richMenus) {
      const restored: RichMenu = { ...menu };
      if (image)
        restored.image = { contentType: image.contentType, data: Buffer.from(image.base64, 'base64') };
      channel.richMenus.set(menu.richMenuId, restored);
    }
    channel.defaultRichMenuId = c.defaultRichMenuId;
    channel.usage = c.usage;
    for (const f of c.friends) {
      const friend = channel.friendship(f.userId, true);
      friend.state = f.state;
      if (f.followedAt !== undefined) friend.followedAt = f.followedAt;
      if (f.linkedRichMenuId !== undefined) friend.linkedRichMenuId = f.linkedRichMenuId;
      friend.deliveries = f.deliveries;
      friend.messages = f.messages;
      friend.inbox = f.inbox.map((id) => deliveries.get(id)).filter((d): d is Delivery => d !== undefined);
    }
    channel.followersChanged();
  }
}

export class StateFile {
  readonly #path: string;
  readonly #state: SimulatorState;
  readonly #logger: SimulatorLogger;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #dirty = false;
  #closed = false;

  constructor(path: string, state: SimulatorState, logger: SimulatorLogger) {
    this.#path = path;
    this.#state = state;
    this.#logger = logger;
  }

  /** Loads the file when it exists; a corrupt file is set aside and the simulator starts empty. */
  load(): void {
    if (!existsSync(this.#path)) return;
    try {
      restoreState(this.#state, readFileSync(this.#path, 'utf8'));
      this.#logger.info({ stateFile: this.#path }, 'simulator state loaded');
    } catch (err) {
      const aside = `${this.#path}.corrupt-${Date.now()}`;
      renameSync(this.#path, aside);
      this.#logger.error(
        { err: String(err), movedTo: aside },
        'simulator state file unreadable; starting empty',
      );
    }
  }

  /** Schedules a write. */
  changed(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, DEBOUNCE_MS);
  }

  async #write(): Promise<void> {
    if (this.#writing) {
      await this.#writing;
      if (!this.#dirty) return;
    }
    this.#dirty = false;
    const tmp = `${this.#path}.tmp`;
    this.#writing = writeFile(tmp, serializeState(this.#state))
      .then(() => rename(tmp, this.#path))
      .catch((err: unknown) => this.#logger.error({ err: String(err) }, 'writing the simulator state failed'))
      .finally(() => {
        this.#writing = undefined;
      });
    await this.#writing;
  }

  /** Writes pending changes synchronously and stops writing. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing) await this.#writing;
    if (this.#dirty) {
      const tmp = `${this.#path}.tmp`;
      writeFileSync(tmp, serializeState(this.#state));
      renameSync(tmp, this.#path);
      this.#dirty = false;
    }
  }
}
