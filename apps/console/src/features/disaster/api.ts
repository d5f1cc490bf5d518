import type { DeliveryView } from '@madoguchi/contracts/deliveries.ts';
import type { DisasterModeView } from '@madoguchi/contracts/disaster.ts';
import type {
  DisasterPrepared,
  DisasterPrepareRequest,
  DisasterSwitched,
  TabGroupSummary,
} from '@madoguchi/contracts/richmenus.ts';
import { api, query } from '../../api/client.ts';

/**
 * Every call of the disaster page and the dashboard banner: the state
 * (GET /api/disaster/status, any role that sees the dashboard), the two-step switch
 * (/api/richmenus/disaster/prepare → confirm, richmenus.manage) and sending a draft delivery.
 */

export type { DeliveryView, DisasterModeView, DisasterPrepared, TabGroupSummary };

export const disasterStatusPath = (channelId: string) => `/api/disaster/status${query({ channelId })}`;
export const disasterGroupsPath = (channelId: string) => `/api/richmenus${query({ channelId })}`;
export const draftDeliveriesPath = (channelId: string) =>
  `/api/deliveries${query({ channelId, status: 'draft', isTest: 'false', limit: 200 })}`;

export const prepareSwitch = (request: DisasterPrepareRequest) =>
  api.post<DisasterPrepared>('/api/richmenus/disaster/prepare', request);
export const confirmSwitch = (token: string) =>
  api.post<DisasterSwitched>('/api/richmenus/disaster/confirm', { token });
/** A draft delivery sent now (PATCH its schedule to `now`; needs deliveries.send). */
export const sendDraftNow = (id: string) =>
  api.patch<DeliveryView>(`/api/deliveries/${encodeURIComponent(id)}`, { schedule: { mode: 'now' } });
