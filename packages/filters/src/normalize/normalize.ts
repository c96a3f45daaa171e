/**
 * Text normalisation before the quality rules, in this order:
 *
 * 1. Unpaired surrogates → U+FFFD. They are not valid UTF-16, cannot be written as UTF-8 (Parquet, JSON),
 *    and some consumers throw on them; U+FFFD keeps the position visible and is counted as invalid.
 * 2. Japanese punctuation (Swallow corpus phase 4, `kutoten.py`): a text that writes ，． after Japanese
 *    characters more often than 、。 gets them rewritten to 、。, except after full-width letters and digits
 *    (３．１４ stays). It must run before NFKC, which turns ，． into ASCII ,. and loses the distinction.
 * 3. NFKC, as HojiChar's DocumentNormalizer (`unicodedata.normalize("NFKC", text)`, the first step of
 *    HojiChar's example pipelines; llm-jp-corpus v1's own scripts do not normalise): full-width ASCII →
 *    ASCII (Ａ１！ → A1!), half-width katakana → full-width (ｶﾞ → ガ), ㈱ → (株), ⑴ → (1), ㌔ → キロ, ㍻ → 平成,
 *    NBSP and U+3000 → space, compatibility ideographs → unified. Those changes are wanted:
 *    one spelling per character for dedup and tokenisers. Excepted, because NFKC damages them:
 *    - circled forms (Unicode decomposition `<circle>`: ①-⑳ ㉑-㊿ ⓪ Ⓐ-ⓩ ㋐-㋾ ㊀-㊰ ...): NFKC drops the circle
 *      and glues the enumerator to the text ("①特約の内容" → "1特約の内容"). They become the parenthesised form
 *      NFKC itself gives ⑴ and ㈱ ("(1)特約の内容"): one spelling for both enumerator styles, the boundary kept.
 *      (HojiChar's plain NFKC has the glueing bug; neologdn, Swallow and llm-jp-corpus leave ① as it is,
 *      which keeps the boundary but leaves two spellings of "(1)" in the corpus.)
 *    - ゛゜ (U+309B/U+309C): NFKC gives a space plus a combining mark ("か゛" → "か ゙");
 *    - superscripts and subscripts: m² → m2 and H₂O → H2O change the meaning;
 *    - … and ‥: NFKC writes "..." and ".."; Japanese typesetting uses the single character, and the
 *      ellipsis rules accept both.
 *    (The Swallow corpus applies no Unicode normalisation; its rules read the raw text. Ours count ！？ and
 *    ASCII !? alike as sentence enders, so NFKC does not move the sentence scores.)
 * 4. White space: CRLF/CR/NEL/U+2028/U+2029/VT/FF → LF; control characters and invisible format characters
 *    (zero-width space, word joiner, BOM, soft hyphen, bidi controls) removed; trailing white space on
 *    every line removed; at most `maxBlankLines` blank lines in a row; no blank lines at the start, no
 *    white space at the end. Spaces inside a line are left alone (code, tables, English). ZWJ/ZWNJ and
 *    variation selectors stay: they are part of emoji sequences and of kanji variants (IVS).
 */

export interface NormalizeConfig {
  /** Rewrite ，． to 、。 in texts that use them as Japanese comma/period (Swallow corpus phase 4). */
  japanesePunctuation: boolean;
  /** Apply NFKC (HojiChar DocumentNormalizer) to everything but `nfkcExceptions`. */
  nfkc: boolean;
  /** Characters NFKC must leave as they are (see the module comment for why each). */
  nfkcExceptions: string;
  /** Circled forms (①, Ⓐ, ㋐, ㊤) become parenthesised ((1), (A), (ア), (上)) instead of NFKC's bare 1, A, ア, 上. */
  circledAsParenthesised: boolean;
  /** Line ends, control and invisible characters, trailing white space, blank-line runs. */
  cleanWhitespace: boolean;
  /** Consecutive blank lines kept (paragraph breaks); longer runs are cut to this. */
  maxBlankLines: number;
}

