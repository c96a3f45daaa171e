/**
 * `pnpm eval dedup --data <file.jsonl|dir> [--threshold 0.8]`: pair precision and recall of the MinHash
 * LSH dedup against exact Jaccard, on real text.
 *
 * Real Japanese text has few near-duplicates of its own, so the evaluation makes them the way the web
 * does: from a seeded sample of passages it derives copies with site chrome added, passages cut, and
 * sentences swapped for others, at edit strengths that spread the true Jaccard over 0.3–1. The truth
 * is the exact Jaccard of the same character shingles over every pair (brute force, shingle strings,
 * no hashing). The prediction is what the pipeline acts on: two docs are a predicted pair when the
 * dedup puts them in one group (a survivor and the docs dropped as its duplicates); `drop_precision`
 * scores just the (dropped doc, doc it names) pairs. The same code path as `cc-ja`: signature files,
 * bucket files in several task files, band merges, clustering.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@jcp/core';
import {
  DEFAULT_DEDUP_CONFIG,
  DedupPlan,
  ShingleDictionary,
  TaskSignatureWriter,
  dedupInProcess,
  exactTextKey,
  sortedJaccard,
  type DedupConfig,
  type TaskDedupFiles,
} from '@jcp/dedup';
import { parseEvalArgs, printScores, readJsonlObjects, round } from './_common.ts';
import { tempRunDir } from '../bench/_temp.ts';

/** Passages are cut at paragraph ends to about this length: a web article's main text. */
const PASSAGE_CHARS = 1500;
const MIN_PASSAGE_CHARS = 300;
const TASK_FILES = 4;
/** Lines a site wraps around a copied article (menus, credits, footers). */
const CHROME = [
  'トップページ ＞ ニュース ＞ 社会',
  'この記事をシェアする',
  '関連記事',
  'Copyright © 2024 あーかいぶ堂 All Rights Reserved.',
  'ログイン　新規会員登録',
  'この記事は元のサイトから許可を得て転載しています。',
  '人気記事ランキング',
  'ページの先頭へ戻る',
];

