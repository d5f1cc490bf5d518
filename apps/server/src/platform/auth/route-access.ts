import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { IpArea } from '../security/ip-allowlist.repository.ts';
import { areaOfPermission, isPermission, type Permission } from './permissions.ts';

// What protects a route is declared by the route itself (its `config`) and read from the route
// the router matched, never from the request's URL: a URL spelled differently either matches the
// same route, and so gets the same protection, or matches none.
//
// Deny by default: a route that declares nothing is refused when it is registered.

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its declared protection (read by the route-walking test). */
    declaredRoutes: DeclaredRoute[];
  }
  interface FastifyContextConfig {
    /**
     * Permission the route needs (a list: any one of them). The allow-list area follows from it:
     * the counselor area when every permission is a consultation one, else the admin area.
     */
    permission?: Permission | readonly Permission[];
    /**
     * For staff routes without a permission (a signed-in account suffices): the allow-list area.
     * 'self' is for the session and self-service routes, which belong to whichever area the
     * account's role uses, and which stay open while a password change is required.
     */
    area?: 'admin' | 'counselor' | 'self';
    /** Audit action written for every call of this route (required for state-changing routes). */
    audit?: { action: string; targetType?: string };
    /** Route is not a staff route (webhooks, citizen API, sign-in, health). */
    staff?: false;
    /** Skip the CSRF check (sign-in only: there is no session yet). */
    csrf?: false;
    /** The staff console's pages: Basic auth and an address on one of the allow-lists. */
    webApp?: 'console' | 'citizen';
  }
}

export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'console-app' }
  | { kind: 'staff'; permissions: readonly Permission[]; area: IpArea | 'self' };

type RouteConfig = NonNullable<RouteOptions['config']>;

/** The protection a route declared; `null` when it declared none (refused at registration). */
export function routeAccess(cfg: RouteConfig | undefined): RouteAccess | null {
  if (!cfg) return null;
  if (cfg.webApp === 'console') return { kind: 'console-app' };
  if (cfg.staff === false || cfg.webApp === 'citizen') return { kind: 'public' };
  const permissions: readonly Permission[] = cfg.permission === undefined ? [] : [cfg.permission].flat();
  if (permissions.length) {
    // A route open to several permissions is in the counselor area only if all of them are.
    const area = permissions.every((p) => areaOfPermission(p) === 'counselor') ? 'counselor' : 'admin';
    return { kind: 'staff', permissions, area };
  }
  if (cfg.area) return { kind: 'staff', permissions, area: cfg.area };
  return null;
}

/** The protection of the route a request matched (`null` when it matched none: a 404). */
export const matchedAccess = (request: FastifyRequest): RouteAccess | null =>
  request.is404 ? null : routeAccess(request.routeOptions.config);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isUnsafeMethod = (method: string) => UNSAFE.has(method);

/**
 * Checks a route's declaration when it is registered. Throws (so the server does not start) when a
 * route declares no protection, contradicts itself, or changes state without an audit action.
 */
export function assertRouteDeclared(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): void {
  const cfg = route.config as RouteConfig | undefined;
  const where = `${[route.method].flat().join(',')} ${route.url}`;
  const access = routeAccess(cfg);
  if (!access) {
    throw new Error(
      `route ${where} declares no protection: set config.permission, config.area, config.webApp or config.staff=false`,
    );
  }
  if (access.kind !== 'staff' && (cfg?.permission !== undefined || cfg?.area !== undefined)) {
    throw new Error(`route ${where} is public but also names a permission or area`);
  }
  const methods = [route.method].flat();
  if (access.kind === 'staff' && methods.some((m) => isUnsafeMethod(m)) && !cfg?.audit) {
    throw new Error(`route ${where} changes state but declares no config.audit action`);
  }
}

/** The allow-list areas an account's permissions use (for 'self' routes). */
export function areasOfPermissions(permissions: readonly string[]): IpArea[] {
  const areas = new Set<IpArea>(permissions.filter(isPermission).map(areaOfPermission));
  // An account without any permission still signs in to the admin area (to change its password).
  if (areas.size === 0) areas.add('admin');
  return [...areas];
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  websocket: boolean;
  /** The declared audit action (config.audit.action), when there is one. */
  auditAction?: string;
}

/**
 * Refuses, at registration, every route that declares no protection (so the server does not
 * start), and keeps the list of routes on `app.declaredRoutes`. Call before any route is added.
 */
export function enforceRouteDeclarations(app: FastifyInstance): void {
  const routes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', routes);
  app.addHook('onRoute', (route) => {
    assertRouteDeclared(route);
    const access = routeAccess(route.config)!;
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        access,
        websocket: route.websocket === true,
        auditAction: (route.config as RouteConfig | undefined)?.audit?.action,
      });
    }
  });
}
