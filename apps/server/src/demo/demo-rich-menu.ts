import type { messagingApi } from '@line/bot-sdk';
import { encodePng } from './png.ts';

// The demo city's rich menu: マイページ (the citizen page through LIFF), 相談する (the consultation
// chat page, C-01), 防災情報.
// Created through the official SDK, exactly as a city's rich menu would be.

const AREAS = [
  { label: 'マイページ', color: [0, 65, 145] as [number, number, number] },
  { label: '相談する', color: [38, 115, 80] as [number, number, number] },
  { label: '防災情報', color: [180, 60, 30] as [number, number, number] },
];

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
  const third = Math.floor(width / 3);
  const { richMenuId } = await client.createRichMenu({
    size: { width, height },
    selected: true,
    name: 'デモ市 メインメニュー',
    chatBarText: 'メニュー',
    areas: [
      {
        bounds: { x: 0, y: 0, width: third, height },
        action: liffId
          ? { type: 'uri', label: AREAS[0]!.label, uri: `https://liff.line.me/${liffId}` }
          : { type: 'message', label: AREAS[0]!.label, text: AREAS[0]!.label },
      },
      {
        bounds: { x: third, y: 0, width: third, height },
        action: liffId
          ? { type: 'uri', label: AREAS[1]!.label, uri: `https://liff.line.me/${liffId}?desk=welfare` }
          : { type: 'message', label: AREAS[1]!.label, text: '相談' },
      },
      {
        bounds: { x: third * 2, y: 0, width: width - third * 2, height },
        action: {
          type: 'postback',
          label: AREAS[2]!.label,
          data: 'action=disaster-info',
          displayText: '防災情報',
        },
      },
    ],
  });
  const png = encodePng(width, height, (x, y) => {
    const area = AREAS[Math.min(2, Math.floor(x / third))]!;
    const border = x % third < 8 || y < 8 || y > height - 9;
    return border ? [255, 255, 255] : area.color;
  });
  await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(png)], { type: 'image/png' }));
  await client.setDefaultRichMenu(richMenuId);
  return true;
}
