import { describe, expect, it } from 'vitest';
import { planJobArrays, type JobSizing, type PendingStage } from '../src/run/slurm-plan.ts';
import { warcTaskBytes } from '../src/stages/process.ts';
import { writeIndexPlan } from '../src/run-folder/index-plan.ts';
import { taskIdFor } from '../src/run-folder/names.ts';
import { tempDir } from './helpers.ts';

const MB = 1_000_000;
const AUTO: JobSizing = { tasksPerJob: null, minJobBytes: 850 * MB, unknownInputBytes: 1000 * MB };

/** A run's stages as a cc-ja run has them: one process task per input, then the later stages. */
function run(inputBytes: number[], later: Array<[string, number]>, done: Record<string, number[]> = {}): PendingStage[] {
  const stage = (name: string, count: number, bytes: (i: number) => number): PendingStage => ({
    name,
    count,
    pending: Array.from({ length: count }, (_, i) => i).filter((i) => !(done[name] ?? []).includes(i)),
    inputBytes: bytes,
  });
  return [stage('process', inputBytes.length, (i) => inputBytes[i] ?? 0), ...later.map(([name, count]) => stage(name, count, () => 0))];
}

const LATER: Array<[string, number]> = [['dedup-plan', 1], ['dedup-bands', 16], ['dedup-cluster', 1], ['write', 3], ['stats', 1]];
const shape = (plans: ReturnType<typeof planJobArrays>): string[] => plans.map((p) => `${p.stages.join('+')}: ${p.slots.map((s) => s.length).join(',')}`);

describe('planJobArrays groups tasks so start-up is a small part of a job', () => {
  it('runs a run of small inputs as one job, its stages in order', () => {
    const plans = planJobArrays(run([40_000, 60_000, 30_000], LATER), AUTO);
    expect(plans).toHaveLength(1);
    expect(plans[0]!.stages).toEqual(['process', 'dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'stats']);
    const order = plans[0]!.slots[0]!.map((t) => `${t.stage}/${t.index}`);
    expect(order.slice(0, 5)).toEqual(['process/0', 'process/1', 'process/2', 'dedup-plan/0', 'dedup-bands/0']);
    expect(order).toHaveLength(3 + 1 + 16 + 1 + 3 + 1);
  });

  it('gives each Common Crawl sized WARC its own job, and keeps the later stages of a large run parallel', () => {
    // 2,000 WARCs of 1.1 GB: every stage after process weighs far more than a job per task.
    const plans = planJobArrays(run(Array(2000).fill(1100 * MB), LATER), AUTO);
    expect(plans.map((p) => p.stages.join('+'))).toEqual(['process', 'dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'stats']);
    expect(plans[0]!.slots).toHaveLength(2000);
    expect(plans.find((p) => p.stages[0] === 'dedup-bands')!.slots).toHaveLength(16);
    expect(plans.find((p) => p.stages[0] === 'write')!.slots).toHaveLength(3);
  });

  it('groups small WARCs until a job reads the minimum, in input order', () => {
    const plans = planJobArrays(run([500 * MB, 400 * MB, 300 * MB, 300 * MB, 300 * MB, 100 * MB], []), AUTO);
    expect(plans[0]!.slots.map((s) => s.map((t) => t.index))).toEqual([[0, 1], [2, 3, 4], [5]]);
  });

  it('takes an input of unknown size (a URL) as a full WARC', () => {
    const plans = planJobArrays(run([0, 0, 10 * MB], []), AUTO);
    expect(plans[0]!.slots.map((s) => s.map((t) => t.index))).toEqual([[0], [1], [2]]);
  });

  it('with a fixed --tasks-per-job, runs each stage as its own array of that many tasks per job', () => {
    const plans = planJobArrays(run([1, 1, 1], LATER), { ...AUTO, tasksPerJob: 1 });
    expect(shape(plans)).toEqual(['process: 1,1,1', 'dedup-plan: 1', `dedup-bands: ${Array(16).fill(1).join(',')}`, 'dedup-cluster: 1', 'write: 1,1,1', 'stats: 1']);
    expect(shape(planJobArrays(run([1, 1, 1, 1, 1], []), { ...AUTO, tasksPerJob: 2 }))).toEqual(['process: 2,2,1']);
  });

  it('submits only unfinished tasks; a stage left with one job shares it with the stages after it', () => {
    const plans = planJobArrays(run(Array(3).fill(1100 * MB), LATER, { process: [0, 2] }), AUTO);
    // The one unfinished WARC, then the dedup plan (one task) in the same job; the 16 band tasks of a
    // 3.3 GB run weigh ~206 MB each, so five go to a job.
    expect(plans.map((p) => p.stages.join('+'))).toEqual(['process+dedup-plan', 'dedup-bands', 'dedup-cluster', 'write', 'stats']);
    expect(plans[0]!.slots).toEqual([[{ stage: 'process', index: 1 }, { stage: 'dedup-plan', index: 0 }]]);
    expect(plans[1]!.slots.map((s) => s.length)).toEqual([5, 5, 5, 1]);
  });

  it('skips stages that are done and plans nothing for a finished run', () => {
    const all = Object.fromEntries([['process', [0, 1]], ...LATER.map(([n, c]) => [n, Array.from({ length: c }, (_, i) => i)])]) as Record<string, number[]>;
    expect(planJobArrays(run([1, 1], LATER, all), AUTO)).toEqual([]);
  });
});

describe('a --via-index WARC task is sized by its selected records, not the WARC', () => {
  const selection = { languages: ['jpn'], fetchStatuses: [200], mimeTypes: ['text/html'] };
  it('counts the bytes of the byte ranges the index selected, for a remote WARC too', async () => {
    const runDir = await tempDir('via-index-sizing');
    const warcs = Array.from({ length: 20 }, (_, i) => `https://data.commoncrawl.org/crawl-data/CC-MAIN-2026-25/segments/1/warc/w${i}.warc.gz`);
    // ~5 % of a 1 GB WARC: 2,000 Japanese records of 25 kB each.
    const ranges = Array.from({ length: 2000 }, (_, k) => ({ offset: k * 500_000, length: 25_000 }));
    for (const w of warcs) await writeIndexPlan(runDir, taskIdFor(w), { ranges, counts: { scanned: 40_000, selected: 2000, skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 38_000 } } });
    const ctx = { runDir, viaIndex: { indexFiles: ['part-00000.parquet'], selection } };
    const bytes = await Promise.all(warcs.map((w) => warcTaskBytes(ctx, w)));
    expect(bytes).toEqual(Array(20).fill(50 * MB));
    // 50 MB a task: 17 tasks make the 850 MB a job needs; taken as unknown (0), each would be a job.
    const plans = planJobArrays(run(bytes, []), AUTO);
    expect(plans[0]!.slots.map((s) => s.length)).toEqual([17, 3]);
    expect(await warcTaskBytes({ runDir, viaIndex: null }, warcs[0]!)).toBe(0);
  });
});
