import type {
  MailAddressView,
  MailMessageView,
  MailPreview,
  MailRuleDefinition,
  MailRuleView,
  MailStatus,
} from '@madoguchi/contracts/mail-bridge.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/mail-bridge/* (issue 14), as packages/contracts/src/mail-bridge.ts lists them.

export type { MailAddressView, MailMessageView, MailPreview, MailRuleDefinition, MailRuleView, MailStatus };

export type AddressInput = {
  address: string;
  allowedSenders: string[];
  maxBytes: number;
  enabled: boolean;
  requireAuth: boolean;
  /** null: IMAP polling off; a missing password keeps the saved one. */
  imap: {
    host: string;
    port: number;
    tls: boolean;
    user: string;
    password?: string;
    mailbox: string;
    intervalSeconds: number;
  } | null;
};
export type RuleInput = { name: string; enabled: boolean; definition: MailRuleDefinition };

const address = (id: string) => `/api/mail-bridge/addresses/${encodeURIComponent(id)}`;
const rule = (id: string) => `/api/mail-bridge/rules/${encodeURIComponent(id)}`;

export const addressesPath = (channelId: string) => `/api/mail-bridge/addresses${query({ channelId })}`;
export const rulesPath = (addressId: string) => `/api/mail-bridge/rules${query({ addressId })}`;
export const messagesPath = (addressId: string) =>
  `/api/mail-bridge/messages${query({ addressId, limit: 50 })}`;

export const mailBridgeApi = {
  createAddress: (channelId: string, body: AddressInput) =>
    api.post<MailAddressView>('/api/mail-bridge/addresses', { channelId, ...body }),
  updateAddress: (id: string, body: Omit<AddressInput, 'address'>) =>
    api.patch<MailAddressView>(address(id), body),
  removeAddress: (id: string) => api.delete(address(id)),
  createRule: (addressId: string, body: RuleInput) =>
    api.post<MailRuleView>('/api/mail-bridge/rules', { addressId, ...body }),
  updateRule: (id: string, body: Partial<RuleInput>) => api.patch<MailRuleView>(rule(id), body),
  removeRule: (id: string) => api.delete(rule(id)),
  orderRules: (addressId: string, ruleIds: string[]) =>
    api.put<MailRuleView[]>('/api/mail-bridge/rules/order', { addressId, ruleIds }),
  test: (body: {
    addressId: string;
    raw?: string;
    messageId?: string;
    rules?: { name: string; definition: MailRuleDefinition }[];
  }) => api.post<MailPreview>('/api/mail-bridge/test', body),
  replay: (id: string) =>
    api.post<MailMessageView>(`/api/mail-bridge/messages/${encodeURIComponent(id)}/replay`),
};

/** A new rule's definition (the server's defaults). */
export const emptyDefinition = (): MailRuleDefinition => ({
  conditions: [],
  cutFrom: [],
  removeLines: [],
  replacements: [],
  appendText: '',
  includeSubject: true,
  audience: { kind: 'all' },
  urgentKeywords: [],
  disaster: null,
  longText: 'split',
});
