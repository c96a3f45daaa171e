import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDedupIndex } from '../src/run/run-pipeline.ts';
import { tempDir } from './helpers.ts';

describe('the default dedup index', () => {
  it('is one per corpus root, shared by every pipeline writing its runs there', async () => {
    const root = await tempDir('default-index');
    expect(await defaultDedupIndex(join(root, 'cc-ja', 'run1'))).toBe(join(root, 'dedup-index'));
    expect(await defaultDedupIndex(join(root, 'wiki-ja', 'run1'))).toBe(join(root, 'dedup-index'));
  });

  it("refuses to start over beside a pipeline's own index from before, and says how to move it", async () => {
    const root = await tempDir('default-index-old');
    await mkdir(join(root, 'cc-ja', 'dedup-index'), { recursive: true });
    await expect(defaultDedupIndex(join(root, 'cc-ja', 'run1'))).rejects.toThrow(`mv ${join(root, 'cc-ja', 'dedup-index')} ${join(root, 'dedup-index')}`);
    // once moved (or once the shared one exists), the shared one is used
    await mkdir(join(root, 'dedup-index'));
    expect(await defaultDedupIndex(join(root, 'cc-ja', 'run1'))).toBe(join(root, 'dedup-index'));
  });
});
