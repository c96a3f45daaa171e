/**
 * The child of `pnpm bench dedup` and `pnpm bench dedup-fanin`, started with a fixed heap
 * (`--max-old-space-size`, and for the fan-in bench a `ulimit -n`): writes the signature and bucket
 * files of `--docs` synthetic documents over `--files` task files, with planted near-duplicate pairs,
 * and `--segments` persistent-index segments of `--segment-docs` docs each, then runs the dedup exactly
 * as `cc-ja` does: the bucket-group merges when there are more files than `--fan-in`, every band merge
 * and the clustering. Prints one JSON line: times, peak heap, RSS and open files, bytes on disk,
 * planted pairs found.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmix32 } from '@jcp/core';
import { DEFAULT_DEDUP_CONFIG, DedupPlan, TaskSignatureWriter, bandPairsPath, bucketGroups, mergeBucketFiles, runBand, runClustering, segmentBucketPath, type IndexSegment, type TaskDedupFiles } from '@jcp/dedup';
import { peakRssMB } from './_measure.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    docs: { type: 'string' },
    files: { type: 'string' },
    dir: { type: 'string' },
    'fan-in': { type: 'string' },
    segments: { type: 'string', default: '0' },
    'segment-docs': { type: 'string', default: '1000' },
    'plant-every': { type: 'string', default: '100' },
  },
});
const docs = Number(values.docs);
const files = Number(values.files);
const dir = values.dir!;
const config = { ...DEFAULT_DEDUP_CONFIG, ...(values['fan-in'] ? { mergeFanIn: Number(values['fan-in']) } : {}) };
const segmentCount = Number(values.segments);
const segmentDocs = Number(values['segment-docs']);
const numPerm = config.minhash.numPerm;
/** Every PLANT_EVERY-th doc is a near-copy of the doc before it (another task file): 1 % of docs by default. */
const PLANT_EVERY = Number(values['plant-every']);
/** Share of a planted copy's signature values changed: an estimated Jaccard near 0.9. */
const CHANGED = 0.1;

let heapPeak = 0;
const sampleHeap = (): void => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
};
let openFilesPeak = 0;
const sampleOpenFiles = (): void => {
  openFilesPeak = Math.max(openFilesPeak, readdirSync('/proc/self/fd').length);
};
const sampler = setInterval(() => {
  sampleHeap();
  sampleOpenFiles();
}, 50);

/** Doc g's signature: random values seeded by g; a planted copy is its predecessor with CHANGED of the values redrawn. */
function signatureOf(g: number, out: Uint32Array): Uint32Array {
  const base = g % PLANT_EVERY === 1 ? g - 1 : g;
  let s = fmix32(base + 1);
  for (let k = 0; k < numPerm; k++) out[k] = s = fmix32(s + 0x9e3779b9);
  if (base !== g) {
    let r = fmix32(g * 7919 + 13);
    for (let k = 0; k < numPerm; k++) {
      r = fmix32(r + 0x7f4a7c15);
      if (r / 2 ** 32 < CHANGED) out[k] = fmix32(r ^ 0x5bd1e995);
    }
  }
  return out;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

const t0 = performance.now();
const tasks: TaskDedupFiles[] = [];
const sig = new Uint32Array(numPerm);
for (let f = 0; f < files; f++) {
  const paths = { signatures: join(dir, `t${f}.sig`), buckets: join(dir, `t${f}.bkt`) };
  const w = await TaskSignatureWriter.create(paths.signatures, paths.buckets, config);
  for (let g = f; g < docs; g += files) {
    await w.addSignature(
      { id: hex(g, 32), exactKey: hex(fmix32(g) , 8) + hex(fmix32(g ^ 0xabcdef), 8), fetchedAtMs: 1e12 + g, chars: 2000, flags: 0 },
      signatureOf(g, sig),
    );
  }
  await w.close();
  tasks.push(paths);
  sampleHeap();
}
// Earlier runs' survivors: each segment one signature file and its bucket file, as commitIndexSegment lays them out.
const segments: IndexSegment[] = [];
for (let k = 0; k < segmentCount; k++) {
  const segDir = join(dir, `segment-${k}`);
  await mkdir(join(segDir, 'sig'), { recursive: true });
  const w = await TaskSignatureWriter.create(join(segDir, 'sig', '000000.sig'), segmentBucketPath(segDir), config);
  for (let d = 0; d < segmentDocs; d++) {
    const g = docs + k * segmentDocs + d;
    await w.addSignature({ id: hex(g, 32), exactKey: hex(fmix32(g), 8) + hex(fmix32(g ^ 0xabcdef), 8), fetchedAtMs: 1e12 + g, chars: 2000, flags: 0 }, signatureOf(g * PLANT_EVERY, sig));
  }
  await w.close();
  segments.push({ name: `segment-${k}`, dir: segDir, files: ['000000.sig'] });
}
const writeSeconds = (performance.now() - t0) / 1000;
let diskBytes = 0;
for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) diskBytes += (await stat(join(entry.parentPath, entry.name))).size;

