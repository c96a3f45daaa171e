import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_CONFIG, SignatureFileWriter, SignatureStore, listIndexSegments, segmentCommittedPath } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jcp-sigver-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('signatures of the earlier per-permutation MinHash', () => {
  it('refuses an index segment committed before the estimator changed, naming the segment and the fix', async () => {
    const index = join(dir, 'index');
    const seg = join(index, 'old-run');
    await mkdir(seg, { recursive: true });
    // segment.json exactly as the per-permutation version wrote it: settings with no `scheme`.
    const { bands, rows, minhash } = DEFAULT_DEDUP_CONFIG;
    await writeFile(join(seg, 'segment.json'), JSON.stringify({ settings: { bands, rows, ...minhash }, files: [], docs: 0, survivors: 0 }));
    await writeFile(segmentCommittedPath(index, 'old-run'), '{"survivors":0}\n');
    const refusal = listIndexSegments(index, DEFAULT_DEDUP_CONFIG);
    await expect(refusal).rejects.toThrow(seg);
    await expect(refusal).rejects.toThrow(/per-permutation MinHash.*--dedup-index <new folder>/);
  });

  it('refuses a signature file of format JCPSIG01, naming the file and the fix', async () => {
    const path = join(dir, 'old.sig');
    const w = await SignatureFileWriter.create(path, DEFAULT_DEDUP_CONFIG.minhash.numPerm);
    const meta = { id: 'ab'.repeat(16), exactKey: 'cd'.repeat(8), fetchedAtMs: 0, chars: 100, flags: 0 };
    await w.append(meta, new Uint32Array(DEFAULT_DEDUP_CONFIG.minhash.numPerm));
    await w.close();
    // The same layout under the old magic: what an index made before this version holds.
    const fh = await open(path, 'r+');
    await fh.write(Buffer.from('JCPSIG01', 'latin1'), 0, 8, 0);
    await fh.close();
    const store = new SignatureStore(() => path, DEFAULT_DEDUP_CONFIG.minhash.numPerm);
    const refusal = store.meta(0, 0);
    await expect(refusal).rejects.toThrow(`${path}: signatures made by the earlier per-permutation MinHash (format JCPSIG01)`);
    await expect(refusal).rejects.toThrow(/fresh dedup index \(--dedup-index <new folder>/);
    await store.close();
  });

  it('reads back a signature file of the current format', async () => {
    const path = join(dir, 'new.sig');
    const w = await SignatureFileWriter.create(path, DEFAULT_DEDUP_CONFIG.minhash.numPerm);
    const sig = Uint32Array.from({ length: DEFAULT_DEDUP_CONFIG.minhash.numPerm }, (_, k) => k * 7919);
    await w.append({ id: 'ab'.repeat(16), exactKey: 'cd'.repeat(8), fetchedAtMs: 0, chars: 100, flags: 0 }, sig);
    await w.close();
    const store = new SignatureStore(() => path, DEFAULT_DEDUP_CONFIG.minhash.numPerm);
    expect(Array.from(await store.signature(0, 0))).toEqual(Array.from(sig));
    await store.close();
  });
});
