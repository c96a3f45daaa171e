/**
 * Cheap "could this be Japanese?" checks that run before the expensive steps. Both may pass some
 * non-Japanese input (cld3 decides after) but must essentially never reject Japanese.
 *
 * - `hasJapaneseBytes` reads raw HTML bytes before charset decoding and parsing, so a non-Japanese page
 *   costs little beyond its gunzip.
 * - `hasJapaneseText` reads decoded text before cld3.
 */
import { isUtf8 } from 'node:buffer';
import { countWideKanaUnits, emptyByteReadings, readLegacyBytes, wideKanaShare, type ByteReadings } from './byte-readings.ts';
import { DEFAULT_LANGID_CONFIG, type LangIdConfig } from './config.ts';
import { countScripts, emptyScriptCounts, hanShareOfLetters, type ScriptCounts } from './script.ts';

type ByteCheckConfig = Pick<
  LangIdConfig,
  | 'minKanaByteHits'
  | 'maxUtf8ErrorShare'
  | 'maxLegacyErrorsPerHit'
  | 'minLegacyKanaShare'
  | 'minNulShareForWideText'
  | 'minWideKanaShare'
>;
type TextCheckConfig = Pick<LangIdConfig, 'minKanaChars' | 'minHanShare' | 'maxScanChars'>;

/**
 * Raw HTML bytes could be Japanese: they hold kana in one of the encodings the Japanese web uses.
 *
 * The common case is fast and allocation-free: native scans (TypedArray `indexOf`, simdutf behind
 * `isUtf8`) look for UTF-8 kana and the ISO-2022-JP escape, and a valid UTF-8 (or ASCII) body without
 * kana is rejected there. Only bodies that are not valid UTF-8 (legacy encodings, UTF-16 without BOM,
 * UTF-8 with broken bytes) take the slower JS reading in `byte-readings.ts`.
 *
 * Kana patterns:
 * - UTF-8: U+3041–U+30FA = E3 81 81 … E3 83 BA (CJK punctuation U+3000–303F is shared with Chinese, so not counted)
 * - EUC-JP: hiragana A4 A1–F3, katakana A5 A1–F6
 * - Shift_JIS/CP932: hiragana 82 9F–F1, katakana 83 40–96
 * - ISO-2022-JP: the escape ESC $ B / ESC $ @ (only Japanese uses it) passes at once
 * - UTF-16/32 (BOM, many NUL bytes, or as a last resort a high share): kana code units 30 41–30 FA
 */
export function hasJapaneseBytes(body: Uint8Array, config: ByteCheckConfig = DEFAULT_LANGID_CONFIG): boolean {
  const minHits = config.minKanaByteHits;
  if (body.length >= 2 && ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff))) {
    return countWideKanaUnits(body, body[0] === 0xfe, minHits) >= minHits;
  }
  if (countUtf8Kana(body, minHits) >= minHits) return true;
  if (hasIso2022JpEscape(body)) return true;
  // Valid UTF-8 (pure ASCII included) without kana is not Japanese. Most of the web ends here.
  if (isUtf8(body)) return false;
  return legacyBytesLookJapanese(body, config);
}

/**
 * UTF-8 kana triplets E3 81 81–BF, E3 82 80–BF, E3 83 80–BA, up to `enough`. E3 is always a lead byte in
 * UTF-8, and the triplet practically never arises in other encodings (in Shift_JIS only inside Japanese
 * text), so no alignment is tracked. `indexOf` jumps natively from one E3 to the next.
 */
function countUtf8Kana(body: Uint8Array, enough: number): number {
  let hits = 0;
  const lastStart = body.length - 3;
  for (let i = body.indexOf(0xe3); i >= 0 && i <= lastStart; i = body.indexOf(0xe3, i + 1)) {
    const b1 = body[i + 1]!;
    const b2 = body[i + 2]!;
    if (b2 < 0x80 || b2 > 0xbf) continue;
    if (((b1 === 0x81 && b2 >= 0x81) || b1 === 0x82 || (b1 === 0x83 && b2 <= 0xba)) && ++hits >= enough) break;
  }
  return hits;
}

/** ESC $ B or ESC $ @: switches ISO-2022-JP to JIS X 0208, which only Japanese text does. */
function hasIso2022JpEscape(body: Uint8Array): boolean {
  const lastStart = body.length - 3;
  for (let i = body.indexOf(0x1b); i >= 0 && i <= lastStart; i = body.indexOf(0x1b, i + 1)) {
    if (body[i + 1] === 0x24 && (body[i + 2] === 0x42 || body[i + 2] === 0x40)) return true;
  }
  return false;
}

const scratchReadings: ByteReadings = emptyByteReadings();

/** The slow path for bodies that are not valid UTF-8; see `readLegacyBytes`. */
function legacyBytesLookJapanese(body: Uint8Array, config: ByteCheckConfig): boolean {
  const r = readLegacyBytes(body, scratchReadings);
  const nulBytes = r.nulEven + r.nulOdd;
  if (nulBytes > 0 && nulBytes >= body.length * config.minNulShareForWideText) {
    // ASCII in UTF-16BE is 00 xx: its NULs sit at even offsets.
    return countWideKanaUnits(body, r.nulEven > r.nulOdd, config.minKanaByteHits) >= config.minKanaByteHits;
  }
  // UTF-8 with a few broken bytes (a truncated record, a stray Latin-1 byte): its kana were counted already.
  if (r.utf8Errors <= r.utf8Chars * config.maxUtf8ErrorShare) return false;
  if (legacyReadingIsJapanese(r.eucHits, r.eucErrors, r.eucChars, config)) return true;
  if (legacyReadingIsJapanese(r.sjisHits, r.sjisErrors, r.sjisChars, config)) return true;
  // Last: UTF-16 text without BOM and without ASCII has no NULs to spot it by.
  return wideKanaShare(body) >= config.minWideKanaShare;
}

/**
 * A legacy reading (EUC-JP or Shift_JIS) is Japanese when it has enough kana, few decoding errors per kana
 * (Big5 read as EUC-JP hits often in its common row A4 but errs more), and kana are a real share of its
 * characters (EUC-KR read as EUC-JP hits only on Hangul jamo such as ㅋㅋ, a tiny share of its characters).
 */
function legacyReadingIsJapanese(hits: number, errors: number, chars: number, config: ByteCheckConfig): boolean {
  return hits >= config.minKanaByteHits && errors <= hits * config.maxLegacyErrorsPerHit && hits >= chars * config.minLegacyKanaShare;
}

/** Scratch record for `hasJapaneseText`, reused so the check allocates nothing. */
const scratchCounts: ScriptCounts = emptyScriptCounts();

/**
 * Decoded text could be Japanese: it holds kana, or Han makes up enough of its letters (a kana-less
 * Japanese headline is indistinguishable from Chinese by script alone, so it goes on to cld3 and the
 * script rules instead of being dropped here).
 */
export function hasJapaneseText(text: string, config: TextCheckConfig = DEFAULT_LANGID_CONFIG): boolean {
  return passesTextPrecheck(countScripts(text, config.maxScanChars, scratchCounts, config.minKanaChars), config);
}

/** The text pre-check's verdict on counts already taken (the detector counts once and reuses them). */
export function passesTextPrecheck(counts: ScriptCounts, config: TextCheckConfig = DEFAULT_LANGID_CONFIG): boolean {
  return counts.kana >= config.minKanaChars || (counts.han > 0 && hanShareOfLetters(counts) >= config.minHanShare);
}
