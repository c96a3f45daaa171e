import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { DEFAULT_MINHASH_CONFIG, MinHasher, estimatedJaccard, exactShingleJaccard, shingleHashes } from '@jcp/dedup';
import { SHARED_DATA } from './_mix-warc.ts';
import { timed } from './_measure.ts';
import { errorBySize } from './_minhash-error-by-size.ts';

interface PackageMinhash {
  update(s: string): void;
  jaccard(other: PackageMinhash): number;
}
const { Minhash } = createRequire(import.meta.url)('minhash') as { Minhash: new (c: { numPerm: number }) => PackageMinhash };

/**
 * `pnpm bench minhash`: signatures per second per core, ours (typed arrays) and the `minhash` package,
 * against the floor of hashing the shingles once with no permutations, on real Japanese text; and each
 * one's Jaccard estimate error against the exact Jaccard of near-duplicate pairs.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { docs: { type: 'string', default: '2000' } } });
  const n = Number(values.docs);
  const docs = await sampleDocs(n);
  const k = DEFAULT_MINHASH_CONFIG.shingleChars;
  const hasher = new MinHasher();
  const { floor, ours } = await signatureRates(docs);
  const pkgDocs = docs.slice(0, Math.max(50, Math.floor(n / 20)));
  const pkg = await timed(async () => {
    for (const d of pkgDocs) packageSignature(d, k);
    return pkgDocs.length;
  });

  // Accuracy on near-duplicate pairs: a document and the same with its last fifth replaced.
  let errOurs = 0;
  let errPkg = 0;
  const pairs = 50;
  for (let i = 0; i < pairs; i++) {
    const a = docs[i]!;
    const b = a.slice(0, 1600) + docs[i + 1]!.slice(0, 400);
    const truth = exactShingleJaccard(a, b, k);
    errOurs += Math.abs(estimatedJaccard(hasher.signature(a).signature, hasher.signature(b).signature) - truth);
    errPkg += Math.abs(packageSignature(a, k).jaccard(packageSignature(b, k)) - truth);
  }
  const perS = (count: number, s: number): number => Math.round(count / s);
  const result = {
    docs: n,
    floor_docs_s: perS(n, floor.seconds),
    ours_sigs_s: perS(n, ours.seconds),
    package_sigs_s: perS(pkgDocs.length, pkg.seconds),
    ours_over_floor: Math.round((floor.seconds / ours.seconds) * 1000) / 1000,
    ours_over_package: Math.round(perS(n, ours.seconds) / perS(pkgDocs.length, pkg.seconds)),
    mean_abs_error_ours: Math.round((errOurs / pairs) * 1000) / 1000,
    mean_abs_error_package: Math.round((errPkg / pairs) * 1000) / 1000,
  };
  console.log(`signatures/s (1 core, ${DEFAULT_MINHASH_CONFIG.numPerm} perms, 2 KB docs): ours ${result.ours_sigs_s}, minhash package ${result.package_sigs_s}, floor (shingle hashing only) ${result.floor_docs_s} docs/s`);
  // Error by length, where one-permutation hashing differs most from per-permutation MinHash.
  const bySize = errorBySize(docs, [20, 50, 100, 200, 500, 2000], 200);
  console.log('Jaccard-estimate error by text length (near-duplicates, 15 % replaced), ours vs per-permutation MinHash:');
  for (const r of bySize) {
    console.log(`  ${String(r.chars).padStart(5)} chars, ${r.pairs} pairs, J ≈ ${r.mean_true_jaccard}: |err| ${r.mae_ours} (bias ${r.bias_ours}) vs ${r.mae_per_permutation} (bias ${r.bias_per_permutation})`);
  }
  console.log(JSON.stringify({ ...result, error_by_length: bySize }));
}

function packageSignature(text: string, k: number): PackageMinhash {
  const m = new Minhash({ numPerm: DEFAULT_MINHASH_CONFIG.numPerm });
  for (let i = 0; i + k <= text.length; i++) m.update(text.slice(i, i + k));
  return m;
}

/** `n` ~2 KB slices of real Japanese web text (ABEJA CC-ja), the size of a typical page's main text. */
export async function sampleDocs(n: number): Promise<string[]> {
  const source = (await readFile(join(SHARED_DATA, 'text/abeja-cc-ja-99docs.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const docs: string[] = [];
  for (let i = 0; docs.length < n; i++) {
    const t = source[i % source.length]!;
    const start = (i * 997) % Math.max(1, t.length - 2000);
    docs.push(t.slice(start, start + 2000));
  }
  return docs;
}

/** Our signatures against the floor of hashing the same shingles once with no permutations, one core. */
export async function signatureRates(docs: string[]): Promise<{ floor: { seconds: number }; ours: { seconds: number } }> {
  const k = DEFAULT_MINHASH_CONFIG.shingleChars;
  const hasher = new MinHasher();
  const scratch = new Uint32Array(4096);
  const floor = await timed(async () => {
    let sum = 0;
    for (const d of docs) sum += shingleHashes(d, k, scratch).count;
    return sum;
  });
  const ours = await timed(async () => {
    const out = new Uint32Array(DEFAULT_MINHASH_CONFIG.numPerm);
    for (const d of docs) hasher.signature(d, out);
    return docs.length;
  });
  return { floor, ours };
}
