/**
 * A document anywhere in a dedup: (file number, ordinal in that file's signature file) packed into one
 * JS number so refs can key Maps and sort as numbers. Files are numbered across the run's tasks and the
 * persistent index's files; 2^24 docs per file and 2^29 files keep the product under 2^53.
 */
export const MAX_DOCS_PER_FILE = 2 ** 24;
export const MAX_FILES = 2 ** 29;

export function docRef(file: number, ord: number): number {
  if (ord >= MAX_DOCS_PER_FILE) throw new Error(`doc ordinal ${ord} exceeds ${MAX_DOCS_PER_FILE} docs per signature file`);
  if (file >= MAX_FILES) throw new Error(`file number ${file} exceeds ${MAX_FILES}`);
  return file * MAX_DOCS_PER_FILE + ord;
}

export function refFile(ref: number): number {
  return Math.floor(ref / MAX_DOCS_PER_FILE);
}

export function refOrd(ref: number): number {
  return ref % MAX_DOCS_PER_FILE;
}
