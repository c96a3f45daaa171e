import { join } from 'node:path';

/**
 * The layout of a run folder, in one place:
 *
 *   runs/<pipeline>/<run-id>/
 *     run.json                      the command's inputs and resolved config (a rerun must match it)
 *     stats.json                    the ledger: every stage's docs/bytes/chars in and out, drops by reason
 *     context.json                  everything a task needs to build its input (any executor, any node)
 *     <stage>/<task>.done           one marker per finished task, holding that task's result (ledger, ...)
 *     <stage>/<task>.running        while a task runs; <task>.failed after it failed (with the error)
 *     <stage>/<task>.errors.jsonl   that task's bad input records (file, offset, reason)
 *     <stage>/<task>.samples.jsonl  that task's audit samples of dropped documents
 *     samples/<reason>.jsonl        the run's audit samples, per drop reason
 *     staged/<lang>/<subcorpus>/<task>-00000.parquet   filtered docs before the global dedup
 *     dedup/signatures/<task>.sig   MinHash signature per staged doc, in row order
 *     dedup/buckets/<task>.bkt      the task's LSH band keys, sorted per band
 *     dedup/plan.json               the files (and earlier-run index segments) this run deduplicates
 *     dedup/pairs/band-<b>.pairs    verified duplicate pairs of band b (b = bands: the exact band)
 *     dedup/removed/<task>.jsonl    the task's docs the dedup drops, each with the doc it duplicates
 *     corpus/<lang>/<subcorpus>/<task>-00000.parquet   the corpus
 */
export function runJsonPath(runDir: string): string {
  return join(runDir, 'run.json');
}

export function statsPath(runDir: string): string {
  return join(runDir, 'stats.json');
}

export function stageDir(runDir: string, stage: string): string {
  return join(runDir, stage);
}

export function taskDonePath(runDir: string, stage: string, taskId: string): string {
  return join(stageDir(runDir, stage), `${taskId}.done`);
}

/** Present while a task runs: where (host, pid, Slurm job) and since when. */
export function taskRunningPath(runDir: string, stage: string, taskId: string): string {
  return join(stageDir(runDir, stage), `${taskId}.running`);
}

/** Present after a task failed, with the error; removed when the task later succeeds. */
export function taskFailedPath(runDir: string, stage: string, taskId: string): string {
  return join(stageDir(runDir, stage), `${taskId}.failed`);
}

export function taskErrorsPath(runDir: string, stage: string, taskId: string): string {
  return join(stageDir(runDir, stage), `${taskId}.errors.jsonl`);
}

/** Layout of llm-jp-corpus v3: `ja/ja_cc/...`, `ja/ja_warp/...`. */
export function subcorpusDir(runDir: string, lang: string, subcorpus: string): string {
  return join(runDir, 'corpus', lang, subcorpus);
}

export function taskSamplesPath(runDir: string, stage: string, taskId: string): string {
  return join(stageDir(runDir, stage), `${taskId}.samples.jsonl`);
}

export function runSamplesPath(runDir: string, reason: string): string {
  return join(runDir, 'samples', `${reason}.jsonl`);
}

/** Filtered documents of the per-WARC stage, waiting for the global dedup. */
export function stagedDir(runDir: string, lang: string, subcorpus: string): string {
  return join(runDir, 'staged', lang, subcorpus);
}

export function dedupDir(runDir: string): string {
  return join(runDir, 'dedup');
}

export function signaturePath(runDir: string, taskId: string): string {
  return join(dedupDir(runDir), 'signatures', `${taskId}.sig`);
}

export function bucketPath(runDir: string, taskId: string): string {
  return join(dedupDir(runDir), 'buckets', `${taskId}.bkt`);
}

/** Group `group`'s merged bucket file (the dedup-groups stage, only in runs of more tasks than mergeFanIn). */
export function groupBucketPath(runDir: string, group: number): string {
  return join(dedupDir(runDir), 'groups', `group-${String(group).padStart(5, '0')}.bkt`);
}

export function dedupPlanPath(runDir: string): string {
  return join(dedupDir(runDir), 'plan.json');
}

export function pairsDir(runDir: string): string {
  return join(dedupDir(runDir), 'pairs');
}

/** Docs earlier runs published that this run's docs of a preferred subcorpus supersede (dedup subcorpusPriority). */
export function supersededPath(runDir: string): string {
  return join(dedupDir(runDir), 'superseded.jsonl');
}

export function removedPath(runDir: string, taskId: string): string {
  return join(dedupDir(runDir), 'removed', `${taskId}.jsonl`);
}

/** The run folder's lock: held by the command running or submitting the run (folder-lock.ts). */
export function runLockPath(runDir: string): string {
  return join(runDir, 'run.lock');
}

/** A dedup index's lock: held by a run from its dedup plan until its segment is committed. */
export function indexLockPath(indexDir: string): string {
  return join(indexDir, 'index.lock');
}

/**
 * Every document that left the last step that changes text (`normalize`), before the filters: what
 * `pnpm refilter` runs other thresholds over without reading a WARC again.
 */
export function normalizedDir(runDir: string, lang: string, subcorpus: string): string {
  return join(runDir, 'normalized', lang, subcorpus);
}

/** `<run>/site-lines/`: the per-WARC line-hash files and the per-partition repeated lines. */
export function siteLinesDir(runDir: string): string {
  return join(runDir, 'site-lines');
}

/** `<run>/site-lines/pages/<task>.bkt`: a WARC's (host, line hash) entries by host partition. */
export function siteLinePagesPath(runDir: string, taskId: string): string {
  return join(siteLinesDir(runDir), 'pages', `${taskId}.bkt`);
}

/** `<run>/site-lines/repeated/<part>.jsonl`: one partition's hosts and their repeated line hashes. */
export function siteLinesRepeatedPath(runDir: string, partitionTaskId: string): string {
  return join(siteLinesDir(runDir), 'repeated', `${partitionTaskId}.jsonl`);
}

/** `<run>/index/`: what the columnar index selected, one file per WARC task (`--via-index`). */
export function indexPlanDir(runDir: string): string {
  return join(runDir, 'index');
}

/** `<run>/index/<task>.json`: the byte ranges a WARC task reads and its share of the index scan. */
/** `index/scan.json`: what the index scan of a `--via-index` run did (index-plan.ts). */
export function indexScanPath(runDir: string): string {
  return join(indexPlanDir(runDir), 'scan.json');
}

export function indexPlanPath(runDir: string, taskId: string): string {
  return join(indexPlanDir(runDir), `${taskId}.json`);
}