// More task files than one merge may open: merged in groups first (the dedup-groups stage).
const tg = performance.now();
let groups: string[] | null = null;
if (files > config.mergeFanIn) {
  groups = [];
  for (const [g, [start, end]] of bucketGroups(files, config.mergeFanIn).entries()) {
    const out = join(dir, 'groups', `group-${g}.bkt`);
    await mergeBucketFiles(tasks.slice(start, end).map((t, k) => ({ path: t.buckets, fileBase: start + k })), config.bands + 1, out, config.mergeReadEntries);
    groups.push(out);
  }
}
const groupSeconds = (performance.now() - tg) / 1000;

const plan = new DedupPlan(tasks, segments, groups);
const bandSeconds: number[] = [];
const pairFiles: string[] = [];
let pairs = 0;
for (let s = 0; s <= config.bands; s++) {
  const t = performance.now();
  const out = bandPairsPath(join(dir, 'pairs'), s);
  pairs += (await runBand(plan, config, s, out)).pairs;
  pairFiles.push(out);
  bandSeconds.push((performance.now() - t) / 1000);
}
const t1 = performance.now();
const clusters = await runClustering(plan, config, pairFiles);
const clusterSeconds = (performance.now() - t1) / 1000;
clearInterval(sampler);
sampleHeap();

const planted = Math.floor((docs - 1) / PLANT_EVERY) + (docs % PLANT_EVERY > 1 ? 1 : 0);
const found = clusters.removals.filter((r) => Number.parseInt(r.id, 16) % PLANT_EVERY === 1 || Number.parseInt(r.duplicateOf, 16) % PLANT_EVERY === 1).length;
await rm(dir, { recursive: true, force: true });
const bandTotal = bandSeconds.reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    docs,
    files,
    segments: segmentCount,
    merge_fan_in: config.mergeFanIn,
    bucket_groups: groups?.length ?? 0,
    group_merge_seconds: Math.round(groupSeconds * 10) / 10,
    bands: config.bands + 1,
    signature_and_bucket_bytes: diskBytes,
    one_band_bucket_bytes: docs * 16,
    write_seconds: Math.round(writeSeconds * 10) / 10,
    band_seconds_total: Math.round(bandTotal * 10) / 10,
    band_seconds_max: Math.round(Math.max(...bandSeconds) * 100) / 100,
    band_entries_per_s: Math.round((docs * (config.bands + 1)) / bandTotal),
    cluster_seconds: Math.round(clusterSeconds * 100) / 100,
    verified_pairs: pairs,
    planted_pairs: planted,
    planted_found: found,
    removed: clusters.removals.length,
    peak_heap_mb: Math.round(heapPeak / 1e6),
    peak_open_files: openFilesPeak,
    peak_rss_mb: Math.round(peakRssMB()),
  }),
);
