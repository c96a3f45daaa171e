import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'pipelines/test/**/*.test.ts'],
    // Worker-pool and subprocess tests share 2 cores; a generous timeout avoids flakes, never hides slowness
    // (speed is measured by `pnpm bench`, not by tests).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
