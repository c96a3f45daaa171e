import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO, duckdb, tempDir } from './helpers.ts';

/** The `<!-- example: <file> -->` code blocks of the README, by file name. */
async function readmeExamples(): Promise<Map<string, string>> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  return new Map([...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
}

describe("the README's library example", () => {
  it('builds a pipeline with a step of its own and runs it on the fixtures, every stage and the ledger included', async () => {
    const examples = await readmeExamples();
    expect([...examples.keys()]).toEqual(['my-pipeline.ts', 'run.ts']);
    // Inside the pipelines package, so that `@jcp/pipelines` resolves as it does for a workspace user.
    const dir = await mkdtemp(join(REPO, 'pipelines', '.example-'));
    try {
      for (const [name, code] of examples) await writeFile(join(dir, name), code);
      const out = join(await tempDir('library'), 'run');
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'run.ts'), out], { cwd: REPO, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(out);
      const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
      expect(stats.pipeline).toBe('cc-ja-long');
      const longOnly = stats.totals['long-only'];
      expect(longOnly.docsIn).toBeGreaterThan(longOnly.docsOut);
      expect(longOnly.drops['under-1000-chars'].docs).toBe(longOnly.docsIn - longOnly.docsOut);
      const rows = await duckdb(`SELECT min(length(text)) AS shortest, count(*) AS docs FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
      expect(Number(rows[0]!.docs)).toBeGreaterThan(0);
      expect(Number(rows[0]!.shortest)).toBeGreaterThanOrEqual(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
