import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';
import base from './vitest.config.ts';

/**
 * `pnpm test:fast`: the edit–test loop. The unit tests only, under a minute on 2 cores; `pnpm test`
 * (what CI runs) runs these and the end-to-end files below.
 *
 * End-to-end files run whole pipelines, crawls or Slurm jobs in subprocesses (each 10 s to several
 * minutes on 2 cores, from `npx vitest run --reporter=verbose`). They are listed here, in one place: a
 * new one is added to this list or named `*.e2e.test.ts`, and if one is missed the budget check below
 * names the slowest files at the end of the run.
 */
export const END_TO_END = [
  'pipelines/test/reliability.test.ts', // kills, locks, full disks, changed WARCs: ~6 min
  'pipelines/test/slurm.test.ts', // real Slurm job arrays: ~1-2 min
  'pipelines/test/acquire.test.ts', // Common Crawl over HTTP and URL-list crawls into runs: ~1.5 min
  'pipelines/test/refilter.test.ts', // full runs compared with refilters: ~1.5 min
  'pipelines/test/cc-ja.test.ts', // real WARCs end to end: ~40 s
  'pipelines/test/summary.test.ts', // the summary of repeated runs on one dedup index: ~35 s
  'pipelines/test/dedup.test.ts', // nightly runs sharing an index, crash in the bands: ~30 s
  'pipelines/test/profiles.test.ts', // a run per filter profile: ~30 s
  'pipelines/test/query.test.ts', // runs, then the README's SQL through pnpm query: ~30 s
  'pipelines/test/report.test.ts', // runs, then the HTML report in headless Chromium: ~25 s
  'pipelines/test/config.test.ts', // runs with config files: ~20 s
  'pipelines/test/verify.test.ts', // a run, then recounts of edited copies: ~20 s
  'pipelines/test/bad-input.test.ts', // a run over broken WARCs: ~10 s
  'pipelines/test/fixtures-run.test.ts', // a run over the fixtures: ~10 s
  'pipelines/test/library.test.ts', // the library examples as runs: ~8 s
  'packages/filters/test/toxicity-data.test.ts', // trains classifiers in nested cross-validation: ~20 s
];

/** Above this, the fast run says which files took longest: the loop is only useful while it is short. */
const BUDGET_MS = 60_000;
/** Files named when the budget is exceeded: the few that are most likely end-to-end. */
const SLOWEST_SHOWN = 3;

class FastBudgetReporter implements Reporter {
  private started = Date.now();

  onTestRunStart(): void {
    this.started = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const wall = Date.now() - this.started;
    if (wall <= BUDGET_MS) return;
    const slowest = [...testModules]
      .map((m) => ({ file: relative(process.cwd(), m.moduleId), ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST_SHOWN)
      .map((m) => `${m.file} ${(m.ms / 1000).toFixed(1)} s`);
    process.stdout.write(
      `\ntest:fast took ${(wall / 1000).toFixed(0)} s, over its ${BUDGET_MS / 1000} s budget; slowest: ${slowest.join(', ')}.\n` +
        'An end-to-end file belongs in END_TO_END of vitest.fast.config.ts (or is named *.e2e.test.ts).\n',
    );
  }
}

// Spread rather than mergeConfig, which would concatenate the reporter lists.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...configDefaults.exclude, '**/*.e2e.test.ts', ...END_TO_END],
    // Unit tests are CPU-bound and independent: every core (vitest's default leaves one free, half of 2).
    maxWorkers: availableParallelism(),
    reporters: ['default', './scripts/summary-reporter.ts', new FastBudgetReporter()],
  },
});
