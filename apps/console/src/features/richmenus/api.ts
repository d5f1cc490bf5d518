import { tabImagePath } from '@madoguchi/contracts/richmenu-constants.ts';
import type {
  AreaTapCount,
  PublishRequest,
  TabGroupInput,
  TabGroupSummary,
  TabGroupUpdate,
  TabGroupView,
} from '@madoguchi/contracts/richmenus.ts';
import { api, query } from '../../api/client.ts';

/**
 * Every URL and call of the rich menu API (/api/richmenus, M-01 … M-05, O-08) the console uses. The
 * shapes are the contract's (packages/contracts/src/richmenus.ts).
 */

export type {
  AreaTapCount,
  PublicationView,
  RichMenuAction,
  RichMenuArea,
  RichMenuImage,
  TabGroupSummary,
  TabGroupView,
} from '@madoguchi/contracts/richmenus.ts';

export const richMenusPath = (channelId: string) => `/api/richmenus${query({ channelId })}`;
export const richMenuPath = (id: string) => `/api/richmenus/${encodeURIComponent(id)}`;
export const tapsPath = (id: string, from?: string, to?: string) =>
  `${richMenuPath(id)}/taps${query({ from, to })}`;

/** The server-drawn (or uploaded) image of a saved tab; `version` makes the browser fetch it again. */
export const tabImageUrl = (groupId: string, tabId: string, version: string) =>
  `${tabImagePath(encodeURIComponent(groupId), encodeURIComponent(tabId))}${query({ v: version })}`;

export const createTabGroup = (input: TabGroupInput) => api.post<TabGroupView>('/api/richmenus', input);
export const updateTabGroup = (id: string, input: TabGroupUpdate) =>
  api.put<TabGroupView>(richMenuPath(id), input);
export const deleteTabGroup = (id: string) => api.delete(richMenuPath(id));
/** Makes on LINE what a failed save left out (the group is `failed`). */
export const syncTabGroup = (id: string) => api.post<TabGroupView>(`${richMenuPath(id)}/sync`);
export const publishTabGroup = (id: string, request: PublishRequest) =>
  api.post<TabGroupView>(`${richMenuPath(id)}/publications`, request);
export const unpublishTabGroup = (id: string, publicationId: string) =>
  api.delete<TabGroupView>(`${richMenuPath(id)}/publications/${encodeURIComponent(publicationId)}`);

export type TapCounts = AreaTapCount[];
export type TabGroupList = TabGroupSummary[];
