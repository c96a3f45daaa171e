import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { DEFAULT_HTTP_FETCH_CONFIG, fetchStream, readWarc, readWarcUrl, type HttpFetchConfig, type WarcItem } from '@jcp/crawler';
import { mixedWarc } from './_mix-warc.ts';
import { fileMB, peakRssMB, timed } from './_measure.ts';

/**
 * A static file server with Range support, run in its own process so that serving does not share the
 * reader's event loop (as a remote server would not) and its memory stays out of the reader's peak RSS.
 * argv: file, and a byte count after which every response is cut with a TCP reset (0: never).
 */
const SERVER_SOURCE = `
const http = require('node:http');
const fs = require('node:fs');
const [file, resetEvery] = process.argv.slice(1);
const size = fs.statSync(file).size;
const cut = Number(resetEvery);
const server = http.createServer((req, res) => {
  const m = /^bytes=(\\d+)-$/.exec(req.headers.range || '');
  const start = m ? Number(m[1]) : 0;
  if (start >= size) { res.writeHead(416, { 'content-range': 'bytes */' + size }).end(); return; }
  const headers = { 'content-length': String(size - start), 'accept-ranges': 'bytes' };
  if (m) headers['content-range'] = 'bytes ' + start + '-' + (size - 1) + '/' + size;
  res.writeHead(m ? 206 : 200, headers);
  const end = cut > 0 ? Math.min(size, start + cut) - 1 : size - 1;
  const stream = fs.createReadStream(file, { start, end, highWaterMark: 1 << 20 });
  stream.pipe(res, { end: end === size - 1 });
  if (end < size - 1) stream.on('end', () => res.socket && res.socket.resetAndDestroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/**
 * `pnpm bench fetch`: the WARC reader fed over HTTP (undici, from a loopback server in another process)
 * against the same reader on the same file from disk, in one run, and the download alone. With
 * `--reset-every-mb N` the server resets every connection once it has read N MB of the file for it (bytes
 * still in flight are lost, as in a real reset), which measures what resuming with Range costs.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      mb: { type: 'string', default: '150' },
      runs: { type: 'string', default: '3' },
      'reset-every-mb': { type: 'string', default: '0' },
      'read-ahead-kb': { type: 'string', default: String(DEFAULT_HTTP_FETCH_CONFIG.highWaterMarkBytes / 1024) },
    },
  });
  // Same spec as `pnpm bench warc-reader`, so both benches read the same cached file.
  const path = values.input ?? (await mixedWarc({ targetBytes: Number(values.mb) * 1e6, japaneseShare: 0.04 }));
  const mb = await fileMB(path);
  const runs = Number(values.runs);
  const resetEveryBytes = Math.round(Number(values['reset-every-mb']) * 1e6);
  const http: HttpFetchConfig = {
    ...DEFAULT_HTTP_FETCH_CONFIG,
    highWaterMarkBytes: Number(values['read-ahead-kb']) * 1024,
    // Every planned reset is a retry; keep the count from being what ends the run.
    maxTotalRetries: 1_000_000,
    backoffBaseMs: 1,
    backoffMaxMs: 1,
  };

  // Disk and HTTP runs alternate, so noise from the other core hits both alike; the first disk run goes
  // alone, so the peak RSS after it is the disk reader's.
  const diskRuns = [await timed(() => count(readWarc(path)))];
  const rssAfterDisk = peakRssMB();
  const server = await startServer(path, resetEveryBytes);
  const httpRuns: Array<{ seconds: number; value: Counts }> = [];
  const rawRuns: Array<{ seconds: number; value: number }> = [];
  let retries = 0;
  try {
    for (let i = 0; i < runs; i++) {
      if (i > 0) diskRuns.push(await timed(() => count(readWarc(path))));
      retries = 0;
      httpRuns.push(await timed(() => count(readWarcUrl(server.url, { http, onRetry: () => retries++ }))));
      // The download alone, no reader: how far the HTTP layer is from being the bottleneck.
      rawRuns.push(await timed(() => drain(fetchStream(server.url, http))));
    }
  } finally {
    server.child.kill();
  }
  const disk = fastest(diskRuns);
  const overHttp = fastest(httpRuns);
  const raw = fastest(rawRuns);
  const rssAfterHttp = peakRssMB();
  const expected = JSON.stringify(disk.value);
  const differing = [...diskRuns, ...httpRuns].find((r) => JSON.stringify(r.value) !== expected);
  if (differing) throw new Error(`one read gave ${JSON.stringify(differing.value)}, another ${expected}: the reads differ`);
  if (raw.value !== Math.round(mb * 1e6)) throw new Error(`the raw download gave ${raw.value} bytes of ${Math.round(mb * 1e6)}`);

  const rate = (s: number): number => Math.round((mb / s) * 10) / 10;
  const round = (x: number): number => Math.round(x * 100) / 100;
  console.log(`file: ${path} (${mb.toFixed(1)} MB compressed, ${disk.value.records} records), best of ${runs}`);
  console.log(
    `disk: ${rate(disk.seconds)} MB/s; http: ${rate(overHttp.seconds)} MB/s (read-ahead ${values['read-ahead-kb']} KiB` +
      `${resetEveryBytes > 0 ? `, reset every ${values['reset-every-mb']} MB: ${retries} resumes` : ''}); http/disk ${round(disk.seconds / overHttp.seconds)}; ` +
      `download alone: ${rate(raw.seconds)} MB/s`,
  );
  console.log(`peak RSS: ${rssAfterDisk.toFixed(0)} MB after the first disk read (alone), ${rssAfterHttp.toFixed(0)} MB at the end`);
  console.log(
    JSON.stringify({
      compressed_mb: Math.round(mb * 10) / 10,
      records: disk.value.records,
      disk_mb_s: rate(disk.seconds),
      http_mb_s: rate(overHttp.seconds),
      http_over_disk: round(disk.seconds / overHttp.seconds),
      download_only_mb_s: rate(raw.seconds),
      read_ahead_kb: Number(values['read-ahead-kb']),
      reset_every_mb: Number(values['reset-every-mb']),
      resumes: retries,
      peak_rss_mb_disk: Math.round(rssAfterDisk),
      peak_rss_mb: Math.round(rssAfterHttp),
    }),
  );
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) bytes += chunk.length;
  return bytes;
}

function fastest<T extends { seconds: number }>(runs: T[]): T {
  return runs.reduce((best, r) => (r.seconds < best.seconds ? r : best));
}

interface Counts {
  records: number;
  errors: number;
}

async function count(items: AsyncIterable<WarcItem>): Promise<Counts> {
  const counts: Counts = { records: 0, errors: 0 };
  for await (const item of items) {
    if (item instanceof Error) counts.errors++;
    else counts.records++;
  }
  return counts;
}

async function startServer(path: string, resetEveryBytes: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE, path, String(resetEveryBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  if (!stdout) throw new Error('the loopback file server has no stdout');
  const port = await Promise.race([
    once(stdout, 'data').then(([chunk]: unknown[]) => String(chunk).trim()),
    once(child, 'exit').then(() => ''),
  ]);
  if (!/^\d+$/.test(port)) throw new Error(`the loopback file server did not start (it said '${port}')`);
  return { child, url: `http://127.0.0.1:${port}/warc` };
}
