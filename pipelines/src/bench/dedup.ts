import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_DEDUP_CONFIG } from '@jcp/dedup';
import { sampleDocs, signatureRates } from './minhash.ts';
import { tempRunDir } from './_temp.ts';

/**
 * `pnpm bench dedup`:
 *  1. signatures per second per core on real Japanese text, and the ratio to the floor of hashing the
 *     same shingles once (no permutations), in the same run;
 *  2. the whole dedup (signature and bucket files, every band merge, the clustering) of a million
 *     documents' signatures in a child process with a fixed heap, at two corpus sizes: peak heap and
 *     RSS stay flat while the corpus (and its files on disk) grows four times, i.e. memory is bounded by
 *     the merge buffers and one band's groups, not by the corpus.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      docs: { type: 'string', default: '1000000' },
      files: { type: 'string', default: '100' },
      'heap-mb': { type: 'string', default: '512' },
      'sig-docs': { type: 'string', default: '2000' },
    },
  });
  const docs = Number(values.docs);
  const sample = await sampleDocs(Number(values['sig-docs']));
  const { floor, ours } = await signatureRates(sample);
  const sigsPerS = Math.round(sample.length / ours.seconds);
  console.log(
    `signatures (1 core, ${DEFAULT_DEDUP_CONFIG.minhash.numPerm} perms, 2 KB real docs): ${sigsPerS}/s; floor (shingle hashing only) ${Math.round(sample.length / floor.seconds)} docs/s; ratio ${(floor.seconds / ours.seconds).toFixed(3)}`,
  );
  const scales = [Math.round(docs / 4), docs];
  const runs: Array<Record<string, number>> = [];
  for (const n of scales) {
    const r = await atScale(n, Number(values.files), Number(values['heap-mb']));
    console.log(
      `dedup of ${n} signatures in ${values.files} task files, heap capped at ${values['heap-mb']} MB: ${r.band_seconds_total} s over ${r.bands} bands (${r.band_entries_per_s} entries/s), clustering ${r.cluster_seconds} s; planted pairs found ${r.planted_found}/${r.planted_pairs}; files ${Math.round(r.signature_and_bucket_bytes! / 1e6)} MB; peak heap ${r.peak_heap_mb} MB, peak RSS ${r.peak_rss_mb} MB`,
    );
    runs.push(r);
  }
  console.log(
    JSON.stringify({
      signatures_per_s_per_core: sigsPerS,
      floor_docs_per_s: Math.round(sample.length / floor.seconds),
      signatures_over_floor: Math.round((floor.seconds / ours.seconds) * 1000) / 1000,
      heap_cap_mb: Number(values['heap-mb']),
      runs,
      peak_heap_growth: Math.round((runs[1]!.peak_heap_mb! / runs[0]!.peak_heap_mb!) * 100) / 100,
      corpus_growth: scales[1]! / scales[0]!,
    }),
  );
}

/** Runs the at-scale dedup in a child with `--max-old-space-size=heapMb`; its last stdout line is JSON. */
async function atScale(docs: number, files: number, heapMb: number): Promise<Record<string, number>> {
  const dir = await tempRunDir('bench-dedup');
  const script = fileURLToPath(new URL('./_dedup-at-scale.ts', import.meta.url));
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', script, '--docs', String(docs), '--files', String(files), '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  if (code !== 0) throw new Error(`the dedup child exited with ${code} (heap ${heapMb} MB, ${docs} docs)`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}
