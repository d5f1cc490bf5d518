import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIT_ACTION_LABELS } from '@madoguchi/contracts/audit-labels.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { findRoleByKey } from '../accounts/roles.repository.ts';

// S-09 (issue 9): the audit log speaks plain Japanese. Every action the server writes has a label
// in @madoguchi/contracts (read from the router itself and from the recordAudit calls in the
// source), the list answers with labels and target names, filters by choice, and the CSV keeps
// the codes beside the words.

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') &&
      !/\.(unit|int)\.test\.ts$/.test(name) &&
      !full.includes(`${path.sep}testing${path.sep}`)
      ? [full]
      : [];
  });
}

/** Literal actions of the recordAudit calls outside routes' config (sign-in, CLI, the access hook). */
function writtenActionsInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('recordAudit(')) continue;
    for (const m of text.matchAll(/\baction:\s*'([a-z][\w.-]*)'/g)) found.add(m[1]!);
    for (const m of text.matchAll(/'(access\.[a-z-]+)'/g)) found.add(m[1]!);
  }
  return found;
}

describe('audit log in plain words (S-09, issue 9)', () => {
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof staffClient>>;
  let adminLogin: string;

  beforeAll(async () => {
    server = await startTestServer();
    const a = await createStaff(server.db, 'admin');
    adminLogin = a.loginId;
    admin = await staffClient(server, a.loginId);
  });
  afterAll(() => server?.close());

  it('S-09: every action the server writes has a label (routes read from the router, recordAudit from the source)', () => {
    const fromRoutes = server.app.declaredRoutes.flatMap((r) => (r.auditAction ? [r.auditAction] : []));
    const fromSource = [...writtenActionsInSource()];
    // The walk really finds them (a broken regex or router walk must not pass silently).
    expect(fromRoutes).toContain('account.create');
    expect(fromRoutes).toContain('form.item.retire');
    expect(fromRoutes).toContain('consultation.close');
    expect(fromSource).toEqual(expect.arrayContaining(['session.login', 'access.read', 'access.denied']));
    const missing = [...new Set([...fromRoutes, ...fromSource])].filter(
      (a) => !Object.hasOwn(AUDIT_ACTION_LABELS, a),
    );
    expect(missing).toEqual([]);
  });

  it('S-09: the list shows labels and the target name; filters by action, result and login ID', async () => {
    const created = await admin.request('POST', '/api/accounts', {
      loginId: 'tanaka01',
      displayName: '田中 花子',
      roleId: (await findRoleByKey(server.db, 'general'))!.id,
      password: STRONG_PASSWORD,
    });
    expect(created.status).toBe(201);
    // A failed sign-in for the filter by result.
    await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: adminLogin, password: 'wrong-password-1' }),
    });

    const res = await admin.request('GET', `/api/audit?action=account.create&loginId=${adminLogin}`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { action: string; actionLabel: string; targetName: string | null; result: string }[];
    };
    expect(items.length).toBe(1);
    expect(items[0]).toMatchObject({
      action: 'account.create',
      actionLabel: 'アカウントを作成',
      targetName: '田中 花子（tanaka01）',
      result: 'success',
    });

    const failures = (await (await admin.request('GET', '/api/audit?result=failure')).json()) as {
      items: { action: string; result: string }[];
    };
    expect(failures.items.length).toBeGreaterThan(0);
    expect(failures.items.every((i) => i.result === 'failure')).toBe(true);
    expect(failures.items.some((i) => i.action === 'session.login')).toBe(true);

    const nobody = (await (await admin.request('GET', '/api/audit?loginId=nobody-here')).json()) as {
      items: unknown[];
    };
    expect(nobody.items).toEqual([]);
  });

  it('S-09: the action list for the filter carries Japanese and English words', async () => {
    const res = await admin.request('GET', '/api/audit/actions');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { code: string; ja: string; en: string }[] };
    expect(items).toContainEqual({
      code: 'account.create',
      ja: 'アカウントを作成',
      en: 'Created an account',
    });
    expect(items.length).toBe(Object.keys(AUDIT_ACTION_LABELS).length);
  });

  it('S-09: the CSV has the codes and the words side by side, and honours the filters', async () => {
    const res = await admin.request('GET', '/api/audit.csv?action=account.create&result=success');
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe(
      '日時,アカウント,IPアドレス,操作,操作コード,対象種別,対象種別コード,対象,対象ID,結果,結果コード,件数,ハッシュ',
    );
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain(',アカウントを作成,account.create,アカウント,account,田中 花子（tanaka01）,');
    expect(lines[1]).toContain(',成功,success,');
  });

  it('S-09: bad input is refused with 400 (unknown result, malformed date, too long a login ID)', async () => {
    for (const q of [
      'result=maybe',
      'from=yesterday',
      `loginId=${'x'.repeat(65)}`,
      'limit=0',
      'cursor=abc',
    ]) {
      const res = await admin.request('GET', `/api/audit?${q}`);
      expect(res.status, q).toBe(400);
    }
    expect((await admin.request('GET', '/api/audit.csv?result=maybe')).status).toBe(400);
  });

  it('S-09: the action list needs audit.view', async () => {
    const g = await createStaff(server.db, 'general');
    const general = await staffClient(server, g.loginId);
    expect((await general.request('GET', '/api/audit/actions')).status).toBe(403);
  });
});
