import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DEDUP_CONFIG, TaskSignatureWriter, exactTextKey, type DedupConfig, type TaskDedupFiles } from '../src/index.ts';

/** Real Japanese running text for the dedup tests: Aozora Bunko works (../shared/data/text). */
const AOZORA = join(import.meta.dirname, '../../../../shared/data/text/aozora-akutagawa-miyazawa.jsonl');

/** A test doc's 32-hex id from its name. */
export const docId = (name: string): string => createHash('sha256').update(name).digest('hex').slice(0, 32);

/** The first `count` paragraphs longer than 300 characters of the first `works` works. */
export async function aozoraParagraphs(works: number, count: number): Promise<string[]> {
  const lines = (await readFile(AOZORA, 'utf8')).split('\n').filter(Boolean).slice(0, works);
  return lines
    .flatMap((l) => (JSON.parse(l) as { text: string }).text.split('\n'))
    .filter((p) => p.length > 300)
    .slice(0, count);
}

export interface TestDoc {
  name: string;
  text: string;
  fetchedAt?: string;
}

/** A task's signature and bucket files in `dir`, as the process stage writes them. */
export async function writeTaskFiles(dir: string, name: string, docs: TestDoc[], config: DedupConfig = DEFAULT_DEDUP_CONFIG): Promise<TaskDedupFiles> {
  const files = { signatures: join(dir, `${name}.sig`), buckets: join(dir, `${name}.bkt`) };
  const w = await TaskSignatureWriter.create(files.signatures, files.buckets, config);
  for (const d of docs) await w.add({ id: docId(d.name), text: d.text, fetchedAt: d.fetchedAt ?? '2024-01-01T00:00:00Z', exactKey: exactTextKey(d.text) });
  await w.close();
  return files;
}
