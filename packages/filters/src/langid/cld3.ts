/**
 * The one place that touches cld3-asm. Its wasm heap is a fixed 16 MB: an identifier that is not
 * disposed leaks (the module aborts after ~1,300 of them) and a huge input string aborts it too. So a
 * caller makes ONE identifier per process/worker, reuses it, and gives it capped text only.
 */
import { loadModule, type CldFactory, type LanguageIdentifier } from 'cld3-asm';

export interface Cld3Answer {
  /** ISO 639-1 code as cld3 spells it ('ja', 'zh', 'zh-Latn', ...) or 'und'. */
  language: string;
  probability: number;
  reliable: boolean;
}

export interface Cld3Identifier {
  /** cld3's answer on `text`, which the caller has already capped (see `Cld3Identifier.maxChars`). */
  find(text: string): Cld3Answer;
  /** Longest text `find` accepts; longer text throws instead of risking a wasm abort. */
  readonly maxChars: number;
  dispose(): void;
}

/** UTF-8 bytes per UTF-16 code unit at worst (CJK: 3 bytes per unit), to size cld3's byte window. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** The wasm module is loaded once per process; identifiers are cheap, the module is not. */
let factoryPromise: Promise<CldFactory> | undefined;

function loadFactory(): Promise<CldFactory> {
  factoryPromise ??= loadModule().catch((error: unknown) => {
    factoryPromise = undefined; // let a later call retry rather than caching the failure
    throw error;
  });
  return factoryPromise;
}

/**
 * Creates an identifier that reads up to `maxChars` characters (its byte window is sized so that cld3
 * sees all of them, even as 3-byte CJK) and answers for inputs of at least `minBytes` bytes.
 */
export async function createCld3Identifier(maxChars: number, minBytes: number): Promise<Cld3Identifier> {
  const factory = await loadFactory();
  let identifier: LanguageIdentifier | undefined = factory.create(minBytes, maxChars * MAX_UTF8_BYTES_PER_UNIT);
  return {
    maxChars,
    find(text: string): Cld3Answer {
      if (identifier === undefined) throw new Error('cld3 identifier used after dispose()');
      if (text.length > maxChars) throw new RangeError(`cld3 input of ${text.length} chars exceeds the cap of ${maxChars}`);
      const result = identifier.findLanguage(text);
      // `language` is typed as a const enum; widen it to a plain string for callers.
      const language: string = result.language;
      return { language, probability: result.probability, reliable: result.is_reliable };
    },
    dispose(): void {
      identifier?.dispose();
      identifier = undefined;
    },
  };
}
