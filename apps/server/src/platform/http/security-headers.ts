import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { CSP_REPORT_PATH } from './csp-report.ts';

// Hardening headers on every answer (HSTS when PUBLIC_URL is https, S-01; `Cache-Control: no-store`
// on the API, S-12), and a Content-Security-Policy: pages (the console and the
// citizen pages) may run scripts only from this server and the LIFF SDK's origin, and talk only to
// this server and LINE; no inline script anywhere. Everything else (JSON, images, CSV) gets a
// policy that allows nothing to run. One page sets its own: the PAY.JP card page (cardPagePolicy,
// the same policy plus PAYJP_JS_URL's origin for script, frame and connect).

const origin = (url: string) => new URL(url).origin;

export function pageContentSecurityPolicy(config: Config, extra: { payjp?: string } = {}): string {
  const liff = origin(config.LIFF_SDK_URL);
  const line = [
    ...new Set(
      [
        config.LINE_API_BASE_URL,
        config.LINE_DATA_API_BASE_URL,
        config.LINE_OAUTH_BASE_URL,
        config.LIFF_SDK_URL,
      ].map(origin),
    ),
  ].join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' ${liff}${extra.payjp ? ` ${extra.payjp}` : ''}`,
    ...(extra.payjp ? [`frame-src 'self' ${extra.payjp}`] : []),
    // Style attributes written by React and the design tokens; no inline script is allowed.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: https: ${line}`,
    "font-src 'self' data:",
    `connect-src 'self' ${line}${extra.payjp ? ` ${extra.payjp}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');
}

/**
 * The PAY.JP card page's policy: the page policy plus exactly PAYJP_JS_URL's origin for script,
 * frame and connect (payjp.js and its card iframe) — on that page only (the route sets it).
 */
export function cardPagePolicy(config: Config): string {
  return pageContentSecurityPolicy(config, { payjp: origin(config.PAYJP_JS_URL) });
}

const NOTHING_RUNS = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const pagePolicy = pageContentSecurityPolicy(config);
  const hsts = config.PUBLIC_URL.startsWith('https://');
  app.addHook('onSend', async (request, reply) => {
    // S-12: API answers (staff and citizen: personal data) are kept by no browser or proxy cache,
    // unless the route chose its own caching. Decided from the matched route; an answer no route
    // gave (404) is not worth keeping either.
    const route = request.is404 ? undefined : request.routeOptions.url;
    if ((route === undefined || route.startsWith('/api/')) && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    // A page that set its own policy (the card page: cardPagePolicy) keeps it.
    const own = type.startsWith('text/html') && reply.getHeader('content-security-policy');
    if (!own)
      reply.header('content-security-policy', type.startsWith('text/html') ? pagePolicy : NOTHING_RUNS);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)');
    if (hsts) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}
