import type { ManualChapter, ManualChapterSummary, ManualSearchResult } from '@madoguchi/contracts/manual.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../testing/raw-http.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// The staff manual over real HTTP (O-01, issue 16): the chapters of docs/manual, one chapter's
// HTML, the search, the screenshots, and what is refused.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
  counselor = await staffClient(server, (await createStaff(server.db, 'counselor')).loginId);
}, 60_000);
afterAll(async () => server?.close());

const getJson = async <T>(path: string, client = admin) => {
  const r = await client.request('GET', path);
  return { status: r.status, body: (await r.json()) as T & { code?: string } };
};

describe('manual API (O-01)', () => {
  it('O-01: lists the chapters, the index (basics) first, with GitHub-style section slugs', async () => {
    const { status, body } = await getJson<{ chapters: ManualChapterSummary[] }>('/api/manual');
    expect(status).toBe(200);
    expect(body.chapters[0]).toMatchObject({
      slug: 'basics',
      title: 'Madoguchi 職員向け操作マニュアル（基本編）',
    });
    expect(body.chapters[0]?.sections).toContainEqual({
      slug: '1-ログインする',
      title: '1. ログインする',
      level: 2,
    });
    const reservations = body.chapters.find((c) => c.slug === 'reservations');
    expect(reservations?.sections).toContainEqual({ slug: '締切', title: '締切', level: 3 });
    expect(reservations?.sections).toContainEqual({
      slug: '4-設定編集の画面',
      title: '4. 設定（編集の画面）',
      level: 2,
    });
    // Every file is a chapter, once.
    expect(new Set(body.chapters.map((c) => c.slug)).size).toBe(body.chapters.length);
    expect(body.chapters.length).toBeGreaterThanOrEqual(15);
  });

  it('O-01: any signed-in staff member reads it (a counselor too); without a session it is refused', async () => {
    expect((await getJson('/api/manual', counselor)).status).toBe(200);
    const anonymous = await fetch(`${server.url}/api/manual`);
    expect(anonymous.status).toBe(401);
    const image = await fetch(`${server.url}/api/manual/images/console-login.png`);
    expect(image.status).toBe(401);
  });

  it('O-01: one chapter as HTML: heading anchors, images and chapter links rewritten, no inline script or style', async () => {
    const { status, body } = await getJson<ManualChapter>('/api/manual/basics');
    expect(status).toBe(200);
    expect(body.title).toBe('Madoguchi 職員向け操作マニュアル（基本編）');
    expect(body.html).toContain('<h2 id="manual-1-ログインする">1. ログインする</h2>');
    // The picture keeps its place before it loads: its size from the PNG.
    expect(body.html).toMatch(
      /<img src="\/api\/manual\/images\/console-login\.png" alt="ログイン画面" width="\d+" height="\d+" loading="lazy">/,
    );
    expect(body.html).toContain('<a href="#/manual/delivery">');
    // The title is the console page's own heading: not repeated in the HTML.
    expect(body.html).not.toContain('<h1');
    expect(body.html).not.toMatch(/<script|style=|javascript:|\.md["#]/i);

    // A table scrolls on its own (a wrapper, no inline style).
    const reservations = await getJson<ManualChapter>('/api/manual/reservations');
    expect(reservations.body.html).toContain('<div class="manual-table"><table>');

    // A link to another chapter's section becomes that section's console route.
    const delivery = await getJson<ManualChapter>('/api/manual/delivery');
    expect(delivery.body.html).toContain(
      `href="#/manual/delivery/${encodeURIComponent('5-メッセージを配信する')}"`,
    );
  });

  it('O-01: search finds a Japanese word in its chapter and section, ignoring full-width/half-width', async () => {
    const { status, body } = await getJson<ManualSearchResult>(
      `/api/manual/search?q=${encodeURIComponent('キャンセル待ち')}`,
    );
    expect(status).toBe(200);
    const hit = body.hits.find(
      (h) => h.chapter === 'reservations' && h.section === '満席のときキャンセル待ち',
    );
    expect(hit).toMatchObject({
      chapterTitle: expect.stringContaining('予約'),
      sectionTitle: '満席のとき・キャンセル待ち',
    });
    expect(hit?.snippet).toContain('キャンセル待ち');

    // Full-width letters find the half-width word (and the other way round), case ignored.
    // The snippet shows the manual's own words.
    const wide = await getJson<ManualSearchResult>(`/api/manual/search?q=${encodeURIComponent('ｃｓｖ')}`);
    expect(wide.body.hits.some((h) => h.chapter === 'reservations' && h.snippet.includes('CSV・Excel'))).toBe(
      true,
    );
    // Pictures' alt texts are not searched.
    const alt = await getJson<ManualSearchResult>(
      `/api/manual/search?q=${encodeURIComponent('スマートフォンで見た「避難所の開設状況」')}`,
    );
    expect(alt.body.hits).toEqual([]);

    // A word found everywhere: at most 50 places, and it says there are more.
    const common = await getJson<ManualSearchResult>(`/api/manual/search?q=${encodeURIComponent('の')}`);
    expect(common.body.hits).toHaveLength(50);
    expect(common.body.truncated).toBe(true);

    const none = await getJson<ManualSearchResult>(
      `/api/manual/search?q=${encodeURIComponent('存在しない言葉ですよ')}`,
    );
    expect(none.body).toEqual({ hits: [], truncated: false });
  });

  it('O-01: bad search words get VALIDATION_FAILED (empty, blank, too long, missing)', async () => {
    for (const q of ['?q=', `?q=${encodeURIComponent('   ')}`, `?q=${'あ'.repeat(101)}`, '']) {
      const r = await getJson(`/api/manual/search${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code, q).toBe('VALIDATION_FAILED');
    }
    const nul = await getJson('/api/manual/search?q=%00');
    expect(nul.status).toBe(400);
    expect(nul.body.code).toBe('INVALID_CHARACTERS');
  });

  it('O-01: an unknown or malformed chapter is 404 MANUAL_CHAPTER_NOT_FOUND', async () => {
    for (const chapter of ['no-such-chapter', 'README', 'basics.md', '..%2Fpackage.json']) {
      const r = await getJson(`/api/manual/${chapter}`);
      expect(r.status, chapter).toBe(404);
      expect(r.body.code, chapter).toBe('MANUAL_CHAPTER_NOT_FOUND');
    }
  });

  it('O-01: a screenshot is served as PNG with cache headers; traversal and other names are refused', async () => {
    const image = await admin.request('GET', '/api/manual/images/console-login.png');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('private, max-age=300');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');

    for (const file of [
      '..%2F..%2Fpackage.json',
      '..%2Fmanual%2FREADME.md',
      'x.jpg',
      'Console-Login.png',
      '.png',
    ]) {
      const r = await rawRequest(server.url, 'GET', `/api/manual/images/${file}`, { cookie: admin.cookie });
      expect(r.status, file).toBe(400);
      expect(r.code, file).toBe('MANUAL_IMAGE_INVALID');
    }
    const missing = await getJson('/api/manual/images/no-such-image.png');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('MANUAL_IMAGE_NOT_FOUND');
    // A path that leaves the route is not the image route at all.
    const outside = await rawRequest(server.url, 'GET', '/api/manual/images/../../package.json', {
      cookie: admin.cookie,
    });
    expect(outside.status).toBe(404);
  });
});
