import { RICH_MENU_LIMITS, type RichMenuTab } from '@madoguchi/contracts/richmenus.ts';
import { checkMenuSize, type RichMenuIssue } from '@madoguchi/contracts/richmenus-rules.ts';
import sharp, { type Metadata } from 'sharp';
import type { Db } from '../../db/database.ts';
import { sniffImageType } from '../../platform/images/image-normalise.ts';
import { findMediaBytes } from '../media/media.service.ts';
import { renderTemplate } from './template-image.ts';

// The image of a tab as LINE gets it (M-02, M-04): an uploaded image (media module, already checked
// and normalised there) must also meet LINE's rich menu rules — JPEG or PNG that really decodes,
// ≤ 1 MB, 800–2,500 px wide, ≥ 250 px high, width / height ≥ 1.45, and exactly the tab's size —
// or the server draws the template.

export interface TabImage {
  contentType: 'image/png' | 'image/jpeg';
  data: Buffer;
}

/** LINE's rules for the bytes of one image; issues with stable codes, empty when fine. */
export async function checkImageBytes(
  data: Buffer,
  size: { width: number; height: number },
  path: string,
): Promise<RichMenuIssue[]> {
  const type = sniffImageType(data);
  let meta: Metadata | undefined;
  if (type) {
    try {
      meta = await sharp(data, { failOn: 'error' }).metadata();
      await sharp(data, { failOn: 'error' }).stats(); // decodes every pixel: truncated files fail
    } catch {
      meta = undefined;
    }
  }
  if (!type || !meta || (meta.format !== 'jpeg' && meta.format !== 'png')) {
    return [
      { code: 'RICHMENU_IMAGE_TYPE', path, message: 'リッチメニューの画像は JPEG または PNG にしてください' },
    ];
  }
  const issues: RichMenuIssue[] = [];
  if (data.length > RICH_MENU_LIMITS.maxImageBytes) {
    issues.push({
      code: 'RICHMENU_IMAGE_TOO_LARGE',
      path,
      message: `リッチメニューの画像は 1 MB 以下にしてください（${(data.length / 1024 / 1024).toFixed(1)} MB）`,
    });
  }
  const actual = { width: meta.width ?? 0, height: meta.height ?? 0 };
  issues.push(...checkMenuSize(actual, path));
  if (actual.width !== size.width || actual.height !== size.height) {
    issues.push({
      code: 'RICHMENU_IMAGE_SIZE_MISMATCH',
      path,
      message: `画像の大きさ（${actual.width} × ${actual.height} px）がタブの大きさ（${size.width} × ${size.height} px）と違います`,
    });
  }
  return issues;
}

/** The uploaded images of the tabs, checked; issues for the ones LINE would refuse. */
export async function checkTabImages(db: Db, tabs: RichMenuTab[]): Promise<RichMenuIssue[]> {
  const issues: RichMenuIssue[] = [];
  for (const [i, tab] of tabs.entries()) {
    if (tab.image.kind !== 'media') continue;
    const path = `tabs[${i}].image.mediaId`;
    const m = await findMediaBytes(db, tab.image.mediaId, 'bytes');
    if (!m) {
      issues.push({ code: 'RICHMENU_MEDIA_NOT_FOUND', path, message: `タブ${i + 1}の画像が見つかりません` });
      continue;
    }
    issues.push(...(await checkImageBytes(m.data, tab.size, path)));
  }
  return issues;
}

/** The bytes uploaded to LINE for a tab. */
export async function tabImage(
  db: Db,
  tab: { image: RichMenuTab['image']; width: number; height: number; position: number },
  tabLabels: string[],
): Promise<TabImage> {
  if (tab.image.kind === 'template') {
    const data = await renderTemplate(
      tab.image,
      { width: tab.width, height: tab.height },
      tabLabels,
      tab.position,
    );
    return { contentType: 'image/png', data };
  }
  const m = await findMediaBytes(db, tab.image.mediaId, 'bytes');
  if (!m) throw new Error(`media ${tab.image.mediaId} is gone`);
  return { contentType: m.content_type === 'image/jpeg' ? 'image/jpeg' : 'image/png', data: m.data };
}
