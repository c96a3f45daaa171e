/**
 * `pnpm eval deviations --data <labelled.jsonl> [--clean a.jsonl,b.jsonl] [--filters jcp-v1]`: every
 * deviation of a profile from the reference profiles it derives from, measured. For each group of the
 * profile's rules that derive from one anchor rule (`anchor: 'swallow-v1:quality.num_letters'`), the
 * variant that follows the anchor instead (the anchor's own score and bounds); for each anchor rule the
 * profile has no counterpart of, the variant that adds it. Each variant is scored like `pnpm eval
 * quality` (precision/recall/F1 of the drop decision on `{"text","label":"good"|"bad"}` lines) and by its
 * drop rate on each clean file (unlabelled lines: drops there are losses). Texts go the production path
 * (normalise, mask PII); every score is computed once per text and each variant is a different rule set
 * over the same scores, as `pnpm refilter` would apply it.
 *
 * Rules whose score no text here has (URL rules on texts without a URL) are listed as not measurable.
 */
import { existsSync } from 'node:fs';
import {
  compileProfile,
  createNormalizer,
  createPiiMasker,
  DEFAULT_FILTER_PROFILE,
  DEFAULT_SCORER_SETTINGS,
  FILTER_PROFILES,
  filterProfileNamed,
  judgeWithProfile,
  ruleFails,
  type FilterProfile,
  type Rule,
} from '@jcp/filters';
import { parseEvalArgs, printScores, readJsonlObjects, round } from './_common.ts';

interface Text {
  label: 'good' | 'bad' | null;
  scores: Record<string, number>;
}

interface Variant {
  name: string;
  /** What changes: `follow` an anchor instead of our rules, or `add` an anchor rule we lack. */
  kind: 'baseline' | 'follow' | 'add';
  rules: Rule[];
}

function flatRules(profile: FilterProfile): { key: string; rule: Rule }[] {
  return Object.values(profile.steps).flatMap((s) => Object.entries(s.rules).map(([key, rule]) => ({ key, rule })));
}

function anchorRule(anchor: string): Rule {
  const [profileName, ruleName] = [anchor.slice(0, anchor.indexOf(':')), anchor.slice(anchor.indexOf(':') + 1)];
  const rule = flatRules(filterProfileNamed(profileName)).find((r) => r.key === ruleName)?.rule;
  if (!rule) throw new Error(`anchor ${anchor}: no such rule in profile ${profileName}`);
  return rule;
}

function variantsOf(profile: FilterProfile, anchors: readonly FilterProfile[]): Variant[] {
  const own = flatRules(profile);
  const variants: Variant[] = [{ name: profile.name, kind: 'baseline', rules: own.map((r) => r.rule) }];
  const anchored = new Set(own.map((r) => r.rule.anchor).filter((a): a is string => a !== undefined));
  for (const anchor of anchored) {
    const group = own.filter((r) => r.rule.anchor === anchor);
    const rules = own.filter((r) => r.rule.anchor !== anchor).map((r) => r.rule);
    variants.push({ name: `follow ${anchor} (instead of ${group.map((r) => r.key).join(', ')})`, kind: 'follow', rules: [...rules, anchorRule(anchor)] });
  }
  for (const ref of anchors) {
    for (const { key, rule } of flatRules(ref)) {
      if (anchored.has(`${ref.name}:${key}`)) continue;
      variants.push({ name: `add ${ref.name}:${key}`, kind: 'add', rules: [...own.map((r) => r.rule), rule] });
    }
  }
  return variants;
}

/** One profile whose steps compute every score any variant reads (the anchors' rules after ours). */
function unionProfile(profile: FilterProfile, anchors: readonly FilterProfile[]): FilterProfile {
  const steps = { ...profile.steps };
  for (const ref of anchors) for (const [name, step] of Object.entries(ref.steps)) steps[`${ref.name}/${name}`] = { rules: step.rules };
  return { name: `${profile.name}+anchors`, description: '', steps };
}

