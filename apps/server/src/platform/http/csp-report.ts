import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { registry } from './metrics.ts';

// Content-Security-Policy violation reports (the page policy's report-uri): each is logged and
// counted, so operators see a page that the policy breaks, and the end-to-end journeys assert
// that none was reported.

export const CSP_REPORT_PATH = '/csp-report';
const REPORT_TYPES = ['application/csp-report', 'application/reports+json'];

export const cspViolations = new Counter({
  name: 'madoguchi_csp_violations_total',
  help: 'Content-Security-Policy violations reported by browsers',
  labelNames: ['directive'],
  registers: [registry],
});

const text = (value: unknown, max = 200) => (typeof value === 'string' ? value.slice(0, max) : undefined);

export function registerCspReports(app: FastifyInstance): void {
  app.register(async (scope) => {
    // Reports arrive with their own media types; read them as JSON, bounded.
    scope.addContentTypeParser(
      REPORT_TYPES,
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          done(null, null);
        }
      },
    );
    scope.post(
      CSP_REPORT_PATH,
      { schema: { hide: true }, config: { staff: false } },
      async (request, reply) => {
        const body = request.body as Record<string, unknown> | unknown[] | null;
        // report-uri sends { "csp-report": {…} }; the Reporting API sends [{ type, body: {…} }].
        const reports = Array.isArray(body)
          ? body.map((r) => (r as { body?: Record<string, unknown> }).body ?? {})
          : [((body ?? {}) as Record<string, Record<string, unknown>>)['csp-report'] ?? {}];
        for (const r of reports.slice(0, 20)) {
          const directive =
            text(r['effective-directive'] ?? r.effectiveDirective ?? r['violated-directive'], 40) ??
            'unknown';
          cspViolations.inc({ directive: directive.replace(/[^a-z-]/g, '') || 'unknown' });
          request.log.warn(
            {
              csp: {
                directive,
                blocked: text(r['blocked-uri'] ?? r.blockedURL),
                page: text(r['document-uri'] ?? r.documentURL),
              },
            },
            'content security policy violation',
          );
        }
        return reply.status(204).send();
      },
    );
  });
}
