import { BroadcastChannel } from 'node:worker_threads';
import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { PROGRESS_CHANNEL, type TaskProgress } from '../run/local-executor.ts';
import { runWarcTask, type WarcTaskInput, type WarcTaskResult } from '../tasks/warc-task.ts';

// One cld3 identifier per worker thread, made on first use and reused: cld3-asm's wasm heap is fixed
// and aborts after ~1,300 creations (shared/PACKAGES.md).
let detector: Promise<LanguageDetector> | null = null;
const progress = new BroadcastChannel(PROGRESS_CHANNEL);
// A worker must not keep the process alive on account of this channel.
progress.unref();

export default async function warcWorker(input: WarcTaskInput): Promise<WarcTaskResult> {
  detector ??= createLanguageDetector(input.chain.langid);
  const report = (bytes: number): void => progress.postMessage({ taskId: input.taskId, bytes } satisfies TaskProgress);
  return runWarcTask(input, await detector, (line) => process.stderr.write(`${line}\n`), report);
}
