import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, parseCliArgs, UsageError } from '../src/cli/args.ts';
import { checkLocalInputs } from '../src/cli/check-inputs.ts';
import { refuseCombinations, type GivenOptions } from '../src/cli/pipeline-usage.ts';
import { CC_JA } from '../src/definitions/cc-ja.ts';
import { WARP_JA } from '../src/definitions/warp-ja.ts';
import { REPO, SHARED_DATA, runCli, tempDir } from './helpers.ts';

/**
 * Usage errors are answered before any work starts, in one line with a pointer to --help, exit 2;
 * these tests only start commands that fail at once, so they stay fast.
 */

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

const OPTIONS = { input: { type: 'string', multiple: true }, out: { type: 'string' }, workers: { type: 'string' }, wait: { type: 'boolean' } } as const;

function usageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('parseCliArgs answers a mistyped command line in one line', () => {
  it('suggests the declared option nearest to a typo, and nothing for a word unlike any', () => {
    expect(closest('inptu', Object.keys(OPTIONS))).toBe('input');
    expect(closest('wrokers', Object.keys(OPTIONS))).toBe('workers');
    expect(closest('work', Object.keys(OPTIONS))).toBe('workers');
    expect(closest('zzz', Object.keys(OPTIONS))).toBeNull();
  });

  it('names an unknown option with the suggestion', () => {
    expect(usageOf(() => parseCliArgs({ args: ['--inptu', 'a.warc.gz'], options: OPTIONS }))).toBe('unknown option --inptu; did you mean --input?');
    expect(usageOf(() => parseCliArgs({ args: ['--zzz'], options: OPTIONS }))).toBe('unknown option --zzz');
  });

  it('names an option whose value is missing, also when the next option was taken for it', () => {
    expect(usageOf(() => parseCliArgs({ args: ['--out'], options: OPTIONS }))).toBe('option --out needs a value');
    expect(usageOf(() => parseCliArgs({ args: ['--out', '--workers', '2'], options: OPTIONS }))).toBe("option --out needs a value (next came '--workers'; if that is the value, write --out=--workers)");
  });

  it('refuses a value given to a flag and a stray argument', () => {
    expect(usageOf(() => parseCliArgs({ args: ['--wait=yes'], options: OPTIONS }))).toBe('option --wait takes no value (got --wait=yes)');
    expect(usageOf(() => parseCliArgs({ args: ['stray'], options: OPTIONS }))).toBe("unexpected argument 'stray'");
  });

  it('returns the typed values of a correct command line', () => {
    const { values } = parseCliArgs({ args: ['--input', 'a', '--input=b', '--wait'], options: OPTIONS });
    expect(values).toEqual({ input: ['a', 'b'], wait: true });
  });
});

describe('pnpm pipeline refuses options that do not go together, with the reason', () => {
  const cases: Array<[string, GivenOptions, RegExp, typeof CC_JA?, string[]?]> = [
    ['--limit without --crawl', { limit: '5' }, /^--limit goes with --crawl <id>: these pick the WARCs of a Common Crawl listing/],
    ['--shard and --base-url without --crawl', { shard: '0/2', 'base-url': 'http://x' }, /^--base-url, --shard go with --crawl <id>/],
    ['a crawler option without --urls', { concurrency: '4' }, /^--concurrency goes with --urls <file>/],
    ['--crawl-out without --urls', { 'crawl-out': 'x' }, /^--crawl-out goes with --urls <file>/],
    ['--via-index with neither --crawl nor --index', { 'via-index': true }, /^--via-index goes with --crawl <id> or --index <parquet>: the columnar index is/],
    ['--index and --languages without --via-index', { index: ['idx'], languages: 'jpn' }, /^--index, --languages go with --via-index: these choose the records/],
    ['--wait without --executor slurm', { wait: true }, /^--wait goes with --executor slurm: the Slurm options size and follow job arrays/],
    ['--partition under --executor local', { executor: 'local', partition: 'cpu', mem: '4G' }, /^--partition, --mem go with --executor slurm/],
    ['--workers under --executor slurm', { executor: 'slurm', workers: '2' }, /^--workers sets the local worker threads; under --executor slurm/],
    ['an unknown executor', { executor: 'k8s' }, /^--executor expects local or slurm, got 'k8s'/],
    ['--no-dedup-index with --dedup-index', { 'no-dedup-index': true, 'dedup-index': 'idx' }, /^--no-dedup-index and --dedup-index <dir> contradict each other/],
    ['--urls for cc-ja', { urls: 'list.txt' }, /^--urls crawls a WARP-style URL list, whose documents cc-ja would label source cc: use pnpm pipeline warp-ja --urls/],
    ['--crawl for warp-ja', { crawl: 'CC-MAIN-2024-10' }, /^--crawl streams Common Crawl WARCs, whose documents warp-ja would label source warp: use pnpm pipeline cc-ja --crawl/, WARP_JA],
    ['--paths-base without a warc.paths input', { 'paths-base': '/mirror' }, /^--paths-base is the folder the entries of a warc.paths listing resolve against, and no --input is/, CC_JA, ['a.warc.gz']],
    ['--tokenizer-model with another tokenizer', { 'tokenizer-model': 'm.model', tokenizer: 'chars' }, /^--tokenizer-model is a SentencePiece model: it goes with --tokenizer sentencepiece, not chars/],
    ['a --limit that is not a positive integer', { crawl: 'CC-MAIN-2024-10', limit: '0' }, /^--limit expects a positive integer, got '0'/],
    ['a --shard that is not i/n', { crawl: 'CC-MAIN-2024-10', shard: '2/2' }, /^--shard: shard '2\/2': the index must be below the count/],
    ['warp-ja without anything to read', {}, /^warp-ja needs --urls <file> or --input <WARCs>/, WARP_JA],
  ];
  for (const [what, given, reason, def = CC_JA, inputs = []] of cases) {
    it(`refuses ${what}`, () => {
      expect(usageOf(() => refuseCombinations(def, given, inputs))).toMatch(reason);
    });
  }

  it('accepts the combinations the README shows', () => {
    expect(() => refuseCombinations(CC_JA, { crawl: 'CC-MAIN-2024-10', shard: '0/1', executor: 'slurm', partition: 'cpu', wait: true }, [])).not.toThrow();
    expect(() => refuseCombinations(WARP_JA, { urls: 'list.txt', contact: 'https://example.org' }, [])).not.toThrow();
    expect(() => refuseCombinations(CC_JA, { 'paths-base': '/mirror', workers: '2' }, ['warc.paths.gz'])).not.toThrow();
    expect(() => refuseCombinations(CC_JA, { 'via-index': true, index: ['idx'], languages: 'jpn' }, ['w.warc.gz'])).not.toThrow();
    expect(() => refuseCombinations(CC_JA, { 'via-index': true, crawl: 'CC-MAIN-2024-10', limit: '1' }, [])).not.toThrow();
  });
});

