import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const FIXTURES = join(REPO, 'fixtures');

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `jcp-${prefix}-`));
}

/** The commands of the root package.json that the tests start as a user would. */
export type CliScript = 'pipeline' | 'eval' | 'bench' | 'status' | 'report' | 'verify' | 'run-task' | 'crawl' | 'refilter' | 'train';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `pnpm pipeline ...` as the user would (tsx on the CLI entry), without waiting. */
export function startCli(
  script: CliScript,
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, `pipelines/src/cli/${script}.ts`), ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(script: CliScript, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(script, args, env).done;
}

/** Rows of a DuckDB query (DuckDB is how our users read the Parquet output). */
export async function duckdb(sql: string): Promise<Array<Record<string, unknown>>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
  }
}

/**
 * `pnpm pipeline <args> --executor slurm --wait` into a new run folder on the real one-node Slurm that
 * scripts/slurm-setup.sh starts (a missing Slurm fails here, naming itself). The fixtures' stages fit in
 * one job (`--tasks-per-job auto`): asserts the run ended well as one array job; returns its folder.
 */
export async function runOnSlurm(prefix: string, args: string[]): Promise<string> {
  execFileSync('sinfo', ['-h'], { stdio: 'pipe', timeout: 10_000 });
  const out = join(await tempDir(prefix), 'run');
  const r = await runCli('pipeline', [...args, '--out', out, '--executor', 'slurm', '--wait']);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/^process\+.*\s+job \d+ array 0-0/m);
  return out;
}
