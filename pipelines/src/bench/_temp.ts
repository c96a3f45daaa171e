import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempRunDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `jcp-${label}-`));
}
