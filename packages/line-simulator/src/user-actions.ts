import type { ChannelRuntime } from './channel-runtime.ts';
import type { SimContext } from './context.ts';
import { parseDataUrl } from './data-url.ts';
import { newQuoteToken } from './ids.ts';
import { issueLiffCredentials, liffOpenUrl, parseLiffUrl } from './liff.ts';
import type { JsonObject, VirtualUser } from './model.ts';
import { badInput, notFound } from './sim-errors.ts';
import { asRedelivery, followEvent, messageEvent, postbackEvent, unfollowEvent } from './webhook-events.ts';

// What a virtual user does on the phone: follow, block, send messages, tap postbacks and rich menus.
// Each action sends the webhook LINE would send and answers with the result.

export interface WebhookResult {
  webhookStatus: number | null;
  webhookError?: string;
  event: JsonObject | null;
  redelivery?: { webhookStatus: number; webhookError?: string };
}

export interface ActionResult extends Partial<WebhookResult> {
  action: JsonObject;
  uri?: string;
  liffUrl?: string;
  clipboardText?: string;
  richMenuId?: string;
}

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function requireUser(ctx: SimContext, userId: string): VirtualUser {
  const user = ctx.state.users.get(userId);
  if (!user) throw notFound(`Unknown user: ${userId}`);
  return user;
}

function requireFollowing(channel: ChannelRuntime, userId: string): void {
  if (!channel.isFollowing(userId)) throw badInput('The user does not follow this channel');
}

async function sendEvent(
  ctx: SimContext,
  channel: ChannelRuntime,
  event: JsonObject,
  redeliver: boolean,
): Promise<WebhookResult> {
  const attempt = await ctx.webhooks.send(channel, [event]);
  const result: WebhookResult = { webhookStatus: attempt.status, event };
  if (attempt.error) result.webhookError = attempt.error;
  if (redeliver) {
    const again = await ctx.webhooks.send(channel, [asRedelivery(event)]);
    result.redelivery = { webhookStatus: again.status };
    if (again.error) result.redelivery.webhookError = again.error;
  }
  return result;
}

export async function follow(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  redeliver = false,
): Promise<WebhookResult> {
  requireUser(ctx, userId);
  const f = channel.friendship(userId, true);
  if (f.state === 'following') return { webhookStatus: null, event: null };
  const isUnblocked = f.state === 'blocked';
  f.state = 'following';
  f.followedAt = ctx.now();
  channel.followersChanged();
  ctx.state.changed();
  ctx.events.emit({ type: 'follow', channelId: channel.channelId, userId, state: 'following' });
  const now = ctx.now();
  const event = followEvent(userId, now, ctx.replyTokens.issue(channel.channelId, userId), isUnblocked);
  return sendEvent(ctx, channel, event, redeliver);
}

export async function unfollow(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  redeliver = false,
): Promise<WebhookResult> {
  requireUser(ctx, userId);
  const f = channel.friendship(userId);
  if (f?.state !== 'following') return { webhookStatus: null, event: null };
  f.state = 'blocked';
  channel.followersChanged();
  ctx.state.changed();
  ctx.events.emit({ type: 'follow', channelId: channel.channelId, userId, state: 'blocked' });
  return sendEvent(ctx, channel, unfollowEvent(userId, ctx.now()), redeliver);
}

function str(
  value: unknown,
  name: string,
  opts: { optional?: boolean; max?: number } = {},
): string | undefined {
  if (value === undefined || value === null) {
    if (opts.optional) return undefined;
    throw badInput(`message.${name} is required`);
  }
  if (typeof value !== 'string' && typeof value !== 'number')
    throw badInput(`message.${name} must be a string`);
  const s = String(value);
  if (opts.max !== undefined && s.length > opts.max)
    throw badInput(`message.${name} is longer than ${opts.max}`);
  return s;
}

function num(value: unknown, name: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw badInput(`message.${name} must be a number`);
  return n;
}

