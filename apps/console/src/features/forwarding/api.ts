import type {
  ForwardingEventType,
  ForwardingItemPage,
  ForwardingItemView,
  ForwardingMessageMode,
  ForwardingResendResult,
  ForwardingTargetCreated,
  ForwardingTargetView,
} from '@madoguchi/contracts/forwarding.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/forwarding/* (W-01), as packages/contracts/src/forwarding.ts lists them.

export type { ForwardingEventType, ForwardingItemView, ForwardingMessageMode, ForwardingTargetView };

export type TargetInput = {
  name: string;
  url: string;
  /** Only when set (write-only). */
  secret?: string;
  enabled: boolean;
  eventTypes: ForwardingEventType[] | null;
  messageMode: ForwardingMessageMode;
};

const target = (id: string) => `/api/forwarding/targets/${encodeURIComponent(id)}`;

export const targetsPath = (channelId: string) => `/api/forwarding/targets${query({ channelId })}`;
/** The target's items that failed at least once (waiting for a retry, or dead-lettered), newest first. */
export const failuresPath = (targetId: string) =>
  `${target(targetId)}/items${query({ failedOnly: 'true', limit: 50 })}`;

export const forwardingApi = {
  create: (channelId: string, body: TargetInput) =>
    api.post<ForwardingTargetCreated>('/api/forwarding/targets', { channelId, ...body }),
  update: (id: string, body: Partial<TargetInput>) => api.patch<ForwardingTargetView>(target(id), body),
  remove: (id: string) => api.delete(target(id)),
  items: (id: string) => api.get<ForwardingItemPage>(failuresPath(id)),
  resendItem: (id: string, itemId: string) =>
    api.post<ForwardingResendResult>(`${target(id)}/items/${encodeURIComponent(itemId)}/resend`),
  resendAll: (id: string) => api.post<ForwardingResendResult>(`${target(id)}/resend`),
};