export const DEFAULT_NORMALIZE_CONFIG: NormalizeConfig = {
  japanesePunctuation: true,
  nfkc: true,
  nfkcExceptions: '゛゜…‥⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎',
  // NFKC's own form for ⑴ and ㈱; keeps "①特約" from becoming "1特約" (issue 17).
  circledAsParenthesised: true,
  cleanWhitespace: true,
  maxBlankLines: 1,
};

/** What normalisation changed in one text, for the ledger. */
export interface NormalizeStats {
  /** Unpaired surrogates replaced by U+FFFD. */
  replacedSurrogates: number;
  /** ，or ． rewritten to 、 or 。. */
  rewrittenPunctuation: number;
  /** 1 when NFKC changed the text, else 0. */
  nfkcChanged: number;
  /** Control and invisible characters removed. */
  removedInvisible: number;
  /** White-space characters removed from line ends and the end of the text. */
  trimmedSpaces: number;
  /** Blank lines removed (runs cut to `maxBlankLines`, leading blank lines). */
  removedBlankLines: number;
}

export interface NormalizeResult {
  text: string;
  stats: NormalizeStats;
}

// ---- 1. unpaired surrogates ----

function replaceLoneSurrogates(text: string, stats: NormalizeStats): string {
  const n = text.length;
  let parts: string[] | null = null;
  let seg = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    parts ??= [];
    parts.push(text.slice(seg, i), '\ufffd');
    seg = i + 1;
    stats.replacedSurrogates++;
  }
  if (parts === null) return text;
  parts.push(text.slice(seg));
  return parts.join('');
}

// ---- 2. Japanese punctuation (Swallow kutoten.py) ----

/** Swallow's "Japanese character before the comma/period": kana, kanji, closing brackets. */
function isJapaneseBefore(c: number, prev: number): boolean {
  return (
    (c >= 0x3041 && c <= 0x3096) ||
    (c >= 0x30a1 && c <= 0x30fa) ||
    c === 0x3005 ||
    c === 0x3007 ||
    c === 0x303b ||
    (c >= 0x3400 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    c === 0xff09 || // ）
    c === 0x300d || // 」
    c === 0x300f || // 』
    c === 0xff3d || // ］
    c === 0x3015 || // 〕
    c === 0x3011 || // 】
    c === 0x3009 || // 〉
    c === 0x300b || // 》
    (c >= 0xdc00 && c <= 0xdfff && prev >= 0xd840 && prev <= 0xd87f) // ext B kanji (surrogate pair)
  );
}

let rewriteCount = 0;
function toToten(run: string): string {
  rewriteCount += run.length;
  return '、'.repeat(run.length);
}
function toKuten(run: string): string {
  rewriteCount += run.length;
  return '。'.repeat(run.length);
}
// Not after a full-width digit or letter: ３．１４ and Ｈｉ，stay (Swallow's re_*_target).
const FULLWIDTH_COMMA_RUN = /(?<![０-９Ａ-Ｚａ-ｚ])，+/g;
const FULLWIDTH_PERIOD_RUN = /(?<![０-９Ａ-Ｚａ-ｚ])．+/g;

function normalizeJapanesePunctuation(text: string, stats: NormalizeStats): string {
  if (text.indexOf('，') < 0 && text.indexOf('．') < 0) return text;
  let toten = 0;
  let comma = 0;
  let kuten = 0;
  let period = 0;
  let prev = 0;
  let prev2 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3001 || c === 0xff0c || c === 0x3002 || c === 0xff0e) {
      // Count runs once (Swallow's regex consumes 、+), and only after a Japanese character.
      if (prev !== c && isJapaneseBefore(prev, prev2)) {
        if (c === 0x3001) toten++;
        else if (c === 0xff0c) comma++;
        else if (c === 0x3002) kuten++;
        else period++;
      }
    }
    prev2 = prev;
    prev = c;
  }
  rewriteCount = 0;
  let out = text;
  if (toten < comma) out = out.replace(FULLWIDTH_COMMA_RUN, toToten);
  if (kuten < period) out = out.replace(FULLWIDTH_PERIOD_RUN, toKuten);
  stats.rewrittenPunctuation += rewriteCount;
  return out;
}

