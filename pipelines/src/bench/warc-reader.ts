import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { WARCParser } from 'warcio';
import { inflateEngine, readWarc } from '@jcp/crawler';
import { mixedWarc } from './_mix-warc.ts';
import { bestOf, fileMB, gunzipFloor, timed, withZlibOnly } from './_measure.ts';

/**
 * `pnpm bench warc-reader`: our reader (libdeflate where installed, and with zlib alone) and warcio (the
 * listed package) against plain gunzip of the same file, in one run. The figures behind the reader
 * choice in docs/decisions.md.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, mb: { type: 'string', default: '150' } } });
  const path = values.input ?? (await mixedWarc({ targetBytes: Number(values.mb) * 1e6, japaneseShare: 0.04 }));
  const mb = await fileMB(path);
  const floor = await bestOf(3, async () => {
    const r = await gunzipFloor(path);
    return { seconds: r.seconds, value: r.outBytes };
  });
  const readAll = (): Promise<{ seconds: number; value: number }> =>
    timed(async () => {
      let n = 0;
      for await (const item of readWarc(path)) if (!(item instanceof Error)) n++;
      return n;
    });
  const inflater = inflateEngine();
  const ours = await bestOf(3, readAll);
  const zlibOnly = inflater === 'libdeflate' ? await bestOf(3, () => withZlibOnly(readAll)) : ours;
  const warcio = await bestOf(1, () =>
    timed(async () => {
      let n = 0;
      for await (const record of WARCParser.iterRecords(createReadStream(path))) {
        await record.readFully(false);
        n++;
      }
      return n;
    }),
  );
  const rate = (s: number): number => Math.round((mb / s) * 10) / 10;
  console.log(`file: ${path} (${mb.toFixed(1)} MB compressed, ${(floor.value / 1e6).toFixed(1)} MB inflated)`);
  console.log(
    `gunzip floor: ${rate(floor.seconds)} MB/s; ours: ${rate(ours.seconds)} MB/s (${ours.value} records, ${inflater}), with zlib alone ${rate(zlibOnly.seconds)} MB/s; warcio: ${rate(warcio.seconds)} MB/s (${warcio.value} records)`,
  );
  console.log(
    JSON.stringify({
      compressed_mb: Math.round(mb * 10) / 10,
      gunzip_mb_s: rate(floor.seconds),
      ours_mb_s: rate(ours.seconds),
      inflater,
      ours_zlib_only_mb_s: rate(zlibOnly.seconds),
      warcio_mb_s: rate(warcio.seconds),
      ours_over_gunzip: Math.round((floor.seconds / ours.seconds) * 100) / 100,
      warcio_over_gunzip: Math.round((floor.seconds / warcio.seconds) * 100) / 100,
      records: ours.value,
    }),
  );
}