describe('local inputs are checked before anything starts', () => {
  it('lists every missing file, folder and glob once, with the count', async () => {
    const dir = await tempDir('cli-missing');
    const message = await checkLocalInputs([join(dir, 'a.warc.gz'), 'https://example.org/x.warc.gz', join(dir, 'nope'), join(dir, '*.warc.gz')], undefined).then(
      () => 'accepted',
      (e: unknown) => (e instanceof UsageError ? e.message : String(e)),
    );
    expect(message.split('\n')).toEqual(['3 local input(s) do not exist:', `  ${join(dir, 'a.warc.gz')}`, `  ${join(dir, 'nope')}`, `  ${join(dir, '*.warc.gz')}`]);
  });

  it('checks the entries of a warc.paths listing against --paths-base', async () => {
    const dir = await tempDir('cli-paths-base');
    await mkdir(join(dir, 'mirror'));
    await writeFile(join(dir, 'mirror', 'one.warc.gz'), '');
    await writeFile(join(dir, 'warc.paths'), 'one.warc.gz\ntwo.warc.gz\n');
    await expect(checkLocalInputs([join(dir, 'warc.paths')], join(dir, 'mirror'))).rejects.toThrow(`1 local input(s) do not exist:\n  ${join(dir, 'mirror', 'two.warc.gz')}`);
    await writeFile(join(dir, 'mirror', 'two.warc.gz'), '');
    await expect(checkLocalInputs([join(dir, 'warc.paths')], join(dir, 'mirror'))).resolves.toBeUndefined();
    await expect(checkLocalInputs([join(dir, 'warc.paths')], join(dir, 'no-mirror'))).rejects.toThrow(`--paths-base ${join(dir, 'no-mirror')} does not exist`);
  });

  it('points a listing of CC-NEWS paths, which --crawl does not take, at --input URLs', async () => {
    const listing = join(SHARED_DATA, 'warc/paths/cc-news-2025-01.warc.paths');
    const message = await checkLocalInputs([listing], undefined).then(() => 'accepted', (e: unknown) => String(e));
    expect(message).toContain('305 local input(s) do not exist (the first 10 shown):');
    expect(message).toContain(
      `${listing} lists Common Crawl paths (CC-NEWS), resolved against the listing's folder: stream them over HTTP as --input URLs ` +
        '(https://data.commoncrawl.org/crawl-data/CC-NEWS/2025/01/CC-NEWS-20250109101749-00254.warc.gz, comma-separated; --crawl takes only CC-MAIN-YYYY-WW crawls)',
    );
  });
});

