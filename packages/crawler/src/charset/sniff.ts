/**
 * Candidate scoring: decode a sample of the body under each candidate charset and measure how well the
 * text fits that charset's language (script-models.ts). Only the part of the body that can differ
 * between candidates is sampled: it starts at the first non-ASCII byte.
 */
import type { ByteProfile } from './byte-profile.ts';
import { countReplacementChars, decodeAs } from './decoders.ts';
import { isDoubleByteCharset, modelFit, modelOf } from './script-models.ts';
import { CharClass, gatherEvidence } from './text-evidence.ts';

/**
 * Charsets the sniffer tries, in tie-break order (ties happen when candidates decode the sample alike):
 * Japanese first, since this is a Japanese corpus; windows-1252 before Latin-2 (French/German letters
 * read alike in both; Polish ł ą ś become symbols in windows-1252, so Latin-2 wins those on fit) and
 * before the Cyrillic ones (… “ ” – sit at the same bytes); a script's Windows code page before its ISO
 * and DOS/Mac relatives; Johab (DOS-era Korean) last. Thai (windows-874) is not sniffed: any byte soup
 * reads as Thai letters, so it is only used when declared.
 */
export const SNIFF_CANDIDATES: readonly string[] = [
  'shift_jis',
  'euc-jp',
  'gbk',
  'big5',
  'euc-kr',
  'windows-1252',
  'windows-1250',
  'iso-8859-2',
  'windows-1251',
  'koi8-r',
  'windows-1253',
  'windows-1255',
  'ibm866',
  'iso-8859-5',
  'x-mac-cyrillic',
  'johab',
];

/**
 * The sample holds this many non-ASCII bytes when the body has them (about 2,000 CJK characters):
 * plenty to tell the candidates apart, and it bounds the cost of decoding it under every candidate.
 */
const SAMPLE_HIGH_BYTES = 4096;
/** A sample never spans more than this, even when non-ASCII bytes are sparse (long scripts and markup). */
const MAX_SAMPLE_BYTES = 256 * 1024;
/** ASCII kept before the first non-ASCII byte, so the Latin and Cyrillic models see the word it sits in. */
const SAMPLE_LEAD_IN_BYTES = 32;
/** Bytes below this are never a non-first byte in any candidate (GB18030's four-byte form uses 0x30–0x39),
 *  so cutting the sample right after one never splits a character. */
const SAFE_CUT_BELOW = 0x30;
const FIRST_HIGH_BYTE = 0x80;

export interface EvidenceSample {
  bytes: Uint8Array;
  /** Bytes ≥ 0x80 in the sample. */
  highBytes: number;
}

/**
 * The bytes to score: from just before the first non-ASCII byte (everything earlier is ASCII under every
 * candidate) until SAMPLE_HIGH_BYTES non-ASCII bytes were seen, cut after a character boundary.
 */
export function evidenceSample(bytes: Uint8Array, profile: ByteProfile): EvidenceSample {
  const first = Math.max(0, profile.firstHighByte);
  const start = Math.max(0, first - SAMPLE_LEAD_IN_BYTES);
  const limit = Math.min(bytes.length, start + MAX_SAMPLE_BYTES);
  let highBytes = 0;
  let end = first;
  while (end < limit && highBytes < SAMPLE_HIGH_BYTES) {
    if (bytes[end]! >= FIRST_HIGH_BYTE) highBytes++;
    end++;
  }
  if (end < bytes.length) {
    let cut = end;
    while (cut > first && bytes[cut - 1]! >= SAFE_CUT_BELOW) cut--;
    if (cut > first) {
      for (let i = cut; i < end; i++) if (bytes[i]! >= FIRST_HIGH_BYTE) highBytes--;
      end = cut;
    }
  }
  return { bytes: bytes.subarray(start, end), highBytes };
}

export interface CandidateFit {
  charset: string;
  /** modelFit of the decoded sample (script-models.ts); -Infinity when the decode is hopelessly invalid. */
  fit: number;
  /** U+FFFD per non-ASCII character of the decoded sample. */
  replacementShare: number;
  /** Non-ASCII characters in the decoded sample: how much evidence the fit rests on. */
  chars: number;
}

/**
 * More U+FFFD than one per this many non-ASCII bytes (≥ 10 % of double-byte characters) rules a candidate
 * out before the costlier evidence pass: no model could rate such a decode as plausible.
 */
const HOPELESS_HIGH_BYTES_PER_REPLACEMENT = 20;

export function fitOf(charset: string, sample: EvidenceSample): CandidateFit {
  const text = decodeAs(charset, sample.bytes);
  if (countReplacementChars(text) * HOPELESS_HIGH_BYTES_PER_REPLACEMENT > sample.highBytes) {
    return { charset, fit: Number.NEGATIVE_INFINITY, replacementShare: 1, chars: 0 };
  }
  const evidence = gatherEvidence(text);
  const replacements = evidence.counts[CharClass.Replacement]!;
  return {
    charset,
    fit: modelFit(modelOf(charset), evidence),
    replacementShare: evidence.nonAscii === 0 ? 0 : replacements / evidence.nonAscii,
    chars: evidence.nonAscii,
  };
}

/**
 * A clean double-byte decode that fits this well over this many characters ends an undeclared search: no
 * wrong CJK decode of real text was seen above 0.6, and the candidates after it cost time on every page.
 */
const DECISIVE_FIT = 0.8;
const DECISIVE_MIN_CHARS = 64;

function isDecisive(fit: CandidateFit): boolean {
  return (
    fit.fit >= DECISIVE_FIT &&
    fit.chars >= DECISIVE_MIN_CHARS &&
    fit.replacementShare === 0 &&
    isDoubleByteCharset(fit.charset)
  );
}

/**
 * Fits of the declared charsets, then of the sniff candidates in order. With nothing declared, the search
 * stops at the first decisive double-byte fit (it is then the last element).
 */
export function fitCandidates(sample: EvidenceSample, declared: readonly string[]): CandidateFit[] {
  const fits = declared.map((charset) => fitOf(charset, sample));
  for (const charset of SNIFF_CANDIDATES) {
    if (declared.includes(charset)) continue;
    const fit = fitOf(charset, sample);
    fits.push(fit);
    if (declared.length === 0 && isDecisive(fit)) break;
  }
  return fits;
}
