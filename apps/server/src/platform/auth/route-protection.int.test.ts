import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoleByKey } from '../../modules/accounts/roles.repository.ts';
import { type RawAnswer, rawRequest } from '../../testing/raw-http.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { hasPermission } from './permissions.ts';
import type { DeclaredRoute } from './route-access.ts';

// S-07, S-08, S-09 (issue 8 §1): every registered route, read from the router itself, is tried
// without a session, with every built-in role, and under other spellings of its path. Each answer
// must match the protection the route declares, and every staff call must leave an audit row.
// A route added later is walked without editing this file.

const ROLES = ['admin', 'general', 'counselor', 'supervisor'] as const;
const STAFF_REFUSALS = new Set([
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'CSRF_INVALID',
  'IP_NOT_ALLOWED',
]);
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** A concrete path for a route pattern: every parameter is a (missing) UUID. */
const concretePath = (url: string) => url.replace(/:[A-Za-z_]+/g, SAMPLE_ID).replace(/\*$/, 'x');

/** Other spellings of a path that an attacker may try; none may get past the route's protection. */
export function pathSpellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const first = segments[0] ?? '';
  const rest = segments.slice(1).join('/');
  const hex = (c: string) => c.charCodeAt(0).toString(16);
  const spellings = [
    // Percent-encoded letters, lower- and upper-case hex digits.
    `/%${hex(first[0]!)}${first.slice(1)}/${rest}`,
    `/${first.slice(0, -1)}%${hex(first.at(-1)!).toUpperCase()}/${rest}`,
    // An encoded slash, doubled slashes, dot segments, a trailing slash.
    `/${first}%2F${rest}`,
    `/${first}%2f${rest}`,
    `//${first}/${rest}`,
    `/${first}//${rest}`,
    `/${first}/./${rest}`,
    `/${first}/x/../${rest}`,
    `${path}/.`,
    `${path}/`,
    // Mixed case.
    `/${first.toUpperCase()}/${rest}`,
    `/${first[0]!.toUpperCase()}${first.slice(1)}/${rest.replace(/^./, (c) => c.toUpperCase())}`,
  ];
  return [...new Set(spellings)].filter((s) => s !== path);
}

