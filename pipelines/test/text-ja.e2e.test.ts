import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdb, FIXTURES, runCli, runOnSlurm, startCli, tempDir } from './helpers.ts';

const INPUT = join(FIXTURES, 'text');
/** What shapes the run (the same locally and on Slurm); FAST adds the local worker count. */
const SETTINGS = ['--tokenizer', 'chars', '--no-dedup-index', '--subcorpus', 'ja_kaken'];
const FAST = [...SETTINGS, '--workers', '1'];

async function rows(runDir: string): Promise<Array<Record<string, unknown>>> {
  const got = await duckdb(`SELECT * FROM read_parquet('${runDir}/corpus/ja/ja_kaken/*.parquet', filename = true) ORDER BY id`);
  return got.map((r) => ({ ...r, filename: String(r.filename).replace(runDir, '') }));
}

describe('pnpm pipeline text-ja', () => {
  let local = '';

  it('runs a JSON Lines collection end to end: bad lines named by file and line, duplicates once, resumable, verify clean', async () => {
    const out = await tempDir('text-ja');
    local = out;
    const run = await runCli('pipeline', ['text-ja', '--input', INPUT, '--out', out, ...FAST]);
    expect(run.code, run.stderr).toBe(0);
    const collection = join(INPUT, 'collection.jsonl');
    expect(run.stderr).toContain(`${collection} @3: bad-json: line 3:`);
    const errors = (await duckdb(`SELECT file, "offset"::INTEGER AS "offset", reason FROM read_json_auto('${out}/process/*.errors.jsonl') ORDER BY file, "offset"`));
    expect(errors).toEqual([
      { file: collection, offset: 3, reason: 'bad-json' },
      { file: collection, offset: 5, reason: 'no-text-field' },
      { file: collection, offset: 8, reason: 'text-not-string' },
      { file: collection, offset: 9, reason: 'not-an-object' },
      { file: join(INPUT, 'more.jsonl.gz'), offset: 3, reason: 'bad-json' },
    ]);
    const docs = await rows(out);
    // 8 good Japanese records: essay-1-copy is an exact copy within its file (dropped there), kaken-001 and
    // kaken-001-again the same text in two files (the run-wide dedup keeps one). The line without an id keeps ''.
    const ids = docs.map((d) => String(d.warc_record_id)).sort();
    expect(ids.filter((id) => !id.startsWith('kaken-001'))).toEqual(['', '7', 'essay-1', 'kaken-002', 'town-1']);
    expect(ids.filter((id) => id.startsWith('kaken-001'))).toHaveLength(1);
    const town = docs.find((d) => d.warc_record_id === 'town-1')!;
    expect(town).toMatchObject({ subcorpus: 'ja_kaken', source: 'text', url: 'https://example.jp/town/1', host: 'example.jp', warc_file: join(INPUT, 'more.jsonl.gz'), warc_offset: 1n, title: '' });
    expect(docs.find((d) => d.warc_record_id === '')).toMatchObject({ warc_file: collection, warc_offset: 4n, url: '' });
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as { totals: Record<string, { drops: Record<string, { docs: number }> }> };
    const dropsOf = (name: string): Record<string, number> => Object.fromEntries(Object.entries(stats.totals[name]?.drops ?? {}).map(([k, v]) => [k, v.docs]));
    expect(dropsOf('read')).toEqual({ 'bad-json': 2, 'no-text-field': 1, 'text-not-string': 1, 'not-an-object': 1 });
    expect(dropsOf('langid')).toEqual({ 'not-ja': 1 });
    expect(dropsOf('exact-dedup')).toEqual({ 'exact-duplicate': 1 });
    const verify = await runCli('verify', [out]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // Killed in its first task, then rerun: the same corpus.
    const killed = await tempDir('text-ja-killed');
    const first = startCli('pipeline', ['text-ja', '--input', INPUT, '--out', killed, ...FAST], { JCP_FAULT_SLOW: 'process:more:60000' });
    // The slowed task (more.jsonl.gz) holds the run in process once the other has finished.
    for (let i = 0; i < 3000; i++) {
      if ((await readdir(join(killed, 'process')).catch(() => [])).some((n) => n.startsWith('collection-') && n.endsWith('.done'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const again = await runCli('pipeline', ['text-ja', '--input', INPUT, '--out', killed, ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/took over the lock/);
    expect(await rows(killed)).toEqual(docs);
  }, 120_000);

  it('runs on Slurm with the output of the local run', async () => {
    expect(local, 'the local run above').not.toBe('');
    const out = await runOnSlurm('text-ja-slurm', ['text-ja', '--input', INPUT, ...SETTINGS]);
    expect(await rows(out)).toEqual(await rows(local));
  }, 300_000);
});
