/**
 * `pnpm bench filters`: normalise + PII masking + the whole quality chain over real Japanese text
 * (`../shared/data/text/*.jsonl`, repeated to `--mb` MB of UTF-8), on one thread, against the floor
 * measured in the same run: one plain pass over the same strings that only classifies each character
 * into the typed-array histogram (`countCharClasses`). Floors are taken before and after the chain and the
 * faster one kept, so drift in machine load shows as a gap between them. Also times each stage alone and
 * one 5 MB single-line document. The last line is JSON.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  analyzeText,
  compileProfile,
  countCharClasses,
  createNormalizer,
  createPiiMasker,
  DEFAULT_FILTER_PROFILE,
  DEFAULT_QUALITY_SCORING,
  DEFAULT_SCORER_SETTINGS,
  filterProfileNamed,
  judgeWithProfile,
  newCharClassHistogram,
  ngramFractions,
  type CompiledFilterStep,
} from '@jcp/filters';
import { peakRssMB } from './_measure.ts';

const TEXT_DIR = fileURLToPath(new URL('../../../../shared/data/text/', import.meta.url));
const SINGLE_LINE_BYTES = 5_000_000;

function loadTexts(dir: string): string[] {
  const texts: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(`${dir}${file}`, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line === '') return;
      const row = JSON.parse(line) as { text?: unknown };
      if (typeof row.text !== 'string') throw new Error(`${dir}${file}:${i + 1}: expected a string "text" field`);
      texts.push(row.text);
    });
  }
  return texts;
}

/** Seconds of the fastest of `runs` calls of `fn`. */
function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { mb: { type: 'string', default: '30' }, runs: { type: 'string', default: '3' }, filters: { type: 'string', default: DEFAULT_FILTER_PROFILE }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log('usage: pnpm bench filters [--mb <MB of UTF-8 text, default 30>] [--runs <best of, default 3>] [--filters <profile, default ${DEFAULT_FILTER_PROFILE}>]');
    return;
  }
  const targetBytes = Number(values.mb) * 1e6;
  const runs = Math.max(1, Number(values.runs));
  const source = loadTexts(TEXT_DIR);
  if (source.length === 0) throw new Error(`no JSONL text in ${TEXT_DIR}`);
  const texts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    // Fresh copies, so no run sees the same string object twice in a row (the rules cache the last text).
    const text = `${source[i % source.length]!}\n`.slice(0, -1);
    texts.push(text);
    bytes += Buffer.byteLength(text, 'utf8');
  }
  const mb = bytes / 1e6;
  const chars = texts.reduce((n, t) => n + t.length, 0);

  const normalize = createNormalizer();
  const mask = createPiiMasker();
  // The default profile's quality step: the figure the bench has always reported ("quality chain");
  // the whole profile (quality + toxicity) is timed as well.
  const profile = compileProfile(filterProfileNamed(String(values.filters)), DEFAULT_SCORER_SETTINGS);
  const quality: CompiledFilterStep = profile.find((s) => s.name === 'quality') ?? profile[0]!;
  const judge = (text: string): boolean => quality.judge({ text, url: null }, {}).failed.length === 0;
  const histogram = newCharClassHistogram();
  let kept = 0;
  let sink = 0;

  const floorPass = (): void => {
    for (const text of texts) sink += countCharClasses(text, histogram);
  };
  const chainPass = (): void => {
    kept = 0;
    for (const text of texts) {
      const masked = mask(normalize(text).text).text;
      if (judge(masked)) kept++;
    }
  };

  floorPass(); // warm-up: JIT both loops before timing
  for (let i = 0; i < Math.min(texts.length, 300); i++) judge(mask(normalize(texts[i]!).text).text);

  const floorBefore = best(runs, floorPass);
  const chainSeconds = best(runs, chainPass);
  const floorAfter = best(runs, floorPass);
  const floorSeconds = Math.min(floorBefore, floorAfter);

  // Each stage alone, on its real input (normalised text for PII, masked text for the rules).
  const normalized = texts.map((t) => normalize(t).text);
  const masked = normalized.map((t) => mask(t).text);
  const normalizeSeconds = best(runs, () => {
    for (const text of texts) sink += normalize(text).text.length;
  });
  const piiSeconds = best(runs, () => {
    for (const text of normalized) sink += mask(text).text.length;
  });
  const qualitySeconds = best(runs, () => {
    for (const text of masked) sink += judge(text) ? 1 : 0;
  });
  const profileSeconds = best(runs, () => {
    for (const text of masked) sink += judgeWithProfile(profile, { text, url: null }).keep ? 1 : 0;
  });
  const analysisSeconds = best(runs, () => {
    for (const text of masked) sink += analyzeText(`${text}\n`).chars; // a new string each time: no cache hits
  });
  const ngramSeconds = best(runs, () => {
    for (const text of masked) sink += ngramFractions(`${text}\n`, DEFAULT_QUALITY_SCORING.repetition.ngramScanChars)[5]!;
  });
  // Each scorer's own work: the shared passes (cached per text) run first, outside the timed calls.
  const perFilterNs = new Map<string, bigint>(quality.scorers.map((f) => [f.name, 0n]));
  for (const text of masked) {
    analyzeText(text);
    ngramFractions(text, DEFAULT_QUALITY_SCORING.repetition.ngramScanChars);
    for (const filter of quality.scorers) {
      const t0 = process.hrtime.bigint();
      sink += filter.score({ text, url: null }).char_count ?? 0;
      perFilterNs.set(filter.name, perFilterNs.get(filter.name)! + process.hrtime.bigint() - t0);
    }
  }
  const perFilter = Object.fromEntries([...perFilterNs].map(([name, ns]) => [name, Number(ns) / 1e9]));

  // One document that is a single 5 MB line of real text (newlines turned into spaces).
  let line = '';
  for (let i = 0; Buffer.byteLength(line, 'utf8') < SINGLE_LINE_BYTES; i++) line += source[i % source.length]!.replace(/\n/g, ' ');
  const lineStart = process.hrtime.bigint();
  const lineOutcome = quality.judge({ text: mask(normalize(line).text).text, url: null }, {});
  const singleLineMs = Number(process.hrtime.bigint() - lineStart) / 1e6;

  const mbPerS = (seconds: number): number => round(mb / seconds);
  const slowdown = chainSeconds / floorSeconds;
  console.log(`text: ${texts.length} docs (${source.length} distinct from ${TEXT_DIR}), ${mb.toFixed(1)} MB UTF-8, ${(chars / 1e6).toFixed(1)} M UTF-16 units; kept ${kept}`);
  console.log(`floor (classify each char only): ${mbPerS(floorSeconds)} MB/s  (before ${mbPerS(floorBefore)}, after ${mbPerS(floorAfter)})`);
  console.log(`normalise + PII + quality chain: ${mbPerS(chainSeconds)} MB/s, ${Math.round(texts.length / chainSeconds)} docs/s, 1 core; ${slowdown.toFixed(1)}× the floor's time`);
  console.log(`stages alone: normalise ${mbPerS(normalizeSeconds)} MB/s, PII ${mbPerS(piiSeconds)} MB/s, quality rules ${mbPerS(qualitySeconds)} MB/s, whole ${profile.length}-step profile ${mbPerS(profileSeconds)} MB/s`);
  console.log(`  shared analysis pass ${mbPerS(analysisSeconds)} MB/s, character n-grams (2..10) ${mbPerS(ngramSeconds)} MB/s`);
  console.log(`  each filter given the shared passes: ${Object.entries(perFilter).map(([name, s]) => `${name} ${mbPerS(s)}`).join(', ')} MB/s`);
  console.log(`one ${(SINGLE_LINE_BYTES / 1e6).toFixed(0)} MB single-line document: ${singleLineMs.toFixed(0)} ms (${lineOutcome.failed[0]?.reason ?? 'kept'})`);
  if (sink === -1) console.log(''); // keeps the timed loops' results alive

  console.log(
    JSON.stringify({
      docs: texts.length,
      mb: round(mb),
      floor_mb_s: mbPerS(floorSeconds),
      chain_mb_s: mbPerS(chainSeconds),
      chain_docs_s: Math.round(texts.length / chainSeconds),
      ratio_to_floor: round(floorSeconds / chainSeconds, 4),
      slowdown_vs_floor: round(slowdown, 1),
      normalize_mb_s: mbPerS(normalizeSeconds),
      pii_mb_s: mbPerS(piiSeconds),
      quality_mb_s: mbPerS(qualitySeconds),
      profile: String(values.filters),
      profile_mb_s: mbPerS(profileSeconds),
      analysis_mb_s: mbPerS(analysisSeconds),
      ngram_mb_s: mbPerS(ngramSeconds),
      filter_mb_s: Object.fromEntries(Object.entries(perFilter).map(([name, s]) => [name, mbPerS(s)])),
      single_5mb_line_ms: Math.round(singleLineMs),
      kept,
      peak_rss_mb: round(peakRssMB()),
    }),
  );
}