/** Builds the webhook message content for what the user typed or picked. */
function buildMessageContent(ctx: SimContext, channel: ChannelRuntime, input: JsonObject): JsonObject {
  const id = ctx.state.messageIds.next();
  switch (input.type) {
    case 'text': {
      const text = str(input.text, 'text', { max: 5000 })!;
      if (text.length === 0) throw badInput('message.text may not be empty');
      const content: JsonObject = { type: 'text', id, quoteToken: newQuoteToken(), text };
      if (Array.isArray(input.emojis) && input.emojis.length > 0) content.emojis = input.emojis;
      if (typeof input.quotedMessageId === 'string') content.quotedMessageId = input.quotedMessageId;
      return content;
    }
    case 'image': {
      const parsed = typeof input.dataUrl === 'string' ? parseDataUrl(input.dataUrl) : undefined;
      if (!parsed?.contentType.startsWith('image/')) {
        throw badInput('message.dataUrl must be a base64 data: URL of an image');
      }
      if (parsed.data.length > MAX_IMAGE_BYTES) throw badInput('The image is larger than 10 MB');
      ctx.state.addContent(id, {
        channelId: channel.channelId,
        contentType: parsed.contentType,
        data: parsed.data,
      });
      return { type: 'image', id, quoteToken: newQuoteToken(), contentProvider: { type: 'line' } };
    }
    case 'location': {
      const content: JsonObject = { type: 'location', id };
      const title = str(input.title, 'title', { optional: true, max: 100 });
      if (title !== undefined) content.title = title;
      content.address = str(input.address, 'address', { max: 100 })!;
      content.latitude = num(input.latitude, 'latitude');
      content.longitude = num(input.longitude, 'longitude');
      return content;
    }
    case 'sticker': {
      const content: JsonObject = {
        type: 'sticker',
        id,
        quoteToken: newQuoteToken(),
        stickerId: str(input.stickerId, 'stickerId')!,
        packageId: str(input.packageId, 'packageId')!,
        stickerResourceType:
          str(input.stickerResourceType, 'stickerResourceType', { optional: true }) ?? 'STATIC',
      };
      if (Array.isArray(input.keywords)) content.keywords = input.keywords;
      return content;
    }
    default:
      throw badInput('message.type must be one of text, image, location, sticker');
  }
}

export async function sendMessage(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  input: unknown,
  redeliver = false,
): Promise<WebhookResult> {
  requireUser(ctx, userId);
  requireFollowing(channel, userId);
  if (typeof input !== 'object' || input === null) throw badInput('message is required');
  const content = buildMessageContent(ctx, channel, input as JsonObject);
  const now = ctx.now();
  const event = messageEvent(userId, now, ctx.replyTokens.issue(channel.channelId, userId), content);
  return sendEvent(ctx, channel, event, redeliver);
}

export async function postback(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  data: unknown,
  params?: unknown,
  redeliver = false,
): Promise<WebhookResult> {
  requireUser(ctx, userId);
  requireFollowing(channel, userId);
  if (typeof data !== 'string') throw badInput('data is required (a string)');
  if (data.length > 300) throw badInput('data is longer than 300 characters');
  let p: Record<string, string> | undefined;
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params)) throw badInput('params must be an object');
    p = {};
    for (const [k, v] of Object.entries(params)) p[k] = String(v);
  }
  const event = postbackEvent(userId, ctx.now(), ctx.replyTokens.issue(channel.channelId, userId), data, p);
  return sendEvent(ctx, channel, event, redeliver);
}

/** Default value of a datetime picker: its `initial`, else the current time in Japan. */
function pickerParams(action: JsonObject, nowMs: number): Record<string, string> {
  const jst = new Date(nowMs + 9 * 3600_000).toISOString();
  const mode = action.mode === 'date' || action.mode === 'time' ? action.mode : 'datetime';
  const initial = typeof action.initial === 'string' ? action.initial : undefined;
  if (mode === 'date') return { date: initial ?? jst.slice(0, 10) };
  if (mode === 'time') return { time: initial ?? jst.slice(11, 16) };
  return { datetime: initial ?? jst.slice(0, 16) };
}

