/**
 * One entry point for labelled toxicity files, so `pnpm train toxicity` and `pnpm eval toxicity` take
 * either format: the inspection-ai CSV (`dataset.ts`) or LLM-jp Toxicity JSON Lines (`llm-jp-jsonl.ts`),
 * plain or gzip-compressed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { LABEL_RULE, parseToxicityCsv, type ToxicityDataFormat, type ToxicityDataset } from './dataset.ts';
import { LLM_JP_LABEL_RULE, parseLlmJpToxicityJsonl } from './llm-jp-jsonl.ts';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The format a file is read as: by its name first (`.csv`, `.jsonl`, `.ndjson`, each optionally `.gz`),
 * because the name is what the user chose; otherwise by its content: JSON Lines when the first non-blank
 * character is `{` (a CSV header cannot start with one), else CSV.
 */
export function detectToxicityFormat(path: string, text: string): ToxicityDataFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'inspection-ai-csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'llm-jp-jsonl';
  const first = /[^\s\uFEFF]/.exec(text);
  return first?.[0] === '{' ? 'llm-jp-jsonl' : 'inspection-ai-csv';
}

/**
 * Reads a labelled toxicity file in either format. gzip is recognised by its magic bytes, whatever the
 * name. Unreadable or undecompressable files throw, naming the file; bad JSONL lines are skipped and
 * returned in `problems` (the CSV reader still throws on a bad row, naming its line).
 */
export function readToxicityData(path: string, format?: ToxicityDataFormat): ToxicityDataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read toxicity data ${path}: ${(error as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let content = bytes;
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      content = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`${path}: not a valid gzip file (${(error as Error).message})`);
    }
  }
  const text = content.toString('utf8');
  const chosen = format ?? detectToxicityFormat(path, text);
  if (chosen === 'llm-jp-jsonl') {
    const { rows, problems } = parseLlmJpToxicityJsonl(text, path);
    return { path, sha256, format: chosen, labelRule: LLM_JP_LABEL_RULE, rows, problems };
  }
  return { path, sha256, format: chosen, labelRule: LABEL_RULE, rows: parseToxicityCsv(text, path), problems: [] };
}
