import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';
import { spawnSync } from 'node:child_process';
import { REPO } from './helpers.ts';

const CLUEWEB_JA = join(SHARED_DATA, 'warc/resiliparse/clueweb09-ja-excerpt.warc.gz');
const ARGS = ['--input', CLUEWEB_JA, '--tokenizer', 'chars', '--workers', '1'];

function refilter(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'pipelines/src/cli/refilter.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
}

/** What a user compares between two runs: every corpus row, the ledger, the audit samples, the dedup. */
async function runView(dir: string): Promise<unknown> {
  const shards = (await readdir(join(dir, 'corpus/ja/ja_cc')).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet'));
  const rows = shards.length === 0 ? [] : await duckdb(`SELECT * FROM read_parquet('${dir}/corpus/ja/ja_cc/*.parquet', filename = true) ORDER BY id`);
  const stats = JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8'));
  const samples: Record<string, string> = {};
  for (const f of await readdir(join(dir, 'samples')).catch(() => [] as string[])) samples[f] = await readFile(join(dir, 'samples', f), 'utf8');
  return {
    rows: rows.map((r) => ({ ...r, filename: String(r.filename).replace(dir, '') })),
    totals: stats.totals,
    output: stats.output,
    byWarc: stats.byWarc,
    samples: stats.samples,
    sampleFiles: samples,
    dedup: { ...stats.dedup, perBand: stats.dedup.perBand },
  };
}

describe('pnpm refilter: other thresholds over a finished run, without its WARCs', () => {
  let source: string;
  beforeAll(async () => {
    source = join(await tempDir('refilter-src'), 'run');
    const r = await runCli('pipeline', ['cc-ja', ...ARGS, '--out', source]);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    ['tighter (a longer minimum)', { chain: { filters: { steps: { quality: { rules: { 'too-short': { min: 260 } } } } } } }],
    ['looser (three rules off, docs the source run dropped come back)', { chain: { filters: { steps: { quality: { rules: { 'too-short': { min: null }, 'low-hiragana-share': { min: null }, 'high-katakana-share': { max: null } } } } } } }],
  ])('equals a full run with the same settings: %s', async (_what, settings) => {
    const dir = await tempDir('refilter');
    const config = join(dir, 'settings.json');
    await writeFile(config, JSON.stringify(settings));
    const full = join(dir, 'full');
    expect((await runCli('pipeline', ['cc-ja', ...ARGS, '--config', config, '--out', full])).code).toBe(0);
    const refiltered = join(dir, 'refiltered');
    const r = refilter([source, '--config', config, '--out', refiltered, '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(await runView(refiltered)).toEqual(await runView(full));
    // ... and differs from the source run, or the settings changed nothing and this checks nothing.
    expect((await runView(refiltered) as { rows: unknown[] }).rows).not.toEqual((await runView(source) as { rows: unknown[] }).rows);
  });

  it('equals a full run with another profile (--filters llm-jp-v2: its rules and ledger names; the .st shop pages fail has_valid_domain)', async () => {
    const dir = await tempDir('refilter-profile');
    const full = join(dir, 'full');
    expect((await runCli('pipeline', ['cc-ja', ...ARGS, '--filters', 'llm-jp-v2', '--out', full])).code).toBe(0);
    const refiltered = join(dir, 'refiltered');
    const r = refilter([source, '--filters', 'llm-jp-v2', '--out', refiltered, '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(await runView(refiltered)).toEqual(await runView(full));
    const stats = JSON.parse(await readFile(join(refiltered, 'stats.json'), 'utf8'));
    expect(Object.keys(stats.totals)).not.toContain('quality');
    // llm-jp v2 keeps only its 13 top-level domains: every ClueWeb09 page here is on a .st host.
    expect(stats.totals.filter.drops.has_valid_domain.docs).toBe(stats.totals.filter.docsIn);
    expect(stats.totals.filter.docsIn).toBeGreaterThan(10);
  });

  it('reads no WARC: it runs with the WARC gone', async () => {
    const dir = await tempDir('refilter-nowarc');
    const { copyFile } = await import('node:fs/promises');
    const warc = join(dir, 'part.warc.gz');
    await copyFile(CLUEWEB_JA, warc);
    const src = join(dir, 'src');
    expect((await runCli('pipeline', ['cc-ja', '--input', warc, '--tokenizer', 'chars', '--out', src])).code).toBe(0);
    await rm(warc);
    const r = refilter([src, '--out', join(dir, 'again')]);
    expect(r.status, r.stderr).toBe(0);
    expect(await runView(join(dir, 'again'))).toEqual(await runView(src));
  });

  it('refuses settings before the filters, which need the WARCs again', async () => {
    const dir = await tempDir('refilter-bad');
    const config = join(dir, 'settings.json');
    await writeFile(config, JSON.stringify({ chain: { minLangScore: 0.9 } }));
    const r = refilter([source, '--config', config, '--out', join(dir, 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/changes a setting before the filters; a refilter may change only chain\.filters\.profile/);
  });
});
