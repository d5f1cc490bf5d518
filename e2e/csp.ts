import { expect, request } from '@playwright/test';
import { SERVER_PORT } from './playwright.config.ts';

// S-04: the pages run under a Content-Security-Policy without inline script; browsers report any
// violation to /csp-report, which the server counts. After each file's journeys that count is 0.
export async function expectNoCspViolations() {
  const api = await request.newContext({ baseURL: `http://localhost:${SERVER_PORT}` });
  const metrics = await (await api.get('/metrics')).text();
  await api.dispose();
  const reported = metrics
    .split('\n')
    .filter((l) => l.startsWith('madoguchi_csp_violations_total{') && !l.endsWith(' 0'));
  expect(reported).toEqual([]);
}