interface EvalDoc {
  id: string;
  text: string;
  base: number;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'dedup', 'a JSONL file with a "text" field, or a folder of them (e.g. ../shared/data/text)', {
    threshold: { help: 'Jaccard at which two docs are duplicates', default: String(DEFAULT_DEDUP_CONFIG.threshold) },
    passages: { help: 'real passages sampled', default: '500' },
    seed: { help: 'seed of the sample and the edits', default: '7' },
    'confidence-z': { help: 'standard errors an estimate must clear the threshold by (dedup.confidenceZ)', default: String(DEFAULT_DEDUP_CONFIG.confidenceZ) },
  });
  const threshold = Number(args.threshold);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`--threshold ${args.threshold}: expected a number in (0, 1]`);
  const confidenceZ = Number(args['confidence-z']);
  if (!(confidenceZ >= 0)) throw new Error(`--confidence-z ${args['confidence-z']}: expected a number ≥ 0`);
  const config: DedupConfig = { ...DEFAULT_DEDUP_CONFIG, threshold, confidenceZ };
  const random = seededRandom(Number(args.seed));
  const passages = await samplePassages(args.data, Number(args.passages), random);
  if (passages.length < 2) throw new Error(`${args.data}: fewer than 2 passages of ${MIN_PASSAGE_CHARS}+ characters`);
  const docs = withEditedCopies(passages, random);
  console.error(`dedup eval: ${passages.length} passages, ${docs.length} docs, ${(docs.length * (docs.length - 1)) / 2} pairs`);

  const t0 = performance.now();
  const truth = truePairs(docs, config.minhash.shingleChars);
  const bruteSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const { grouped: predicted, claims } = await predictedPairs(docs, config);
  const dedupSeconds = (performance.now() - t1) / 1000;

  const positives = [...truth].filter(([, j]) => j >= threshold);
  const hits = positives.filter(([k]) => predicted.has(k)).length;
  const falsePositives = [...predicted].filter((k) => (truth.get(k) ?? 0) < threshold);
  const precision = predicted.size === 0 ? 1 : (predicted.size - falsePositives.length) / predicted.size;
  const recall = positives.length === 0 ? 1 : hits / positives.length;
  const recallAt = (lo: number, hi = 1.0001): { pairs: number; recall: number } => {
    const inRange = [...truth].filter(([, j]) => j >= lo && j < hi);
    return { pairs: inRange.length, recall: round(inRange.length === 0 ? 1 : inRange.filter(([k]) => predicted.has(k)).length / inRange.length) };
  };
  const worstFalsePositive = falsePositives.reduce((m, k) => Math.min(m, truth.get(k) ?? 0), 1);
  const wrongClaims = [...claims].filter((k) => (truth.get(k) ?? 0) < threshold);
  printScores({
    data: args.data,
    threshold,
    confidence_z: confidenceZ,
    bands: config.bands,
    rows: config.rows,
    shingle_chars: config.minhash.shingleChars,
    passages: passages.length,
    docs: docs.length,
    true_pairs: positives.length,
    predicted_pairs: predicted.size,
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    recall_j90: recallAt(0.9).recall,
    // Each drop names the doc it duplicates: the share of those claims that are true at the threshold.
    drops: claims.size,
    drop_precision: round(claims.size === 0 ? 1 : (claims.size - wrongClaims.length) / claims.size),
    pairs_j90: recallAt(0.9).pairs,
    recall_by_jaccard: {
      '0.80-0.85': recallAt(0.8, 0.85),
      '0.85-0.90': recallAt(0.85, 0.9),
      '0.90-0.95': recallAt(0.9, 0.95),
      '0.95-1.00': recallAt(0.95),
    },
    lowest_true_jaccard_of_a_predicted_pair: round(worstFalsePositive),
    brute_force_seconds: round(bruteSeconds, 2),
    dedup_seconds: round(dedupSeconds, 2),
  });
}

async function samplePassages(data: string, wanted: number, random: () => number): Promise<string[]> {
  const files = (await stat(data)).isDirectory()
    ? (await readdir(data)).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(data, f))
    : [data];
  const all: string[] = [];
  for (const file of files) {
    for await (const { row } of readJsonlObjects(file, (lineNo, reason) => console.error(`${file}:${lineNo}: ${reason}, skipped`))) {
      if (typeof row.text === 'string') all.push(...passagesOf(row.text));
    }
  }
  // Seeded Fisher–Yates: the same sample on every run.
  for (let i = all.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [all[i], all[k]] = [all[k]!, all[i]!];
  }
  return all.slice(0, wanted);
}

function passagesOf(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const para of text.split('\n')) {
    const p = para.trim();
    if (!p) continue;
    current = current ? `${current}\n${p}` : p;
    if (current.length >= PASSAGE_CHARS) {
      out.push(current);
      current = '';
    }
  }
  if (current.length >= MIN_PASSAGE_CHARS) out.push(current);
  return out;
}

function sentencesOf(text: string): string[] {
  return text.split(/(?<=[。！？\n])/).filter((s) => s.length > 0);
}

/** Each passage, plus for most of them one or two copies edited at a random strength. */
function withEditedCopies(passages: string[], random: () => number): EvalDoc[] {
  const docs: EvalDoc[] = passages.map((text, base) => ({ id: idOf(`p${base}`), text, base }));
  passages.forEach((text, base) => {
    const copies = random() < 0.3 ? 0 : random() < 0.6 ? 1 : 2;
    for (let c = 0; c < copies; c++) {
      const other = passages[(base + 1 + Math.floor(random() * (passages.length - 1))) % passages.length]!;
      docs.push({ id: idOf(`p${base}c${c}`), text: edit(text, other, random() * 0.45, random), base });
    }
  });
  return docs;
}

