/**
 * `pnpm eval charset --data <dir>`: charset detection and decoding against files of known charset.
 *
 * <dir>/manifest.tsv has a header row with at least the columns `path` (relative to <dir>) and `charset`
 * (the true charset label, any spelling). Each file goes through `decodeBody(bytes, null)`: no HTTP
 * header, so only the file's own BOM / meta / XML prolog and its bytes decide.
 *
 * Scores (last stdout line, one JSON object):
 *  - accuracy: predicted charset equals the truth modulo LABEL_CLASSES below, plus two looser rules:
 *    truth `ascii` is right for any ASCII-compatible prediction (they all read ASCII alike), and truth
 *    `UTF-16` / `UTF-32` without endianness (BOM files) is right for either endianness.
 *  - decode_accuracy: the decoded text equals the file decoded with its true charset. Only over files whose
 *    true charset TextDecoder knows (decode_files); the others (Johab, ISO-2022-KR, EUC-TW, UTF-32…)
 *    are counted in decode_skipped. windows-1252 references use the WHATWG table, not Node 20's
 *    TextDecoder, which decodes 0x80–0x9F as Latin-1 (nodejs/node#60888).
 *  - japanese_accuracy / japanese_files: accuracy over files whose truth is Shift_JIS/CP932, EUC-JP or
 *    ISO-2022-JP.
 *  - per_charset: "correct/total" per true label as written in the manifest.
 * Misses (path, truth, predicted, how decided) are printed as human lines before the JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeBody, decodeWindows1252, normalizeCharsetLabel } from '@jcp/crawler';
import { parseEvalArgs, printScores, round } from './_common.ts';

/**
 * Labels that name the same decoding, or a subset of one decoder (GB2312 ⊂ GBK ⊂ GB18030, EUC-KR ⊂ UHC,
 * Big5 ⊂ Big5-HKSCS, ISO-8859-1 read as windows-1252 as WHATWG does, Shift_JIS read as CP932).
 */
const LABEL_CLASSES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    shift_jis: ['shift_jis', 'shift-jis', 'sjis', 'cp932', 'windows-31j', 'ms932', 'x-sjis', 'ms_kanji', 'csshiftjis'],
    'euc-jp': ['euc-jp', 'eucjp', 'x-euc-jp', 'ujis'],
    'iso-2022-jp': ['iso-2022-jp', 'csiso2022jp'],
    'utf-8': ['utf-8', 'utf8', 'utf-8-sig'],
    gbk: ['gb2312', 'gbk', 'gb18030', 'cp936', 'euc-cn', 'x-gbk', 'hz-gb-2312'],
    big5: ['big5', 'big5-hkscs', 'cp950'],
    'euc-kr': ['euc-kr', 'cp949', 'uhc', 'ks_c_5601-1987', 'windows-949'],
    'windows-1252': ['windows-1252', 'iso-8859-1', 'latin1', 'cp1252', 'iso-8859-15'],
    'windows-1251': ['windows-1251', 'cp1251'],
    'koi8-r': ['koi8-r', 'koi8r'],
  }).flatMap(([cls, labels]) => labels.map((label): [string, string] => [label, cls])),
);

const JAPANESE_CLASSES = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp']);

function labelClass(label: string): string {
  const lower = label.trim().toLowerCase();
  return LABEL_CLASSES.get(lower) ?? LABEL_CLASSES.get(normalizeCharsetLabel(lower) ?? '') ?? lower;
}

function isCorrect(truth: string, predicted: string): boolean {
  const lower = truth.trim().toLowerCase();
  const p = labelClass(predicted);
  if (lower === 'ascii' || lower === 'us-ascii') return !p.startsWith('utf-16') && !p.startsWith('utf-32');
  const t = labelClass(truth);
  if (t === 'utf-16' || t === 'utf-32') return p.startsWith(t);
  return t === p;
}

