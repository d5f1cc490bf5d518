import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { runMadoguchi } from '../../testing/cli.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { createDesk } from './desks.service.ts';

// Contract end (C-16): hand every consultation to the city, then delete them — operator commands.

let server: TestServer;
let dir: string;

const run = (args: string[]) => runMadoguchi(server, args);

const count = async (table: 'consultations' | 'consultation_messages' | 'consultees') =>
  Number(
    (
      await server.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-handover-'));
  await createDesk(server.db, {
    ...demoDesks(null as unknown as string)[1]!,
    channelId: null,
    accessCode: null,
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.close();
});

describe('contract end (C-16)', () => {
  it('C-16: `consultation export` writes every consultation and decrypted message; `purge` needs --yes, then deletes all', async () => {
    const start = await fetch(`${server.url}/api/consult/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deskSlug: 'ijime' }),
    });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const { consultationId } = (await start.json()) as { consultationId: string };
    const chat = new WebSocket(
      `${server.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`,
      {
        headers: { cookie },
      } as never,
    );
    const acked = new Promise<void>((resolve) =>
      chat.addEventListener('message', (e) => {
        if ((JSON.parse(String(e.data)) as { type: string }).type === 'ack') resolve();
      }),
    );
    await new Promise((r) => chat.addEventListener('open', r));
    chat.send(JSON.stringify({ type: 'message', clientId: 'handover-1', text: '引き渡し確認用の相談文' }));
    await acked;
    chat.close();

    const out = path.join(dir, 'export');
    const exported = run(['consultation', 'export', '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    const consultations = readFileSync(path.join(out, 'consultations.csv'), 'utf8');
    const messages = readFileSync(path.join(out, 'messages.csv'), 'utf8');
    expect(consultations.charCodeAt(0)).toBe(0xfeff);
    expect(consultations).toContain(consultationId);
    expect(messages).toContain('引き渡し確認用の相談文');
    expect(messages.split('\r\n')[0]).toBe('\uFEFF相談ID,日時,送信者,種別,相談員,本文');

    const refused = run(['consultation', 'purge']);
    expect(refused.status).toBe(2);
    expect(await count('consultations')).toBe(1);

    const purged = run(['consultation', 'purge', '--yes']);
    expect(purged.status, purged.stderr).toBe(0);
    expect(await count('consultations')).toBe(0);
    expect(await count('consultation_messages')).toBe(0);
    expect(await count('consultees')).toBe(0);
    const audit = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'consultation.contract-%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'consultation.contract-export',
      'consultation.contract-purge',
    ]);
  });
});
