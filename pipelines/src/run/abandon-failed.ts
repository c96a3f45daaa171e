import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '@jcp/core';
import { TaskSignatureWriter } from '@jcp/dedup';
import { LedgerBuilder } from '@jcp/stats';
import type { WarcTaskResult } from '../stages/process.ts';
import type { RunContext } from '../run-folder/context.ts';
import { bucketPath, signaturePath, taskErrorsPath, taskFailedPath, taskSamplesPath } from '../run-folder/layout.ts';
import { readTaskMarker, writeTaskMarker } from '../run-folder/task-marker.ts';
import { PROCESS_STAGE, taskIdFor } from '../run-folder/names.ts';

/**
 * `--abandon-failed`: every WARC whose process task failed (a `.failed` marker, no `.done`) is given up
 * for this run: it is marked done with no documents, its error kept in its result (`abandoned`) and
 * its ledger (`read` event `warc-abandoned`), so the dedup and the later stages can run without it.
 * A WARC gone from a crawl's server would otherwise hold the whole run back. Returns the abandoned ids.
 */
export async function abandonFailedWarcs(ctx: RunContext): Promise<string[]> {
  const abandoned: string[] = [];
  for (const warcPath of ctx.inputs) {
    const taskId = taskIdFor(warcPath);
    if ((await readTaskMarker(ctx.runDir, PROCESS_STAGE, taskId)) !== null) continue;
    const marker = await readFile(taskFailedPath(ctx.runDir, PROCESS_STAGE, taskId), 'utf8').catch(() => null);
    if (marker === null) continue;
    const error = (JSON.parse(marker) as { error: string }).error;
    // Empty signature and bucket files: the dedup reads one pair per WARC.
    const signatures = await TaskSignatureWriter.create(signaturePath(ctx.runDir, taskId), bucketPath(ctx.runDir, taskId), ctx.settings.dedup);
    await signatures.close();
    const ledger = new LedgerBuilder();
    ledger.stage('read').event('warc-abandoned');
    const errorsFile = taskErrorsPath(ctx.runDir, PROCESS_STAGE, taskId);
    const samplesFile = taskSamplesPath(ctx.runDir, PROCESS_STAGE, taskId);
    await writeFileAtomic(errorsFile, `${JSON.stringify({ file: warcPath, offset: 0, reason: 'warc-abandoned', message: error })}\n`);
    await writeFileAtomic(samplesFile, '');
    const result: WarcTaskResult = { taskId, warcFile: warcPath, crawl: 'unknown', inputBytes: 0, ledger: ledger.ledger, stagedShards: [], staged: 0, errors: 1, seconds: 0, stepMs: {}, abandoned: error };
    const outputs = [signaturePath(ctx.runDir, taskId), bucketPath(ctx.runDir, taskId), errorsFile, samplesFile].map((path) => ({ path }));
    // No input fingerprint: nothing was read, so a later change of the file cannot make this stale.
    await writeTaskMarker(ctx.runDir, PROCESS_STAGE, taskId, { result, outputs }, []);
    await rm(taskFailedPath(ctx.runDir, PROCESS_STAGE, taskId), { force: true });
    process.stderr.write(`${ctx.pipeline}: abandoned ${warcPath}: ${error}\n`);
    abandoned.push(taskId);
  }
  return abandoned;
}

