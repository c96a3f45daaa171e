import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../src/cli/query-output.ts';
import { REPO, runCli, tempDir, type CliResult } from './helpers.ts';

/**
 * `pnpm query` as a user runs it, on one fixture run (`--tokenizer chars` for speed) and on a corpus
 * root holding it and a second run: the README's own examples, taken out of README.md, then each view
 * held to the files it reads, each output format, and the errors.
 */

function runQuery(args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'pipelines/src/cli/query.ts'), ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

type Row = Record<string, unknown>;

async function queryJson(dir: string, sql: string): Promise<Row[]> {
  const r = await runQuery([dir, sql, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

async function jsonLines(dir: string): Promise<Array<{ file: string; row: Row }>> {
  const out: Array<{ file: string; row: Row }> = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) if (line.trim() !== '') out.push({ file, row: JSON.parse(line) as Row });
  }
  return out;
}

/** The rows count a table prints last: `(9 rows)`. */
function tableRows(stdout: string): number {
  const m = /^\((\d[\d,]*) rows?\)$/m.exec(stdout);
  if (!m) throw new Error(`no row count in:\n${stdout}`);
  return Number(m[1]!.replaceAll(',', ''));
}

/** Shell words of one command line: '…' and "…" quoting (with \" and \\ inside "…"), a # word to the end as a comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length || line[i] === '#') break;
    let word = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      const c = line[i]!;
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new Error(`unclosed ' in: ${line}`);
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
          word += line[i++];
        }
        if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
        i++;
      } else word += line[i++];
    }
    words.push(word);
  }
  return words;
}

/** Every `pnpm query …` line of README.md's fenced code blocks, as its arguments. */
async function readmeQueryExamples(): Promise<Array<{ line: string; args: string[] }>> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const out: Array<{ line: string; args: string[] }> = [];
  let inFence = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    else if (inFence && line.startsWith('pnpm query ')) out.push({ line, args: shellWords(line).slice(2) });
  }
  return out;
}

