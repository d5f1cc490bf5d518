import type { ChannelRuntime } from './channel-runtime.ts';
import type { SimContext } from './context.ts';
import type { JsonObject } from './model.ts';
import { badInput, notFound } from './sim-errors.ts';

// Small readers for /_sim request bodies and queries; bad input becomes 400 {message}.

export function objectBody(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badInput('A JSON object body is required');
  return body as JsonObject;
}

export function requiredString(o: JsonObject, name: string): string {
  const v = o[name];
  if (typeof v !== 'string' || v.length === 0) throw badInput(`${name} is required (a non-empty string)`);
  return v;
}

export function optionalString(o: JsonObject, name: string): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badInput(`${name} must be a string`);
  return v;
}

export function optionalBoolean(o: JsonObject, name: string): boolean {
  const v = o[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badInput(`${name} must be a boolean`);
  return v;
}

export function requireChannel(ctx: SimContext, channelId: unknown): ChannelRuntime {
  if (typeof channelId !== 'string' || channelId.length === 0) throw badInput('channelId is required');
  const channel = ctx.state.channels.get(channelId);
  if (!channel) throw notFound(`Unknown channel: ${channelId}`);
  return channel;
}

export function httpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput(`${name} must be an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`${name} must be an http(s) URL`);
  return value;
}
