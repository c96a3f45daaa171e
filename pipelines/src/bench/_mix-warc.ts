import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { gzipRecord, httpResponseBlock, serializeWarcRecord } from '@jcp/crawler';

export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export interface MixSpec {
  /** Uncompressed HTML bytes to aim for. */
  targetBytes: number;
  /** Share of response records that are Japanese pages; real Common Crawl WARCs have about 3-5 %. */
  japaneseShare: number;
}

/**
 * Builds (once, cached in the OS temp folder) a Common Crawl-like WARC: per-record gzip members,
 * warcinfo + request/response/metadata triples, real pages from ../shared/data. Non-Japanese pages are
 * the extraction benchmark's real HTML (mostly English/German); Japanese pages wrap real Japanese text
 * (ABEJA CC-ja, Aozora) in a plain page, as UTF-8 or Shift_JIS-labelled UTF-8-free markup.
 */
export async function mixedWarc(spec: MixSpec): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 10);
  const dir = join(tmpdir(), 'jcp-bench');
  const path = join(dir, `mix-${key}.warc.gz`);
  if ((await stat(path).catch(() => null))?.isFile()) return path;
  await mkdir(dir, { recursive: true });
  const foreign = await foreignPages();
  const japanese = await japanesePages();
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const write = (b: Buffer): Promise<void> =>
    new Promise((res, rej) => (out.write(b) ? res() : out.once('drain', res).once('error', rej)));
  await write(
    gzipRecord(
      serializeWarcRecord({
        type: 'warcinfo',
        date: '2026-01-01T00:00:00Z',
        recordId: '<urn:uuid:00000000-0000-4000-8000-000000000000>',
        contentType: 'application/warc-fields',
        block: Buffer.from('isPartOf: bench-mix\r\nsoftware: ja-corpus-pipeline bench\r\n'),
      }),
    ),
  );
  let bytes = 0;
  let n = 0;
  let jaDue = 0;
  while (bytes < spec.targetBytes) {
    jaDue += spec.japaneseShare;
    const isJa = jaDue >= 1;
    if (isJa) jaDue -= 1;
    const pool = isJa ? japanese : foreign;
    const page = pool[n % pool.length]!;
    const url = `https://${isJa ? 'ja' : 'www'}.example${n % 997}.test/page/${n}`;
    const body = httpResponseBlock(200, 'OK', [['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(page.length)]], page);
    const id = (kind: string): string => `<urn:uuid:${createHash('sha1').update(`${kind}${n}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}>`;
    await write(gzipRecord(serializeWarcRecord({ type: 'request', date: '2026-01-01T00:00:00Z', targetUri: url, recordId: id('q'), block: Buffer.from(`GET /page/${n} HTTP/1.1\r\nHost: x\r\n\r\n`) })));
    await write(gzipRecord(serializeWarcRecord({ type: 'response', date: '2026-01-01T00:00:00Z', targetUri: url, recordId: id('r'), block: body })));
    await write(gzipRecord(serializeWarcRecord({ type: 'metadata', date: '2026-01-01T00:00:00Z', targetUri: url, recordId: id('m'), contentType: 'application/warc-fields', block: Buffer.from('fetchTimeMs: 120\r\n') })));
    bytes += body.length;
    n++;
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  await rename(tmp, path);
  return path;
}

async function foreignPages(): Promise<Buffer[]> {
  const dir = join(SHARED_DATA, 'extraction/trafilatura/pages');
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (n) => gunzipSync(await readFile(join(dir, n)))));
}

async function japanesePages(): Promise<Buffer[]> {
  const lines = (await readFile(join(SHARED_DATA, 'text/abeja-cc-ja-99docs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return lines.map((l) => {
    const { text } = JSON.parse(l) as { text: string };
    const paragraphs = text
      .split('\n')
      .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
      .join('\n');
    return Buffer.from(
      `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>記事</title></head><body><header><nav><a href="/">ホーム</a> <a href="/news">ニュース</a></nav></header><main><article>${paragraphs}</article></main><footer>© example</footer></body></html>`,
    );
  });
}
