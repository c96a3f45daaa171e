import { resolve } from 'node:path';
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { withDuckDB } from '../report/run-data.ts';
import { EXIT_USAGE, parseCliArgs, UsageError } from './args.ts';
import { writeResult, type OutputFormat, type OutputSummary, type Write } from './query-output.ts';
import { defineViews, findRuns, QueryUsageError, VIEWS, viewsNamedIn, type QueryRun } from './query-views.ts';

const EXIT_QUERY = 1;

/** `text` in lines of at most `width` columns, each after the first indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

function viewsHelp(): string {
  const nameWidth = Math.max(...VIEWS.flatMap((v) => v.columns.map((c) => c.name.length)));
  return VIEWS.map((v) => {
    const cols = v.columns.map((c) => `    ${c.name.padEnd(nameWidth)}  ${c.type.padEnd(9)}  ${c.description}`).join('\n');
    return `  ${wrap(`${v.name} (${v.files}): ${v.description}`, 102, '    ')}\n${cols}`;
  }).join('\n\n');
}

const HELP = `usage: pnpm query <run-dir|corpus-root> "<SQL>" [--csv|--json]

Runs one DuckDB SQL query (several, separated by ';': the last one's result is printed) over a run
folder, or over every run folder below a corpus root such as runs/cc-ja/ (the rows of each run are
told apart by the run column). The views below are predefined; DuckDB's own functions (read_parquet,
read_json, ...) work too, relative paths from the current folder.

Output: an aligned table (cells cut to 80 columns with …, at most 1,000 rows), or
  --csv    RFC 4180 CSV with a header line, every row
  --json   one JSON object per line, every row (64-bit integers as numbers when exact, else strings)
  --help   this text

Exit 0 on success, 1 when DuckDB rejects the query, 2 on a usage error (wrong arguments, a folder that
is not a run folder and holds none).

Views:
${viewsHelp()}

Examples:
  pnpm query runs/cc-ja/<run-id> "SELECT host, charset, lang_score, left(text, 60) FROM docs"
  pnpm query runs/cc-ja/<run-id> "SELECT step, reason, docs FROM ledger WHERE kind = 'drop' ORDER BY docs DESC"
  pnpm query runs/cc-ja/<run-id> "SELECT r.reason, r.similarity, left(d.text, 40) AS kept FROM removed r JOIN docs d ON d.id = r.duplicate_of"
  pnpm query runs/cc-ja "SELECT run, count(*) AS docs, sum(token_count) AS tokens FROM docs GROUP BY run" --json`;

/** An error that is the command line's fault: printed with a pointer to --help, exit 2. */
function usage(message: string): { code: number; message: string } {
  return { code: EXIT_USAGE, message: `${message} (pnpm query --help)` };
}

/**
 * A DuckDB message on one line: its lines joined, minus the caret line under the SQL excerpt
 * (meaningless once joined); the `LINE 1: …` excerpt stays, it says where the parser stopped.
 */
function oneLine(message: string): string {
  return message
    .replace(/^Failed to extract statements: /, '') // the node API's wrapper says nothing the user can act on
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\^+$/.test(l))
    .join(' ');
}

/** Runs every statement of `sql`, returning the last one's result as a stream. */
async function runStatements(conn: DuckDBConnection, sql: string): Promise<DuckDBResult> {
  const statements = await conn.extractStatements(sql);
  if (statements.count === 0) throw new Error('the SQL holds no statement');
  for (let i = 0; i < statements.count - 1; i++) await (await statements.prepare(i)).run();
  return (await statements.prepare(statements.count - 1)).stream();
}

/** stdout with backpressure, so `--json` of a large corpus streams instead of piling up in memory. */
const writeStdout: Write = (text) =>
  new Promise((res, rej) => {
    if (text === '') return res();
    process.stdout.write(text, (e) => (e ? rej(e) : res()));
  });

async function main(argv: string[]): Promise<{ code: number; message?: string }> {
  const options = { csv: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
  let parsed: ReturnType<typeof parseCliArgs<{ args: string[]; allowPositionals: true; options: typeof options }>>;
  try {
    parsed = parseCliArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return { code: 0 };
  }
  if (positionals.length !== 2) return usage(`expected a run folder (or corpus root) and one SQL string, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  if (values.csv && values.json) return usage('--csv and --json do not go together: choose one');
  const [dirArg, sql] = positionals as [string, string];
  if (sql.trim() === '') return usage('the SQL is empty');
  const format: OutputFormat = values.csv ? 'csv' : values.json ? 'json' : 'table';

  let runs: QueryRun[];
  try {
    ({ runs } = await findRuns(resolve(dirArg)));
  } catch (e) {
    if (e instanceof QueryUsageError) return usage(e.message);
    throw e;
  }
  return withDuckDB(async (conn) => {
    const gaps = await defineViews(conn, runs, viewsNamedIn(sql));
    for (const w of gaps.warnings) console.error(`query: warning: ${w}`);
    let summary: OutputSummary;
    try {
      summary = await writeResult(await runStatements(conn, sql), format, writeStdout);
    } catch (e) {
      let message = oneLine((e as Error).message);
      if (/^Catalog Error: Table with name /.test(message)) {
        // Only the views the SQL names are defined, so DuckDB's nearest name for a misspelt view is one of its own tables.
        message = `${message.replace(/ Did you mean "duckdb_\w+"\?/, '')} (the views are ${VIEWS.map((v) => v.name).join(', ')})`;
      }
      return { code: EXIT_QUERY, message };
    }
    // An answer from missing files reads differently from an answer to the question: said when the
    // result is empty, or when a view the SQL names found no file at all (a count(*) of 0 is not empty).
    for (const [view, lines] of gaps.missing) {
      if (summary.rows === 0 || gaps.empty.has(view)) for (const line of lines) console.error(`query: note: ${view}: ${line}`);
    }
    return { code: 0 };
  });
}

// A reader that stops early (`| head`) is not an error of the query.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  ({ code, message }) => {
    if (message) console.error(`query: ${message}`);
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`query: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    process.exitCode = EXIT_QUERY;
  },
);
