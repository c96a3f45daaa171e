/**
 * `pnpm eval quality --data <file.jsonl> [--filters <profile>]`: how well a filter profile's drop decision
 * (default jcp-v1: its quality and toxicity steps) matches labels.
 *
 * Input lines: `{"text", "label": "good"|"bad", ...}`. `bad` is the positive class: a true positive is a
 * bad document the profile drops. Every text goes the production path: normalise → mask PII → every step
 * of the profile. Lines without a label (e.g. `../shared/data/text/*.jsonl`) are run and counted in the drop
 * rates but not in precision/recall, so the same command reports how much of a clean corpus each rule
 * drops.
 *
 * Besides the first-reason counts (what the ledger records), it reports each rule alone: the share of
 * documents that rule would drop if it were the only rule on (every rule is checked on every document).
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileProfile, createNormalizer, createPiiMasker, DEFAULT_FILTER_PROFILE, DEFAULT_SCORER_SETTINGS, filterProfileNamed, judgeWithProfile } from '@jcp/filters';
import { parseEvalArgs, printScores, round, readJsonlObjects } from './_common.ts';

interface QualityItem {
  text: string;
  label: 'good' | 'bad' | null;
  kind: string;
}

const MAX_EXAMPLES_PRINTED = 15;
const EXAMPLE_TEXT_CHARS = 90;

async function* readItems(path: string, onBadLine: (lineNo: number, reason: string) => void): AsyncGenerator<QualityItem> {
  for await (const { lineNo, row: parsed } of readJsonlObjects(path, onBadLine)) {
    const row = parsed as { text?: unknown; label?: unknown; kind?: unknown } | null;
    if (row === null || typeof row !== 'object' || typeof row.text !== 'string') {
      onBadLine(lineNo, 'missing string "text"');
      continue;
    }
    if (row.label !== undefined && row.label !== 'good' && row.label !== 'bad') {
      onBadLine(lineNo, `label must be "good" or "bad", got ${JSON.stringify(row.label)}`);
      continue;
    }
    yield { text: row.text, label: row.label ?? null, kind: typeof row.kind === 'string' ? row.kind : '' };
  }
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > EXAMPLE_TEXT_CHARS ? `${oneLine.slice(0, EXAMPLE_TEXT_CHARS)}…` : oneLine;
}

function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function sortedCounts(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'quality', 'JSONL with {"text","label":"good"|"bad"} per line (bad = should be dropped; lines without a label only count in drop rates)', {
    filters: { help: 'filter profile', default: DEFAULT_FILTER_PROFILE },
  });
  if (!existsSync(args.data)) {
    console.error(`no such file: ${args.data}`);
    process.exit(2);
  }
  const normalize = createNormalizer();
  const mask = createPiiMasker();
  const profile = filterProfileNamed(args.filters!);
  const steps = compileProfile(profile, DEFAULT_SCORER_SETTINGS);

  let items = 0;
  let labelled = 0;
  let badLines = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let dropped = 0;
  let chainMs = 0;
  const reasons: Record<string, number> = {};
  const reasonsOnGood: Record<string, number> = {};
  const reasonsOnBad: Record<string, number> = {};
  const ruleFires: Record<string, number> = {};
  const missedByKind: Record<string, number> = {};
  const falseDrops: string[] = [];
  const missedBad: string[] = [];

  const report = (lineNo: number, reason: string): void => {
    badLines++;
    if (badLines <= MAX_EXAMPLES_PRINTED) console.log(`skipped line ${lineNo}: ${reason}`);
  };

  for await (const item of readItems(args.data, report)) {
    items++;
    const started = performance.now();
    const text = mask(normalize(item.text).text).text;
    const verdict = judgeWithProfile(steps, { text, url: null });
    chainMs += performance.now() - started;
    for (const rule of new Set(verdict.failed.map((f) => f.rule))) increment(ruleFires, rule);
    const outcome = { keep: verdict.keep, reason: verdict.failed[0]?.reason };

    const predictedBad = !outcome.keep;
    if (predictedBad) {
      dropped++;
      increment(reasons, outcome.reason!);
    }
    if (item.label === null) continue;
    labelled++;
    if (item.label === 'bad') {
      if (predictedBad) {
        tp++;
        increment(reasonsOnBad, outcome.reason!);
      } else {
        fn++;
        increment(missedByKind, item.kind || 'unknown');
        if (missedBad.length < MAX_EXAMPLES_PRINTED) missedBad.push(`  [${item.kind}] ${preview(item.text)}`);
      }
    } else if (predictedBad) {
      fp++;
      increment(reasonsOnGood, outcome.reason!);
      if (falseDrops.length < MAX_EXAMPLES_PRINTED) falseDrops.push(`  [${outcome.reason}] ${preview(item.text)}`);
    } else tn++;
  }

  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = labelled === 0 ? 0 : (tp + tn) / labelled;
  const rates = (counts: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(sortedCounts(counts)).map(([k, v]) => [k, round(items === 0 ? 0 : v / items)]));

  console.log(`items ${items} (labelled ${labelled}: ${tp + fn} bad, ${fp + tn} good), skipped lines ${badLines}`);
  console.log(`dropped ${dropped} (${(items === 0 ? 0 : (100 * dropped) / items).toFixed(1)} %)`);
  console.log("first drop reason (what the ledger counts):");
  for (const [reason, count] of Object.entries(sortedCounts(reasons))) console.log(`  ${reason.padEnd(22)} ${count}`);
  console.log('each rule alone (share of all items it would drop):');
  for (const [rule, rate] of Object.entries(rates(ruleFires))) console.log(`  ${rule.padEnd(36)} ${(100 * rate).toFixed(1)} %`);
  if (labelled > 0) {
    console.log(`good documents dropped (${fp}):`);
    for (const line of falseDrops) console.log(line);
    console.log(`bad documents kept (${fn}):`);
    for (const line of missedBad) console.log(line);
  }

  printScores({
    eval: 'quality',
    profile: profile.name,
    data: args.data,
    items,
    labelled,
    bad: tp + fn,
    good: fp + tn,
    tp,
    fp,
    fn,
    tn,
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    accuracy: round(accuracy),
    drop_rate: round(items === 0 ? 0 : dropped / items),
    drop_reasons: sortedCounts(reasons),
    drop_reasons_on_bad: sortedCounts(reasonsOnBad),
    drop_reasons_on_good: sortedCounts(reasonsOnGood),
    missed_bad_by_kind: sortedCounts(missedByKind),
    rule_alone_drop_rates: rates(ruleFires),
    docs_per_s: Math.round(chainMs === 0 ? 0 : (items * 1000) / chainMs),
  });
}
