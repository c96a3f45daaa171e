/**
 * Decoding by name, with one cached TextDecoder per charset (creating one costs far more than a short
 * decode). Non-fatal decoders only: the decision wants an error *rate* (U+FFFD count), which a fatal
 * decoder cannot give, and the final text must exist even for a damaged body.
 */
import { iso2022KrToEucKr } from './iso2022.ts';
import { decodeJohab } from './johab.ts';
import { decodeUtf32 } from './wide.ts';
import { decodeWindows1252 } from './windows-1252.ts';

type Decoder = InstanceType<typeof TextDecoder>;

const decoders = new Map<string, Decoder | null>();

function cachedDecoder(charset: string): Decoder | null {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      decoder = null;
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}

/** Charsets decoded here rather than by TextDecoder. */
const OWN_DECODERS = new Set(['utf-32le', 'utf-32be', 'iso-2022-kr', 'johab', 'windows-1252']);

/** True when decodeAs can decode this (canonical) charset name. */
export function isDecodable(charset: string): boolean {
  return OWN_DECODERS.has(charset) || cachedDecoder(charset) !== null;
}

/** Decodes with the named charset; a BOM matching it is dropped. Throws for a name isDecodable rejects. */
export function decodeAs(charset: string, bytes: Uint8Array): string {
  if (charset === 'utf-32le') return decodeUtf32(bytes, true);
  if (charset === 'utf-32be') return decodeUtf32(bytes, false);
  if (charset === 'iso-2022-kr') return decodeAs('euc-kr', iso2022KrToEucKr(bytes));
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  if (charset === 'johab') return decodeJohab(bytes);
  const decoder = cachedDecoder(charset);
  if (!decoder) throw new RangeError(`no decoder for charset '${charset}'`);
  return decoder.decode(bytes);
}

/** U+FFFD characters in a string (native indexOf steps, no per-char loop in JS). */
export function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}
