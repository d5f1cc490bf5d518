import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// Image upload and public serving for image and imagemap messages (G-05), over real HTTP on a real
// PostgreSQL.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
  general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
});

afterAll(async () => {
  await server?.close();
});

type Client = typeof admin;

const upload = (client: Client | null, body: Uint8Array | string, type = 'image/png', extra = {}) =>
  fetch(`${server.url}/api/media`, {
    method: 'POST',
    headers: {
      'content-type': type,
      ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrfToken } : {}),
      ...extra,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });

const png = (width: number, height: number, alpha = true) =>
  sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: { r: 200, g: 30, b: 60, alpha: 0.5 } },
  })
    .png()
    .toBuffer();

interface MediaView {
  id: string;
  width: number;
  height: number;
  contentType: string;
  url: string;
  previewUrl: string;
  imagemapBaseUrl: string;
}

async function fetchImage(path: string) {
  const res = await fetch(`${server.url}${path}`);
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body, meta: res.status === 200 ? await sharp(body).metadata() : null };
}

describe('POST /api/media and GET /media/* (G-05)', () => {
  it('G-05: a PNG is stored at most 2,048 px, with a 240 px preview and every imagemap width, served publicly', async () => {
    const res = await upload(admin, await png(3000, 1000), 'image/png', {
      'x-file-name': encodeURIComponent('お知らせ.png'),
    });
    expect(res.status).toBe(201);
    const m = (await res.json()) as MediaView;
    expect(m).toMatchObject({ width: 2048, height: 683, contentType: 'image/png' });
    expect(m.url).toBe(`http://127.0.0.1:3000/media/${m.id}`);
    expect(m.previewUrl).toBe(`http://127.0.0.1:3000/media/${m.id}/preview`);
    expect(m.imagemapBaseUrl).toBe(`http://127.0.0.1:3000/media/${m.id}/imagemap`);

    const original = await fetchImage(`/media/${m.id}`);
    expect(original.res.status).toBe(200);
    expect(original.res.headers.get('content-type')).toBe('image/png');
    expect(original.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(original.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.meta).toMatchObject({ format: 'png', width: 2048, height: 683, hasAlpha: true });
    expect(original.body.length).toBeLessThan(10 * 1024 * 1024);

    const preview = await fetchImage(`/media/${m.id}/preview`);
    expect(preview.res.status).toBe(200);
    expect(preview.res.headers.get('content-type')).toBe('image/png');
    expect(preview.meta).toMatchObject({ format: 'png', width: 240, height: 80 });
    expect(preview.body.length).toBeLessThan(1024 * 1024);

    for (const width of [240, 300, 460, 700, 1040]) {
      const im = await fetchImage(`/media/${m.id}/imagemap/${width}`);
      expect(im.res.status).toBe(200);
      expect(im.res.headers.get('content-type')).toBe('image/png');
      expect(im.res.headers.get('cache-control')).toContain('max-age=31536000');
      expect(im.meta?.width).toBe(width);
      expect(im.meta?.height).toBe(Math.round((683 * width) / 2048));
    }

    const row = await server.db
      .selectFrom('media')
      .select(['original_name', 'created_by'])
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    expect(row.original_name).toBe('お知らせ.png');
    expect(row.created_by).not.toBeNull();
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'result'])
      .where('action', '=', 'media.upload')
      .execute();
    expect(audit).toContainEqual({ action: 'media.upload', target_id: m.id, result: 'success' });
  });

  it('G-05: a JPEG is turned upright by its EXIF orientation and loses its metadata (GPS, camera)', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#3060c0' } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'TestCam', Model: 'Phone 1' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 36/1 0/1' },
      })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif).toBeDefined();
    expect(jpeg.includes(Buffer.from('TestCam'))).toBe(true);

    const res = await upload(admin, jpeg, 'image/jpeg');
    expect(res.status).toBe(201);
    const m = (await res.json()) as MediaView;
    expect(m).toMatchObject({ width: 200, height: 400, contentType: 'image/jpeg' });

    const original = await fetchImage(`/media/${m.id}`);
    expect(original.res.headers.get('content-type')).toBe('image/jpeg');
    expect(original.meta).toMatchObject({ format: 'jpeg', width: 200, height: 400 });
    expect(original.meta?.exif).toBeUndefined();
    expect(original.meta?.orientation).toBeUndefined();
    expect(original.body.includes(Buffer.from('TestCam'))).toBe(false);

    const preview = await fetchImage(`/media/${m.id}/preview`);
    expect(preview.meta).toMatchObject({ format: 'jpeg', width: 120, height: 240 });
    // A small image is enlarged for the imagemap widths LINE asks for.
    const im = await fetchImage(`/media/${m.id}/imagemap/1040`);
    expect(im.meta).toMatchObject({ format: 'jpeg', width: 1040, height: 2080 });
  });

  it('G-05: a photo of several MB (over the 1 MB JSON body limit) is accepted; its preview stays under 1 MB', async () => {
    const noise = Buffer.alloc(1400 * 1000 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const photo = await sharp(noise, { raw: { width: 1400, height: 1000, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(photo.length).toBeGreaterThan(3 * 1024 * 1024);
    const res = await upload(admin, photo);
    expect(res.status).toBe(201);
    const m = (await res.json()) as MediaView;
    expect(m).toMatchObject({ width: 1400, height: 1000 });
    const preview = await fetchImage(`/media/${m.id}/preview`);
    expect(preview.meta).toMatchObject({ width: 240, height: 171 });
    expect(preview.body.length).toBeLessThan(1024 * 1024);
  });

  it('G-05: the bytes decide the type: a PNG sent without or with a wrong Content-Type is stored as PNG', async () => {
    for (const type of ['', 'application/octet-stream', 'image/jpeg']) {
      const res = await upload(admin, await png(64, 32), type);
      expect({ type, status: res.status }).toEqual({ type, status: 201 });
      expect(await res.json()).toMatchObject({ contentType: 'image/png', width: 64, height: 32 });
    }
  });

  it('G-05: a file that is not JPEG or PNG is refused whatever its Content-Type says', async () => {
    const gif = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const webp = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    const cases: [string, Uint8Array | string][] = [
      ['text/plain', 'こんにちは、これは画像ではありません'],
      ['image/png', 'not really a png'],
      ['image/gif', gif],
      ['image/png', gif],
      ['image/jpeg', webp],
      ['application/pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'],
      ['image/jpeg', '%PDF-1.7\n'],
      // JPEG and PNG magic numbers followed by garbage: the decoder refuses them.
      ['image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)])],
      [
        'image/png',
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]),
      ],
      ['application/json', JSON.stringify({ hello: 'world' })],
      ['image/png', ''],
    ];
    for (const [type, body] of cases) {
      const res = await upload(admin, body, type);
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      expect(await res.json()).toMatchObject({ code: 'MEDIA_UNSUPPORTED' });
    }
    // A truncated PNG (real header, half the data) is refused too.
    const real = await png(600, 600, false);
    const truncated = await upload(admin, real.subarray(0, Math.floor(real.length / 2)));
    expect(truncated.status).toBe(415);
  });

  it('G-05: files over 10 MB and images LINE would refuse (over 10,000 px, tiny) are refused', async () => {
    const count = async () => (await server.db.selectFrom('media').select('id').execute()).length;
    const before = await count();
    const big = Buffer.concat([await png(100, 100), Buffer.alloc(10 * 1024 * 1024, 0)]);
    const tooBig = await upload(admin, big);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'MEDIA_TOO_LARGE' });
    // Sent in chunks without a Content-Length: counted while reading.
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/api/media`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ code: 'MEDIA_TOO_LARGE' });

    const wide = await upload(admin, await png(10_001, 20, false));
    expect(wide.status).toBe(400);
    expect(await wide.json()).toMatchObject({ code: 'MEDIA_DIMENSIONS' });

    const tiny = await upload(admin, await png(8, 8));
    expect(tiny.status).toBe(400);
    expect(await tiny.json()).toMatchObject({ code: 'MEDIA_DIMENSIONS' });

    // Exactly at the limit is fine (10,000 px is shrunk to 2,048).
    const edge = await upload(admin, await png(10_000, 16, false));
    expect(edge.status).toBe(201);
    expect(await edge.json()).toMatchObject({ width: 2048, height: 3 });
    // Only the accepted one was stored.
    expect(await count()).toBe(before + 1);
  });

  it('G-05: uploading needs a session and deliveries.create', async () => {
    const body = await png(100, 100);
    const anonymous = await upload(null, body);
    expect(anonymous.status).toBe(401);
    const denied = await upload(general, body);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'FORBIDDEN' });
    const noCsrf = await fetch(`${server.url}/api/media`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', cookie: admin.cookie },
      body,
    });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ code: 'CSRF_INVALID' });
  });

  it('G-05: unknown media, bad IDs and widths LINE never asks for are 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const path of [
      `/media/${id}`,
      `/media/${id}/preview`,
      `/media/${id}/imagemap/1040`,
      '/media/not-a-uuid',
      '/media/not-a-uuid/imagemap/240',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const res = await upload(admin, await png(100, 100));
    const m = (await res.json()) as MediaView;
    for (const width of ['1000', '0', '1040.0', '01040', 'abc']) {
      const r = await fetch(`${server.url}/media/${m.id}/imagemap/${width}`);
      expect({ width, status: r.status }).toEqual({ width, status: 404 });
    }
  });
});
