import { RICH_MENU_LIMITS as L, layoutCellCount } from './richmenu-constants.ts';
import type { RichMenuArea, RichMenuTab } from './richmenus.ts';

// LINE's rich menu rules and the city's (M-03), as pure functions the server and the console editor
// both run. Each problem has a stable code, the path of the field and a Japanese message. The image
// bytes (≤ 1 MB, JPEG/PNG that really decodes) are checked on the server (richmenu-image.ts).

export interface RichMenuIssue {
  code: string;
  path: string;
  message: string;
}

const overlaps = (a: RichMenuArea, b: RichMenuArea) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Size rules of one rich menu image (800–2,500 px wide, ≥ 250 px high, width / height ≥ 1.45). */
export function checkMenuSize(size: { width: number; height: number }, path = 'size'): RichMenuIssue[] {
  const issues: RichMenuIssue[] = [];
  if (size.width < L.minWidth || size.width > L.maxWidth) {
    issues.push({
      code: 'RICHMENU_WIDTH',
      path: `${path}.width`,
      message: `画像の幅は ${L.minWidth}〜${L.maxWidth.toLocaleString('ja-JP')} px にしてください（${size.width} px）`,
    });
  }
  if (size.height < L.minHeight) {
    issues.push({
      code: 'RICHMENU_HEIGHT',
      path: `${path}.height`,
      message: `画像の高さは ${L.minHeight} px 以上にしてください（${size.height} px）`,
    });
  }
  if (size.height > 0 && size.width / size.height < L.minAspectRatio) {
    issues.push({
      code: 'RICHMENU_ASPECT',
      path,
      message: `画像の幅は高さの ${L.minAspectRatio} 倍以上にしてください（${size.width} × ${size.height} px）`,
    });
  }
  return issues;
}

/** Rules of one tab (its own areas, chat bar, template cells). */
export function checkTab(tab: RichMenuTab, index: number, tabCount: number): RichMenuIssue[] {
  const at = `tabs[${index}]`;
  const tabName = `タブ${index + 1}「${tab.label}」`;
  const issues = checkMenuSize(tab.size, `${at}.size`).map((i) => ({
    ...i,
    message: `${tabName}：${i.message}`,
  }));
  const chatBar = [...tab.chatBarText].length;
  if (chatBar > L.chatBarTextMax) {
    issues.push({
      code: 'RICHMENU_CHAT_BAR_TEXT',
      path: `${at}.chatBarText`,
      message: `${tabName}：メニューバーのテキストは ${L.chatBarTextMax} 文字以内にしてください（${chatBar} 文字）`,
    });
  }
  if (tab.image.kind === 'template' && tab.image.cells.length !== layoutCellCount(tab.image.layout)) {
    issues.push({
      code: 'RICHMENU_TEMPLATE_CELLS',
      path: `${at}.image.cells`,
      message: `${tabName}：レイアウト ${tab.image.layout} には ${layoutCellCount(tab.image.layout)} 個の項目が必要です（${tab.image.cells.length} 個）`,
    });
  }
  if (tab.areas.length > L.maxAreasPerTab) {
    issues.push({
      code: 'RICHMENU_TOO_MANY_AREAS',
      path: `${at}.areas`,
      message: `${tabName}：タップ領域は 1 つのタブに ${L.maxAreasPerTab} 個までです（${tab.areas.length} 個）`,
    });
  }
  tab.areas.forEach((a, i) => {
    const ap = `${at}.areas[${i}]`;
    if (a.x + a.width > tab.size.width || a.y + a.height > tab.size.height) {
      issues.push({
        code: 'RICHMENU_AREA_OUTSIDE',
        path: ap,
        message: `${tabName}：タップ領域 ${i + 1} が画像（${tab.size.width} × ${tab.size.height} px）からはみ出しています`,
      });
    }
    if (a.action.type === 'switchTab' && a.action.tab >= tabCount) {
      issues.push({
        code: 'RICHMENU_TAB_MISSING',
        path: `${ap}.action.tab`,
        message: `${tabName}：タップ領域 ${i + 1} の切り替え先のタブ ${a.action.tab + 1} がありません`,
      });
    }
    for (let j = 0; j < i; j++) {
      if (overlaps(a, tab.areas[j]!)) {
        issues.push({
          code: 'RICHMENU_AREA_OVERLAP',
          path: ap,
          message: `${tabName}：タップ領域 ${i + 1} が領域 ${j + 1} と重なっています`,
        });
        break;
      }
    }
  });
  return issues;
}

/** Every rule of a tab group; empty when LINE will accept it. */
export function checkTabGroup(tabs: RichMenuTab[]): RichMenuIssue[] {
  const issues = tabs.flatMap((t, i) => checkTab(t, i, tabs.length));
  const total = tabs.reduce((n, t) => n + t.areas.length, 0);
  if (total > L.maxAreasPerGroup) {
    issues.push({
      code: 'RICHMENU_GROUP_TOO_MANY_AREAS',
      path: 'tabs',
      message: `タップ領域はタブを含め全体で ${L.maxAreasPerGroup} 個までです（${total} 個）`,
    });
  }
  return issues;
}
