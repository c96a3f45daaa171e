import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import parquet from '@dsnp/parquetjs';
import { InputError } from '@jcp/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_FIELDS, parseTextLine, readTextRecords, resolveTextInputs, textRecordKey, type TextRecord } from '../src/sources/text-records.ts';
import { textDocument } from '../src/stages/document-task.ts';
import { docId } from '../src/steps/record-audit.ts';
import { FIXTURES, tempDir } from './helpers.ts';

async function all(file: string, fields = DEFAULT_TEXT_FIELDS): Promise<Array<TextRecord | InputError>> {
  const out: Array<TextRecord | InputError> = [];
  for await (const r of readTextRecords(file, fields)) out.push(r);
  return out;
}

describe('text collection records', () => {
  it('reads good lines with their line numbers and names each bad line by file, line and reason, going on after it', async () => {
    const dir = await tempDir('text-records');
    const file = join(dir, 'c.jsonl');
    const lines = ['{"id":"a","url":"https://example.jp/a","text":"一行目"}', '{"text": "閉じていない', '', '{"id":3,"text":"三"}', '{"id":"n","text":5}', '[1]', '{"body":"x"}', '{"text":"最後"}'];
    await writeFile(file, `${lines.join('\n')}\n`);
    const got = await all(file);
    const bad = got.filter((r): r is InputError => r instanceof InputError).map((e) => [e.file, e.offset, e.reason]);
    expect(bad).toEqual([
      [file, 2, 'bad-json'],
      [file, 5, 'text-not-string'],
      [file, 6, 'not-an-object'],
      [file, 7, 'no-text-field'],
    ]);
    const good = got.filter((r): r is TextRecord => !(r instanceof InputError));
    expect(good.map((r) => [r.line, r.recordId, r.url, r.text])).toEqual([
      [1, 'a', 'https://example.jp/a', '一行目'],
      [4, '3', '', '三'],
      [8, null, '', '最後'],
    ]);
    expect(good[0]!.bytes).toBe(Buffer.byteLength(lines[0]!));
  });

  it('reads a gzipped file alike and takes other field names', async () => {
    const dir = await tempDir('text-records-gz');
    const file = join(dir, 'c.jsonl.gz');
    await writeFile(file, gzipSync('{"doc":"k-1","link":"https://example.jp/k","body":"本文"}\n{"text":"not this field"}\n'));
    const got = await all(file, { text: 'body', id: 'doc', url: 'link' });
    expect(got[0]).toMatchObject({ line: 1, recordId: 'k-1', url: 'https://example.jp/k', text: '本文' });
    expect(got[1]).toBeInstanceOf(InputError);
    expect((got[1] as InputError).reason).toBe('no-text-field');
  });

  it('reads Parquet rows as records, numbered from 1, a row without a text named by file and row', async () => {
    const dir = await tempDir('text-records-parquet');
    const file = join(dir, 'c.parquet');
    const schema = new parquet.ParquetSchema({ id: { type: 'INT64' }, url: { type: 'UTF8', optional: true }, text: { type: 'UTF8', optional: true } });
    const writer = await parquet.ParquetWriter.openFile(schema, file);
    await writer.appendRow({ id: 10n, url: 'https://example.jp/p', text: '一つ目の行' });
    await writer.appendRow({ id: 11n });
    await writer.appendRow({ id: 12n, text: '三つ目' });
    await writer.close();
    const got = await all(file);
    expect(got[0]).toMatchObject({ file, line: 1, recordId: '10', url: 'https://example.jp/p', text: '一つ目の行', bytes: 15 });
    expect(got[1]).toBeInstanceOf(InputError);
    expect([(got[1] as InputError).offset, (got[1] as InputError).reason]).toEqual([2, 'no-text-field']);
    expect(got[2]).toMatchObject({ line: 3, recordId: '12', url: '', text: '三つ目' });
  });

  it('fails, not skips, a gzip file that is cut short', async () => {
    const dir = await tempDir('text-records-cut');
    const file = join(dir, 'c.jsonl.gz');
    const whole = gzipSync('{"text":"あ"}\n'.repeat(1000));
    await writeFile(file, whole.subarray(0, whole.length - 20));
    await expect(all(file)).rejects.toThrow();
  });

  it('makes doc ids from the file name and the id field, else the line: the same wherever the file is', () => {
    expect(textRecordKey('/a/b/c.jsonl', 'x-1', 9)).toBe('c.jsonl#x-1');
    expect(textRecordKey('/other/c.jsonl', null, 9)).toBe('c.jsonl:9');
    const rec = parseTextLine('{"id":"x-1","text":"テキスト"}', '/a/b/c.jsonl', 9, DEFAULT_TEXT_FIELDS) as TextRecord;
    const doc = textDocument(rec, { source: 'text', subcorpus: 'ja_text', crawl: 'unknown', warcFile: rec.file });
    expect(doc.id).toBe(docId('c.jsonl#x-1'));
    expect(doc.recordId).toBe('x-1');
    expect(doc.record).toEqual({ file: '/a/b/c.jsonl', offset: 9 });
    expect(doc.size).toEqual({ bytes: 12, chars: 4, tokens: 0 });
  });

  it('resolves a folder to its .jsonl and .jsonl.gz files in path order', async () => {
    const got = await resolveTextInputs([join(FIXTURES, 'text')]);
    expect(got).toEqual([join(FIXTURES, 'text/collection.jsonl'), join(FIXTURES, 'text/more.jsonl.gz')]);
    await expect(resolveTextInputs([join(FIXTURES, 'text/none.jsonl')])).rejects.toThrow(/none\.jsonl' does not exist/);
  });
});
