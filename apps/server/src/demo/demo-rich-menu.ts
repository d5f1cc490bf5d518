import { readFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import { DISASTER_INFO_POSTBACK } from '../modules/disaster/disaster-info.ts';

// The demo city's rich menu: マイページ (the citizen page through LIFF), 相談する (the consultation
// chat page, C-01), 防災情報 (answered by modules/disaster until disaster mode exists), 住民票の申請
// (スマホ市役所's procedures, A-03).
// Created through the official SDK, exactly as a city's rich menu would be. The image is the
// committed assets/rich-menu.png (labels and icons drawn by assets/make-rich-menu.ts), so the
// product needs no fonts at run time.

const AREAS = [
  { label: 'マイページ' },
  { label: '相談する' },
  { label: '防災情報' },
  { label: '住民票の申請' },
];

export const RICH_MENU_IMAGE = new URL('./assets/rich-menu.png', import.meta.url);

export async function ensureDemoRichMenu(
  client: messagingApi.MessagingApiClient,
  blob: messagingApi.MessagingApiBlobClient,
  liffId: string | null,
): Promise<boolean> {
  try {
    await client.getDefaultRichMenuId();
    return false; // the city already has one
  } catch {
    // 404: no default rich menu yet
  }
  const width = 2500;
  const height = 843;
  const quarter = Math.floor(width / 4);
  const { richMenuId } = await client.createRichMenu({
    size: { width, height },
    selected: true,
    name: 'デモ市 メインメニュー',
    chatBarText: 'メニュー',
    areas: [
      {
        bounds: { x: 0, y: 0, width: quarter, height },
        action: liffId
          ? { type: 'uri', label: AREAS[0]!.label, uri: `https://liff.line.me/${liffId}` }
          : { type: 'message', label: AREAS[0]!.label, text: AREAS[0]!.label },
      },
      {
        bounds: { x: quarter, y: 0, width: quarter, height },
        action: liffId
          ? { type: 'uri', label: AREAS[1]!.label, uri: `https://liff.line.me/${liffId}?desk=welfare` }
          : { type: 'message', label: AREAS[1]!.label, text: '相談' },
      },
      {
        bounds: { x: quarter * 2, y: 0, width: quarter, height },
        action: {
          type: 'postback',
          label: AREAS[2]!.label,
          data: DISASTER_INFO_POSTBACK,
          displayText: '防災情報',
        },
      },
      {
        bounds: { x: quarter * 3, y: 0, width: width - quarter * 3, height },
        action: liffId
          ? { type: 'uri', label: AREAS[3]!.label, uri: `https://liff.line.me/${liffId}?page=applications` }
          : { type: 'message', label: AREAS[3]!.label, text: AREAS[3]!.label },
      },
    ],
  });
  const png = readFileSync(RICH_MENU_IMAGE);
  await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(png)], { type: 'image/png' }));
  await client.setDefaultRichMenu(richMenuId);
  return true;
}
