import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '@jcp/core';
import { SiteLineTaskFile, TaskSignatureWriter } from '@jcp/dedup';
import { LedgerBuilder } from '@jcp/stats';
import type { WarcTaskResult } from '../stages/process.ts';
import type { RunContext } from '../run-folder/context.ts';
import { bucketPath, signaturePath, siteLinePagesPath, taskErrorsPath, taskFailedPath, taskSamplesPath } from '../run-folder/layout.ts';
import { readTaskMarker, writeTaskMarker } from '../run-folder/task-marker.ts';
import { PAGES_STAGE, siteLinePartitions, taskIdFor, warcStageOf } from '../run-folder/names.ts';

/**
 * `--abandon-failed`: every WARC whose reading task (`process`, or `pages`) failed (a `.failed` marker, no `.done`) is given up
 * for this run: it is marked done with no documents, its error kept in its result (`abandoned`) and
 * its ledger (`read` event `warc-abandoned`), so the dedup and the later stages can run without it.
 * A WARC gone from a crawl's server would otherwise hold the whole run back. Returns the abandoned ids.
 */
export async function abandonFailedWarcs(ctx: RunContext): Promise<string[]> {
  const abandoned: string[] = [];
  // The stage that reads the WARCs: `process`, or `pages` with site-line removal (the filters then run on no documents).
  const stage = warcStageOf(ctx);
  for (const warcPath of ctx.inputs) {
    const taskId = taskIdFor(warcPath);
    if ((await readTaskMarker(ctx.runDir, stage, taskId)) !== null) continue;
    const marker = await readFile(taskFailedPath(ctx.runDir, stage, taskId), 'utf8').catch(() => null);
    if (marker === null) continue;
    const error = (JSON.parse(marker) as { error: string }).error;
    const emptyFiles = stage === PAGES_STAGE ? await emptySiteLineFile(ctx, taskId) : await emptyDedupFiles(ctx, taskId);
    const ledger = new LedgerBuilder();
    ledger.stage('read').event('warc-abandoned');
    const errorsFile = taskErrorsPath(ctx.runDir, stage, taskId);
    const samplesFile = taskSamplesPath(ctx.runDir, stage, taskId);
    await writeFileAtomic(errorsFile, `${JSON.stringify({ file: warcPath, offset: 0, reason: 'warc-abandoned', message: error })}\n`);
    await writeFileAtomic(samplesFile, '');
    const result: WarcTaskResult = { taskId, warcFile: warcPath, crawl: 'unknown', inputBytes: 0, ledger: ledger.ledger, stagedShards: [], staged: 0, errors: 1, seconds: 0, stepMs: {}, abandoned: error };
    const outputs = [...emptyFiles, errorsFile, samplesFile].map((path) => ({ path }));
    // No input fingerprint: nothing was read, so a later change of the file cannot make this stale.
    await writeTaskMarker(ctx.runDir, stage, taskId, { result, outputs }, []);
    await rm(taskFailedPath(ctx.runDir, stage, taskId), { force: true });
    process.stderr.write(`${ctx.pipeline}: abandoned ${warcPath}: ${error}\n`);
    abandoned.push(taskId);
  }
  return abandoned;
}


/** Empty signature and bucket files: the dedup reads one pair per WARC. */
async function emptyDedupFiles(ctx: RunContext, taskId: string): Promise<string[]> {
  const signatures = await TaskSignatureWriter.create(signaturePath(ctx.runDir, taskId), bucketPath(ctx.runDir, taskId), ctx.settings.dedup);
  await signatures.close();
  return [signaturePath(ctx.runDir, taskId), bucketPath(ctx.runDir, taskId)];
}

/** An empty site-line file: the `site-lines` stage reads one per WARC. */
async function emptySiteLineFile(ctx: RunContext, taskId: string): Promise<string[]> {
  const path = siteLinePagesPath(ctx.runDir, taskId);
  await new SiteLineTaskFile(siteLinePartitions(ctx)).write(path);
  return [path];
}
