import { spawn } from 'node:child_process';
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../src/run/run-pipeline.ts';
import type { VerifySummary } from '../src/verify/verify.ts';
import { duckdb, REPO, runCli, tempDir, type CliResult } from './helpers.ts';

/** `pnpm verify <run-dir>` as the user runs it (tsx on the CLI entry). */
function runVerify(runDir: string): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'pipelines/src/cli/verify.ts'), runDir], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

type Summary = VerifySummary;

function summaryOf(r: CliResult): Summary {
  const last = r.stdout.trimEnd().split('\n').pop() ?? '';
  return JSON.parse(last) as Summary;
}

function mismatchLines(r: CliResult): string[] {
  return r.stdout.split('\n').filter((l) => l.startsWith('MISMATCH '));
}

/** Rewrites a shard with DuckDB: `select` gets the table expression that reads the old file. */
async function rewriteShard(path: string, select: (from: string) => string): Promise<void> {
  await duckdb(`COPY (${select(`read_parquet('${path}')`)}) TO '${path}.new' (FORMAT PARQUET)`);
  await rename(`${path}.new`, path);
}

describe('pnpm verify: the ledger against the shards', () => {
  let runDir: string;
  let stats: RunStats;
  let copies: string;
  /** The corpus shard of the fixture WARC with the most kept docs. */
  let shard: string;

  /** A copy of the fresh run to break one thing in. */
  async function copyRun(name: string): Promise<{ dir: string; shard: string }> {
    const dir = join(copies, name);
    await cp(runDir, dir, { recursive: true });
    return { dir, shard: join(dir, shard) };
  }

  beforeAll(async () => {
    const parent = await tempDir('verify');
    runDir = join(parent, 'run');
    copies = join(parent, 'copies');
    const r = await runCli('pipeline', ['cc-ja', '--out', runDir]);
    expect(r.code, r.stderr).toBe(0);
    stats = JSON.parse(await readFile(join(runDir, 'stats.json'), 'utf8')) as RunStats;
    const biggest = [...stats.byWarc].sort((a, b) => (b.ledger.write?.docsOut ?? 0) - (a.ledger.write?.docsOut ?? 0))[0]!;
    shard = `corpus/ja/ja_cc/${biggest.taskId}-00000.parquet`;
  });

  it('passes a fresh run: every count of stats.json is what the shards hold, every token_count what the tokenizer gives', async () => {
    const r = await runVerify(runDir);
    expect(mismatchLines(r)).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = summaryOf(r);
    const write = stats.totals.write!;
    expect(s).toMatchObject({ ok: true, mismatches: 0, docs: write.docsOut, chars: write.charsOut, bytes: write.bytesOut, tokens: write.tokensOut, retokenized: write.docsOut });
    expect(s.shards).toBe(Object.values(stats.output).reduce((n, o) => n + o.shards, 0));
  });

  it('fails, naming tokensOut, when the ledger claims a token the shards do not hold', async () => {
    const { dir } = await copyRun('ledger-tokens');
    const edited = JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8')) as RunStats;
    edited.totals.write!.tokensOut += 1;
    await writeFile(join(dir, 'stats.json'), JSON.stringify(edited, null, 2));
    const r = await runVerify(dir);
    expect(r.code).toBe(1);
    const lines = mismatchLines(r);
    expect(lines).toContain(`MISMATCH total (stats.json totals.write): tokensOut: stats.json ${stats.totals.write!.tokensOut + 1}, recount (sum(token_count)) ${stats.totals.write!.tokensOut}`);
    // The totals are no longer the sum of the per-WARC ledgers either.
    expect(lines.some((l) => l.startsWith('MISMATCH ledger totals.write: tokensOut:'))).toBe(true);
    expect(summaryOf(r)).toMatchObject({ ok: false, mismatches: lines.length });
  });

  it('fails, naming docs, when a shard lost a row', async () => {
    const { dir, shard: path } = await copyRun('lost-row');
    const [{ n }] = (await duckdb(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`)) as [{ n: number }];
    await rewriteShard(path, (from) => `SELECT * FROM ${from} LIMIT ${n - 1}`);
    const r = await runVerify(dir);
    expect(r.code).toBe(1);
    const lines = mismatchLines(r);
    const kept = stats.totals.write!.docsOut;
    expect(lines).toContain(`MISMATCH total (stats.json totals.write): docsOut: stats.json ${kept}, recount (rows) ${kept - 1}`);
    expect(lines).toContain(`MISMATCH output ja/ja_cc: docs: stats.json ${kept}, recount ${kept - 1}`);
    expect(lines.some((l) => /^MISMATCH warc .* docsOut: stats\.json \d+, recount \(rows\) \d+$/.test(l))).toBe(true);
  });

  it("fails, naming the row, when one row's token_count is not its text's token count", async () => {
    const { dir, shard: path } = await copyRun('token-count');
    const [{ id }] = (await duckdb(`SELECT min(id) AS id FROM read_parquet('${path}')`)) as [{ id: string }];
    await rewriteShard(path, (from) => `SELECT * REPLACE (CASE WHEN id = '${id}' THEN token_count + 1 ELSE token_count END AS token_count) FROM ${from}`);
    const r = await runVerify(dir);
    expect(r.code).toBe(1);
    const lines = mismatchLines(r);
    expect(lines.filter((l) => l.startsWith('MISMATCH row '))).toEqual([expect.stringMatching(new RegExp(`^MISMATCH row ${shard}#\\d+ \\(id ${id}\\): token_count: column \\d+, sentencepiece:`))]);
    expect(lines.some((l) => l.startsWith('MISMATCH total (stats.json totals.write): tokensOut:'))).toBe(true);
  });

  it('fails when a listed shard is missing or an unlisted file sits in the corpus folder', async () => {
    const { dir, shard: path } = await copyRun('moved-shard');
    await rename(path, `${path.slice(0, -'.parquet'.length)}-extra.parquet`);
    const r = await runVerify(dir);
    expect(r.code).toBe(1);
    const lines = mismatchLines(r);
    expect(lines.some((l) => l.startsWith(`MISMATCH shard ${shard.split('/').pop()} (listed in write/`) && l.endsWith('absent'))).toBe(true);
    expect(lines.some((l) => l.startsWith(`MISMATCH file ${shard.slice(0, -'.parquet'.length)}-extra.parquet: file:`))).toBe(true);
  });

  it('fails, naming byWarc.shards, when stats.json lists a staged shard as a WARC\'s corpus shard', async () => {
    const { dir } = await copyRun('bywarc-shards');
    const edited = JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8')) as RunStats;
    const empty = edited.byWarc.find((w) => w.shards.length === 0 && w.stagedShards.length > 0)!;
    empty.shards = [...empty.stagedShards];
    await writeFile(join(dir, 'stats.json'), JSON.stringify(edited, null, 2));
    const r = await runVerify(dir);
    expect(r.code).toBe(1);
    expect(mismatchLines(r)).toEqual([`MISMATCH task ${empty.taskId}: byWarc.shards: write/${empty.taskId}.done (none), stats.json ${empty.stagedShards.join(', ')}`]);
  });

  it('exits 2 naming stats.json when the folder is not a run', async () => {
    const r = await runVerify(join(copies, 'no-such-run'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-run\/stats\.json: cannot read/);
  });
});
