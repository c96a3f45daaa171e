/**
 * `pnpm bench extraction [--data <dir>]`: pages/s of our extractor and of the peer (Mozilla Readability
 * over linkedom) on the same pages, the scrapinghub benchmark's HTML (`../shared/data/extraction/
 * scrapinghub/html`, dev split), each as a ratio against the floor measured in the same run: decode the
 * bytes and run htmlparser2's tokenizer over them with no-op callbacks (the least any HTML extractor
 * does). Every pass starts from the raw bytes, so decoding counts for all three. The last line is JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { extractMainText } from '@jcp/filters';
import { decodeHtml } from '../eval/extraction.ts';
import { readabilityText } from '../eval/readability-peer.ts';
import { peakRssMB } from './_measure.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../../../shared/data/extraction/scrapinghub/html/', import.meta.url));

const noop = (): void => {};
const NO_OP_CALLBACKS: TokenizerCallbacks = {
  onattribdata: noop,
  onattribentity: noop,
  onattribend: noop,
  onattribname: noop,
  oncdata: noop,
  onclosetag: noop,
  oncomment: noop,
  ondeclaration: noop,
  onend: noop,
  onopentagend: noop,
  onopentagname: noop,
  onprocessinginstruction: noop,
  onselfclosingtag: noop,
  ontext: noop,
  ontextentity: noop,
};

function tokenizeOnly(html: string): string {
  const tokenizer = new Tokenizer({ decodeEntities: true }, NO_OP_CALLBACKS);
  tokenizer.write(html);
  tokenizer.end();
  return '';
}

/** Seconds for one pass of `fn` over every page, decoding each from bytes; returns the output chars too. */
function pass(pages: Buffer[], fn: (html: string) => string): { seconds: number; chars: number } {
  let chars = 0;
  const start = process.hrtime.bigint();
  for (const bytes of pages) chars += fn(decodeHtml(bytes)).length;
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, chars };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } });
  const dir = values.data ?? DEFAULT_DIR;
  const files = readdirSync(dir).filter((f) => /\.html(\.gz)?$/.test(f)).sort();
  const pages = files.map((f) => {
    const raw = readFileSync(`${dir}/${f}`);
    return f.endsWith('.gz') ? gunzipSync(raw) : raw;
  });
  const megabytes = pages.reduce((sum, p) => sum + p.length, 0) / 1e6;
  console.log(`${pages.length} pages, ${megabytes.toFixed(1)} MB of HTML from ${dir}`);

  const runs: Array<[string, (html: string) => string]> = [
    ['floor (decode + tokenise)', tokenizeOnly],
    ['extractMainText', (html) => extractMainText(html).text],
    ['readability + linkedom', readabilityText],
  ];
  for (const [, fn] of runs) pass(pages.slice(0, 10), fn); // JIT warm-up, untimed
  // The floor is measured before and after the extractors; the faster one is kept, so load drift on a
  // shared machine shows as a gap between the two instead of flattering the ratios.
  const floorBefore = pass(pages, tokenizeOnly).seconds;
  const ours = pass(pages, runs[1]![1]);
  const peer = pass(pages, runs[2]![1]);
  const floorAfter = pass(pages, tokenizeOnly).seconds;
  const floor = Math.min(floorBefore, floorAfter);
  const rate = (seconds: number): number => Math.round(pages.length / seconds);
  const ratio = (seconds: number): number => Math.round((floor / seconds) * 1000) / 1000;
  console.log(`  floor (decode + tokenise)  ${rate(floor)} pages/s (before ${rate(floorBefore)}, after ${rate(floorAfter)})`);
  console.log(`  extractMainText            ${rate(ours.seconds)} pages/s = ${ratio(ours.seconds)} × floor`);
  console.log(`  readability + linkedom     ${rate(peer.seconds)} pages/s = ${ratio(peer.seconds)} × floor`);
  console.log(`  peak RSS ${Math.round(peakRssMB())} MB (whole process, both extractors)`);
  console.log(
    JSON.stringify({
      pages: pages.length,
      megabytes: Math.round(megabytes * 10) / 10,
      floorPagesPerSecond: rate(floor),
      ours: { pagesPerSecond: rate(ours.seconds), ratioToFloor: ratio(ours.seconds) },
      readability: { pagesPerSecond: rate(peer.seconds), ratioToFloor: ratio(peer.seconds) },
      peakRssMB: Math.round(peakRssMB()),
    }),
  );
}
