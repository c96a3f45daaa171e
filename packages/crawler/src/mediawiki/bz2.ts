import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * The decompressed bytes of a bzip2 file, or of a byte range of one (a multistream dump's streams are
 * independent bzip2 streams, so any range that starts and ends on stream boundaries decompresses on its
 * own). Decompression runs in a `bzip2 -dc` child process: native code, and on another core than the
 * parsing (docs/decisions.md, "Wikipedia": the JavaScript decoders measured several times slower).
 * Errors name the file and the range.
 */
export async function* bunzip2(path: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
  const where = range === undefined ? path : `${path} bytes ${range.start}-${range.end - 1}`;
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`${where}: cannot run bzip2 (${e.message}); install it: apt-get install bzip2`)));
    child.on('close', (code) => resolve(code));
  });
  const input: Readable = createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end - 1 });
  input.on('error', (e) => child.stdin.destroy(e));
  child.stdin.on('error', () => undefined); // bzip2 exiting early (corrupt data) closes its stdin: the exit code says why
  input.pipe(child.stdin);
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) {
      const message = Buffer.concat(stderr).toString('utf8').trim().split('\n').pop() ?? '';
      throw new Error(`${where}: bzip2 failed (exit ${code}${message ? `: ${message}` : ''})`);
    }
  } finally {
    input.destroy();
    if (child.exitCode === null) child.kill();
  }
}
