import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractVisibleText } from '@jcp/filters';
import { decodeHtml } from '../src/eval/extraction.ts';
import { readabilityText } from '../src/eval/readability-peer.ts';
import { SHARED_DATA } from './helpers.ts';

const DIR = join(SHARED_DATA, 'extraction', 'scrapinghub');
const truth = JSON.parse(readFileSync(join(DIR, 'ground-truth.dev.json'), 'utf8')) as Record<string, { articleBody: string }>;
// The first three pages by id: real news/blog pages, not chosen for how readability does on them.
const ids = Object.keys(truth).sort().slice(0, 3);

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Share of the reference's words (as a multiset) found in the output. */
function recall(output: string, reference: string): number {
  const counts = new Map<string, number>();
  for (const w of words(output)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ref = words(reference);
  let found = 0;
  for (const w of ref) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      found++;
      counts.set(w, n - 1);
    }
  }
  return found / ref.length;
}

describe('the readability peer of pnpm eval extraction', () => {
  it.each(ids)('returns the article of scrapinghub page %s, shorter than all visible text', (id) => {
    const html = decodeHtml(gunzipSync(readFileSync(join(DIR, 'html', `${id}.html.gz`))));
    const text = readabilityText(html);
    expect(recall(text, truth[id]!.articleBody)).toBeGreaterThan(0.9);
    expect(text.length).toBeLessThan(extractVisibleText(html).length);
    expect(text).not.toMatch(/^\s*$/m);
  });
});
