/**
 * Every threshold of the Japanese language check, in one place. Defaults were tuned on the langid dev set
 * (`pnpm eval langid`) with general script rules, not per-item fixes.
 */
export interface LangIdConfig {
  // ---- byte pre-check (raw HTML, before charset decoding) ----
  /** Kana byte patterns needed to pass: one accidental match is possible in legacy CJK encodings, two are not. */
  minKanaByteHits: number;
  /** A body whose UTF-8 errors are at most this share of its multibyte characters is read as UTF-8 only (Shift_JIS/EUC-JP readings of UTF-8 misalign and hit by chance). */
  maxUtf8ErrorShare: number;

  // ---- text pre-check (decoded text, before cld3) ----
  /** Kana characters that pass at once: kana outside Japanese is rare, and cld3 decides after. */
  minKanaChars: number;
  /** Han share of letters that passes kana-less text on, so Japanese headlines without kana reach cld3. */
  minHanShare: number;
  /** Characters the text pre-check and the script counts look at: bounds the cost on huge documents. */
  maxScanChars: number;

  // ---- cld3 ----
  /** Characters per slice given to cld3: its wasm heap is a fixed 16 MB and a 2M-character string aborts it. */
  cld3SliceChars: number;
  /** Slices sampled from a long text (spread from head to tail), so one odd block such as a menu does not decide alone. */
  cld3MaxSlices: number;
  /** cld3 answers `und` below this many bytes; 0 so that short headlines still get an answer. */
  cld3MinBytes: number;

  // ---- script rules (after cld3) ----
  /** Kana share of letters from which the text is Japanese whatever cld3 says: no other language cld3 knows writes kana. */
  minKanaShareOfLetters: number;
  /** Kana share of CJK characters (kana + Han) from which a CJK-dominated text that cld3 calls zh/ko/... is Japanese. */
  minKanaShareOfCjk: number;
  /** Share of letters that must be CJK (kana + Han) for the CJK kana-share rule to apply, so a Latin text quoting a Japanese title stays Latin. */
  minCjkShareOfLetters: number;
  /** Japanese-only kanji forms (広, 駅, 働, ...) that turn a kana-less `zh` answer into `ja`. */
  minJapaneseOnlyKanji: number;
  /** Japanese-only kanji per Han character needed too, so one such form in a long Chinese text does not flip it. */
  minJapaneseOnlyKanjiShare: number;
  /** Score from which a guess is `reliable` (and a caller should keep a `ja` document); below it, the guess is a hint. */
  minReliableScore: number;
}

export const DEFAULT_LANGID_CONFIG: LangIdConfig = {
  minKanaByteHits: 2,
  maxUtf8ErrorShare: 0.02,

  minKanaChars: 1,
  minHanShare: 0.3,
  maxScanChars: 100_000,

  cld3SliceChars: 1_000,
  cld3MaxSlices: 3,
  cld3MinBytes: 0,

  minKanaShareOfLetters: 0.3,
  minKanaShareOfCjk: 0.1,
  minCjkShareOfLetters: 0.5,
  minJapaneseOnlyKanji: 1,
  minJapaneseOnlyKanjiShare: 0.02,
  minReliableScore: 0.5,
};
