import { defineConfig } from 'vitest/config';

// Two tiers run by Vitest: unit (pure rules) and integration (real PostgreSQL, real HTTP).
// End-to-end journeys live in e2e/ and run with Playwright.
export default defineConfig({
  test: {
    // Three files at a time, also on a 2-core machine (Vitest's default there is one): the integration
    // tests mostly wait on PostgreSQL and HTTP, so they overlap well (2026-12-04, 188 files on 2 cores:
    // 399 s with two, 321 s with three; CI: the suite stays under 15 min).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.unit.test.ts', 'packages/*/src/**/*.unit.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/*/src/**/*.int.test.ts', 'packages/*/src/**/*.int.test.ts'],
          globalSetup: ['apps/server/src/db/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
