import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSettings } from '../src/run/config-file.ts';
import { duckdb, runCli, tempDir } from './helpers.ts';

const DEFAULTS = { length: { minChars: 200 as number | null, maxChars: null as number | null }, lang: 'ja', types: ['text/html'] };

describe('settings from a --config file', () => {
  it('merges nested keys over the defaults and keeps the others', () => {
    expect(mergeSettings(DEFAULTS, { length: { minChars: 400 } }, 'x')).toEqual({ length: { minChars: 400, maxChars: null }, lang: 'ja', types: ['text/html'] });
  });

  it('turns a threshold off with null, and sets one whose default is off', () => {
    expect(mergeSettings(DEFAULTS, { length: { minChars: null, maxChars: 5000 } }, 'x').length).toEqual({ minChars: null, maxChars: 5000 });
  });

  it('refuses a misspelt key, naming where it is and what is known there', () => {
    expect(() => mergeSettings(DEFAULTS, { length: { minChar: 400 } }, 'cfg')).toThrow('cfg.length.minChar: no such setting (known: minChars, maxChars)');
  });

  it('refuses a value of another type than its default', () => {
    expect(() => mergeSettings(DEFAULTS, { length: { minChars: '400' } }, 'cfg')).toThrow('cfg.length.minChars: expected a number, got "400"');
    expect(() => mergeSettings(DEFAULTS, { types: 'text/html' }, 'cfg')).toThrow('cfg.types: expected a list');
    expect(() => mergeSettings(DEFAULTS, { lang: null }, 'cfg')).toThrow('cfg.lang: cannot be null');
  });

  it('pnpm pipeline --config changes a threshold without editing code, and the run records it', async () => {
    const dir = await tempDir('config');
    const config = join(dir, 'long.json');
    await writeFile(config, JSON.stringify({ chain: { filters: { steps: { quality: { rules: { 'too-short': { min: 1000 } } } } } } }));
    const out = join(dir, 'run');
    const r = await runCli('pipeline', ['cc-ja', '--config', config, '--out', out, '--tokenizer', 'chars']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
    expect(stats.totals.quality.drops['too-short'].docs).toBeGreaterThan(0);
    const [row] = await duckdb(`SELECT min(char_count) AS shortest FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
    expect(Number(row!.shortest)).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).settings.chain.filters.steps.quality.rules['too-short'].min).toBe(1000);
  });

  it('pnpm pipeline --config with a misspelt key fails before any work, naming the file and the key', async () => {
    const dir = await tempDir('config-bad');
    const config = join(dir, 'typo.json');
    await writeFile(config, JSON.stringify({ chain: { filters: { steps: { quality: { rulez: {} } } } } }));
    const r = await runCli('pipeline', ['cc-ja', '--config', config, '--out', join(dir, 'run')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--config ${config}: chain.filters.steps.quality.rulez: no such setting`);
  });
});