describe('route protection from the matched route (S-07, S-08, S-09)', () => {
  let server: TestServer;
  let routes: DeclaredRoute[];
  const sessions = new Map<
    string,
    { loginId: string; headers: Record<string, string>; login: () => Promise<void> }
  >();
  const permissionsOf = new Map<string, string[]>();
  let calls = 0;
  let audited = 0;

  beforeAll(async () => {
    server = await startTestServer();
    routes = server.app.declaredRoutes.filter((r) => r.method !== 'OPTIONS');
    for (const role of ROLES) {
      const staff = await createStaff(server.db, role);
      permissionsOf.set(role, (await findRoleByKey(server.db, role))!.permissions);
      const entry = {
        loginId: staff.loginId,
        headers: {} as Record<string, string>,
        async login() {
          const c = await staffClient(server, staff.loginId);
          entry.headers = { cookie: c.cookie, 'x-csrf-token': c.csrfToken };
        },
      };
      await entry.login();
      sessions.set(role, entry);
    }
  });
  afterAll(async () => {
    console.log(
      `route walk: ${routes.length} routes × (no session + ${ROLES.length} roles) and their spellings = ${calls} requests, ${audited} audit rows checked`,
    );
    await server?.close();
  });

  const newestAudit = () =>
    server.db
      .selectFrom('audit_log')
      .select(['id', 'action', 'result', 'login_id', 'detail'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();

  /** Calls a route and, for a staff route, checks that exactly its call was audited. */
  async function call(route: DeclaredRoute, path: string, headers: Record<string, string> = {}) {
    const before = await newestAudit();
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{}' : undefined;
    const answer = await rawRequest(server.url, route.method, path, headers, body);
    calls++;
    expect(answer.status, `${route.method} ${path}`).toBeLessThan(500);
    return { answer, before };
  }

  /**
   * The newest audit row is this call's. `matched` lists the routes the server may have matched:
   * another spelling of a path may match a neighbouring route (`/api/x/.` is `/api/x/:id`).
   */
  async function expectAudited(
    route: DeclaredRoute,
    answer: RawAnswer,
    beforeId: string | undefined,
    loginId: string | null,
    matched: readonly string[] = [route.url],
  ) {
    const row = await newestAudit();
    const where = `${route.method} ${route.url} → ${answer.status}`;
    expect(row, where).toBeDefined();
    expect(row!.id, `${where}: no audit row`).not.toBe(beforeId);
    expect(row!.detail, where).toMatchObject({ method: route.method, status: answer.status });
    expect(matched, where).toContain((row!.detail as { path: string }).path);
    expect(row!.result, where).toBe(answer.status < 400 ? 'success' : 'failure');
    expect(row!.login_id, where).toBe(loginId);
    audited++;
  }

  it('S-07/S-09: every route declares its protection, and a walk covers them all', () => {
    expect(routes.length).toBeGreaterThan(80);
    const staff = routes.filter((r) => r.access.kind === 'staff');
    expect(staff.length).toBeGreaterThan(50);
    // The routes that once leaked through `/%61pi/…` are among them.
    for (const url of ['/api/accounts', '/api/ip-allowlists/:area', '/api/audit']) {
      expect(staff.map((r) => r.url)).toContain(url);
    }
  });

  it('S-08: without a session every staff route answers 401 and is audited; public routes never ask for staff sign-in', async () => {
    for (const route of routes) {
      const path = concretePath(route.url);
      const { answer, before } = await call(route, path);
      if (route.access.kind === 'staff') {
        expect(answer.status, `${route.method} ${path}`).toBe(401);
        if (route.method !== 'HEAD') expect(answer.code).toBe('UNAUTHENTICATED');
        await expectAudited(route, answer, before?.id, null);
      } else {
        expect(STAFF_REFUSALS.has(answer.code ?? ''), `${route.method} ${path}: ${answer.code}`).toBe(false);
      }
    }
  }, 180_000);

  it('S-08: with every built-in role, a staff route answers as its permissions say, and every call is audited', async () => {
    for (const role of ROLES) {
      const session = sessions.get(role)!;
      const granted = permissionsOf.get(role)!;
      for (const route of routes) {
        if (route.access.kind !== 'staff' || route.websocket) continue;
        const path = concretePath(route.url);
        const { answer, before } = await call(route, path, session.headers);
        const allowed =
          route.access.permissions.length === 0 ||
          route.access.permissions.some((p) => hasPermission(granted, p));
        const where = `${role}: ${route.method} ${path} → ${answer.status} ${answer.code}`;
        if (allowed) {
          expect(STAFF_REFUSALS.has(answer.code ?? ''), where).toBe(false);
        } else {
          expect(answer.status, where).toBe(403);
          if (route.method !== 'HEAD') expect(answer.code, where).toBe('FORBIDDEN');
        }
        await expectAudited(route, answer, before?.id, session.loginId);
        // A call may legitimately end the session (sign-out): sign in again and go on.
        if (answer.status < 400 && route.method === 'DELETE' && route.access.area === 'self')
          await session.login();
      }
    }
    // The walk grows with the route table (about 20 s for 355 routes on a quiet 2-core machine).
  }, 180_000);

  it('S-07: other spellings of a staff path either match the same route (and its protection) or none', async () => {
    const counselor = sessions.get('counselor')!;
    const staffUrls = routes.filter((r) => r.access.kind === 'staff').map((r) => r.url);
    for (const route of routes) {
      if (route.access.kind !== 'staff') continue;
      for (const spelling of pathSpellings(concretePath(route.url))) {
        // No session: never through.
        const anonymous = await call(route, spelling);
        const where = `${route.method} ${spelling} → ${anonymous.answer.status} ${anonymous.answer.code}`;
        expect([401, 404], where).toContain(anonymous.answer.status);
        if (anonymous.answer.status === 401) {
          await expectAudited(route, anonymous.answer, anonymous.before?.id, null, staffUrls);
        }
        // A counselor's session on an admin-only route: never through either.
        const deniedToCounselor =
          route.access.permissions.length > 0 &&
          !route.access.permissions.some((p) => hasPermission(permissionsOf.get('counselor')!, p));
        if (deniedToCounselor && !route.websocket) {
          const c = await call(route, spelling, counselor.headers);
          expect([403, 404], `counselor: ${route.method} ${spelling} → ${c.answer.status}`).toContain(
            c.answer.status,
          );
        }
      }
    }
  }, 180_000);
});
