import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createTokenCounter } from '@jcp/stats';
import { createLanguageDetector } from '@jcp/filters';
import { runWarcTask } from '../stages/process.ts';
import { DEFAULT_RUN_SETTINGS, PROCESS_STAGE } from '../run/run-pipeline.ts';
import { WEB_PAGE_STEPS } from '../definitions/web-page-steps.ts';
import { mixedWarc } from './_mix-warc.ts';
import { bestOf, fileMB, gunzipFloor, peakRssMB, timed } from './_measure.ts';
import { tempRunDir } from './_temp.ts';

/**
 * `pnpm bench pipeline`: the whole per-WARC chain (read → html → precheck → decode → extract → langid →
 * write) on one thread, over a Common Crawl-like WARC (about 4 % Japanese pages), against plain gunzip
 * of the same file in the same run. Prints the ratio and peak RSS; the last line is JSON.
 */
const PASSES = 2;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      mb: { type: 'string', default: '200' },
      'ja-share': { type: 'string', default: '0.04' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log('usage: pnpm bench pipeline [--input <warc.gz>] [--mb <HTML MB to generate, default 200>] [--ja-share <0.04>]');
    return;
  }
  const path = values.input ?? (await mixedWarc({ targetBytes: Number(values.mb) * 1e6, japaneseShare: Number(values['ja-share']) }));
  const mb = await fileMB(path);
  const tools = { detector: await createLanguageDetector(DEFAULT_RUN_SETTINGS.chain.langid), tokenCounter: await createTokenCounter(DEFAULT_RUN_SETTINGS.tokens) };
  const runDir = await tempRunDir('bench-pipeline');
  const floor = await gunzipFloor(path);
  const input = {
    runDir,
    stage: PROCESS_STAGE,
    taskId: 'bench',
    warcPath: path,
    source: 'cc',
    subcorpus: 'ja_cc',
    lang: 'ja',
    ...DEFAULT_RUN_SETTINGS,
    steps: WEB_PAGE_STEPS,
    // As a run does by default: the normalised documents are kept for `pnpm refilter`.
    keepNormalized: true,
    siteLines: null,
    // The full scan: every record of the WARC.
    index: null,
  };
  // Best of two passes: the first also pays JIT warm-up and loading the filter models and word lists,
  // which a real 1 GB Common Crawl WARC amortises but this ~40 MB file does not.
  const best = await bestOf(PASSES, () => timed(() => runWarcTask(input, tools, () => undefined)));
  const seconds = best.seconds;
  const result = best.value.result;
  const floorAgain = await gunzipFloor(path); // bracket the pipeline run, so drift in machine load shows
  const floorSeconds = Math.min(floor.seconds, floorAgain.seconds);
  await rm(runDir, { recursive: true, force: true });
  const l = result.ledger;
  const responses = l.html?.docsIn ?? 0;
  console.log(`file: ${path} (${mb.toFixed(1)} MB compressed, ${(floor.outBytes / 1e6).toFixed(1)} MB inflated, ${responses} responses)`);
  console.log(`gunzip floor: ${(mb / floorSeconds).toFixed(1)} MB/s; pipeline (1 worker): ${(mb / seconds).toFixed(1)} MB/s`);
  console.log(
    `kept ${l['exact-dedup']?.docsOut ?? 0} Japanese docs (staged for the run-wide dedup); pre-check passed ${l.precheck?.docsOut ?? 0} of ${l.precheck?.docsIn ?? 0} HTML pages`,
  );
  console.log(
    JSON.stringify({
      compressed_mb: round(mb),
      gunzip_mb_s: round(mb / floorSeconds),
      pipeline_mb_s: round(mb / seconds),
      ratio_to_gunzip: round(floorSeconds / seconds, 3),
      peak_rss_mb: round(peakRssMB()),
      responses,
      precheck_passed: l.precheck?.docsOut ?? 0,
      docs_kept: l['exact-dedup']?.docsOut ?? 0,
    }),
  );
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
