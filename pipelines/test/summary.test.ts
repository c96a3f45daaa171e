import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.ts';

describe('what pnpm pipeline says when a run ends', () => {
  it('tells the kept tokens, the funnel, the biggest page drops and what to run next; and says why a rerun kept nothing', async () => {
    const dir = await tempDir('summary');
    const index = join(dir, 'index');
    const first = await runCli('pipeline', ['cc-ja', '--out', join(dir, 'a'), '--dedup-index', index, '--tokenizer', 'chars']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^cc-ja: 3\/3 WARC tasks done \(filters jcp-v1\); ja\/ja_cc: 9 docs, [\d,]+ tokens \(chars\) in 2 shards$/m);
    expect(first.stdout).toMatch(/documents out of each step: pages \d+ → html \d+ → .* → write 9$/m);
    expect(first.stdout).toMatch(/tokens out of each step: normalize [\d,]+ → site-boilerplate [\d,]+ → quality [\d,]+ → .* → write [\d,]+$/m);
    expect(first.stdout).toMatch(/most dropped: no-japanese-bytes \d+/);
    expect(first.stdout).not.toMatch(/most dropped:.*warc-request/);
    expect(first.stdout).toContain(`next: pnpm report ${join(dir, 'a')}`);
    expect(first.stdout).not.toContain('nothing new');
    expect(first.stdout).not.toContain('dedup against earlier runs');

    const again = await runCli('pipeline', ['cc-ja', '--out', join(dir, 'b'), '--dedup-index', index, '--tokenizer', 'chars']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/ja\/ja_cc: 0 docs/);
    expect(again.stdout).toMatch(/dedup against earlier runs: 11 of 11 docs dropped as duplicates of documents published by cc-ja-a-[0-9a-f]+; give --no-dedup-index or another --dedup-index/);
    expect(again.stdout).toMatch(/^WARNING: nothing new: every document that passed the filters \(11\) duplicates one an earlier run published/m);
    expect(again.stdout).not.toMatch(/most dropped:.*-of-earlier-run/);
  });
});
