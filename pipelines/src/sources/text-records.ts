import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { InputError, readParquetRows } from '@jcp/core';

/**
 * A pre-extracted text collection's records (KAKEN summaries, a partner's crawl, an earlier corpus):
 * JSON Lines, plain or gzipped, one object a line, or Parquet, one row a record. A bad line (not JSON,
 * not an object, no text field or a text that is not a string) is an `InputError` naming the file and
 * its line (a Parquet row: its 1-based row number), and the reading goes on.
 */

/** Which fields of a record hold what (`--text-field`, `--id-field`, `--url-field`). */
export interface TextFields {
  /** The document's text. Default `text`. */
  text: string;
  /** The record's own id, kept in the output and the base of the doc id; absent: the line number is. Default `id`. */
  id: string;
  /** The document's URL, when the collection has one. Default `url`. */
  url: string;
}

export const DEFAULT_TEXT_FIELDS: TextFields = { text: 'text', id: 'id', url: 'url' };

/** One good line of a collection. `line` is 1-based, as an editor shows it (Parquet: the row number). */
export interface TextRecord {
  file: string;
  line: number;
  /** UTF-8 bytes of the line (the ledger's read size). */
  bytes: number;
  /** The id field as a string (a number id is written in decimal), or null when the record has none. */
  recordId: string | null;
  url: string;
  text: string;
}

/** The files a text collection input may be: JSON Lines, plain or gzipped, or Parquet. */
export const TEXT_FILE = /\.(?:jsonl(?:\.gz)?|parquet)$/i;

const utf8 = new TextEncoder();

export async function* readTextRecords(file: string, fields: TextFields = DEFAULT_TEXT_FIELDS): AsyncGenerator<TextRecord | InputError> {
  if (/\.parquet$/i.test(file)) {
    let row = 0;
    for await (const value of readParquetRows(file)) yield recordOf(value, file, ++row, fields, null);
    return;
  }
  const raw = createReadStream(file);
  const stream = /\.gz$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  // A gzip error surfaces on the gunzip stream, not the file's: forward it so the loop below throws it.
  if (stream !== raw) raw.on('error', (e) => stream.destroy(e));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    yield parseTextLine(text, file, line, fields);
  }
}

/** One line as a record, or the error that names what is wrong with it (reason `bad-json`, `not-an-object`, `no-text-field`, `text-not-string`). */
export function parseTextLine(text: string, file: string, line: number, fields: TextFields): TextRecord | InputError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return new InputError('bad-json', file, line, `line ${line}: ${(e as Error).message}`);
  }
  return recordOf(value, file, line, fields, utf8.encode(text).length);
}

/** A parsed line or a Parquet row as a record; `bytes` null: the text's UTF-8 bytes are its size. */
function recordOf(value: unknown, file: string, line: number, fields: TextFields, bytes: number | null): TextRecord | InputError {
  const bad = (reason: string, detail: string): InputError => new InputError(reason, file, line, `line ${line}: ${detail}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not-an-object', `a JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object`);
  const record = value as Record<string, unknown>;
  const body = record[fields.text];
  if (body === undefined || body === null) return bad('no-text-field', `no '${fields.text}' field`);
  if (typeof body !== 'string') return bad('text-not-string', `'${fields.text}' is a ${Array.isArray(body) ? 'array' : typeof body}, not a string`);
  const id = record[fields.id];
  const url = record[fields.url];
  return {
    file,
    line,
    bytes: bytes ?? utf8.encode(body).length,
    recordId: typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? String(id) : null,
    url: typeof url === 'string' ? url : '',
    text: body,
  };
}

/**
 * What a text record's doc id is made from: the file's name (not its folder, so a moved collection keeps
 * its ids) and the record's id field, or its line number when it has none.
 */
export function textRecordKey(file: string, recordId: string | null, line: number): string {
  return recordId !== null ? `${basename(file)}#${recordId}` : `${basename(file)}:${line}`;
}

/**
 * A text pipeline's `--input` items as files, in task order: a file as given, a folder as every
 * `.jsonl` / `.jsonl.gz` file under it sorted by path. Absolute, without repeats.
 */
export async function resolveTextInputs(items: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const item of items) {
    const info = await stat(item).catch(() => null);
    if (!info) throw new Error(`input '${item}' does not exist`);
    if (!info.isDirectory()) out.add(resolve(item));
    else for (const f of (await readdir(item, { recursive: true })).filter((f) => TEXT_FILE.test(f)).sort()) out.add(resolve(item, f));
  }
  return [...out];
}
