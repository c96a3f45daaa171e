/**
 * decodeBody: decide the charset of an HTML/text body, decode it, and say how the decision was made.
 *
 * Decision order (first rule that applies wins):
 *  1. BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE). → 'bom'
 *  2. 7-bit data with an ISO-2022-JP (or ISO-2022-KR) designation. No other charset produces these
 *     escapes, so they beat any declaration. → the declaring source if it agrees, else 'sniffed'
 *  3. UTF-16/32 without BOM, recognised by NUL bytes confined to fixed lanes. A page's `<meta>` that
 *     claims UTF-16 is ignored, as in browsers: if the meta was readable as ASCII, the page is not UTF-16.
 *  4. Pure ASCII: the declared charset if it is ASCII-compatible, else UTF-8 (all read ASCII alike).
 *  5. Well-formed multi-byte UTF-8 (or truncated, or with a few stray bytes: byte-profile.ts): UTF-8,
 *     whatever is declared. Legacy CJK or Latin-1 text is practically never valid UTF-8 beyond a few
 *     characters, while pages re-saved as UTF-8 that keep `charset=Shift_JIS` are common.
 *  6. A declared charset (HTTP header first, then `<meta>` / XML prolog) whose decode of the sample has a
 *     negligible error rate and fits its language strongly (script-models.ts) is used without looking
 *     further. This is the fast path for the typical legacy Japanese page.
 *  7. Otherwise every sniff candidate and the declared charsets are scored on the sample. Declared
 *     charsets that decode cleanly get a bonus (the header a larger one, and more when the sample holds
 *     only a few characters), so a declaration stands unless the bytes clearly contradict it: e.g.
 *     `iso-8859-1` from a server default over Shift_JIS text, or `shift_jis` over EUC-JP bytes (which
 *     decode "validly" as half-width katakana). A clean declaration of a charset no model judges
 *     (Arabic, say) yields only to a double-byte candidate. Without any declaration the search stops at
 *     the first decisive double-byte fit (sniff.ts).
 *     Why a bonus rather than "declared wins if fatal-valid": single-byte charsets are valid on any
 *     bytes and EUC-JP is valid Shift_JIS, so validity alone cannot catch the common mislabels.
 *  8. If even the best candidate fits poorly (binary, or a script no model knows), fall back to the
 *     declared charset, else UTF-8: the lossy UTF-8 decode makes the garbage visible as U+FFFD, which a
 *     pipeline can count and drop, where windows-1252 would silently "succeed" on any bytes.
 */
import { detectBom } from './bom.ts';
import { profileBytes, type ByteProfile } from './byte-profile.ts';
import { charsetFromContentType, charsetFromDocumentHead } from './declared.ts';
import { countReplacementChars, decodeAs, isDecodable } from './decoders.ts';
import { detectIso2022 } from './iso2022.ts';
import { isAsciiCompatible } from './labels.ts';
import { isDoubleByteCharset, modelOf } from './script-models.ts';
import { evidenceSample, fitCandidates, fitOf, type CandidateFit } from './sniff.ts';
import { sniffWideUnicode } from './wide.ts';

export interface DecodedBody {
  text: string;
  /** lower-case WHATWG name from the HTTP header, else from the page (meta / XML prolog), else null */
  charsetDeclared: string | null;
  /** WHATWG name actually used, e.g. 'utf-8', 'shift_jis', 'euc-jp', 'iso-2022-jp', 'windows-1252', 'gbk', 'big5', 'euc-kr', 'utf-16le' */
  charset: string;
  /** how the decision was made */
  decidedBy: 'bom' | 'http' | 'meta' | 'sniffed';
  /** U+FFFD replacement characters produced by the final (non-fatal) decode; a pipeline may drop docs with many */
  replacementChars: number;
}

type DecidedBy = DecodedBody['decidedBy'];

/** U+FFFD per non-ASCII character tolerated in a declared charset's decode ("negligible error rate"). */
const MAX_DECLARED_REPLACEMENT_SHARE = 0.01;
/** Fit at which a clean declared decode is accepted without trying other charsets (real text scores 0.7–1). */
const DECLARED_STRONG_FIT = 0.7;
/** Head start of a clean declared charset over sniffed ones: the bytes must fit another charset clearly better. */
const HTTP_DECLARED_BONUS = 0.15;
const PAGE_DECLARED_BONUS = 0.1;
/**
 * A few characters are weak evidence (one Hangul syllable is also a valid Kanji in EUC-JP), so a clean
 * declaration gets up to SMALL_SAMPLE_EXTRA_BONUS more head start, shrinking to none at SMALL_SAMPLE_CHARS.
 * A perfect fit (four katakana read as EUC-JP) still beats a mediocre declared one.
 */
const SMALL_SAMPLE_CHARS = 8;
const SMALL_SAMPLE_EXTRA_BONUS = 0.5;
/** Below this fit no candidate is believed (rule 8). */
const MIN_PLAUSIBLE_FIT = 0.2;