describe('pnpm query', () => {
  let root: string;
  let runA: string;
  let runB: string;

  beforeAll(async () => {
    root = join(await tempDir('query'), 'cc-ja');
    runA = join(root, 'run-a');
    const r = await runCli('pipeline', ['cc-ja', '--out', runA, '--tokenizer', 'chars', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    // A second run for the corpus root: the same run with one shard and its samples gone, so the two differ.
    runB = join(root, 'run-b');
    await cp(runA, runB, { recursive: true });
    const shards = (await readdir(join(runB, 'corpus/ja/ja_cc'))).sort();
    await rm(join(runB, 'corpus/ja/ja_cc', shards[0]!));
    await rm(join(runB, 'samples'), { recursive: true });
    // What else lives beside run folders (history, the dedup index) is no run.
    await mkdir(join(root, 'history'), { recursive: true });
    await writeFile(join(root, 'history', 'cc-ja.jsonl'), '');
  }, 300_000);

  it('runs every pnpm query example of README.md as written, with the run folder put in', async () => {
    const examples = await readmeQueryExamples();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const { line, args } of examples) {
      const [dir, ...rest] = args;
      const target = dir === 'runs/cc-ja/<run-id>' ? runA : dir === 'runs/cc-ja' ? root : null;
      if (target === null) throw new Error(`README example on an unknown folder ${dir}: ${line}`);
      const r = await runQuery([target, ...rest]);
      expect(r.stderr, line).toBe('');
      expect(r.code, line).toBe(0);
      expect(tableRows(r.stdout), line).toBeGreaterThan(0);
    }
    // The first example is the README's look at the kept documents: one row per doc of the run.
    const first = await runQuery([runA, examples[0]!.args[1]!]);
    expect(first.stdout.split('\n')[0]).toMatch(/^host\s+\| charset\s+\| lang_score/);
    expect(tableRows(first.stdout)).toBe(9);
  });

  it('docs: every shard of the run, with the run, its file and row, counts matching stats.json', async () => {
    const stats = JSON.parse(await readFile(join(runA, 'stats.json'), 'utf8')) as { output: Record<string, { docs: number; shards: number }>; totals: Record<string, { tokensOut: number }> };
    const [row] = await queryJson(runA, 'SELECT count(*) AS docs, count(DISTINCT filename) AS shards, sum(token_count) AS tokens, min(run) AS run, bool_and(filename LIKE \'%/corpus/ja/ja_cc/%.parquet\') AS in_corpus FROM docs');
    expect(row).toEqual({ docs: stats.output['ja/ja_cc']!.docs, shards: stats.output['ja/ja_cc']!.shards, tokens: stats.totals.write!.tokensOut, run: 'run-a', in_corpus: true });
  });

  it("ledger: stats.json's totals, one row per step and kind, in = out + drops", async () => {
    const stats = JSON.parse(await readFile(join(runA, 'stats.json'), 'utf8')) as { totals: Record<string, { docsIn: number; docsOut: number; drops: Record<string, { docs: number }> }> };
    const rows = await queryJson(runA, 'SELECT step_no, step, kind, reason, docs FROM ledger ORDER BY step_no, kind, reason');
    expect([...new Set(rows.map((r) => r.step))]).toEqual(Object.keys(stats.totals));
    for (const [i, [step, s]] of Object.entries(stats.totals).entries()) {
      const of = rows.filter((r) => r.step === step);
      expect(of.every((r) => r.step_no === i + 1)).toBe(true);
      expect(of.find((r) => r.kind === 'in')).toMatchObject({ reason: null, docs: s.docsIn });
      expect(of.find((r) => r.kind === 'out')).toMatchObject({ reason: null, docs: s.docsOut });
      expect(Object.fromEntries(of.filter((r) => r.kind === 'drop').map((r) => [r.reason, r.docs]))).toEqual(Object.fromEntries(Object.entries(s.drops).map(([k, d]) => [k, d.docs])));
    }
    const drops = await queryJson(runA, "SELECT step, reason, docs FROM ledger WHERE kind = 'drop' ORDER BY docs DESC");
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.map((d) => d.docs)).toEqual(drops.map((d) => d.docs as number).sort((a, b) => b - a));
  });

  it('removed: one row per line of dedup/removed/*.jsonl, with its task and the doc kept in its place', async () => {
    const lines = await jsonLines(join(runA, 'dedup/removed'));
    expect(lines.length).toBeGreaterThan(0);
    const rows = await queryJson(runA, 'SELECT run, task, id, reason, duplicate_of, similarity, ord FROM removed ORDER BY task, ord');
    expect(rows).toEqual(
      lines.map(({ file, row }) => ({ run: 'run-a', task: file.replace(/\.jsonl$/, ''), id: row.id, reason: row.reason, duplicate_of: row.duplicateOf, similarity: row.similarity, ord: row.ord })),
    );
  });

  it('samples: one row per line of samples/<reason>.jsonl, the reason from its file, scores as JSON', async () => {
    const lines = await jsonLines(join(runA, 'samples'));
    expect(lines.length).toBeGreaterThan(0);
    const rows = await queryJson(runA, 'SELECT reason, stage, id, url, warc_file, warc_offset, content_type, scores, text FROM samples ORDER BY filename, id');
    const expected = lines
      .map(({ file, row }) => ({
        reason: file.replace(/\.jsonl$/, ''),
        stage: row.stage,
        id: row.id,
        url: row.url,
        warc_file: row.warcFile,
        warc_offset: row.offset,
        content_type: row.contentType ?? null,
        scores: row.scores,
        text: row.text,
      }))
      .sort((a, b) => (a.reason === b.reason ? String(a.id).localeCompare(String(b.id)) : a.reason.localeCompare(b.reason)));
    expect(rows).toEqual(expected);
  });

  it('a corpus root: every run below it, told apart by the run column; folders that are no run are passed over', async () => {
    const shardsB = (await readdir(join(runB, 'corpus/ja/ja_cc'))).length;
    const docs = await queryJson(root, 'SELECT run, count(*) AS docs, count(DISTINCT filename) AS shards FROM docs GROUP BY run ORDER BY run');
    expect(docs.map((d) => [d.run, d.shards])).toEqual([
      ['run-a', shardsB + 1],
      ['run-b', shardsB],
    ]);
    expect(docs[1]!.docs as number).toBeLessThan(docs[0]!.docs as number);
    const ledger = await queryJson(root, "SELECT run, docs FROM ledger WHERE step = 'write' AND kind = 'out' ORDER BY run");
    expect(ledger.map((l) => l.run)).toEqual(['run-a', 'run-b']);
    // run-b has no samples folder: the view still reads run-a's.
    const samples = await queryJson(root, 'SELECT DISTINCT run FROM samples');
    expect(samples).toEqual([{ run: 'run-a' }]);
  });

  it('--csv: a header line, then RFC 4180 records (CRLF; quoted when holding , " or a line break; NULL empty)', async () => {
    const r = await runQuery([runA, `SELECT 'a,b' AS x, 'say "hi"' AS y, NULL AS z, 'one' || chr(10) || 'two' AS w, '' AS e, 7 AS n`, '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('x,y,z,w,e,n\r\n"a,b","say ""hi""",,"one\ntwo","",7\r\n');
  });

  it('--json: one object per line; 64-bit integers as numbers when exact, as strings when not', async () => {
    const r = await runQuery([runA, 'SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS big, sum(docs) AS total, NULL AS nothing FROM ledger', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{"small":42,"big":"9007199254740993","total":\d+,"nothing":null\}\n$/);
  });

  it('the table: columns aligned in terminal columns (kana and kanji count two), long text cut to 80 with …, line breaks shown as \\n', async () => {
    const r = await runQuery([runA, 'SELECT id, token_count, text FROM docs ORDER BY id']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('('));
    const body = lines.slice(2);
    expect(body).toHaveLength(9);
    for (const line of body) {
      const [id, tokens, text] = line.split(' | ');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(tokens).toMatch(/^ *\d+$/); // numbers right-aligned
      expect(displayWidth(text!)).toBeLessThanOrEqual(80);
      expect(text).toMatch(/…$/);
      expect(text).not.toMatch(/[\r\n]/);
    }
    expect(body.some((l) => l.includes('\\n'))).toBe(true);
    // Every separator sits in the same terminal column on every line, header and rule included.
    const bars = (line: string): number[] => {
      const at: number[] = [];
      let w = 0;
      for (const ch of line) {
        if (ch === '|' || ch === '+') at.push(w);
        w += displayWidth(ch);
      }
      return at;
    };
    for (const line of lines) expect(bars(line)).toEqual(bars(lines[0]!));
  });

  it('a view without files is still defined: no rows, its columns, a note naming the missing folder', async () => {
    const bare = join(await tempDir('query-bare'), 'started');
    await mkdir(bare, { recursive: true });
    await writeFile(join(bare, 'run.json'), '{}');
    const r = await runQuery([bare, 'SELECT * FROM docs']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^run \| id \| text \|.*\| token_count \| page_id \| revision_id \| filename \| file_row_number$/);
    expect(tableRows(r.stdout)).toBe(0);
    expect(r.stderr).toContain(`query: note: docs: ${join(bare, 'corpus')} holds no .parquet shard`);
    const counts = await runQuery([bare, 'SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM samples) + (SELECT count(*) FROM ledger) AS n', '--csv']);
    expect(counts.stdout).toBe('n\r\n0\r\n');
    expect(counts.stderr).toContain(join(bare, 'stats.json'));
  });

  it('bad SQL: exit 1 and DuckDB’s message on one line', async () => {
    const r = await runQuery([runA, 'SELECT * FORM docs']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^query: Parser Error: syntax error at or near "docs".*\n$/);
    const misspelt = await runQuery([runA, 'SELECT * FROM doc']);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toMatch(/^query: Catalog Error: Table with name doc does not exist!.*\(the views are docs, removed, samples, ledger\)\n$/);
  });

  it('a folder that is no run folder and holds none: exit 2, one line naming it', async () => {
    const empty = await tempDir('query-empty');
    const r = await runQuery([empty, 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`query: ${empty}: not a run folder (no run.json or stats.json) and no run folders below it (pnpm query --help)\n`);
    const missing = await runQuery([join(empty, 'nope'), 'SELECT 1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`query: ${join(empty, 'nope')}: no such folder (pnpm query --help)\n`);
  });

  it('usage errors exit 2: a missing SQL, --csv with --json, an unknown option', async () => {
    for (const args of [[runA], [runA, 'SELECT 1', '--csv', '--json'], [runA, 'SELECT 1', '--jsn']]) {
      const r = await runQuery(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^query: .*\(pnpm query --help\)\n$/);
    }
  });

  it('is the pnpm query script of package.json, and --help lists every view and its columns', async () => {
    const { stdout } = await promisify(execFile)('pnpm', ['-s', 'query', '--help'], { cwd: REPO });
    for (const view of ['docs', 'removed', 'samples', 'ledger']) expect(stdout).toMatch(new RegExp(`^  ${view} \\(`, 'm'));
    for (const column of ['token_count', 'file_row_number', 'duplicate_of', 'scores', 'step_no', 'kind']) expect(stdout).toMatch(new RegExp(`^    ${column} `, 'm'));
  });
});
