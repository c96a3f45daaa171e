import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

/**
 * The small version of `pnpm bench dedup-fanin`: 3,000 task files and 5 index segments under
 * `ulimit -n 256`. Without the bucket groups the band merge cannot open its files; with them it opens
 * ⌈3,000 / 200⌉ group files and finds the planted duplicates.
 */
describe('the dedup of a run with more WARCs than open files allowed', () => {
  it('merges bucket files in groups and stays under ulimit -n, where one flat merge fails with EMFILE', async () => {
    const r = await runCli('bench', ['dedup-fanin', '--files', '3000', '--docs-per-file', '4', '--segments', '5', '--segment-docs', '200', '--ulimit', '256', '--fan-in', '200', '--without-groups']);
    expect(r.code, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
    expect(figures.bucket_groups).toBe(15);
    expect(figures.peak_open_files).toBeLessThan(256);
    expect(figures.planted_found).toBeGreaterThanOrEqual(Number(figures.planted_pairs) - 2);
    expect(Number(figures.planted_pairs)).toBeGreaterThan(100);
    expect(figures.without_groups).toMatch(/^failed: .*EMFILE/);
  }, 300_000);
});
