import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.ts';

/** What a Slurm array task runs (`run-task.ts --tasks-file`), without Slurm: a run folder made locally. */
describe('run-task runs a job: its tasks in turn, stopping at the first that fails', () => {
  it('runs the listed tasks in order in one process and leaves the tasks after a failure undone', async () => {
    const out = join(await tempDir('job-slot'), 'run');
    expect((await runCli('pipeline', ['cc-ja', '--out', out, '--tokenizer', 'chars'])).code).toBe(0);
    // Undo the last two stages, then run them as one job whose middle task cannot run.
    const undone = [join(out, 'write'), join(out, 'stats')];
    for (const dir of undone) for (const f of await readdir(dir)) if (f.endsWith('.done')) await rm(join(dir, f));
    const writeTasks = (await readdir(join(out, 'write'))).length;
    expect(writeTasks).toBeGreaterThan(0);
    const tasksFile = join(out, 'job.tasks.json');
    await writeFile(tasksFile, JSON.stringify([[{ stage: 'write', index: 0 }, { stage: 'write', index: 99 }, { stage: 'stats', index: 0 }]]));
    const failed = await runCli('run-task', [out, '--tasks-file', tasksFile, '0']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/write has tasks 0\.\.\d+, not '99'/);
    expect(failed.stdout).toMatch(/^write \S+: done in/m);
    expect((await readdir(join(out, 'write'))).filter((f) => f.endsWith('.done'))).toHaveLength(1);
    expect((await readdir(join(out, 'stats'))).filter((f) => f.endsWith('.done'))).toEqual([]);
    // The job as planned: every write task, then stats, in one process; a done task is not run again.
    const plan = [[0, 1, 2].map((index) => ({ stage: 'write', index })).concat([{ stage: 'stats', index: 0 }])];
    await writeFile(tasksFile, JSON.stringify(plan));
    const ok = await runCli('run-task', [out, '--tasks-file', tasksFile, '0']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ')[0])).toEqual(['write', 'write', 'write', 'stats']);
    expect(ok.stdout).toMatch(/^write \S+: already done/m);
    expect((await runCli('verify', [out])).code).toBe(0);
  }, 120_000);
});

