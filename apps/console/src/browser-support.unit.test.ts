import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// D-02: the console works in every current browser (Edge, Chrome, Firefox, Safari) with nothing to
// install. The end-to-end tests drive Chromium only (the one browser this machine has), so these
// rules keep the sources away from what only some engines have.

const srcDir = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

// APIs that one or more of the four engines lack (Chromium-only file pickers and device access,
// vendor prefixes, legacy IE objects), or that need a plug-in or an installed helper.
const ENGINE_SPECIFIC = [
  /\bshow(Open|Save|Directory)FilePicker\b|\bshowDirectoryPicker\b/,
  /\bnavigator\.(usb|serial|hid|bluetooth|userAgentData)\b/,
  /\bwebkitRequestFileSystem\b|\brequestFileSystem\b/,
  /\bActiveXObject\b|\bdocument\.all\b|\bwindow\.chrome\b/,
  /\bEyeDropper\b|\bscheduler\.postTask\b/,
  /<(object|embed|applet)\b/,
];

describe('console in any current browser (D-02)', () => {
  it('builds for a syntax level all four current engines run (ES2022: Safari 16.4, Firefox 115 ESR)', () => {
    const viteConfig = readFileSync(path.join(srcDir, '..', 'vite.config.ts'), 'utf8');
    const target = /target:\s*'([^']+)'/.exec(viteConfig)?.[1];
    expect(['es2020', 'es2021', 'es2022']).toContain(target);
  });

  it('uses no API that only some engines have, and nothing that needs a plug-in', () => {
    const files = sources(srcDir);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return ENGINE_SPECIFIC.filter((rule) => rule.test(text)).map(
        (rule) => `${path.relative(srcDir, file)}: ${rule}`,
      );
    });
    expect(found).toEqual([]);
  });

  it('the deny list catches what it is for', () => {
    const caught = (code: string) => ENGINE_SPECIFIC.some((rule) => rule.test(code));
    expect(caught('await window.showSaveFilePicker()')).toBe(true);
    expect(caught('navigator.userAgentData.brands')).toBe(true);
    expect(caught('<embed src="x.pdf">')).toBe(true);
    expect(caught('await navigator.clipboard.writeText(text)')).toBe(false);
  });
});