describe('every CLI exits 2 on a usage error, with one line and a pointer to --help', () => {
  const POINTER = (command: string): string => `(${command} --help lists every option)`;

  it.concurrent('pnpm pipeline suggests the option a typo meant', async () => {
    const r = await runCli('pipeline', ['cc-ja', '--inptu', 'x.warc.gz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`unknown option --inptu; did you mean --input? ${POINTER('pnpm pipeline')}\n`);
  });

  it.concurrent('pnpm crawl, report, verify and refilter suggest the option a typo meant', async () => {
    const [crawl, report, verify, refilter] = await Promise.all([
      runCli('crawl', ['--urls', 'l.txt', '--out', 'o', '--concurency', '4']),
      runCli('report', ['run', '--outt', 'r.html']),
      runCli('verify', ['run', '--jsn']),
      runCli('refilter', ['run', '--out', 'o', '--filter', 'llm-jp-v2']),
    ]);
    expect([crawl.code, report.code, verify.code, refilter.code]).toEqual([2, 2, 2, 2]);
    expect(crawl.stderr).toBe(`unknown option --concurency; did you mean --concurrency? ${POINTER('pnpm crawl')}\n`);
    expect(report.stderr).toBe(`unknown option --outt; did you mean --out? ${POINTER('pnpm report')}\n`);
    expect(verify.stderr).toBe(`unknown option --jsn ${POINTER('pnpm verify')}\n`);
    expect(refilter.stderr).toBe(`unknown option --filter; did you mean --filters? ${POINTER('pnpm refilter')}\n`);
  });

  it.concurrent('pnpm eval, bench and train with no name exit 2; an unknown name gets a suggestion', async () => {
    const [evalNone, benchNone, trainNone, evalTypo, evalHelp] = await Promise.all([
      runCli('eval', []),
      runCli('bench', []),
      runCli('train', []),
      runCli('eval', ['langd']),
      runCli('eval', ['--help']),
    ]);
    expect([evalNone.code, benchNone.code, trainNone.code, evalTypo.code, evalHelp.code]).toEqual([2, 2, 2, 2, 0]);
    expect(evalNone.stderr).toMatch(/^pnpm eval needs the name of an evaluation: pnpm eval <[a-z|-]+> \[options\] \(pnpm eval --help lists every option\)\n$/);
    expect(evalTypo.stderr).toMatch(/^unknown eval 'langd'; did you mean langid\? /);
    expect(evalHelp.stdout).toMatch(/^usage: pnpm eval </);
  });

  it.concurrent('an option an evaluation does not know exits 2, pointing at its own --help', async () => {
    const r = await runCli('eval', ['langid', '--dat', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`unknown option '--dat' ${POINTER('pnpm eval langid')}\n`);
  });

  it.concurrent('a bad value and a refused combination exit 2 with the reason', async () => {
    const [workers, limit, urls] = await Promise.all([
      runCli('pipeline', ['cc-ja', '--workers', 'abc']),
      runCli('pipeline', ['cc-ja', '--limit', '5']),
      runCli('pipeline', ['cc-ja', '--urls', 'list.txt']),
    ]);
    expect([workers.code, limit.code, urls.code]).toEqual([2, 2, 2]);
    expect(workers.stderr).toBe(`--workers expects a positive number, got 'abc' ${POINTER('pnpm pipeline')}\n`);
    expect(limit.stderr).toMatch(/^--limit goes with --crawl <id>: .* \(pnpm pipeline --help lists every option\)\n$/);
    expect(urls.stderr).toMatch(/^--urls crawls a WARP-style URL list, whose documents cc-ja would label source cc/);
  });

  it.concurrent('missing local inputs are listed once, with the count, and no run folder is made', async () => {
    const dir = await tempDir('cli-missing-run');
    const out = join(dir, 'run');
    const r = await runCli('pipeline', ['cc-ja', '--input', `${join(dir, 'a.warc.gz')},${join(dir, 'b.warc.gz')}`, '--input', join(dir, 'c'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('3 local input(s) do not exist:');
    expect(r.stderr).toContain(`  ${join(dir, 'c')}\n`);
    expect(await exists(out)).toBe(false);
  });

  it.concurrent('a warc.paths listing of Common Crawl paths is refused in one message that says how to stream them', async () => {
    const dir = await tempDir('cli-listing');
    const entries = Array.from({ length: 12 }, (_, i) => `crawl-data/CC-MAIN-2024-10/segments/1707947473347.0/warc/CC-MAIN-20240220211055-20240221001055-${String(i).padStart(5, '0')}.warc.gz`);
    await writeFile(join(dir, 'warc.paths'), `${entries.join('\n')}\n`);
    const out = join(dir, 'run');
    const r = await runCli('pipeline', ['cc-ja', '--input', join(dir, 'warc.paths'), '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('12 local input(s) do not exist (the first 10 shown):');
    expect(lines.slice(1, 11)).toEqual(entries.slice(0, 10).map((e) => `  ${join(dir, e)}`));
    expect(lines[11]).toBe('  … and 2 more');
    expect(lines[12]).toMatch(/lists Common Crawl paths \(CC-MAIN-2024-10\), resolved against the listing's folder: stream the crawl over HTTP with --crawl CC-MAIN-2024-10 .*, or point --paths-base <dir> at a local copy of them$/);
    expect(lines.slice(13)).toEqual(['(pnpm pipeline --help lists every option)']);
    expect(r.stderr).not.toContain('ENOENT');
    expect(await exists(out)).toBe(false);
  });

  it.concurrent('a runtime failure still exits 1', async () => {
    const r = await runCli('status', [join(REPO, 'no-such-run-folder')]);
    expect(r.code).toBe(1);
  });
});
