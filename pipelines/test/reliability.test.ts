import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../../packages/crawler/test/loopback/server.ts';
import { SHARED_DATA, duckdb, runCli, startCli, tempDir } from './helpers.ts';

const CLUEWEB_JA = join(SHARED_DATA, 'warc/resiliparse/clueweb09-ja-excerpt.warc.gz');
const FAST = ['--tokenizer', 'chars', '--workers', '1'];

/** The corpus as our users read it: every row, the run folder's own path taken out of the file names. */
async function corpusRows(runDir: string): Promise<Array<Record<string, unknown>>> {
  const rows = await duckdb(`SELECT * EXCLUDE (warc_file) FROM read_parquet('${runDir}/corpus/ja/ja_cc/*.parquet', filename = true) ORDER BY filename, warc_offset`);
  return rows.map((r) => ({ ...r, filename: String(r.filename).replace(runDir, '') }));
}

async function corpusIds(runDir: string): Promise<string[]> {
  const rows = await duckdb(`SELECT id FROM read_parquet('${runDir}/corpus/ja/ja_cc/*.parquet') ORDER BY id`).catch(() => []);
  return rows.map((r) => String(r.id));
}

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await stat(path).catch(() => null)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} never appeared`);
}

const exec = promisify(execFile);

/** A tmpfs of `kib` KiB at a new folder (the tests run as root, as CI does): a disk we can fill or make read-only. */
async function smallDisk(kib: number, options = ''): Promise<{ dir: string; unmount: () => Promise<void> }> {
  const dir = await tempDir('disk');
  await exec('mount', ['-t', 'tmpfs', '-o', `size=${kib}k${options ? `,${options}` : ''}`, 'tmpfs', dir]);
  return { dir, unmount: async () => void (await exec('umount', [dir])) };
}

/** Writes zeros into `path` until the disk refuses: a full disk, as a night's logs leave it. */
async function fillDisk(path: string): Promise<void> {
  const file = await open(path, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) await file.write(block);
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await file.close().catch(() => undefined);
  }
}

describe('a run folder cannot silently lose or corrupt data', () => {
  it('refuses to reuse a WARC task whose file changed, and with --rerun-changed ends equal to a fresh run on the new file', async () => {
    const inputs = await tempDir('changed-in');
    const warc = join(inputs, 'part.warc.gz');
    await copyFile(CLUEWEB_JA, warc);
    const full = (await stat(warc)).size;
    await truncate(warc, Math.floor(full / 2));
    const out = await tempDir('changed-run');
    expect((await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, ...FAST])).code).toBe(0);
    const truncatedDocs = (await corpusIds(out)).length;

    // The whole file arrives at the same path (a nightly re-download): the finished task no longer holds.
    await copyFile(CLUEWEB_JA, warc);
    const refused = await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, ...FAST]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${warc}: size ${Math.floor(full / 2)} → ${full} bytes`);
    expect(refused.stderr).toMatch(/--rerun-changed/);
    expect((await corpusIds(out)).length).toBe(truncatedDocs);

    const redone = await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, '--rerun-changed', ...FAST]);
    expect(redone.code).toBe(0);
    const fresh = await tempDir('changed-fresh');
    expect((await runCli('pipeline', ['cc-ja', '--input', warc, '--out', fresh, ...FAST])).code).toBe(0);
    expect(await corpusRows(out)).toEqual(await corpusRows(fresh));
    expect((await corpusIds(out)).length).toBeGreaterThan(truncatedDocs);
    const [a, b] = [JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')), JSON.parse(await readFile(join(fresh, 'stats.json'), 'utf8'))];
    expect(a.totals).toEqual(b.totals);
    // The changed WARC's line counts were redone too (the truncated file had fewer pages of the shop).
    expect(a.siteBoilerplate).toEqual(b.siteBoilerplate);
  });

  it('does not count a WARC touched but unchanged as changed', async () => {
    const inputs = await tempDir('touched-in');
    const warc = join(inputs, 'part.warc.gz');
    await copyFile(CLUEWEB_JA, warc);
    const out = await tempDir('touched-run');
    expect((await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, ...FAST])).code).toBe(0);
    await copyFile(CLUEWEB_JA, warc); // same bytes, new mtime
    const again = await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, ...FAST]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/changed/);
  });

  it('refuses a second pnpm pipeline on a run folder in use, naming the holder', async () => {
    const out = await tempDir('locked');
    const first = startCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST], { JCP_FAULT_SLOW: 'process:clueweb:4000' });
    await waitForFile(join(out, 'run.lock'));
    const second = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`run\\.lock is held by pnpm pipeline cc-ja \\(pid ${first.child.pid} on `));
    expect((await first.done).code).toBe(0);
    await expect(stat(join(out, 'run.lock'))).rejects.toThrow();
  });

  it('takes over the lock of a run that was killed, and resumes it', async () => {
    const out = await tempDir('stale-lock');
    const first = startCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST], { JCP_FAULT_SLOW: 'process:clueweb:60000' });
    await waitForFile(join(out, 'process'));
    first.child.kill('SIGKILL');
    await first.done;
    const again = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/took over the lock of pnpm pipeline cc-ja .*no longer exists/);
  });

  it('redoes a task whose .done vouches for a corrupt shard, with one line naming the file, and ends equal to a clean run', async () => {
    const clean = await tempDir('corrupt-clean');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', clean, ...FAST])).code).toBe(0);
    const out = await tempDir('corrupt-run');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST])).code).toBe(0);
    // As after a concurrent writer or a bad disk: the staged shard is 4 bytes, and the stages after process must run again.
    const stagedDir = join(out, 'staged/ja/ja_cc');
    const staged = (await readdir(stagedDir)).find((n) => n.endsWith('.parquet'))!;
    await writeFile(join(stagedDir, staged), 'PAR1');
    for (const stage of ['dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'dedup-index', 'stats']) await rm(join(out, stage), { recursive: true, force: true });
    await rm(join(out, 'dedup/plan.json'), { force: true });
    const repaired = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST]);
    expect(repaired.code).toBe(0);
    const lines = repaired.stderr.split('\n').filter((l) => l.includes('no longer holds'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(stagedDir, staged));
    expect(await corpusRows(out)).toEqual(await corpusRows(clean));
  });

  it('never publishes one document in two runs that share a dedup index, even started together', async () => {
    const index = join(await tempDir('shared-index'), 'index');
    const [a, b] = [await tempDir('index-a'), await tempDir('index-b')];
    const args = (out: string): string[] => ['cc-ja', '--input', CLUEWEB_JA, '--out', out, '--dedup-index', index, ...FAST];
    const [ra, rb] = await Promise.all([runCli('pipeline', args(a)), runCli('pipeline', args(b))]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const [idsA, idsB] = [await corpusIds(a), await corpusIds(b)];
    expect(idsA.length + idsB.length).toBeGreaterThan(0);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
  });

  it('pnpm status writes nothing into the run folder', async () => {
    const out = await tempDir('status-ro');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST])).code).toBe(0);
    await rm(join(out, 'samples'), { recursive: true, force: true });
    const snapshot = async (): Promise<string[]> => {
      const entries = await readdir(out, { recursive: true, withFileTypes: true });
      return Promise.all(entries.map(async (e) => `${join(e.parentPath, e.name)} ${(await stat(join(e.parentPath, e.name))).mtimeMs}`)).then((l) => l.sort());
    };
    const before = await snapshot();
    const status = await runCli('status', [out]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/process\s+1\/1/);
    expect(status.stdout).toMatch(/ledger so far/);
    // The table is for people: no machine dump at its end; --json gives that instead, and only that.
    expect(status.stdout.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
    const json = await runCli('status', [out, '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { pipeline: string; stages: { stage: string; done: number; total: number }[]; ledger: Record<string, { docsIn: number }> };
    expect(parsed.pipeline).toBe('cc-ja');
    expect(parsed.stages.find((s) => s.stage === 'process')).toMatchObject({ done: 1, total: 1 });
    expect(Object.keys(parsed.ledger).length).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it('pnpm status and pnpm report --out elsewhere work on a run whose disk is full', async () => {
    const made = await tempDir('full-src');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', made, ...FAST])).code).toBe(0);
    const disk = await smallDisk(4096);
    try {
      const run = join(disk.dir, 'run');
      await cp(made, run, { recursive: true });
      await fillDisk(join(disk.dir, 'filler'));
      const status = await runCli('status', [run]);
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/stats\s+1\/1/);
      const reportFile = join(await tempDir('full-report'), 'report.html');
      const report = await runCli('report', [run, '--out', reportFile]);
      expect(report.code, report.stderr).toBe(0);
      expect((await stat(reportFile)).size).toBeGreaterThan(1000);
    } finally {
      await disk.unmount();
    }
  });

  it('a run on a full disk fails naming the file and ENOSPC, and resumes once there is room', async () => {
    const disk = await smallDisk(8192);
    try {
      const out = join(disk.dir, 'run');
      await mkdir(out);
      // Room for the run's small files, not for its shards: the disk fills in the middle of the process task.
      await writeFile(join(disk.dir, 'reserve'), Buffer.alloc(48 * 1024));
      await fillDisk(join(disk.dir, 'filler'));
      await rm(join(disk.dir, 'reserve'));
      const full = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST]);
      expect(full.code).not.toBe(0);
      expect(full.stderr).toMatch(new RegExp(`cannot (write|create folder) ${out}/\\S+: ENOSPC \\(no space left on the device\\)`));
      // The task's temp files are gone with it: nothing half-written stays to keep the disk full.
      expect((await readdir(out, { recursive: true })).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      await rm(join(disk.dir, 'filler'));
      const resumed = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, ...FAST]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const clean = await tempDir('full-clean');
      expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', clean, ...FAST])).code).toBe(0);
      expect(await corpusRows(out)).toEqual(await corpusRows(clean));
    } finally {
      await disk.unmount();
    }
  });

  it('names EROFS, not ENOENT, when --out is on a read-only file system', async () => {
    const disk = await smallDisk(64, 'ro');
    try {
      const r = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', join(disk.dir, 'a', 'run'), ...FAST]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot create folder ${join(disk.dir, 'a')} (creating ${join(disk.dir, 'a', 'run')}): EROFS (read-only file system)`);
    } finally {
      await disk.unmount();
    }
  });

  it('counts an empty WARC as an error: a line naming it, a line in errors.jsonl, empty-warc in the ledger', async () => {
    const inputs = await tempDir('empty-in');
    await writeFile(join(inputs, 'x.warc.gz'), '');
    await copyFile(CLUEWEB_JA, join(inputs, 'y.warc.gz'));
    const out = await tempDir('empty-run');
    const r = await runCli('pipeline', ['cc-ja', '--input', inputs, '--out', out, ...FAST]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`error: ${join(inputs, 'x.warc.gz')}.*empty-warc`));
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
    expect(stats.totals.read.drops['empty-warc'].docs).toBe(1);
    const empty = stats.byWarc.find((w: { warcFile: string }) => w.warcFile.endsWith('x.warc.gz'));
    expect(empty.errors).toBe(1);
    const errors = (await readdir(join(out, 'process'))).filter((n) => n.startsWith('x-') && n.endsWith('.errors.jsonl'));
    expect(JSON.parse(await readFile(join(out, 'process', errors[0]!), 'utf8'))).toMatchObject({ file: join(inputs, 'x.warc.gz'), offset: 0, reason: 'empty-warc' });
    expect(stats.output['ja/ja_cc'].docs).toBeGreaterThan(0);
  });

  it('refuses a WARC URL whose server now names another version (ETag), and redoes it with --rerun-changed', async () => {
    const full = await readFile(CLUEWEB_JA);
    const files: Record<string, Uint8Array> = { '/crawl/part.warc.gz': full.subarray(0, Math.floor(full.length / 2)) };
    const server = await startLoopbackServer({ files });
    try {
      const url = server.url('/crawl/part.warc.gz');
      const out = await tempDir('url-changed');
      expect((await runCli('pipeline', ['cc-ja', '--input', url, '--out', out, ...FAST])).code).toBe(0);
      const before = (await corpusIds(out)).length;
      files['/crawl/part.warc.gz'] = full; // re-uploaded whole under the same URL
      const refused = await runCli('pipeline', ['cc-ja', '--input', url, '--out', out, ...FAST]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`${url}: ETag "[0-9a-f]+" → "[0-9a-f]+"`));
      const redone = await runCli('pipeline', ['cc-ja', '--input', url, '--out', out, '--rerun-changed', ...FAST]);
      expect(redone.code, redone.stderr).toBe(0);
      expect((await corpusIds(out)).length).toBeGreaterThan(before);
      expect(server.requests.some((r) => r.method === 'HEAD')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('fails a task whose WARC is replaced while it reads it, instead of vouching for what it read', async () => {
    const inputs = await tempDir('replaced-in');
    const warc = join(inputs, 'part.warc.gz');
    await copyFile(CLUEWEB_JA, warc);
    await truncate(warc, 100_000);
    const out = await tempDir('replaced-run');
    // The task fingerprints its WARC, then waits (injected) before reading: the file is replaced in between.
    // The WARC is read by `pages` (site-line removal is on by default), `process` only filters.
    const run = startCli('pipeline', ['cc-ja', '--input', warc, '--out', out, ...FAST], { JCP_FAULT_SLOW: 'pages:part:3000' });
    for (;;) {
      if ((await readdir(join(out, 'pages')).catch(() => [] as string[])).some((n) => n.endsWith('.running'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await copyFile(CLUEWEB_JA, warc);
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${warc} changed while pages part-`);
    expect((await readdir(join(out, 'pages'))).filter((n) => n.endsWith('.done'))).toEqual([]);
  });

  it('redoes the dedup of a run stopped after its plan when another run committed to the index meanwhile', async () => {
    const index = join(await tempDir('moved-index'), 'index');
    const [a, b] = [await tempDir('moved-a'), await tempDir('moved-b')];
    const args = (out: string): string[] => ['cc-ja', '--input', CLUEWEB_JA, '--out', out, '--dedup-index', index, ...FAST];
    // Run a dies in its first band task: its plan (no segments yet) is fixed, nothing is committed.
    const stopped = await runCli('pipeline', args(a), { JCP_FAULT_BAND: '0:1' });
    expect(stopped.code).not.toBe(0);
    expect(JSON.parse(await readFile(join(a, 'dedup/plan.json'), 'utf8')).segments).toEqual([]);
    expect((await runCli('pipeline', args(b))).code).toBe(0);
    const resumed = await runCli('pipeline', args(a));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/1 index segment\(s\) were committed .* after this run's dedup plan .*; redoing the dedup against them/);
    const [idsA, idsB] = [await corpusIds(a), await corpusIds(b)];
    expect(idsB.length).toBeGreaterThan(0);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
  });
});
