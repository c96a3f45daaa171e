import { createRequire } from 'node:module';

/**
 * libdeflate's whole-buffer gzip decoder (the system library, Debian's `libdeflate0`, called through
 * koffi): one call parses a member's header, inflates it and checks its CRC-32 and size, about 30 %
 * less CPU than zlib's inflate plus a separate CRC pass on Common Crawl members (docs/decisions.md,
 * "Inflating with libdeflate"). It only ever takes the members it decodes in full: anything else it
 * reports (an output larger than offered, a member cut by the read window, corrupt data) is handed
 * back to zlib's streaming inflater, which gives the reader's exact outcomes and messages, so the
 * records and errors a WARC yields do not depend on which engine is loaded.
 */

/** libdeflate_result (libdeflate.h). */
const LIBDEFLATE_SUCCESS = 0;
const LIBDEFLATE_INSUFFICIENT_SPACE = 3;

export type WholeMemberOutcome =
  /** The member at the start of the input, `consumed` bytes with its trailer, inflated to `produced` bytes of `out`. */
  | { kind: 'done'; consumed: number; produced: number }
  /** The member inflates to more than the `outLength` bytes offered. */
  | { kind: 'out-too-small' }
  /** Not a whole, valid member (cut short, corrupt, or not gzip): zlib's streaming path says which. */
  | { kind: 'unknown' };

export interface WholeMemberGunzip {
  /** Which library decodes (for bench output and logs). */
  readonly name: string;
  gunzip(input: Uint8Array, out: Uint8Array, outLength: number): WholeMemberOutcome;
  close(): void;
}

type Decompress = (decompressor: unknown, input: Uint8Array, inLength: number, out: Uint8Array, outLength: number, inUsed: number[], outUsed: number[]) => number;

interface LibdeflateBinding {
  alloc: () => unknown;
  free: (decompressor: unknown) => void;
  gzipDecompress: Decompress;
  name: string;
}

/** Sonames tried in order: Debian/Ubuntu (`libdeflate0`), a generic `.so`, macOS (Homebrew). */
const LIBRARY_NAMES = ['libdeflate.so.0', 'libdeflate.so', 'libdeflate.0.dylib', 'libdeflate.dylib'];

/** `JCP_INFLATE=zlib` turns the fast path off (the A/B bench, and a check that outputs do not depend on it). */
export function libdeflateWanted(): boolean {
  return process.env.JCP_INFLATE !== 'zlib';
}

// Loaded once per thread: koffi's binding and the library handle are per isolate.
let binding: LibdeflateBinding | null | undefined;
let loadError = '';

function loadBinding(): LibdeflateBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  try {
    // koffi is CommonJS with a native part: required, not imported, so a platform without its prebuilt
    // binary falls back to zlib here instead of failing the module graph.
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    for (const name of LIBRARY_NAMES) {
      let lib: ReturnType<typeof koffi.load>;
      try {
        lib = koffi.load(name);
      } catch (e) {
        loadError = (e as Error).message;
        continue;
      }
      binding = {
        name: `libdeflate (${name})`,
        alloc: lib.func('void *libdeflate_alloc_decompressor()') as () => unknown,
        free: lib.func('void libdeflate_free_decompressor(void *d)') as (d: unknown) => void,
        gzipDecompress: lib.func(
          'int libdeflate_gzip_decompress_ex(void *d, const uint8_t *in, size_t in_nbytes, uint8_t *out, size_t out_nbytes_avail, _Out_ size_t *actual_in_nbytes_ret, _Out_ size_t *actual_out_nbytes_ret)',
        ) as Decompress,
      };
      break;
    }
  } catch (e) {
    loadError = (e as Error).message;
  }
  return binding;
}

/**
 * Why libdeflate is wanted but cannot be loaded, or null (loaded, or turned off with JCP_INFLATE=zlib):
 * a run says so once, since the process stage then spends ~30 % more CPU on gunzip.
 */
export function libdeflateMissing(): string | null {
  if (!libdeflateWanted() || loadBinding()) return null;
  return loadError || 'koffi is not installed';
}

/** Which library readers opened now inflate members with (the benches print it). */
export function inflateEngine(): 'libdeflate' | 'zlib' {
  return libdeflateWanted() && loadBinding() ? 'libdeflate' : 'zlib';
}

/** A libdeflate decompressor for one reader, or null (not installed, or turned off): zlib alone then. */
export function openWholeMemberGunzip(): WholeMemberGunzip | null {
  if (!libdeflateWanted()) return null;
  const lib = loadBinding();
  if (!lib) return null;
  let decompressor: unknown = lib.alloc();
  if (decompressor === null) return null;
  // Reused per call: koffi writes the two size_t results into element 0.
  const inUsed = [0];
  const outUsed = [0];
  return {
    name: lib.name,
    gunzip(input, out, outLength) {
      if (decompressor === null) throw new Error('libdeflate decompressor used after close()');
      const result = lib.gzipDecompress(decompressor, input, input.length, out, outLength, inUsed, outUsed);
      if (result === LIBDEFLATE_SUCCESS) return { kind: 'done', consumed: inUsed[0]!, produced: outUsed[0]! };
      return result === LIBDEFLATE_INSUFFICIENT_SPACE ? { kind: 'out-too-small' } : { kind: 'unknown' };
    },
    close() {
      if (decompressor !== null) lib.free(decompressor);
      decompressor = null;
    },
  };
}
