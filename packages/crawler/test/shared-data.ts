import { fileURLToPath } from 'node:url';

/** A file under ../shared/data (real public data, read in place, never copied into the repo). */
export function sharedData(relative: string): string {
  return fileURLToPath(new URL(`../../../../shared/data/${relative}`, import.meta.url));
}
