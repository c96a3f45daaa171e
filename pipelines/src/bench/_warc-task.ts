import type { WarcTaskInput } from '../stages/process.ts';
import { DEFAULT_RUN_SETTINGS, PROCESS_STAGE } from '../run/run-pipeline.ts';
import { WEB_PAGE_STEPS } from '../definitions/web-page-steps.ts';

/**
 * One cc-ja process task as a default run builds it, for benches that call runWarcTask directly:
 * `index` null reads every record of the WARC, a plan only its byte ranges.
 */
export function benchWarcTask(runDir: string, warcPath: string, index: WarcTaskInput['index']): WarcTaskInput {
  return {
    runDir,
    stage: PROCESS_STAGE,
    taskId: 'bench',
    warcPath,
    source: 'cc',
    subcorpus: 'ja_cc',
    lang: 'ja',
    ...DEFAULT_RUN_SETTINGS,
    steps: WEB_PAGE_STEPS,
    // As a run does by default: the normalised documents are kept for `pnpm refilter`.
    keepNormalized: true,
    // The one-stage path (every step in one task), as a run without site-line removal reads a WARC.
    siteLines: null,
    index,
  };
}