/** Switches the user's rich menu to an alias's menu; returns LINE's status for the postback params. */
function switchRichMenu(ctx: SimContext, channel: ChannelRuntime, userId: string, aliasId: string): string {
  const richMenuId = channel.aliases.get(aliasId);
  if (!richMenuId) return 'RICHMENU_ALIAS_ID_NOTFOUND';
  if (!channel.richMenus.has(richMenuId)) return 'RICHMENU_NOTFOUND';
  channel.friendship(userId, true).linkedRichMenuId = richMenuId;
  ctx.state.changed();
  ctx.events.emit({ type: 'richmenu', channelId: channel.channelId, userIds: [userId] });
  return 'SUCCESS';
}

/** Performs an action object (rich menu area, quick reply, template or flex button) as the user. */
export async function performAction(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  action: unknown,
  opts: { params?: Record<string, string> | undefined; redeliver?: boolean },
): Promise<ActionResult> {
  if (typeof action !== 'object' || action === null || typeof (action as JsonObject).type !== 'string') {
    throw badInput('action must be a LINE action object');
  }
  const a = action as JsonObject;
  const redeliver = opts.redeliver ?? false;
  switch (a.type) {
    case 'message':
      return {
        action: a,
        ...(await sendMessage(ctx, channel, userId, { type: 'text', text: a.text }, redeliver)),
      };
    case 'postback':
      return { action: a, ...(await postback(ctx, channel, userId, a.data ?? '', undefined, redeliver)) };
    case 'datetimepicker':
      return {
        action: a,
        ...(await postback(
          ctx,
          channel,
          userId,
          a.data ?? '',
          opts.params ?? pickerParams(a, ctx.now()),
          redeliver,
        )),
      };
    case 'richmenuswitch': {
      requireUser(ctx, userId);
      requireFollowing(channel, userId);
      const aliasId = String(a.richMenuAliasId ?? '');
      const status = switchRichMenu(ctx, channel, userId, aliasId);
      const result = await postback(
        ctx,
        channel,
        userId,
        a.data ?? '',
        { newRichMenuAliasId: aliasId, status },
        redeliver,
      );
      const current = channel.currentRichMenu(userId);
      return { action: a, ...result, ...(current ? { richMenuId: current.richMenuId } : {}) };
    }
    case 'uri': {
      const uri = String(a.uri ?? '');
      const result: ActionResult = { action: a, uri };
      const liff = parseLiffUrl(uri);
      const found = liff ? ctx.state.liffApp(liff.liffId) : undefined;
      if (liff && found) result.liffUrl = openLiff(ctx, userId, liff.liffId, liff.path).url;
      return result;
    }
    case 'clipboard':
      return { action: a, clipboardText: String(a.clipboardText ?? '') };
    default:
      // camera, cameraRoll, location: the phone then sends an image or location message itself.
      return { action: a };
  }
}

export async function tapRichMenu(
  ctx: SimContext,
  channel: ChannelRuntime,
  userId: string,
  areaIndex: unknown,
  opts: { params?: Record<string, string> | undefined; redeliver?: boolean },
): Promise<ActionResult> {
  requireUser(ctx, userId);
  const menu = channel.currentRichMenu(userId);
  if (!menu) throw notFound('The user has no rich menu');
  if (typeof areaIndex !== 'number' || !Number.isInteger(areaIndex))
    throw badInput('areaIndex must be an integer');
  const area = menu.areas[areaIndex];
  if (!area) throw badInput(`areaIndex out of range (the menu has ${menu.areas.length} areas)`);
  return performAction(ctx, channel, userId, area.action, opts);
}

/** Opens a LIFF app for a user: the endpoint URL with fresh credentials in the fragment. */
export function openLiff(ctx: SimContext, userId: string, liffId: string, path = ''): { url: string } {
  const user = requireUser(ctx, userId);
  const found = ctx.state.liffApp(liffId);
  if (!found) throw notFound(`Unknown LIFF app: ${liffId}`);
  const credentials = issueLiffCredentials(ctx.state, found.channel, found.app, user, ctx.now());
  return { url: liffOpenUrl(found.app, path, credentials) };
}
