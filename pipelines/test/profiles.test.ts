import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILTERS_DOC, withGeneratedTable } from '../src/cli/docs.ts';
import { SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';

const REFERENCE = join(SHARED_DATA, 'filters-reference');

async function lastJson(args: string[]): Promise<{ json: Record<string, unknown>; stdout: string }> {
  const r = await runCli('eval', args);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return { json: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>, stdout: r.stdout };
}

describe('filter profiles that reproduce the Swallow and llm-jp filters, checked against their own decisions', () => {
  it.each(['swallow-v1', 'llm-jp-v2'])('pnpm eval reference: %s agrees on every document, rule and score', async (profile) => {
    const { json } = await lastJson(['reference', '--data', join(REFERENCE, `${profile}.dev.jsonl`)]);
    expect(json).toMatchObject({ eval: 'reference', profile, docs: 144, agreement: 1, rule_agreement: 1, first_rule_agreement: 1, max_score_error: 0 });
    expect(json.scores_compared).toBeGreaterThan(1000);
    if (profile === 'llm-jp-v2') expect(json.output_text_agreement).toBe(1);
  });

  it('pnpm eval reference names each disagreement: jcp-v1 on the Swallow decisions compares keep/drop only', async () => {
    const { json, stdout } = await lastJson(['reference', '--data', join(REFERENCE, 'swallow-v1.dev.jsonl'), '--filters', 'jcp-v1']);
    expect(json.profile).toBe('jcp-v1');
    expect(json.rule_agreement).toBeNull();
    expect(json.agreement as number).toBeLessThan(1);
    // Swallow drops Aozora works for their blank lines ("duplicate paragraphs"); jcp-v1 does not.
    expect(stdout).toMatch(/\[aozora\] ours keep \(-\) vs reference drop \(quality\.duplicate_paragraph_fraction\)/);
  });

  it('pnpm eval reference skips a broken line, counts it, and scores the rest', async () => {
    const dir = await tempDir('eval-reference');
    const lines = (await readFile(join(REFERENCE, 'llm-jp-v2.dev.jsonl'), 'utf8')).split('\n').slice(0, 3);
    const file = join(dir, 'llm-jp-v2.part.jsonl');
    await writeFile(file, `${lines.join('\n')}\n{"text": 1}\nnot json\n`);
    const { json } = await lastJson(['reference', '--data', file]);
    expect(json).toMatchObject({ profile: 'llm-jp-v2', docs: 3, skipped_lines: 2, agreement: 1 });
  });

  it('pnpm eval deviations measures following each anchor rule instead of ours', async () => {
    const { json } = await lastJson(['deviations', '--data', join(REFERENCE, '..', 'text', 'abeja-cc-ja-99docs.jsonl')]);
    const variants = json.variants as { variant: string; kind: string }[];
    expect(variants[0]).toMatchObject({ variant: 'jcp-v1', kind: 'baseline' });
    expect(variants.map((v) => v.variant)).toContain('follow swallow-v1:quality.num_letters (instead of too-short)');
    expect(variants.map((v) => v.variant)).toContain('add llm-jp-v2:has_good_compression_ratio');
  });

  it('docs/filters.md carries the rule × profile table of the current profiles (pnpm gen-docs)', async () => {
    const doc = await readFile(FILTERS_DOC, 'utf8');
    expect(withGeneratedTable(doc)).toBe(doc);
    expect(doc).toContain('| swallow-v1:quality.num_letters | too-short: `char_count` ≥ 200 | quality.num_letters: `swallow_num_letters` ≥ 400 | — |');
  });
});

describe('pnpm pipeline --filters', () => {
  it('swallow-v1 runs end to end; the ledger has its steps, its reasons and its profile in run.json', async () => {
    const out = join(await tempDir('profile-swallow'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--filters', 'swallow-v1', '--out', out, '--tokenizer', 'chars', '--no-dedup-index']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
    const steps = Object.keys(stats.totals);
    expect(steps.slice(steps.indexOf('normalize'), steps.indexOf('exact-dedup') + 1)).toEqual(['normalize', 'site-boilerplate', 'url', 'ngword', 'quality', 'exact-dedup']);
    for (const reason of Object.keys(stats.totals.quality.drops)) expect(reason).toMatch(/^quality\.[a-z0-9_]+$/);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).settings.chain.filters.profile).toBe('swallow-v1');
    expect(stats.filterProfile).toBe('swallow-v1');
    expect(r.stdout).toContain('WARC tasks done (filters swallow-v1)');
    if (stats.totals.quality.docsOut > 0) {
      const [row] = await duckdb(`SELECT min(swallow_num_letters) AS shortest FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
      expect(Number(row!.shortest)).toBeGreaterThanOrEqual(400);
    }
  });

  it('a config adds a rule to the profile (a score of any family), and the run applies it', async () => {
    const dir = await tempDir('profile-add-rule');
    const config = join(dir, 'c.json');
    await writeFile(config, JSON.stringify({ chain: { filters: { steps: { quality: { rules: { compression: { score: 'compression_ratio', min: 0.3, max: 0.49, source: 'test' } } } } } } }));
    const out = join(dir, 'run');
    const r = await runCli('pipeline', ['cc-ja', '--config', config, '--out', out, '--tokenizer', 'chars', '--no-dedup-index']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
    expect(stats.totals.quality.drops.compression?.docs).toBeGreaterThan(0);
    const [row] = await duckdb(`SELECT max(compression_ratio) AS worst FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
    expect(Number(row!.worst)).toBeLessThanOrEqual(0.49);
  });

  it('refuses an unknown profile, a misspelt rule field, and a profile renamed in a config, naming each', async () => {
    const dir = await tempDir('profile-bad');
    const unknown = await runCli('pipeline', ['cc-ja', '--filters', 'swallow-v2', '--out', join(dir, 'a')]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown filter profile 'swallow-v2' (profiles: jcp-v1, swallow-v1, llm-jp-v2, wiki-v1)");
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ chain: { filters: { steps: { quality: { rules: { 'too-short': { mni: 10 } } } } } } }));
    const bad = await runCli('pipeline', ['cc-ja', '--config', typo, '--out', join(dir, 'b')]);
    expect(bad.stderr).toContain('chain.filters.steps.quality.rules.too-short.mni: no such setting');
    const rename = join(dir, 'rename.json');
    await writeFile(rename, JSON.stringify({ chain: { filters: { profile: 'llm-jp-v2' } } }));
    const renamed = await runCli('pipeline', ['cc-ja', '--config', rename, '--out', join(dir, 'c')]);
    expect(renamed.stderr).toContain('choose a profile with --filters llm-jp-v2');
  });
});
