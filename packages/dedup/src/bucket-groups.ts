import { mergeSectionReaders, type BucketSource } from './band-merge.ts';
import { BucketFileReader, BucketFileWriter, ENTRY_WORDS } from './bucket-file.ts';

/**
 * The first level of a two-level band merge. A band task merges one section of every bucket file of the
 * run at once: one descriptor and one read buffer per file, so 90,000 WARCs would be 90,000 open files
 * (past the common `ulimit -n` of 1,024) and 5.6 GB of buffers. Merging groups of at most `fanIn` task
 * files into one bucket file each (all sections, file numbers made global) first leaves the band task
 * ⌈tasks / fanIn⌉ files to open.
 */

/** Task index ranges [start, end) of the groups, in task order. */
export function bucketGroups(tasks: number, fanIn: number): Array<[number, number]> {
  if (!Number.isInteger(fanIn) || fanIn < 2) throw new Error(`dedup config mergeFanIn: expected an integer ≥ 2, got ${fanIn}`);
  const out: Array<[number, number]> = [];
  for (let start = 0; start < tasks; start += fanIn) out.push([start, Math.min(tasks, start + fanIn)]);
  return out;
}

/**
 * Merges every section of `sources` into one bucket file at `out` (atomic), entries carrying the global
 * file numbers (`fileBase` added), so it is read back with fileBase 0; `keep` leaves out the entries of
 * some docs (the index commit keeps survivors only). Memory: one read chunk per source and one write
 * chunk. Returns the entries written.
 */
export async function mergeBucketFiles(
  sources: BucketSource[],
  sections: number,
  out: string,
  chunkEntries: number,
  keep: (file: number, ord: number) => boolean = () => true,
): Promise<number> {
  const writer = await BucketFileWriter.create(out, sections);
  const chunk = new Uint32Array(ENTRY_WORDS * chunkEntries);
  let total = 0;
  // Each source opened once for all its sections (a group of 900 files × 18 sections: 900 opens, not 16,200).
  const files: BucketFileReader[] = [];
  try {
    for (const source of sources) files.push(await BucketFileReader.open(source.path, source.fileBase));
    for (let s = 0; s < sections; s++) {
      await writer.beginSection(s);
      let n = 0;
      await mergeSectionReaders(
        files.map((f) => f.section(s, chunkEntries)),
        (hi, lo, file, ord) => {
          if (!keep(file, ord)) return;
          chunk.set([hi, lo, file, ord], n * ENTRY_WORDS);
          total++;
          if (++n < chunkEntries) return;
          n = 0;
          return writer.append(chunk);
        },
      );
      await writer.append(chunk.subarray(0, n * ENTRY_WORDS));
    }
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
  await writer.close();
  return total;
}
