import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChannelsTable } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/http/api.ts';
import {
  findChannelRow,
  findChannelRowByLineId,
  insertChannelRow,
  listChannelRows,
  updateChannelRow,
} from './channels.repository.ts';
import type { ChannelCreate, ChannelUpdate, ChannelView } from './channels.schema.ts';

// Read by other modules through this service (they never import this module's repository).
export { channelNames, findChannelRow } from './channels.repository.ts';

// LINE official accounts (D-03, D-04, D-07): several per deployment, production or test.
// Secrets are stored encrypted and only ever decrypted inside the server.

export interface ChannelSecrets {
  id: string;
  lineChannelId: string;
  environment: 'production' | 'test';
  channelSecret: string;
  accessToken: string;
  loginChannelId: string | null;
  loginChannelSecret: string | null;
  liffId: string | null;
}

export interface ChannelsService {
  list(): Promise<ChannelView[]>;
  get(id: string): Promise<ChannelView>;
  create(input: ChannelCreate): Promise<ChannelView>;
  update(id: string, input: ChannelUpdate): Promise<ChannelView>;
  /**
   * Decrypted credentials, cached briefly: the webhook path calls this for every request. A LINE
   * event handler passes its transaction (`executor`), so a cache miss reads through it instead of
   * taking a second pooled connection while the dispatch holds its row locks.
   */
  secrets(id: string, executor?: Db): Promise<ChannelSecrets | null>;
  webhookUrl(id: string): string;
}

const SECRET_CACHE_MS = 30_000;

export function createChannelsService(deps: { db: Db; cipher: Cipher; publicUrl: string }): ChannelsService {
  const { db, cipher } = deps;
  const cache = new Map<string, { at: number; value: ChannelSecrets | null }>();
  const webhookUrl = (id: string) => new URL(`/webhooks/line/${id}`, deps.publicUrl).toString();
  const view = (r: Selectable<ChannelsTable>): ChannelView => ({
    id: r.id,
    name: r.name,
    lineChannelId: r.line_channel_id,
    environment: r.environment,
    webhookUrl: webhookUrl(r.id),
    loginChannelId: r.login_channel_id,
    liffId: r.liff_id,
    botUserId: r.bot_user_id,
    createdAt: r.created_at,
  });
  const enc = (v: string | null | undefined) => (v ? cipher.encrypt(v) : null);
  return {
    webhookUrl,
    async list() {
      return (await listChannelRows(db)).map(view);
    },
    async get(id) {
      const row = await findChannelRow(db, id);
      if (!row) throw notFound('チャネル');
      return view(row);
    },
    async create(input) {
      if (await findChannelRowByLineId(db, input.lineChannelId)) {
        throw conflict('CHANNEL_EXISTS', 'このチャネル ID は登録済みです');
      }
      const row = await insertChannelRow(db, {
        name: input.name,
        line_channel_id: input.lineChannelId,
        environment: input.environment,
        channel_secret_enc: cipher.encrypt(input.channelSecret),
        access_token_enc: cipher.encrypt(input.accessToken),
        login_channel_id: input.loginChannelId ?? null,
        login_channel_secret_enc: enc(input.loginChannelSecret),
        liff_id: input.liffId ?? null,
        bot_user_id: input.botUserId ?? null,
      });
      return view(row);
    },
    async update(id, input) {
      if (input.lineChannelId) {
        const other = await findChannelRowByLineId(db, input.lineChannelId);
        if (other && other.id !== id) throw conflict('CHANNEL_EXISTS', 'このチャネル ID は登録済みです');
      }
      const row = await updateChannelRow(db, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.lineChannelId !== undefined ? { line_channel_id: input.lineChannelId } : {}),
        ...(input.environment !== undefined ? { environment: input.environment } : {}),
        ...(input.channelSecret ? { channel_secret_enc: cipher.encrypt(input.channelSecret) } : {}),
        ...(input.accessToken ? { access_token_enc: cipher.encrypt(input.accessToken) } : {}),
        ...(input.loginChannelId !== undefined ? { login_channel_id: input.loginChannelId ?? null } : {}),
        ...(input.loginChannelSecret
          ? { login_channel_secret_enc: cipher.encrypt(input.loginChannelSecret) }
          : {}),
        ...(input.liffId !== undefined ? { liff_id: input.liffId ?? null } : {}),
        ...(input.botUserId !== undefined ? { bot_user_id: input.botUserId ?? null } : {}),
      });
      if (!row) throw notFound('チャネル');
      cache.delete(id);
      return view(row);
    },
    async secrets(id, executor = db) {
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < SECRET_CACHE_MS) return hit.value;
      const row = isUuid(id) ? await findChannelRow(executor, id) : undefined;
      const value: ChannelSecrets | null = row
        ? {
            id: row.id,
            lineChannelId: row.line_channel_id,
            environment: row.environment,
            channelSecret: cipher.decrypt(row.channel_secret_enc),
            accessToken: cipher.decrypt(row.access_token_enc),
            loginChannelId: row.login_channel_id,
            loginChannelSecret: row.login_channel_secret_enc
              ? cipher.decrypt(row.login_channel_secret_enc)
              : null,
            liffId: row.liff_id,
          }
        : null;
      // Unknown IDs are not cached: a flood of random IDs must not grow the cache.
      if (value) cache.set(id, { at: Date.now(), value });
      return value;
    },
  };
}
