import { join, relative, sep } from 'node:path';
import { listCorpusShards, shardsTable, sqlString, toCount, withDuckDB } from '../report/run-data.ts';
import { verifyRun, type Mismatch } from '../verify/verify.ts';
import { findRuns, readSupersessions } from './gather-corpus.ts';

export interface CorpusVerifySummary {
  ok: boolean;
  root: string;
  runs: number;
  /** Documents and tokens of the runs' shards, as each run's verify recounted them (before supersession). */
  docs: number;
  tokens: number;
  superseded: number;
  mismatches: number;
}

/**
 * `pnpm verify --corpus <root>`: `pnpm verify` on every run below the root (each mismatch prefixed
 * with its run folder), plus what only the corpus as a whole can check: every run has finished, and
 * every document a run lists as superseded is in the shards of a run of the subcorpus it names.
 */
export async function verifyCorpus(root: string, report: (m: Mismatch) => void): Promise<CorpusVerifySummary> {
  let mismatches = 0;
  const mismatch = (m: Mismatch): void => {
    mismatches++;
    report(m);
  };
  const runs = await findRuns(root);
  const name = (dir: string): string => relative(root, dir).split(sep).join('/') || '.';
  let docs = 0;
  let tokens = 0;
  for (const run of runs) {
    if (run.stats === null) {
      mismatch({ what: name(run.dir), field: 'stats.json', expected: { from: 'corpus', value: 'a finished run' }, found: { from: 'run folder', value: 'no stats.json' } });
      continue;
    }
    const summary = await verifyRun(run.dir, (m) => mismatch({ ...m, what: `${name(run.dir)}: ${m.what}` }));
    docs += summary.docs;
    tokens += summary.tokens;
  }
  const finished = runs.filter((r) => r.stats !== null);
  const superseded = await readSupersessions(finished);
  const bySubcorpus = new Map<string, string[]>();
  for (const run of finished) {
    const list = bySubcorpus.get(run.stats!.subcorpus) ?? [];
    for (const s of await listCorpusShards(run.dir)) list.push(join(run.dir, s));
    bySubcorpus.set(run.stats!.subcorpus, list);
  }
  await withDuckDB(async (conn) => {
    for (const s of superseded) {
      const shards = bySubcorpus.get(s.subcorpus ?? '') ?? [];
      const found = shards.length === 0 ? 0 : toCount((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${shardsTable(shards)} WHERE id = ${sqlString(s.id)}`)).getRowObjectsJS()[0]!.n, 'superseded doc');
      if (found !== 1) {
        mismatch({ what: `superseded ${s.id}`, field: `in ${s.subcorpus ?? '?'} shards`, expected: { from: `a ${s.by} run's dedup/superseded.jsonl`, value: 1 }, found: { from: 'shards', value: found } });
      }
    }
  });
  return { ok: mismatches === 0, root, runs: runs.length, docs, tokens, superseded: superseded.length, mismatches };
}