// ---- 3. NFKC with exceptions ----

/** What NFKC does to a BMP code unit: apply it, leave the character, or write the replacement in `NfkcTable.replace`. */
const NFKC_APPLY = 0;
const NFKC_KEEP = 1;
const NFKC_REPLACE = 2;

interface NfkcTable {
  action: Uint8Array;
  replace: Map<number, string>;
}

/**
 * The BMP characters whose Unicode decomposition is `<circle>` (UnicodeData.txt; Python's
 * `unicodedata.decomposition(c).startswith('<circle>')` lists exactly these ranges, Unicode 15).
 */
const CIRCLED_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x2460, 0x2473], // ①-⑳
  [0x24b6, 0x24ea], // Ⓐ-ⓩ, ⓪
  [0x3244, 0x3247], // ㉄-㉇ circled 問 幼 文 箏
  [0x3251, 0x327e], // ㉑-㉟, circled Hangul
  [0x3280, 0x32bf], // ㊀-㊰ circled ideographs, ㊱-㊿
  [0x32d0, 0x32fe], // ㋐-㋾ circled katakana
];

function buildNfkcTable(config: NormalizeConfig): NfkcTable {
  const action = new Uint8Array(0x10000);
  const replace = new Map<number, string>();
  for (let i = 0; i < config.nfkcExceptions.length; i++) action[config.nfkcExceptions.charCodeAt(i)] = NFKC_KEEP;
  if (config.circledAsParenthesised) {
    for (const [from, to] of CIRCLED_RANGES) {
      for (let c = from; c <= to; c++) {
        action[c] = NFKC_REPLACE;
        replace.set(c, `(${String.fromCharCode(c).normalize('NFKC')})`);
      }
    }
  }
  return { action, replace };
}

function nfkcExcept(text: string, table: NfkcTable): string {
  let parts: string[] | null = null;
  let seg = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const a = table.action[c]!;
    if (a === NFKC_APPLY) continue;
    parts ??= [];
    parts.push(text.slice(seg, i).normalize('NFKC'), a === NFKC_KEEP ? text[i]! : table.replace.get(c)!);
    seg = i + 1;
  }
  if (parts === null) return text.normalize('NFKC');
  parts.push(text.slice(seg).normalize('NFKC'));
  return parts.join('');
}

// ---- 4. white space ----

const WS_NONE = 0;
/** Horizontal white space (what `trimEnd` removes, minus line breaks). */
const WS_SPACE = 1;
/** Control and invisible characters to remove. */
const WS_REMOVE = 2;
/** Line breaks other than LF. */
const WS_BREAK = 3;

function buildWhitespaceTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  t.fill(WS_REMOVE, 0x00, 0x20);
  t[0x09] = WS_SPACE;
  t[0x0a] = WS_NONE;
  t[0x0b] = WS_BREAK;
  t[0x0c] = WS_BREAK;
  t[0x0d] = WS_BREAK;
  t[0x20] = WS_SPACE;
  t.fill(WS_REMOVE, 0x7f, 0xa0);
  t[0x85] = WS_BREAK;
  t[0xa0] = WS_SPACE;
  t[0xad] = WS_REMOVE; // soft hyphen
  t[0x1680] = WS_SPACE;
  t.fill(WS_SPACE, 0x2000, 0x200b);
  t[0x200b] = WS_REMOVE; // zero-width space
  t[0x200e] = WS_REMOVE; // LRM
  t[0x200f] = WS_REMOVE; // RLM
  t[0x2028] = WS_BREAK;
  t[0x2029] = WS_BREAK;
  t.fill(WS_REMOVE, 0x202a, 0x202f); // bidi embeddings
  t[0x202f] = WS_SPACE;
  t[0x205f] = WS_SPACE;
  t.fill(WS_REMOVE, 0x2060, 0x2065); // word joiner, invisible operators
  t.fill(WS_REMOVE, 0x2066, 0x206a); // bidi isolates
  t[0x3000] = WS_SPACE;
  t[0xfeff] = WS_REMOVE; // BOM / ZWNBSP
  return t;
}

