import { BroadcastChannel } from 'node:worker_threads';
import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { createTokenCounter, type TokenCounter } from '@jcp/stats';
import { PROGRESS_CHANNEL, type TaskProgress } from '../run/local-executor.ts';
import { runBandTask, runClusterTask, type BandTaskInput, type ClusterTaskInput } from '../tasks/dedup-tasks.ts';
import { runWarcTask, type WarcTaskInput } from '../tasks/warc-task.ts';
import { runWriteTask, type WriteTaskInput } from '../tasks/write-task.ts';

/** Every kind of task a stage hands to a worker thread (or, under Slurm, to an array task). */
export type StageTask =
  | ({ kind: 'warc' } & WarcTaskInput)
  | ({ kind: 'band' } & BandTaskInput)
  | ({ kind: 'cluster' } & ClusterTaskInput)
  | ({ kind: 'write' } & WriteTaskInput);

// One cld3 identifier per worker thread, made on first use and reused: cld3-asm's wasm heap is fixed
// and aborts after ~1,300 creations (shared/PACKAGES.md). One token counter per thread too: loading the
// SentencePiece model takes 0.2-0.3 s.
let detector: Promise<LanguageDetector> | null = null;
let tokenCounter: { key: string; counter: Promise<TokenCounter> } | null = null;
const progress = new BroadcastChannel(PROGRESS_CHANNEL);
// A worker must not keep the process alive on account of this channel.
progress.unref();

export async function runStageTask(task: StageTask): Promise<unknown> {
  switch (task.kind) {
    case 'warc': {
      detector ??= createLanguageDetector(task.chain.langid);
      const key = JSON.stringify(task.tokens);
      if (tokenCounter?.key !== key) tokenCounter = { key, counter: createTokenCounter(task.tokens) };
      const report = (bytes: number): void => progress.postMessage({ taskId: task.taskId, bytes } satisfies TaskProgress);
      const tools = { detector: await detector, tokenCounter: await tokenCounter.counter };
      return runWarcTask(task, tools, (line) => process.stderr.write(`${line}\n`), report);
    }
    case 'band':
      return runBandTask(task);
    case 'cluster':
      return runClusterTask(task);
    case 'write':
      return runWriteTask(task);
  }
}

export default runStageTask;