/** Site chrome around the text, then a share `strength` of its sentences cut or swapped for `other`'s. */
function edit(text: string, other: string, strength: number, random: () => number): string {
  const sentences = sentencesOf(text);
  const donor = sentencesOf(other);
  const out: string[] = [];
  for (const s of sentences) {
    const r = random();
    if (r < strength / 2) continue;
    if (r < strength) out.push(donor[Math.floor(random() * donor.length)] ?? s);
    else out.push(s);
  }
  const chrome = (): string => CHROME[Math.floor(random() * CHROME.length)]!;
  const head = random() < 0.7 ? `${chrome()}\n` : '';
  const tail = random() < 0.7 ? `\n${chrome()}\n${chrome()}` : '';
  return `${head}${out.join('')}${tail}`;
}

function idOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

const pairKey = (a: number, b: number): number => (a < b ? a * 1_000_000 + b : b * 1_000_000 + a);

/** Exact Jaccard of every pair with any shingle in common (pairs sharing none have Jaccard 0). */
function truePairs(docs: EvalDoc[], n: number): Map<number, number> {
  const dict = new ShingleDictionary(n);
  const sets = docs.map((d) => dict.shingleIds(d.text));
  const out = new Map<number, number>();
  for (let i = 0; i < docs.length; i++) {
    for (let k = i + 1; k < docs.length; k++) {
      // J ≤ min/max of the set sizes: below 0.25 the pair cannot matter to any threshold we report.
      const a = sets[i]!.length;
      const b = sets[k]!.length;
      if (Math.min(a, b) < 0.25 * Math.max(a, b)) continue;
      const j = sortedJaccard(sets[i]!, sets[k]!);
      if (j > 0) out.set(pairKey(i, k), j);
    }
  }
  return out;
}

/** Runs the pipeline's dedup over the docs spread across task files; returns the pairs that share a cluster. */
async function predictedPairs(docs: EvalDoc[], config: DedupConfig): Promise<{ grouped: Set<number>; claims: Set<number> }> {
  const tmp = await tempRunDir('eval-dedup');
  try {
    const tasks: TaskDedupFiles[] = [];
    const where: Array<{ task: number; ord: number }> = [];
    const byTask = Array.from({ length: TASK_FILES }, (): number[] => []);
    docs.forEach((_, i) => byTask[i % TASK_FILES]!.push(i));
    for (let t = 0; t < TASK_FILES; t++) {
      const files = { signatures: join(tmp, `t${t}.sig`), buckets: join(tmp, `t${t}.bkt`) };
      const w = await TaskSignatureWriter.create(files.signatures, files.buckets, config);
      for (const i of byTask[t]!) {
        const d = docs[i]!;
        where[i] = { task: t, ord: await w.add({ id: d.id, text: d.text, fetchedAt: '', exactKey: exactTextKey(d.text) }) };
      }
      await w.close();
      tasks.push(files);
    }
    const r = await dedupInProcess(new DedupPlan(tasks, []), config, join(tmp, 'pairs'));
    const indexOfId = new Map(docs.map((d, i) => [d.id, i]));
    const clusters = new Map<string, number[]>();
    for (const x of r.removals) {
      const list = clusters.get(x.duplicateOf) ?? [indexOfId.get(x.duplicateOf)!];
      list.push(indexOfId.get(x.id)!);
      clusters.set(x.duplicateOf, list);
    }
    const grouped = new Set<number>();
    for (const members of clusters.values()) {
      for (let i = 0; i < members.length; i++) for (let k = i + 1; k < members.length; k++) grouped.add(pairKey(members[i]!, members[k]!));
    }
    const claims = new Set(r.removals.map((x) => pairKey(indexOfId.get(x.id)!, indexOfId.get(x.duplicateOf)!)));
    return { grouped, claims };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
