import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { duckdb, runCli, tempDir } from './helpers.ts';

/**
 * The Slurm executor on a real Slurm: scripts/slurm-setup.sh (run by scripts/setup.sh) installs
 * slurm-wlm and munge and starts a one-node cluster on this machine. Without it this test fails.
 */
function requireSlurm(): void {
  try {
    execFileSync('sinfo', ['-h'], { stdio: 'pipe', timeout: 10_000 });
  } catch (e) {
    throw new Error(`no working Slurm here (${e instanceof Error ? e.message : String(e)}): run bash scripts/slurm-setup.sh`);
  }
}

const readStats = async (dir: string): Promise<RunStats> => JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8')) as RunStats;
const corpus = (dir: string): Promise<Array<Record<string, unknown>>> =>
  duckdb(`SELECT id, text, subcorpus FROM read_parquet('${dir}/corpus/*/*/*.parquet') ORDER BY id`);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const inQueue = (jobs: string[]): string =>
  execFileSync('squeue', ['-h', '-r', '-j', jobs.join(','), '-o', '%i %T'], { encoding: 'utf8' }).trim();

describe('--executor slurm on a real one-node Slurm', () => {
  let local: string;
  beforeAll(async () => {
    requireSlurm();
    local = join(await tempDir('slurm-local'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--out', local]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('runs a small run as one job that pays start-up once, and ends with the local executor output', async () => {
    const out = join(await tempDir('slurm'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--out', out, '--executor', 'slurm', '--wait']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // The fixtures weigh a few kB: every stage's tasks run in turn in one array task (--tasks-per-job auto).
    const jobs = [...r.stdout.matchAll(/^(\S+)\s+job (\d+) array 0-0 \((\d+) tasks in 1 jobs\)/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(jobs.map((j) => j[0])).toEqual(['pages+site-lines+process+dedup-plan+dedup-bands+dedup-cluster+write+stats']);
    // --wait is not silent: tasks done per stage, from the run folder, every few seconds and at the end.
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/cc-ja slurm: pages 3\/3, site-lines 3\/3, process 3\/3, dedup-plan 1\/1, dedup-bands \d+\/\d+, dedup-cluster 1\/1, write 3\/3, stats 1\/1 done; 0 jobs queued or running, elapsed \d+ s/);
    expect(await corpus(out)).toEqual(await corpus(local));
    const [s, l] = [await readStats(out), await readStats(local)];
    expect(s.totals).toEqual(l.totals);
    expect(s.output).toEqual(l.output);
    // The array tasks ran under Slurm: each log names its stage's task.
    const log = await readFile(join(out, 'slurm', 'logs', `pages-to-stats-${jobs[0]![1]}_0.out`), 'utf8');
    const ran = [...log.matchAll(/^(\S+) \S+: done in/gm)].map((m) => m[1]);
    expect(ran.length).toBe(Number(jobs[0]![2]));
    expect([...new Set(ran)]).toEqual(['pages', 'site-lines', 'process', 'dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'stats']);
  }, 400_000);

  it('with a task per job, stages are arrays chained with afterok; a cancelled array task is resubmitted alone by rerunning the command', async () => {
    const out = join(await tempDir('slurm-cancel'), 'run');
    const args = ['cc-ja', '--out', out, '--executor', 'slurm', '--tasks-per-job', '1'];
    const first = await runCli('pipeline', args, { JCP_FAULT_SLOW: 'process:cc-fixture-mixed:600000' });
    expect(first.code, first.stderr).toBe(0);
    const arrays = [...first.stdout.matchAll(/^(\S+)\s+job (\d+) array/gm)];
    // Site-line removal: `pages` reads the WARCs, `site-lines` counts (one task per WARC here), `process` filters.
    expect(arrays.map((m) => m[1])).toEqual(['pages', 'site-lines', 'process', 'dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'stats']);
    const jobs = arrays.map((m) => m[2]!);
    const processJob = jobs[2]!;
    const tasks = JSON.parse(await readFile(join(out, 'slurm', '000-process-0.tasks.json'), 'utf8')) as unknown;
    expect(tasks).toEqual([0, 1, 2].map((index) => [{ stage: 'process', index }]));
    // cc-fixture-mixed is the second input: array index 1. Cancel it while it runs.
    // Running for Slurm, and started for us: its .running marker is written (then it waits, injected).
    const running = async (): Promise<boolean> =>
      inQueue([processJob]).includes(`${processJob}_1 RUNNING`) && (await readdir(join(out, 'process')).catch(() => [] as string[])).some((f) => /^cc-fixture-mixed-.*\.running$/.test(f));
    await until('the slow task to run', running);
    // While its jobs are queued the run folder belongs to them: a second command is refused, naming them.
    const meanwhile = await runCli('pipeline', args);
    expect(meanwhile.code).toBe(1);
    // (the jobs listed are every array of the run, the WARC-reading `pages` first)
    expect(meanwhile.stderr).toMatch(new RegExp(`run\\.lock is held by pnpm pipeline cc-ja .*handed to Slurm jobs [\\d, ]*\\b${processJob}\\b`));
    execFileSync('scancel', [`${processJob}_1`]);
    await until('the queue to drain', async () => inQueue(jobs) === '');
    const status = await runCli('status', [out]);
    expect(status.stdout).toMatch(/^process\s+2\/3/m);
    // The cancelled task never cleared its .running marker; status sees its Slurm job is gone.
    expect(status.stdout).toMatch(/failed cc-fixture-mixed-[0-9a-f]+: interrupted/);
    expect(status.stdout).toMatch(/^write\s+0\/3/m);
    const again = await runCli('pipeline', [...args, '--wait']);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stderr).toMatch(/took over the lock .*: none of its Slurm jobs is queued or running/);
    expect(again.stdout).toMatch(/^process\s+job \d+ array 0-0 \(1 tasks in 1 jobs\)/m);
    expect(await corpus(out)).toEqual(await corpus(local));
    expect((await readStats(out)).totals).toEqual((await readStats(local)).totals);
  }, 400_000);
});
