/**
 * Every threshold of the Japanese language check, in one place. Defaults were tuned on the langid dev set
 * (`pnpm eval langid`) with general script rules, not per-item fixes.
 */
export interface LangIdConfig {
  // ---- byte pre-check (raw HTML, before charset decoding) ----
  /** Kana byte patterns needed to pass: one accidental match is possible in legacy CJK encodings, two are not. */
  minKanaByteHits: number;
  /** A body that is not valid UTF-8 but errs on at most this share of its multibyte characters is still UTF-8 (a truncated record, a stray byte), not Shift_JIS/EUC-JP, whose readings of UTF-8 misalign and hit by chance. */
  maxUtf8ErrorShare: number;
  /** Shift_JIS/EUC-JP reading: decoding errors allowed per kana hit; Japanese has ~0, Big5 read as EUC-JP errs more often than it hits. */
  maxLegacyErrorsPerHit: number;
  /** Shift_JIS/EUC-JP reading: kana share of its characters; Japanese is far above it, EUC-KR read as EUC-JP (jamo ㅋㅋ) far below. */
  minLegacyKanaShare: number;
  /** NUL share of the bytes from which a body without a BOM is read as UTF-16/32: ASCII in UTF-16 is half NULs, HTML has none. */
  minNulShareForWideText: number;
  /** Kana share of 2-byte units to read a BOM-less, NUL-less body as UTF-16: Japanese prose is ~40 %, ASCII pairs like "0p" in markup well under 1 %. */
  minWideKanaShare: number;

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
  /** Share of letters that must be CJK (kana + Han) for the CJK rules (kana share, kanji forms) to apply, so a Latin text quoting a Japanese title stays Latin. */
  minCjkShareOfLetters: number;
  /** Japanese-only kanji forms (広, 駅, 働, ...) that turn a CJK text cld3 calls `zh` (or anything but `ja`) into `ja`. */
  minJapaneseOnlyKanji: number;
  /** Japanese-only kanji per Han character needed too, so one such form in a long Chinese text does not flip it. */
  minJapaneseOnlyKanjiShare: number;
  /** Han forms of each Chinese system (min of 選-like and 国-like counts) per Han character that turn a kana-less CJK text into `ja`: Japanese mixes both systems, Chinese writes one. */
  minMixedFormsShare: number;
  /** Kana needed to accept cld3's `ja` when no other Japanese evidence exists: it calls some short Traditional Chinese `ja`, and Japanese without kana or Japanese-looking kanji is rare. */
  minKanaToTrustCld3Ja: number;
  /** Score from which a guess is `reliable` (and a caller should keep a `ja` document); below it, the guess is a hint. */
  minReliableScore: number;
}

export const DEFAULT_LANGID_CONFIG: LangIdConfig = {
  minKanaByteHits: 2,
  maxUtf8ErrorShare: 0.02,
  maxLegacyErrorsPerHit: 0.25,
  minLegacyKanaShare: 0.02,
  minNulShareForWideText: 0.125,
  minWideKanaShare: 0.1,

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
  minMixedFormsShare: 0.02,
  minKanaToTrustCld3Ja: 1,
  minReliableScore: 0.5,
};
