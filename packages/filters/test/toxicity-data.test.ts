import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TOXICITY_TRAINING,
  LABEL_RULE,
  LLM_JP_LABEL_RULE,
  ToxicityDataError,
  ToxicityScorer,
  binaryScores,
  countByReason,
  crossValidateHarm,
  crossValidateRecipe,
  doesNoHarm,
  harmCounts,
  harmOfCrossValidation,
  labelledExamples,
  loadToxicityModel,
  parseLlmJpToxicityJsonl,
  readToxicityData,
  toxicityStepWithoutClassifier,
  type CrossValidationResult,
} from '../src/toxicity/index.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLE = join(REPO, 'fixtures/toxicity/llm-jp-toxicity-sample.jsonl');
const DEV_CSV = fileURLToPath(new URL('../../../../shared/data/toxicity/inspection-ai.dev.csv', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'toxicity-data-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = promisify(execFile);

/** Runs a root CLI as `pnpm <script>` does (tsx on the entry file) and returns its output and last JSON line. */
async function cli(script: 'train' | 'eval', args: string[]): Promise<{ stdout: string; stderr: string; summary: Record<string, unknown> }> {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(REPO, `pipelines/src/cli/${script}.ts`), ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  return { stdout, stderr, summary: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown> };
}

describe('LLM-jp Toxicity JSONL reader', () => {
  const sample = readToxicityData(SAMPLE);

  it('reads the sample by its .jsonl name: 37 rows, 12 toxic, 7 has_toxic_expression, 18 nontoxic', () => {
    expect(sample.format).toBe('llm-jp-jsonl');
    expect(sample.labelRule).toBe(LLM_JP_LABEL_RULE);
    expect(sample.rows).toHaveLength(37);
    const byLabel = (label: string): number => sample.rows.filter((r) => r.label === label).length;
    expect([byLabel('toxic'), byLabel('has_toxic_expression'), byLabel('nontoxic')]).toEqual([12, 7, 18]);
  });

  it('counts only `toxic` as toxic: has_toxic_expression is "not toxic overall" (trains at 0.5 under vote-share)', () => {
    for (const row of sample.rows) expect(row.toxic, `line ${row.line}`).toBe(row.label === 'toxic');
    const expression = sample.rows.filter((r) => r.label === 'has_toxic_expression');
    expect(expression.map((r) => r.toxicShare)).toEqual(Array<number>(7).fill(0.5));
    expect(sample.rows.filter((r) => r.toxic).every((r) => r.toxicShare === 1)).toBe(true);
    expect(sample.rows.filter((r) => r.label === 'nontoxic').every((r) => r.toxicShare === 0)).toBe(true);
  });

  it('skips the cut-off line 21 and the unknown label on line 32, naming file and line, counted per reason', () => {
    expect(sample.problems.map((p) => [p.reason, p.line])).toEqual([
      ['not-json', 21],
      ['unknown-label', 32],
    ]);
    for (const p of sample.problems) {
      expect(p).toBeInstanceOf(ToxicityDataError);
      expect(p.message.startsWith(`${SAMPLE}:${p.line}: `)).toBe(true);
    }
    expect(sample.problems[1]!.message).toContain('"offensive"');
    expect(countByReason(sample.problems)).toEqual({ 'not-json': 1, 'unknown-label': 1 });
  });

  it('keeps each row’s id and line, and names a row without id by its line', () => {
    expect(sample.rows[0]).toMatchObject({ id: 'sample-001', line: 1, label: 'nontoxic', text: '今日は良い天気なので、公園を散歩しました。' });
    expect(sample.rows.find((r) => r.line === 10)).toMatchObject({ id: 'line-10', label: 'toxic', text: 'このクズ野郎、黙ってろ。' });
    // Skipped lines leave no hole in the numbering of the rows after them.
    expect(sample.rows.find((r) => r.line === 22)?.id).toBe('sample-021');
    expect(sample.rows.every((r) => r.votes === undefined)).toBe(true);
  });

  it('skips empty, missing, misspelt and non-string labels and missing or blank text, and reads the good lines around them', () => {
    const content = [
      '{"text":"a","label":"toxic"}',
      '{"text":"b","label":""}',
      '{"text":"c"}',
      '{"text":"d","label":"Toxic"}',
      '{"text":"e","label":1}',
      '{"label":"toxic"}',
      '{"text":"   ","label":"nontoxic"}',
      '[1,2]',
      '',
      '{"id":7,"text":"f","label":"nontoxic"}\r',
    ].join('\n');
    const { rows, problems } = parseLlmJpToxicityJsonl(content, 'x.jsonl');
    expect(rows.map((r) => [r.id, r.text, r.toxic])).toEqual([
      ['line-1', 'a', true],
      ['7', 'f', false],
    ]);
    expect(problems.map((p) => p.message.split(': ').slice(0, 2).join(': '))).toEqual([
      'x.jsonl:2: missing-label',
      'x.jsonl:3: missing-label',
      'x.jsonl:4: unknown-label',
      'x.jsonl:5: unknown-label',
      'x.jsonl:6: missing-text',
      'x.jsonl:7: missing-text',
      'x.jsonl:8: not-an-object',
    ]);
  });

  it('reads .jsonl.gz as the same rows, with the sha256 of the compressed bytes', () => {
    const gz = join(scratch, 'sample.jsonl.gz');
    const compressed = gzipSync(readFileSync(SAMPLE));
    writeFileSync(gz, compressed);
    const read = readToxicityData(gz);
    expect(read.format).toBe('llm-jp-jsonl');
    expect(read.rows).toEqual(sample.rows);
    expect(read.problems.map((p) => p.line)).toEqual([21, 32]);
    expect(read.sha256).not.toBe(sample.sha256);
  });

  it('chooses the format by content when the name says nothing: `{` first is JSONL, a header is CSV', () => {
    const jsonl = join(scratch, 'sample.txt');
    writeFileSync(jsonl, `\uFEFF\n${readFileSync(SAMPLE, 'utf8')}`);
    expect(readToxicityData(jsonl).rows).toHaveLength(37);
    const csv = join(scratch, 'dev.data');
    writeFileSync(csv, readFileSync(DEV_CSV));
    const read = readToxicityData(csv);
    expect(read.format).toBe('inspection-ai-csv');
    expect(read.rows).toHaveLength(275);
  });

  it('reads the inspection-ai CSV as before: 275 rows, 21 toxic, the majority rule, nothing skipped', () => {
    const dev = readToxicityData(DEV_CSV);
    expect(dev.format).toBe('inspection-ai-csv');
    expect(dev.labelRule).toBe(LABEL_RULE);
    expect(dev.rows.filter((r) => r.toxic)).toHaveLength(21);
    expect(dev.problems).toEqual([]);
  });

  it('names a file it cannot read, and a .gz that is not gzip', () => {
    expect(() => readToxicityData(join(scratch, 'missing.jsonl'))).toThrow(/missing\.jsonl/);
    const bad = join(scratch, 'bad.jsonl.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    expect(() => readToxicityData(bad)).toThrow(/bad\.jsonl\.gz: not a valid gzip file/);
  });
});

describe('pnpm train toxicity on LLM-jp JSONL', () => {
  it('trains a model file from the sample that loads, records the skips and label rule, and scores toxic rows above clean ones', async () => {
    const out = join(scratch, 'llm-jp-model.json');
    const { stderr, summary } = await cli('train', ['toxicity', '--data', SAMPLE, '--out', out]);
    expect(stderr).toContain(`${SAMPLE}:21: not-json`);
    expect(stderr).toContain(`${SAMPLE}:32: unknown-label`);
    expect(summary).toMatchObject({ format: 'llm-jp-jsonl', rows: 37, positives: 12, skipped: 2, skipped_by_reason: { 'not-json': 1, 'unknown-label': 1 } });

    const { model, header } = loadToxicityModel(out);
    expect(header.trainedOn).toMatchObject({ file: 'llm-jp-toxicity-sample.jsonl', rows: 37, positives: 12, labelRule: LLM_JP_LABEL_RULE, sha256: readToxicityData(SAMPLE).sha256 });
    const scorer = new ToxicityScorer(model);
    const rows = readToxicityData(SAMPLE).rows;
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const toxic = mean(rows.filter((r) => r.toxic).map((r) => scorer.score(r.text).prob));
    const clean = mean(rows.filter((r) => r.label === 'nontoxic').map((r) => scorer.score(r.text).prob));
    expect(toxic).toBeGreaterThan(clean);
    // The in-sample decisions at the stored threshold separate the rows it was trained on.
    const decisions = rows.map((r) => scorer.score(r.text).prob >= header.threshold);
    expect(binaryScores(decisions, rows.map((r) => r.toxic)).f1).toBeGreaterThan(0.8);
    expect(scorer.score('今日は晴れ。\nお前みたいな役立たずは二度と来るな。').chunks).toBe(2);
  });
});

describe('the harm rule', () => {
  it('counts caught toxic and dropped clean rows once per repeat', () => {
    const gold = [true, true, false, false, false];
    expect(harmCounts([[true, false, true, false, false], [true, true, false, false, true]], gold)).toEqual({ toxicCaught: 3, toxicTotal: 4, cleanDropped: 2, cleanTotal: 6 });
    expect(() => harmCounts([[true]], gold)).toThrow(/1 decisions for 5 labels/);
  });

  it('holds while clean drops do not outnumber toxic catches, and a filter that drops nothing passes', () => {
    expect(doesNoHarm({ toxicCaught: 3, toxicTotal: 4, cleanDropped: 3, cleanTotal: 9 })).toBe(true);
    expect(doesNoHarm({ toxicCaught: 3, toxicTotal: 4, cleanDropped: 4, cleanTotal: 9 })).toBe(false);
    expect(doesNoHarm({ toxicCaught: 0, toxicTotal: 4, cleanDropped: 0, cleanTotal: 9 })).toBe(true);
  });

  it('combines the classifier’s out-of-fold decisions with the NG-word step per row (dropped by either)', () => {
    const gold = [true, true, false, false];
    const cv = { folds: 2, repeats: 2, predictedPerRepeat: [[true, false, true, false], [false, false, false, false]] } as Pick<CrossValidationResult, 'folds' | 'repeats' | 'predictedPerRepeat'>;
    const report = harmOfCrossValidation(cv as CrossValidationResult, gold, [false, true, true, false]);
    expect(report.classifier).toEqual({ toxicCaught: 1, toxicTotal: 4, cleanDropped: 1, cleanTotal: 4 });
    expect(report.ngWords).toEqual({ toxicCaught: 2, toxicTotal: 4, cleanDropped: 2, cleanTotal: 4 });
    expect(report.both).toEqual({ toxicCaught: 3, toxicTotal: 4, cleanDropped: 2, cleanTotal: 4 });
    expect([report.classifierDoesNoHarm, report.defaultStageDoesNoHarm, report.stageWithClassifierDoesNoHarm]).toEqual([true, true, true]);
  });

  it('drops an NG-stuffed text and keeps a clean one in the default profile’s toxicity step', () => {
    const drops = toxicityStepWithoutClassifier();
    expect(drops('死ね。殺す。レイプ。今日は晴れです。'.repeat(15))).toBe(true);
    expect(drops('今日は良い天気で、公園を散歩しました。')).toBe(false);
  });

  it('on the dev CSV, pools the nested CV of the committed recipe and the default NG-word step over every repeat', () => {
    const dev = readToxicityData(DEV_CSV);
    const examples = labelledExamples(dev.rows, DEFAULT_TOXICITY_TRAINING);
    const harm = crossValidateHarm(examples);
    const repeats = DEFAULT_TOXICITY_TRAINING.repeats;
    expect(harm.repeats).toBe(repeats);
    for (const counts of [harm.classifier, harm.ngWords, harm.both]) {
      expect([counts.toxicTotal, counts.cleanTotal]).toEqual([21 * repeats, 254 * repeats]);
    }
    // The classifier's counts are the recipe's own cross-validation (the figures `pnpm train` stores).
    const cv = crossValidateRecipe(examples, DEFAULT_TOXICITY_TRAINING);
    expect([harm.classifier.toxicCaught, harm.classifier.cleanDropped]).toEqual([cv.pooled.tp, cv.pooled.fp]);
    // The NG-word step is not trained: each repeat drops the same rows.
    const drops = toxicityStepWithoutClassifier();
    const ng = binaryScores(
      examples.map((e) => drops(e.text)),
      examples.map((e) => e.toxic),
    );
    expect([harm.ngWords.toxicCaught, harm.ngWords.cleanDropped]).toEqual([ng.tp * repeats, ng.fp * repeats]);
    expect(harm.both.toxicCaught).toBeGreaterThanOrEqual(Math.max(harm.classifier.toxicCaught, harm.ngWords.toxicCaught));
    expect(harm.classifierDoesNoHarm).toBe(doesNoHarm(harm.classifier));
    expect(harm.stageWithClassifierDoesNoHarm).toBe(doesNoHarm(harm.both));
    // Why the classifier is opt-in and the default stage is NG words alone: the harm rule on dev.
    expect(harm.defaultStageDoesNoHarm).toBe(true);
    expect(harm.classifierDoesNoHarm).toBe(false);
  });

  it('is printed by pnpm eval toxicity in its final JSON line, next to the existing keys', async () => {
    const model = join(scratch, 'eval-model.json');
    await cli('train', ['toxicity', '--data', SAMPLE, '--out', model]);
    const { summary } = await cli('eval', ['toxicity', '--data', SAMPLE, '--model', model]);
    for (const key of ['precision', 'recall', 'f1', 'accuracy', 'ng_words', 'combined']) expect(summary, key).toHaveProperty(key);
    const harm = summary.harm as Record<string, Record<string, number> | boolean>;
    // 12 toxic and 25 clean rows, each scored once in each of the recipe's repeats.
    for (const part of ['classifier', 'ng_words', 'both']) {
      expect(harm[part], part).toMatchObject({ toxicTotal: 12 * DEFAULT_TOXICITY_TRAINING.repeats, cleanTotal: 25 * DEFAULT_TOXICITY_TRAINING.repeats });
    }
    const classifier = harm.classifier as Record<string, number>;
    expect(harm.classifier_does_no_harm).toBe(classifier.cleanDropped! <= classifier.toxicCaught!);
    expect(summary).toMatchObject({ skipped: 2, rows: 37 });
  });
});