async function readTexts(path: string, labelled: boolean, prepare: (text: string) => Record<string, number>): Promise<Text[]> {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  const out: Text[] = [];
  for await (const { lineNo, row } of readJsonlObjects(path, (n, reason) => console.log(`${path}:${n}: skipped: ${reason}`))) {
    if (typeof row.text !== 'string') {
      console.log(`${path}:${lineNo}: skipped: missing string "text"`);
      continue;
    }
    const label = labelled && (row.label === 'good' || row.label === 'bad') ? row.label : null;
    out.push({ label, scores: prepare(row.text) });
  }
  return out;
}

const keeps = (rules: readonly Rule[], scores: Record<string, number>): boolean => !rules.some((r) => ruleFails(r, scores[r.score]!));

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'deviations', 'JSONL with {"text","label":"good"|"bad"} per line (bad = should be dropped)', {
    clean: { help: 'comma-separated JSONL files of clean text (drop rates = losses)', default: '' },
    filters: { help: 'the profile whose deviations are measured', default: DEFAULT_FILTER_PROFILE },
  });
  const profile = filterProfileNamed(args.filters!);
  const anchors = FILTER_PROFILES.filter((p) => p.referenceScores !== undefined && p.name !== profile.name);
  const steps = compileProfile(unionProfile(profile, anchors), DEFAULT_SCORER_SETTINGS);
  const normalize = createNormalizer();
  const mask = createPiiMasker();
  const prepare = (text: string): Record<string, number> => judgeWithProfile(steps, { text: mask(normalize(text).text).text, url: null }).scores;

  const labelled = await readTexts(args.data, true, prepare);
  const cleanFiles = args.clean ? args.clean.split(',').filter(Boolean) : [];
  const clean = new Map<string, Text[]>();
  for (const file of cleanFiles) clean.set(file, await readTexts(file, false, prepare));

  const variants = variantsOf(profile, anchors);
  const notMeasurable = variants.filter((v) => v.kind !== 'baseline' && [...labelled, ...[...clean.values()].flat()].every((t) => Number.isNaN(t.scores[v.rules.at(-1)!.score])));
  const results = variants
    .filter((v) => !notMeasurable.includes(v))
    .map((v) => {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const t of labelled) {
        if (t.label === null) continue;
        const dropped = !keeps(v.rules, t.scores);
        if (t.label === 'bad' && dropped) tp++;
        else if (t.label === 'bad') fn++;
        else if (dropped) fp++;
      }
      const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      const dropRates: Record<string, number> = {};
      for (const [file, texts] of clean) dropRates[file] = round(texts.filter((t) => !keeps(v.rules, t.scores)).length / Math.max(1, texts.length));
      return { variant: v.name, kind: v.kind, precision: round(precision), recall: round(recall), f1: round(f1), false_drops: fp, clean_drop_rates: dropRates };
    });

  const base = results[0]!;
  console.log(`profile ${profile.name}: ${labelled.length} labelled texts, clean files ${cleanFiles.join(', ') || '(none)'}`);
  for (const r of results) {
    const rates = Object.entries(r.clean_drop_rates).map(([f, x]) => `${f.split('/').pop()} ${(100 * x).toFixed(1)} %`).join(', ');
    const delta = r === base ? '' : ` (ΔF1 ${(r.f1 - base.f1 >= 0 ? '+' : '') + (r.f1 - base.f1).toFixed(3)})`;
    console.log(`${r.variant}\n    P ${r.precision} R ${r.recall} F1 ${r.f1}${delta}; clean drops: ${rates || '-'}`);
  }
  if (notMeasurable.length) console.log(`not measurable here (no text has the score): ${notMeasurable.map((v) => v.name).join('; ')}`);
  printScores({ eval: 'deviations', profile: profile.name, data: args.data, clean: cleanFiles, variants: results, not_measurable: notMeasurable.map((v) => v.name) });
}
