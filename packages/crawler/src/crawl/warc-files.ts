import { randomUUID } from 'node:crypto';
import { open, readdir, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipRecord, serializeWarcRecord, type WarcRecordSpec } from '../warc/writer.ts';

/** Suffix of a WARC file still being written; renamed away when the file is closed. */
export const OPEN_SUFFIX = '.open';

/** Where one record landed. */
export interface RecordLocation {
  file: string;
  offset: number;
  length: number;
}

/** `<prefix>-00042.warc.gz` for serial 42. */
export function warcFileName(prefix: string, serial: number): string {
  return `${prefix}-${String(serial).padStart(5, '0')}.warc.gz`;
}

/** The WARC files of a crawl folder, closed and still open, by name. */
export async function listWarcFiles(dir: string, prefix: string): Promise<{ closed: string[]; open: string[]; nextSerial: number }> {
  const pattern = new RegExp(`^${prefix.replace(/[.]/g, '\\.')}-(\\d{5,})\\.warc\\.gz(${OPEN_SUFFIX.replace('.', '\\.')})?$`);
  const closed: string[] = [];
  const openFiles: string[] = [];
  let nextSerial = 0;
  for (const name of (await readdir(dir)).sort()) {
    const m = pattern.exec(name);
    if (!m) continue;
    nextSerial = Math.max(nextSerial, Number(m[1]) + 1);
    if (m[2]) openFiles.push(name.slice(0, -OPEN_SUFFIX.length));
    else closed.push(name);
  }
  return { closed, open: openFiles, nextSerial };
}

/** fsyncs a folder so a rename in it survives a power cut (Linux; elsewhere best effort). */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
  } finally {
    await fh?.close();
  }
}

/**
 * Appends gzip-per-record WARC/1.1 records to `<prefix>-NNNNN.warc.gz` files in one folder. A file is
 * written as `<name>.open`, begins with a `warcinfo` record, and is renamed to its final name only when
 * closed, so a final name always holds a whole file. A new file is begun when the next group of records
 * would push the current one past `maxBytes` (a group larger than that still goes whole into one file).
 * Not reentrant: the caller serialises calls.
 */
export class RotatingWarcWriter {
  private fh: FileHandle | null = null;
  private name = '';
  private size = 0;
  private sizeAfterInfo = 0;
  private warcinfoId = '';
  private serial: number;
  readonly closedFiles: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly maxBytes: number,
    firstSerial: number,
    /** `application/warc-fields` body of each file's warcinfo record. */
    private readonly warcinfoFields: Array<[string, string]>,
  ) {
    this.serial = firstSerial;
  }

  /** The file being written, or null. */
  get currentFile(): string | null {
    return this.fh ? this.name : null;
  }

  /**
   * Writes the records (serialised and gzipped one member each, `WARC-Warcinfo-ID` added) contiguously
   * into one file and makes them durable (fdatasync) before returning their locations.
   */
  async write(specs: WarcRecordSpec[]): Promise<RecordLocation[]> {
    const members = (warcinfoId: string): Buffer[] =>
      specs.map((s) => gzipRecord(serializeWarcRecord({ ...s, headers: [...(s.headers ?? []), ['WARC-Warcinfo-ID', warcinfoId]] })));
    let data = this.fh ? members(this.warcinfoId) : [];
    const total = (): number => data.reduce((n, b) => n + b.length, 0);
    if (this.fh && this.size > this.sizeAfterInfo && this.size + total() > this.maxBytes) await this.close();
    if (!this.fh) {
      await this.openNext();
      data = members(this.warcinfoId);
    }
    const fh = this.fh;
    if (!fh) throw new Error('WARC writer: no open file');
    const locations: RecordLocation[] = [];
    let offset = this.size;
    for (const member of data) {
      locations.push({ file: this.name, offset, length: member.length });
      offset += member.length;
    }
    const all = Buffer.concat(data);
    await fh.write(all, 0, all.length, this.size);
    await fh.datasync();
    this.size += all.length;
    return locations;
  }

  /** Closes the current file (if any) and renames it to its final name. */
  async close(): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    this.fh = null;
    await fh.sync();
    await fh.close();
    await rename(join(this.dir, this.name + OPEN_SUFFIX), join(this.dir, this.name));
    await syncDir(this.dir);
    this.closedFiles.push(this.name);
  }

  private async openNext(): Promise<void> {
    this.name = warcFileName(this.prefix, this.serial++);
    // 'wx': never clobber a file a previous run left (recovery has already dealt with those).
    this.fh = await open(join(this.dir, this.name + OPEN_SUFFIX), 'wx');
    this.warcinfoId = `<urn:uuid:${randomUUID()}>`;
    const block = Buffer.from(this.warcinfoFields.map(([k, v]) => `${k}: ${v}\r\n`).join(''), 'utf8');
    const info = gzipRecord(
      serializeWarcRecord({
        type: 'warcinfo',
        date: new Date().toISOString(),
        block,
        contentType: 'application/warc-fields',
        recordId: this.warcinfoId,
        headers: [['WARC-Filename', this.name]],
      }),
    );
    await this.fh.write(info, 0, info.length, 0);
    this.size = info.length;
    this.sizeAfterInfo = info.length;
  }
}