const WS_TABLE = buildWhitespaceTable();
const REMOVABLE = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/;

/** True when `cleanWhitespace` would change the text (the common case is a clean text: no copy). */
function needsWhitespaceCleanup(text: string, maxBlankLines: number): boolean {
  const n = text.length;
  if (n === 0) return false;
  let prevSpace = false;
  let newlines = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const t = WS_TABLE[c]!;
    if (t === WS_REMOVE || t === WS_BREAK) return true;
    if (c === 0x0a) {
      if (prevSpace || i === 0) return true;
      newlines++;
      if (newlines > maxBlankLines + 1) return true;
    } else newlines = 0;
    prevSpace = t === WS_SPACE;
  }
  return prevSpace || newlines > 0;
}

function cleanWhitespace(text: string, maxBlankLines: number, stats: NormalizeStats): string {
  if (!needsWhitespaceCleanup(text, maxBlankLines)) return text;
  const lines = text.split(LINE_BREAK);
  const out: string[] = [];
  let blank = 0;
  for (let line of lines) {
    const before = line.length;
    line = line.replace(REMOVABLE, '');
    stats.removedInvisible += before - line.length;
    const trimmed = line.trimEnd();
    stats.trimmedSpaces += line.length - trimmed.length;
    if (trimmed === '') {
      blank++;
      continue;
    }
    if (out.length > 0) {
      const keep = Math.min(blank, maxBlankLines);
      for (let b = 0; b < keep; b++) out.push('');
      stats.removedBlankLines += blank - keep;
    } else stats.removedBlankLines += blank;
    blank = 0;
    out.push(trimmed);
  }
  stats.removedBlankLines += blank > 0 ? blank - 1 : 0; // the last line break of a text ending in one is not a blank line
  return out.join('\n');
}

// ---- the normaliser ----

export type Normalizer = (text: string) => NormalizeResult;

/** A normaliser for `config` (the exception table is built once here, not per text). */
export function createNormalizer(config: NormalizeConfig = DEFAULT_NORMALIZE_CONFIG): Normalizer {
  if (!Number.isInteger(config.maxBlankLines) || config.maxBlankLines < 0) {
    throw new Error(`normalize config maxBlankLines: expected a non-negative integer, got ${config.maxBlankLines}`);
  }
  const nfkcTable = buildNfkcTable(config);
  return (text: string): NormalizeResult => {
    const stats: NormalizeStats = {
      replacedSurrogates: 0,
      rewrittenPunctuation: 0,
      nfkcChanged: 0,
      removedInvisible: 0,
      trimmedSpaces: 0,
      removedBlankLines: 0,
    };
    let out = replaceLoneSurrogates(text, stats);
    if (config.japanesePunctuation) out = normalizeJapanesePunctuation(out, stats);
    if (config.nfkc) {
      const normalized = nfkcExcept(out, nfkcTable);
      if (normalized !== out) stats.nfkcChanged = 1;
      out = normalized;
    }
    if (config.cleanWhitespace) out = cleanWhitespace(out, config.maxBlankLines, stats);
    return { text: out, stats };
  };
}

const defaultNormalizer = createNormalizer();

/** Normalises `text` with `DEFAULT_NORMALIZE_CONFIG`. */
export function normalizeText(text: string): NormalizeResult {
  return defaultNormalizer(text);
}
