/**
 * `pnpm eval reference --data <file.jsonl> [--filters <profile>]`: does a filter profile decide what the
 * published filter it reproduces decided, document by document? The data is the reference's own output
 * (`../shared/data/filters-reference/`: per document `keep`, every failing rule in the reference's
 * names, the scores it computed, the rules it could not apply, and for llm-jp the sha1 of its output
 * text). The profile defaults to the file name's prefix (`swallow-v1.dev.jsonl` → `swallow-v1`).
 *
 * Prints each disagreement (id, source, ours vs reference, the first rule that differs and both scores)
 * and ends with one JSON line: agreement (same keep/drop), rule_agreement (same pass/fail per (doc, rule)),
 * first_rule_agreement (dropped docs whose first failing rule matches), max_score_error over every
 * reference score the profile maps to one of ours, output_text_agreement when the file has output sha1s,
 * and not_applied counts. A rule the reference marks not_applied for a document is skipped for it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { compileProfile, DEFAULT_SCORER_SETTINGS, filterProfileNamed, judgeWithProfile, type FilterProfile } from '@jcp/filters';
import { parseEvalArgs, printScores, readJsonlObjects, round } from './_common.ts';

interface ReferenceDoc {
  id: string;
  source: string;
  text: string;
  url: string | null;
  keep: boolean;
  failedRules: string[];
  scores: Record<string, number>;
  notApplied: string[];
  outputTextSha1: string | null;
}

const MAX_PRINTED = 40;

function parseDoc(row: Record<string, unknown>): ReferenceDoc | string {
  if (typeof row.text !== 'string') return 'missing string "text"';
  if (typeof row.keep !== 'boolean') return 'missing boolean "keep"';
  if (!Array.isArray(row.failed_rules) || !row.failed_rules.every((r) => typeof r === 'string')) return '"failed_rules" should be a list of rule names';
  const scores = row.scores ?? {};
  if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) return '"scores" should be an object';
  const notApplied = row.not_applied ?? [];
  if (!Array.isArray(notApplied) || !notApplied.every((r) => typeof r === 'string')) return '"not_applied" should be a list of rule names';
  return {
    id: typeof row.id === 'string' ? row.id : '',
    source: typeof row.source === 'string' ? row.source : '',
    text: row.text,
    url: typeof row.url === 'string' ? row.url : null,
    keep: row.keep,
    failedRules: row.failed_rules as string[],
    scores: scores as Record<string, number>,
    notApplied: notApplied as string[],
    outputTextSha1: typeof row.output_text_sha1 === 'string' ? row.output_text_sha1 : null,
  };
}

/** The profile a reference file is for: the part of its name before the first `.`. */
export function profileOfFileName(path: string): string {
  return basename(path).split('.')[0]!;
}

