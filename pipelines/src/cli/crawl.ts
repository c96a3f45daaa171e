import { readFile } from 'node:fs/promises';
import { DEFAULT_CRAWL_CONFIG, JOURNAL_FILE, SUMMARY_FILE, runCrawl, type CrawlConfig } from '@jcp/crawler';
import { EXIT_FAILURE, parseCliArgs, runCommand, UsageError } from './args.ts';
import { applyCrawlFlags, CRAWL_HELP, CRAWL_OPTIONS, placeholderContactWarning } from './crawl-options.ts';

const D = DEFAULT_CRAWL_CONFIG;

const HELP = `usage: pnpm crawl --urls <file> --out <dir> [options]

Fetches every URL of a list into WARC/1.1 files (gzip per record), politely and resumably. Rerun the
same command to resume: finished URLs are skipped, a WARC file left open by a killed run is finalised.

Input: one URL a line; tab-separated fields after a URL are kept (journal, WARC-JCP-Seed-Fields);
blank lines and '#' comments are skipped; bad lines are reported with file:line and counted.

Options:
  --urls <file>           URL list (required).
  --out <dir>             Output folder: <prefix>-NNNNN.warc.gz, ${JOURNAL_FILE}, ${SUMMARY_FILE} (required).
${CRAWL_HELP}
  --config <file.json>    Any CrawlConfig fields as JSON (flags above win).
  --help                  This text.

Output: progress and one line per failed URL on stderr; the summary (counts per outcome) as one JSON
object on the last line of stdout, also written to <out>/${SUMMARY_FILE}.`;

/** Reads a partial CrawlConfig from JSON, accepting only known fields of the right type. */
async function readConfigFile(path: string): Promise<Partial<CrawlConfig>> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${path}: expected a JSON object of CrawlConfig fields`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in D)) throw new UsageError(`${path}: unknown CrawlConfig field '${key}'`);
    const expected: unknown = D[key as keyof CrawlConfig];
    const ok = Array.isArray(expected)
      ? Array.isArray(value) && value.every((v) => typeof v === typeof expected[0])
      : typeof value === typeof expected;
    if (!ok) throw new UsageError(`${path}: field '${key}' should be ${Array.isArray(expected) ? 'an array' : typeof expected}`);
    out[key] = value;
  }
  return out as Partial<CrawlConfig>;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      urls: { type: 'string' },
      out: { type: 'string' },
      ...CRAWL_OPTIONS,
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.urls || !values.out) throw new UsageError(`pnpm crawl needs ${[values.urls ? null : '--urls <file>', values.out ? null : '--out <dir>'].filter(Boolean).join(' and ')}`);
  const config = applyCrawlFlags(values.config ? await readConfigFile(values.config) : {}, values);
  const warning = placeholderContactWarning(config);
  if (warning) console.error(warning);

  // First Ctrl-C / SIGTERM: start nothing new, let requests in flight finish, close the WARC file under its
  // final name. A second one exits at once; the next run recovers as after a kill.
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(130);
    console.error('crawl: stopping after the requests in flight (again to quit now); rerun the same command to resume');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summary = await runCrawl({ urlsFile: values.urls, outDir: values.out, config, signal: stop.signal });
  console.log(JSON.stringify(summary));
  return summary.stopped ? 130 : 0;
}

// A crawl failure prints its stack: it comes from deep in the fetcher, where the message alone rarely says where.
runCommand('pnpm crawl', () => main(process.argv.slice(2)), (e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return EXIT_FAILURE;
});
