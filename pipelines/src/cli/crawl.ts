import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_CONTACT_URL, DEFAULT_CRAWL_CONFIG, JOURNAL_FILE, SUMMARY_FILE, runCrawl, type CrawlConfig } from '@jcp/crawler';

const D = DEFAULT_CRAWL_CONFIG;

const HELP = `usage: pnpm crawl --urls <file> --out <dir> [options]

Fetches every URL of a list into WARC/1.1 files (gzip per record), politely and resumably. Rerun the
same command to resume: finished URLs are skipped, a WARC file left open by a killed run is finalised.

Input: one URL a line; tab-separated fields after a URL are kept (journal, WARC-JCP-Seed-Fields);
blank lines and '#' comments are skipped; bad lines are reported with file:line and counted.

Options:
  --urls <file>           URL list (required).
  --out <dir>             Output folder: <prefix>-NNNNN.warc.gz, ${JOURNAL_FILE}, ${SUMMARY_FILE} (required).
  --allow-private         Allow hosts that resolve to loopback/private/link-local addresses (off: refused).
  --max-warc-bytes <n>    Rotate WARC files before this size. Default ${D.maxWarcBytes}.
  --concurrency <n>       Requests in flight over all hosts. Default ${D.concurrency}.
  --per-host <n>          Requests in flight per host. Default ${D.perHostConnections}.
  --delay-ms <n>          Least delay between requests to one host (robots.txt Crawl-delay can lengthen it). Default ${D.perHostDelayMs}.
  --timeout-ms <n>        Whole-request deadline. Default ${D.totalTimeoutMs}.
  --max-body-bytes <n>    Abort bodies past this size (body-too-large). Default ${D.maxBodyBytes}.
  --max-redirects <n>     Default ${D.maxRedirects}.
  --max-retries <n>       Retries of 429/5xx and connection resets. Default ${D.maxRetries}.
  --retry-base-ms <n>     First retry backoff (doubles; Retry-After can lengthen it). Default ${D.retryBaseDelayMs}.
  --progress-ms <n>       Progress line interval. Default ${D.progressIntervalMs}.
  --contact <url>         Contact URL put into the default user agent (replace the placeholder for real crawls).
  --user-agent <string>   Full user agent (overrides --contact).
  --config <file.json>    Any CrawlConfig fields as JSON (flags above win).
  --help                  This text.

Output: progress and one line per failed URL on stderr; the summary (counts per outcome) as one JSON
object on the last line of stdout, also written to <out>/${SUMMARY_FILE}.`;

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} expects a number >= 0, got '${value}'`);
  return n;
}

class UsageError extends Error {}

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
  const { values } = parseArgs({
    args: argv,
    options: {
      urls: { type: 'string' },
      out: { type: 'string' },
      'allow-private': { type: 'boolean' },
      'max-warc-bytes': { type: 'string' },
      concurrency: { type: 'string' },
      'per-host': { type: 'string' },
      'delay-ms': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-redirects': { type: 'string' },
      'max-retries': { type: 'string' },
      'retry-base-ms': { type: 'string' },
      'progress-ms': { type: 'string' },
      contact: { type: 'string' },
      'user-agent': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.urls || !values.out) {
    console.error(`--urls and --out are required\n\n${HELP}`);
    return 2;
  }
  const config: Partial<CrawlConfig> = values.config ? await readConfigFile(values.config) : {};
  if (values['allow-private']) config.allowPrivateAddresses = true;
  if (values['max-warc-bytes']) config.maxWarcBytes = count('--max-warc-bytes', values['max-warc-bytes']);
  if (values.concurrency) config.concurrency = count('--concurrency', values.concurrency);
  if (values['per-host']) config.perHostConnections = count('--per-host', values['per-host']);
  if (values['delay-ms']) config.perHostDelayMs = count('--delay-ms', values['delay-ms']);
  if (values['timeout-ms']) config.totalTimeoutMs = count('--timeout-ms', values['timeout-ms']);
  if (values['max-body-bytes']) config.maxBodyBytes = count('--max-body-bytes', values['max-body-bytes']);
  if (values['max-redirects']) config.maxRedirects = count('--max-redirects', values['max-redirects']);
  if (values['max-retries']) config.maxRetries = count('--max-retries', values['max-retries']);
  if (values['retry-base-ms']) config.retryBaseDelayMs = count('--retry-base-ms', values['retry-base-ms']);
  if (values['progress-ms']) config.progressIntervalMs = count('--progress-ms', values['progress-ms']);
  if (values.contact) config.userAgent = (config.userAgent ?? D.userAgent).replace(DEFAULT_CONTACT_URL, values.contact);
  if (values['user-agent']) config.userAgent = values['user-agent'];
  if ((config.userAgent ?? D.userAgent).includes(DEFAULT_CONTACT_URL)) {
    console.error(`crawl: the user agent still names the placeholder contact ${DEFAULT_CONTACT_URL}; pass --contact <url> for a real crawl`);
  }

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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || (e instanceof TypeError && (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
      console.error(`${e.message}\n\n${HELP}`);
      process.exit(2);
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