/** The text under the true charset, or null when TextDecoder cannot decode that charset. */
function referenceText(truth: string, bytes: Uint8Array): string | null {
  const lower = truth.trim().toLowerCase();
  if (lower === 'utf-16') return new TextDecoder(bytes[0] === 0xfe ? 'utf-16be' : 'utf-16le').decode(bytes);
  const name = normalizeCharsetLabel(lower);
  if (name === null) return null;
  if (name === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return new TextDecoder(name).decode(bytes);
  } catch {
    return null;
  }
}

interface ManifestRow {
  path: string;
  charset: string;
}

function readManifest(dir: string): ManifestRow[] {
  const lines = readFileSync(join(dir, 'manifest.tsv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t');
  const pathCol = header.indexOf('path');
  const charsetCol = header.indexOf('charset');
  if (pathCol < 0 || charsetCol < 0) throw new Error(`${dir}/manifest.tsv needs 'path' and 'charset' columns`);
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return { path: cells[pathCol] ?? '', charset: cells[charsetCol] ?? '' };
  });
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'charset', 'directory with manifest.tsv (path, charset) and the files it lists');
  const rows = readManifest(args.data);

  let correct = 0;
  let decodeCorrect = 0;
  let decodeFiles = 0;
  let decodeSkipped = 0;
  let japaneseCorrect = 0;
  let japaneseFiles = 0;
  let bytesTotal = 0;
  let msTotal = 0;
  const perCharset = new Map<string, { correct: number; total: number }>();
  const decidedBy = new Map<string, number>();
  const misses: string[] = [];
  const decodeMisses: string[] = [];

  for (const row of rows) {
    const bytes = new Uint8Array(readFileSync(join(args.data, row.path)));
    const start = performance.now();
    const decoded = decodeBody(bytes, null);
    msTotal += performance.now() - start;
    bytesTotal += bytes.length;

    const ok = isCorrect(row.charset, decoded.charset);
    const stats = perCharset.get(row.charset) ?? { correct: 0, total: 0 };
    stats.total++;
    if (ok) {
      correct++;
      stats.correct++;
    } else {
      misses.push(`miss\t${row.path}\ttruth=${row.charset}\tpredicted=${decoded.charset}\tby=${decoded.decidedBy}`);
    }
    perCharset.set(row.charset, stats);
    decidedBy.set(decoded.decidedBy, (decidedBy.get(decoded.decidedBy) ?? 0) + 1);
    if (JAPANESE_CLASSES.has(labelClass(row.charset))) {
      japaneseFiles++;
      if (ok) japaneseCorrect++;
    }

    const reference = referenceText(row.charset, bytes);
    if (reference === null) {
      decodeSkipped++;
    } else {
      decodeFiles++;
      if (reference === decoded.text) decodeCorrect++;
      else if (ok) decodeMisses.push(`text differs\t${row.path}\ttruth=${row.charset}\tpredicted=${decoded.charset}`);
    }
  }

  const perCharsetScores = Object.fromEntries(
    [...perCharset.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, s]) => [label, `${s.correct}/${s.total}`]),
  );
  for (const line of [...misses, ...decodeMisses]) console.log(line);
  for (const [label, score] of Object.entries(perCharsetScores)) console.log(`charset\t${label}\t${score}`);
  console.log(`decided by\t${[...decidedBy.entries()].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(`speed\t${round(msTotal / Math.max(1, rows.length), 3)} ms/file\t${round(bytesTotal / 1e6 / (msTotal / 1e3), 1)} MB/s`);

  printScores({
    files: rows.length,
    accuracy: round(correct / Math.max(1, rows.length)),
    decode_accuracy: round(decodeCorrect / Math.max(1, decodeFiles)),
    decode_files: decodeFiles,
    decode_skipped: decodeSkipped,
    japanese_accuracy: round(japaneseCorrect / Math.max(1, japaneseFiles)),
    japanese_files: japaneseFiles,
    per_charset: perCharsetScores,
  });
}
