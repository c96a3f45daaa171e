import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { runWarcTask, type WarcTaskInput, type WarcTaskResult } from '../tasks/warc-task.ts';

// One cld3 identifier per worker thread, made on first use and reused: cld3-asm's wasm heap is fixed
// and aborts after ~1,300 creations (shared/PACKAGES.md).
let detector: Promise<LanguageDetector> | null = null;

export default async function warcWorker(input: WarcTaskInput): Promise<WarcTaskResult> {
  detector ??= createLanguageDetector(input.chain.langid);
  return runWarcTask(input, await detector, (line) => process.stderr.write(`${line}\n`));
}