interface Declaration {
  charset: string;
  source: 'http' | 'meta';
}

export function decodeBody(bytes: Uint8Array, httpContentType?: string | null): DecodedBody {
  const fromHttp = charsetFromContentType(httpContentType);
  const fromPage = charsetFromDocumentHead(bytes);
  const charsetDeclared = fromHttp ?? fromPage;
  const result = (charset: string, decidedBy: DecidedBy, knownReplacements?: number): DecodedBody => {
    const text = decodeAs(charset, bytes);
    const replacementChars = knownReplacements ?? countReplacementChars(text);
    return { text, charsetDeclared, charset, decidedBy, replacementChars };
  };

  const bom = detectBom(bytes);
  if (bom) return result(bom.charset, 'bom');

  const profile = profileBytes(bytes);
  const declarations = usableDeclarations(fromHttp, fromPage, profile);
  const sourceOf = (charset: string): DecidedBy =>
    declarations.find((d) => d.charset === charset)?.source ?? 'sniffed';

  const iso2022 = detectIso2022(bytes, profile);
  if (iso2022) return result(iso2022, sourceOf(iso2022));

  const wide = sniffWideUnicode(profile);
  if (wide) return result(wide, sourceOf(wide));

  if (profile.isAscii) {
    const declared = declarations.find((d) => isAsciiCompatible(d.charset));
    return declared ? result(declared.charset, declared.source) : result('utf-8', 'sniffed');
  }

  if (profile.utf8 !== 'invalid') {
    // Well-formed UTF-8 decodes without a single U+FFFD: skip the count on the common path.
    return result('utf-8', sourceOf('utf-8'), profile.utf8 === 'valid' ? 0 : undefined);
  }

  const sample = evidenceSample(bytes, profile);
  const first = declarations[0];
  if (first) {
    const fit = fitOf(first.charset, sample);
    if (fit.replacementShare <= MAX_DECLARED_REPLACEMENT_SHARE && fit.fit >= DECLARED_STRONG_FIT) {
      return result(first.charset, first.source);
    }
  }

  const best = bestCandidate(fitCandidates(sample, declarations.map((d) => d.charset)), declarations);
  if (best) return result(best.charset, sourceOf(best.charset));
  return first ? result(first.charset, first.source) : result('utf-8', 'sniffed');
}

/**
 * Declarations worth testing against the bytes, header first. Unknown labels were already dropped by the
 * label normaliser; a UTF-16/32 declaration is only kept from the header (a readable `<meta>` proves the
 * page is ASCII-compatible, so WHATWG reads it as UTF-8) and only when the NUL layout agrees (rule 3).
 */
function usableDeclarations(fromHttp: string | null, fromPage: string | null, profile: ByteProfile): Declaration[] {
  const declarations: Declaration[] = [];
  const add = (charset: string, source: Declaration['source']): void => {
    if (isDecodable(charset) && !declarations.some((d) => d.charset === charset)) declarations.push({ charset, source });
  };
  if (fromHttp) {
    if (isAsciiCompatible(fromHttp) || sniffWideUnicode(profile) === fromHttp) add(fromHttp, 'http');
  }
  if (fromPage) add(isAsciiCompatible(fromPage) ? fromPage : 'utf-8', 'meta');
  return declarations;
}

/**
 * Highest fit after the declaration bonus; null when nothing is plausible (rule 8). A clean declaration of
 * a charset no model judges (Arabic windows-1256, say) only yields to a double-byte candidate: a
 * single-byte rival's "good" fit would just mean its own script's letters turned up, which any byte
 * soup gives it.
 */
function bestCandidate(fits: readonly CandidateFit[], declarations: readonly Declaration[]): CandidateFit | null {
  const isDeclared = (charset: string): boolean => declarations.some((d) => d.charset === charset);
  const unjudged = fits.some(
    (f) => isDeclared(f.charset) && modelOf(f.charset) === 'generic' && f.replacementShare <= MAX_DECLARED_REPLACEMENT_SHARE,
  );
  let best: CandidateFit | null = null;
  let bestScore = -Infinity;
  for (const candidate of fits) {
    if (candidate.fit < MIN_PLAUSIBLE_FIT) continue;
    if (unjudged && !isDeclared(candidate.charset) && !isDoubleByteCharset(candidate.charset)) continue;
    const score = candidate.fit + declarationBonus(candidate, declarations);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function declarationBonus(candidate: CandidateFit, declarations: readonly Declaration[]): number {
  if (candidate.replacementShare > MAX_DECLARED_REPLACEMENT_SHARE) return 0;
  const declared = declarations.find((d) => d.charset === candidate.charset);
  if (!declared) return 0;
  const weakEvidence = Math.max(0, 1 - candidate.chars / SMALL_SAMPLE_CHARS);
  return (declared.source === 'http' ? HTTP_DECLARED_BONUS : PAGE_DECLARED_BONUS) + SMALL_SAMPLE_EXTRA_BONUS * weakEvidence;
}
