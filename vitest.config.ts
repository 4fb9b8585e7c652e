import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that share PostgreSQL or Redis isolate themselves by schema/prefix; two cores here.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
