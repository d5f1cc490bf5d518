import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { areasOfPermissions, enforceRouteDeclarations, routeAccess } from './route-access.ts';

// S-07/S-08 (issue 8 §1): protection is what a route declares; a route that declares nothing is
// refused when it is registered, never served as public.

describe('route declarations (S-07, S-08)', () => {
  it('reads the area from the permissions, counselor only when every permission is a consultation one', () => {
    expect(routeAccess({ permission: 'consultation.handle' })).toEqual({
      kind: 'staff',
      permissions: ['consultation.handle'],
      area: 'counselor',
    });
    expect(routeAccess({ permission: ['consultation.export', 'analytics.view'] })).toMatchObject({
      area: 'admin',
    });
    expect(routeAccess({ area: 'self' })).toEqual({ kind: 'staff', permissions: [], area: 'self' });
    expect(routeAccess({ staff: false })).toEqual({ kind: 'public' });
    expect(routeAccess({ webApp: 'console' })).toEqual({ kind: 'console-app' });
    expect(routeAccess({})).toBeNull();
    expect(routeAccess(undefined)).toBeNull();
  });

  it('refuses at registration a route without a declaration, a public route with a permission, and an unaudited change', async () => {
    const app = Fastify();
    enforceRouteDeclarations(app);
    expect(() => app.get('/api/forgotten', async () => 'open')).toThrow(/declares no protection/);
    expect(() =>
      app.get('/api/mixed', { config: { staff: false, permission: 'accounts.view' } }, async () => 'x'),
    ).toThrow(/public but also names/);
    expect(() =>
      app.post('/api/change', { config: { permission: 'accounts.manage' } }, async () => 'x'),
    ).toThrow(/declares no config.audit/);
    app.get('/api/fine', { config: { permission: 'accounts.view' } }, async () => 'x');
    expect(app.declaredRoutes.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/fine',
      'HEAD /api/fine',
    ]);
    await app.close();
  });

  it('places an account in the areas its role uses', () => {
    expect(areasOfPermissions(['consultation.handle'])).toEqual(['counselor']);
    expect(areasOfPermissions(['consultation.handle', 'dashboard.view']).sort()).toEqual([
      'admin',
      'counselor',
    ]);
    expect(areasOfPermissions(['friends.view', 'not-a-permission'])).toEqual(['admin']);
    expect(areasOfPermissions([])).toEqual(['admin']);
  });
});
