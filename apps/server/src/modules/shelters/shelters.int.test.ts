import { readFileSync } from 'node:fs';
import type { ShelterImportResult, ShelterView } from '@madoguchi/contracts/shelters.ts';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// Shelters against a real server and PostgreSQL: the CSV import with its dry run, status
// changes (X-05) and the citizens' nearest search (X-03).

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
  general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
  counselor = await staffClient(server, (await createStaff(server.db, 'counselor')).loginId);
}, 60_000);
afterAll(async () => server?.close());

type Client = typeof admin;
const upload = (c: Client, path: string, bytes: Buffer | string, type = 'text/csv') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
const dryRun = async (bytes: Buffer | string, c: Client = admin) => {
  const r = await upload(c, '/api/shelters/import/dry-run', bytes);
  return { status: r.status, body: (await r.json()) as ShelterImportResult & { code?: string } };
};
const realImport = async (bytes: Buffer | string, c: Client = admin) => {
  const r = await upload(c, '/api/shelters/import', bytes);
  return {
    status: r.status,
    body: (await r.json()) as ShelterImportResult & {
      code?: string;
      details?: { path: string; code: string }[];
    },
  };
};
const count = async () =>
  Number(
    (
      await server.db
        .selectFrom('shelters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const byName = (name: string) =>
  server.db.selectFrom('shelters').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
const auditRows = (action: string) =>
  server.db
    .selectFrom('audit_log')
    .select(['action', 'result', 'target_id', 'detail', 'login_id'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
const nearby = (q: string) => fetch(`${server.url}/api/citizen/shelters/nearby?${q}`);
const setStatus = (c: Client, id: string, status: string) =>
  c.request('PUT', `/api/shelters/${id}/status`, { status });

describe('shelter CSV import (X-04)', () => {
  it('X-04: a broken file: the dry run lists every bad row with its line; the real import saves nothing', async () => {
    const dry = await dryRun(fixture('broken-rows.csv'));
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, rows: 9, valid: 2, created: 2 });
    expect(dry.body.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'NAME_MISSING'],
      [4, 'LATITUDE_INVALID'],
      [5, 'CAPACITY_INVALID'],
      [6, 'FLAG_INVALID'],
      [7, 'LOCATION_OUTSIDE_JAPAN'],
      [8, 'DUPLICATE_ID'],
      [9, 'COLUMN_COUNT'],
    ]);
    const real = await realImport(fixture('broken-rows.csv'));
    expect(real.status).toBe(422);
    expect(real.body.code).toBe('SHELTER_IMPORT_INVALID');
    expect(real.body.details?.map((d) => d.path)).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    // Nothing half imported: the two good rows are not saved either.
    expect(await count()).toBe(0);
    const audits = await auditRows('shelter.import');
    expect(audits.at(-1)).toMatchObject({ result: 'failure' });
  });

  it('X-04: dry run, real import and re-import report created / updated / unchanged / missing', async () => {
    const file = fixture('matsuyama-382019_evacuation_space.csv');
    const dry = await dryRun(file);
    expect(dry.body).toMatchObject({
      encoding: 'utf-8-bom',
      layout: 'municipal-standard',
      rows: 390,
      created: 390,
    });
    expect(dry.body.problems).toEqual([]);
    expect(await count()).toBe(0);

    const first = await realImport(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      applied: true,
      created: 390,
      updated: 0,
      unchanged: 0,
      missingFromFile: [],
    });
    expect(await count()).toBe(390);
    expect(await byName('城山公園')).toMatchObject({
      external_id: 'E3820100602201',
      capacity: 50700,
      status: 'closed_not_opened',
      kind: 'emergency_site',
      disaster_types: ['storm_surge', 'earthquake', 'tsunami', 'large_fire'],
    });

    // A changed copy: one capacity changed, one row dropped.
    const text = new TextDecoder().decode(file);
    const lines = text.split('\n');
    const dropped = lines.findIndex((l) => l.includes('東雲公園'));
    const edited = lines
      .filter((_, i) => i !== dropped)
      .map((l) => (l.includes(',八坂公園,') ? l.replace('"1,400 "', '"1,500 "') : l))
      .join('\n');
    const again = await realImport(edited);
    expect(again.body).toMatchObject({ created: 0, updated: 1, unchanged: 388 });
    expect(again.body.missingFromFile).toEqual([{ externalId: 'E3820100407201', name: '東雲公園' }]);
    expect((await byName('八坂公園')).capacity).toBe(1500);
    // Missing sites are kept (reported, not deleted).
    expect(await count()).toBe(390);

    const audits = await auditRows('shelter.import');
    expect(audits.at(-1)).toMatchObject({ result: 'success' });
    expect(audits.at(-1)!.detail).toMatchObject({ created: 0, updated: 1, unchanged: 388, missing: 1 });
  });

  it('X-04: Shift_JIS (cp932), UTF-8 without BOM and with BOM import to the same rows', async () => {
    const sjis = await dryRun(fixture('ichikawa-style-cp932.csv'));
    expect(sjis.body).toMatchObject({ encoding: 'shift_jis', created: 3, problems: [] });
    const plain = await dryRun(fixture('ichikawa-style-utf8.csv'));
    expect(plain.body).toMatchObject({ encoding: 'utf-8', created: 3, problems: [] });
    const bom = await dryRun(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('ichikawa-style-utf8.csv')]),
    );
    expect(bom.body).toMatchObject({ encoding: 'utf-8-bom', created: 3, problems: [] });
    // A file written by Excel in cp932 with a cp932-only character in the name.
    const excel = iconv.encode(
      '全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_地震\r\n122033,X-1,㈱テスト倉庫①,千葉県市川市,35.7,139.9,1\r\n',
      'cp932',
    );
    const r = await realImport(excel);
    expect(r.body).toMatchObject({ encoding: 'shift_jis', created: 1, applied: true });
    expect((await byName('(株)テスト倉庫1')).disaster_types).toEqual(['earthquake']);
  });

  it('X-04: files that are not a shelter list are refused with a stable code, never a 500', async () => {
    expect(await dryRun('a,b\n1,2\n')).toMatchObject({
      status: 400,
      body: { code: 'SHELTER_CSV_UNKNOWN_LAYOUT' },
    });
    expect(await dryRun('')).toMatchObject({ status: 400, body: { code: 'SHELTER_CSV_EMPTY' } });
    expect(await dryRun('{}')).toMatchObject({ status: 400 });
    expect(await dryRun(Buffer.from([0xff, 0xfe, 0x00, 0x41]))).toMatchObject({ status: 400 });
    const bad = await upload(admin, '/api/shelters/import/dry-run?layout=nonsense', 'x');
    expect(bad.status).toBe(400);
  });

  it('X-04: a file larger than the JSON body limit (12,000 rows, about 1.5 MB) is read whole', async () => {
    const header = '全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_地震,想定収容人数';
    const rows = Array.from(
      { length: 12_000 },
      (_, i) =>
        `122033,BIG-${i},大きなファイルの避難所${i}番,千葉県市川市のとても長い住所の例${i}丁目${i}番地,35.7,139.9,1,"1,000 "`,
    );
    const big = `${header}\r\n${rows.join('\r\n')}\r\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(server.config.BODY_LIMIT_BYTES);
    const dry = await dryRun(big);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 12_000, valid: 12_000, created: 12_000, problems: [] });
  });

  it('X-04: a failure while saving (the third batch of 500 rows) rolls the whole import back', async () => {
    // A trigger makes the database refuse one row that passes every CSV rule.
    await sql`
      create function shelters_fail_once() returns trigger language plpgsql as $$
      begin
        if new.name = '保存で失敗する避難所' then raise exception 'injected failure'; end if;
        return new;
      end $$;
      create trigger shelters_fail_once before insert on shelters
        for each row execute function shelters_fail_once();
    `.execute(server.db);
    try {
      const header = '全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_地震';
      const rows = Array.from({ length: 1_200 }, (_, i) =>
        i === 1_100
          ? `122033,FAIL-${i},保存で失敗する避難所,千葉県市川市,35.7,139.9,1`
          : `122033,FAIL-${i},途中まで保存される避難所${i},千葉県市川市,35.7,139.9,1`,
      );
      const before = await count();
      const r = await realImport(`${header}\n${rows.join('\n')}\n`);
      expect(r.status).toBeGreaterThanOrEqual(500);
      expect(await count()).toBe(before);
    } finally {
      await sql`drop trigger shelters_fail_once on shelters; drop function shelters_fail_once();`.execute(
        server.db,
      );
    }
  });

  it('X-04: the import needs shelters.manage: 403 for a general or counselor account', async () => {
    const file = fixture('gsi-emergency-style.csv');
    expect((await dryRun(file, general)).status).toBe(403);
    expect((await realImport(file, general)).status).toBe(403);
    expect((await realImport(file, counselor)).status).toBe(403);
  });
});

describe('shelter status (X-05)', () => {
  it('X-05: staff change 開設 / 満員 / 閉鎖 / 未開設; every change is audited with from/to and the time is kept', async () => {
    const shelter = await byName('城山公園');
    const open = await setStatus(general, shelter.id, 'open');
    expect(open.status).toBe(200);
    const view = (await open.json()) as ShelterView;
    expect(view).toMatchObject({ status: 'open', statusChangedBy: 'general さん' });
    expect(Date.now() - Date.parse(view.statusChangedAt!)).toBeLessThan(60_000);
    for (const s of ['full', 'shut', 'closed_not_opened', 'open']) {
      expect((await setStatus(general, shelter.id, s)).status).toBe(200);
    }
    const audits = (await auditRows('shelter.status')).filter((a) => a.target_id === shelter.id);
    expect(audits.map((a) => (a.detail as { to: string }).to)).toEqual([
      'open',
      'full',
      'shut',
      'closed_not_opened',
      'open',
    ]);
    expect(audits.every((a) => a.result === 'success')).toBe(true);
    expect((audits[1]!.detail as { from: string }).from).toBe('open');
  });

  it('X-05: a bad status is 400, an unknown shelter 404, a counselor 403 (and audited)', async () => {
    const shelter = await byName('八坂公園');
    const bad = await setStatus(admin, shelter.id, 'maybe');
    expect(bad.status).toBe(400);
    const missing = await setStatus(admin, '00000000-0000-4000-8000-000000000000', 'open');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
    const refused = await setStatus(counselor, shelter.id, 'open');
    expect(refused.status).toBe(403);
    expect((await byName('八坂公園')).status).toBe('closed_not_opened');
    const audits = await auditRows('shelter.status');
    expect(audits.at(-1)).toMatchObject({ result: 'failure' });
  });

  it('X-05: the list shows every shelter with its status and the count per status', async () => {
    const r = await general.request('GET', '/api/shelters?q=%E5%85%AC%E5%9C%92&limit=500');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { items: ShelterView[]; total: number; counts: Record<string, number> };
    expect(body.items.length).toBeGreaterThan(100);
    expect(body.total).toBe(body.items.length);
    const page = (await (await general.request('GET', '/api/shelters?limit=10&offset=385')).json()) as {
      items: ShelterView[];
      total: number;
    };
    expect(page.total).toBe(391); // 390 from 松山市 and the one of the Excel (cp932) file
    expect(page.items).toHaveLength(6);
    expect(body.items.every((s) => s.name.includes('公園') || s.address.includes('公園'))).toBe(true);
    expect(body.counts.open).toBe(1);
    expect((await counselor.request('GET', '/api/shelters')).status).toBe(403);
  });
});

describe('citizen nearest search (X-03)', () => {
  // Near 松山城 (33.8456, 132.7656): open a few sites at known distances.
  const here = { lat: 33.8456, lon: 132.7656 };

  it('X-03: only open sites, nearest first by true distance; 満員 / 閉鎖 / 未開設 are skipped', async () => {
    const names = ['城山公園', '東雲公園', '八坂公園', '持田若宮公園', '枝松公園', '小坂公園', '中村公園'];
    const rows = await Promise.all(names.map(byName));
    for (const r of rows) expect((await setStatus(admin, r.id, 'open')).status).toBe(200);
    await setStatus(admin, rows[1]!.id, 'full'); // 東雲公園
    await setStatus(admin, rows[2]!.id, 'shut'); // 八坂公園
    await setStatus(admin, rows[3]!.id, 'closed_not_opened'); // 持田若宮公園

    const r = await nearby(`lat=${here.lat}&lon=${here.lon}`);
    expect(r.status).toBe(200);
    const { items } = (await r.json()) as {
      items: {
        name: string;
        distanceMeters: number;
        status: string;
        statusChangedAt: string;
        mapUrl: string;
      }[];
    };
    // Exactly the four still open, whatever else is near.
    expect(items.map((i) => i.name).sort()).toEqual(['中村公園', '城山公園', '小坂公園', '枝松公園']);
    expect(items[0]!.name).toBe('城山公園');
    expect(items.every((i) => i.status === 'open' && i.statusChangedAt)).toBe(true);
    const distances = items.map((i) => i.distanceMeters);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(items[0]!.mapUrl).toMatch(/^https:\/\/www\.google\.com\/maps\/search\/\?api=1&query=33\.84/);

    // status=all: every site with its status, nearest first.
    const all = (await (await nearby(`lat=${here.lat}&lon=${here.lon}&status=all&limit=10`)).json()) as {
      items: { status: string; distanceMeters: number }[];
    };
    expect(all.items).toHaveLength(10);
    expect(new Set(all.items.map((i) => i.status)).size).toBeGreaterThan(1);
  });

  it('X-03: the disaster type filter keeps only sites designated for every given type', async () => {
    const r = await nearby(`lat=${here.lat}&lon=${here.lon}&status=all&types=tsunami,large_fire&limit=20`);
    const { items } = (await r.json()) as { items: { disasterTypes: string[] }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.every((i) => i.disasterTypes.includes('tsunami') && i.disasterTypes.includes('large_fire')),
    ).toBe(true);
    const bad = await nearby(`lat=${here.lat}&lon=${here.lon}&types=meteor`);
    expect(bad.status).toBe(400);
  });

  it('X-03: the nearest 5 equal a full scan ranked by haversine, at random points', async () => {
    const { haversineMeters } = await import('./shelter-nearby.ts');
    const every = await server.db
      .selectFrom('shelters')
      .select(['name', 'latitude', 'longitude', 'status'])
      .execute();
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 25; i++) {
      const lat = 33.7 + rnd() * 0.3;
      const lon = 132.6 + rnd() * 0.3;
      const got = (await (await nearby(`lat=${lat}&lon=${lon}&status=all`)).json()) as {
        items: { name: string; distanceMeters: number }[];
      };
      const want = every
        .map((s) => haversineMeters(lat, lon, s.latitude, s.longitude))
        .sort((a, b) => a - b)
        .slice(0, 5)
        .map(Math.round);
      expect(got.items.map((x) => x.distanceMeters)).toEqual(want);
    }
  });

  it('X-03: a point outside Japan is 400 with a stable code and a Japanese message; bad numbers are 400', async () => {
    for (const q of ['lat=51.5&lon=-0.12', 'lat=35&lon=160', 'lat=10&lon=135']) {
      const r = await nearby(q);
      expect(r.status).toBe(400);
      const body = (await r.json()) as { code: string; message: string };
      expect(body.code).toBe('SHELTER_LOCATION_OUTSIDE_JAPAN');
      expect(body.message).toContain('日本国内');
    }
    expect((await nearby('lat=abc&lon=135')).status).toBe(400);
    expect((await nearby('')).status).toBe(400);
  });
});

describe('demo shelters (X-03)', () => {
  it('X-03: the demo seed imports the 千葉市 demo shelters once, opens two, and is idempotent', async () => {
    const { seedDemoShelters, DEMO_SHELTERS } = await import('../../demo/demo-shelters.ts');
    const before = await count();
    expect(await seedDemoShelters(server.db)).toHaveLength(1);
    expect(await seedDemoShelters(server.db)).toEqual([]);
    expect(await count()).toBe(before + DEMO_SHELTERS.length);
    const r = await nearby('lat=35.6131&lon=140.1134');
    const { items } = (await r.json()) as { items: { name: string; distanceMeters: number }[] };
    // The open sites of 松山市 from the tests above are far away; near 千葉駅 only the demo's two.
    expect(
      items
        .filter((i) => i.distanceMeters < 20_000)
        .map((i) => i.name)
        .sort(),
    ).toEqual(['中央コミュニティセンター(デモ)', '千葉公園(デモ)']);
  });
});

describe('shelter import from the command line (X-04)', () => {
  it('X-04: madoguchi shelters import --dry-run lists the bad rows and saves nothing; without it, the file is imported', async () => {
    const { runMadoguchi } = await import('../../testing/cli.ts');
    const file = (name: string) => new URL(`./testdata/${name}`, import.meta.url).pathname;
    const before = await count();
    const dry = runMadoguchi(server, ['shelters', 'import', file('broken-rows.csv'), '--dry-run']);
    expect(dry.status).toBe(1);
    expect(dry.stdout).toContain('3行目 NAME_MISSING: 名称が空です');
    expect(dry.stdout).toContain('9行目 COLUMN_COUNT');
    const refused = runMadoguchi(server, ['shelters', 'import', file('broken-rows.csv')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('SHELTER_IMPORT_INVALID');
    expect(await count()).toBe(before);
    const ok = runMadoguchi(server, ['shelters', 'import', file('gsi-emergency-style.csv')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toMatchObject({ created: 3, applied: true });
    expect(await count()).toBe(before + 3);
  });
});
