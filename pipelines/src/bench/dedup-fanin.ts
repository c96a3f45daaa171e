import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_DEDUP_CONFIG } from '@jcp/dedup';
import { tempRunDir } from './_temp.ts';

/**
 * `pnpm bench dedup-fanin`: the run-wide dedup of a snapshot-sized run, in a child process limited as a
 * cluster node commonly is (`ulimit -n 1024`, a 512 MB heap): 90,000 tiny task files (one per WARC)
 * and 30 persistent-index segments. The band tasks would open every bucket file at once; with the
 * bucket groups they open ⌈90,000 / mergeFanIn⌉ group files and the segments. Prints the child's figures
 * (peak heap, RSS, open files, seconds per step); `--without-groups` also runs the same files with
 * grouping off, which is what fails under the limit.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '90000' },
      'docs-per-file': { type: 'string', default: '10' },
      segments: { type: 'string', default: '30' },
      'segment-docs': { type: 'string', default: '1000' },
      ulimit: { type: 'string', default: '1024' },
      'heap-mb': { type: 'string', default: '512' },
      'fan-in': { type: 'string', default: String(DEFAULT_DEDUP_CONFIG.mergeFanIn) },
      'without-groups': { type: 'boolean', default: false },
    },
  });
  const files = Number(values.files);
  const args = {
    docs: files * Number(values['docs-per-file']),
    files,
    segments: Number(values.segments),
    segmentDocs: Number(values['segment-docs']),
    openFiles: Number(values.ulimit),
    heapMb: Number(values['heap-mb']),
  };
  const grouped = await dedupChild({ ...args, fanIn: Number(values['fan-in']) });
  if (!grouped.ok) throw new Error(`the grouped dedup failed under ulimit -n ${args.openFiles}: ${grouped.error}`);
  const r = grouped.figures;
  console.log(
    `${args.files} task files + ${args.segments} index segments, ulimit -n ${args.openFiles}, heap ${args.heapMb} MB: ` +
      `${r.bucket_groups} bucket groups merged in ${r.group_merge_seconds} s, bands ${r.band_seconds_total} s, clustering ${r.cluster_seconds} s; ` +
      `planted pairs found ${r.planted_found}/${r.planted_pairs}; peak heap ${r.peak_heap_mb} MB, RSS ${r.peak_rss_mb} MB, open files ${r.peak_open_files}`,
  );
  let withoutGroups: string | null = null;
  if (values['without-groups']) {
    const flat = await dedupChild({ ...args, fanIn: args.files + 1 });
    withoutGroups = flat.ok ? `finished, peak open files ${flat.figures.peak_open_files}` : `failed: ${flat.error}`;
    console.log(`without bucket groups: ${withoutGroups}`);
  }
  console.log(JSON.stringify({ ...r, ulimit_n: args.openFiles, heap_cap_mb: args.heapMb, without_groups: withoutGroups }));
}

type ChildResult = { ok: true; figures: Record<string, number> } | { ok: false; error: string };

/** `_dedup-at-scale.ts` under `ulimit -n` and a heap cap; its last stdout line is JSON. */
async function dedupChild(o: { docs: number; files: number; segments: number; segmentDocs: number; openFiles: number; heapMb: number; fanIn: number }): Promise<ChildResult> {
  const dir = await tempRunDir('bench-fanin');
  const script = fileURLToPath(new URL('./_dedup-at-scale.ts', import.meta.url));
  const node = [process.execPath, `--max-old-space-size=${o.heapMb}`, '--import', 'tsx', script, '--docs', o.docs, '--files', o.files, '--segments', o.segments, '--segment-docs', o.segmentDocs, '--fan-in', o.fanIn, '--dir', dir];
  // ulimit is a shell builtin: the limit holds for the node process exec replaces the shell with.
  const child = spawn('bash', ['-c', `ulimit -n ${o.openFiles} && exec "$@"`, 'bash', ...node.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  await rm(dir, { recursive: true, force: true });
  if (code !== 0) return { ok: false, error: (err.split('\n').find((l) => /EMFILE|Error/.test(l)) ?? err.trim().split('\n').pop() ?? `exit ${code}`).trim() };
  return { ok: true, figures: JSON.parse(out.trim().split('\n').pop()!) as Record<string, number> };
}