/** Every rule of the profile in check order, with the score it bounds. */
function rulesOf(profile: FilterProfile): { rule: string; score: string }[] {
  return Object.values(profile.steps).flatMap((step) => Object.entries(step.rules).map(([rule, r]) => ({ rule, score: r.score })));
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'reference', 'JSONL of a reference filter’s decisions (../shared/data/filters-reference/<profile>.<split>.jsonl)', {
    filters: { help: 'filter profile (default: the file name up to its first ".")' },
  });
  if (!existsSync(args.data)) {
    console.error(`no such file: ${args.data}`);
    process.exit(2);
  }
  const profile = filterProfileNamed(args.filters ?? profileOfFileName(args.data));
  const steps = compileProfile(profile, DEFAULT_SCORER_SETTINGS);
  const rules = rulesOf(profile);
  const ruleNames = new Set(rules.map((r) => r.rule));
  const scoreMap = profile.referenceScores ?? {};
  const reproduces = profile.referenceScores !== undefined;
  if (!reproduces) console.log(`${profile.name} does not reproduce a reference: only keep/drop agreement is compared (its rule names are its own)`);

  let docs = 0;
  let sameKeep = 0;
  let rulePairs = 0;
  let sameRulePairs = 0;
  let refDropped = 0;
  let sameFirstRule = 0;
  let maxScoreError = 0;
  let scoresCompared = 0;
  let outputs = 0;
  let sameOutputs = 0;
  let badLines = 0;
  let printed = 0;
  const notApplied: Record<string, number> = {};
  const unknownRules = new Set<string>();
  const unmappedScores = new Set<string>();

  const report = (lineNo: number, reason: string): void => {
    badLines++;
    console.log(`skipped line ${lineNo}: ${reason}`);
  };
  const show = (line: string): void => {
    if (printed++ < MAX_PRINTED) console.log(line);
  };
  const fmt = (x: number | undefined): string => (x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toPrecision(6));

  for await (const { lineNo, row } of readJsonlObjects(args.data, report)) {
    const doc = parseDoc(row);
    if (typeof doc === 'string') {
      report(lineNo, doc);
      continue;
    }
    docs++;
    for (const r of doc.failedRules) if (!ruleNames.has(r)) unknownRules.add(r);
    const skipped = new Set(doc.notApplied);
    for (const r of doc.notApplied) notApplied[r] = (notApplied[r] ?? 0) + 1;
    const verdict = judgeWithProfile(steps, { text: doc.text, url: doc.url });
    const oursFailed = verdict.failed.map((f) => f.rule).filter((r) => !skipped.has(r));
    const refFailed = doc.failedRules.filter((r) => !skipped.has(r));
    const oursKeep = oursFailed.length === 0;
    if (oursKeep === doc.keep) sameKeep++;

    let firstDiffering: string | null = null;
    for (const { rule } of rules) {
      if (skipped.has(rule)) continue;
      rulePairs++;
      const same = oursFailed.includes(rule) === refFailed.includes(rule);
      if (same) sameRulePairs++;
      else firstDiffering ??= rule;
    }
    if (!doc.keep) {
      refDropped++;
      if (oursFailed[0] === refFailed[0]) sameFirstRule++;
    }
    for (const [refName, refValue] of Object.entries(doc.scores)) {
      const ours = scoreMap[refName];
      if (ours === undefined) {
        unmappedScores.add(refName);
        continue;
      }
      const error = Math.abs((verdict.scores[ours] ?? Number.NaN) - refValue);
      scoresCompared++;
      if (!(error <= maxScoreError)) {
        maxScoreError = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
        if (error > 1e-9) show(`  score ${doc.id} ${refName}: ours ${fmt(verdict.scores[ours])} reference ${fmt(refValue)}`);
      }
    }
    if (doc.outputTextSha1 !== null) {
      outputs++;
      if (createHash('sha1').update(verdict.text, 'utf8').digest('hex') === doc.outputTextSha1) sameOutputs++;
      else show(`  output ${doc.id} [${doc.source}]: our output text differs from the reference's (sha1)`);
    }
    if ((reproduces && firstDiffering !== null) || oursKeep !== doc.keep) {
      const rule = firstDiffering ?? '';
      const score = rules.find((r) => r.rule === rule)?.score;
      const refScoreName = Object.entries(scoreMap).find(([, ours]) => ours === score)?.[0];
      show(
        `${doc.id} [${doc.source}] ours ${oursKeep ? 'keep' : 'drop'} (${oursFailed.join(', ') || '-'}) vs reference ${doc.keep ? 'keep' : 'drop'} (${refFailed.join(', ') || '-'})` +
          (rule ? `; first differing rule ${rule}: ours ${fmt(score ? verdict.scores[score] : undefined)}, reference ${fmt(refScoreName ? doc.scores[refScoreName] : undefined)}` : ''),
      );
    }
  }
  if (printed > MAX_PRINTED) console.log(`  … ${printed - MAX_PRINTED} more lines not shown`);
  if (reproduces && unknownRules.size) console.log(`reference rules the profile does not have: ${[...unknownRules].join(', ')}`);
  if (reproduces && unmappedScores.size) console.log(`reference scores not compared (no score of ours maps to them): ${[...unmappedScores].join(', ')}`);

  printScores({
    eval: 'reference',
    profile: profile.name,
    data: args.data,
    docs,
    skipped_lines: badLines,
    agreement: round(docs === 0 ? 0 : sameKeep / docs, 6),
    // Rule names are comparable only for a profile that reproduces the reference (it maps its scores).
    rule_agreement: reproduces ? round(rulePairs === 0 ? 0 : sameRulePairs / rulePairs, 6) : null,
    first_rule_agreement: reproduces ? round(refDropped === 0 ? 1 : sameFirstRule / refDropped, 6) : null,
    max_score_error: scoresCompared > 0 ? maxScoreError : null,
    scores_compared: scoresCompared,
    ...(outputs > 0 ? { output_text_agreement: round(sameOutputs / outputs, 6) } : {}),
    not_applied: notApplied,
    unknown_rules: reproduces ? [...unknownRules] : [],
  });
}
