/** What `pnpm report` draws: every choice in one place, each with its reason. */

export interface HistogramSpec {
  /** Shown as the heading and used in `data-metric="hist.<name>.*"`. */
  name: string;
  /** The column the expression needs; the histogram is marked missing when the shards lack it. */
  column: string;
  /** SQL over one shard row; default the column itself. */
  expr?: string;
  /** Log-spaced bins for long-tailed lengths, linear for shares and probabilities. */
  scale: 'linear' | 'log';
  /** Fixed bin range, so the same score is binned the same way in every run; default the data's min and max. */
  range?: [number, number];
  integer: boolean;
  description: string;
}

export interface ReportConfig {
  /** Bins per histogram: 24 shows a distribution's shape on a 720 px chart with bars wide enough to hover. */
  histogramBins: number;
  lengthHistograms: HistogramSpec[];
  scoreHistograms: HistogramSpec[];
  /** Characters of the first audit sample shown next to its link (the file has the sample's whole preview). */
  previewChars: number;
}

export const DEFAULT_REPORT_CONFIG: ReportConfig = {
  histogramBins: 24,
  lengthHistograms: [
    { name: 'chars', column: 'text', expr: 'length(text)', scale: 'log', integer: true, description: 'Characters (code points) per kept document.' },
    { name: 'tokens', column: 'token_count', scale: 'log', integer: true, description: 'Tokens per kept document (the token_count column).' },
  ],
  // The scores behind the rules that drop the most web text in LLM-jp / Swallow style filtering: length,
  // hiragana share (Japanese prose), Gopher's duplicate-line rule, NG words and the toxicity model. A run
  // whose filter profile has no such column shows no histogram of it.
  scoreHistograms: [
    { name: 'char_count', column: 'char_count', scale: 'log', integer: true, description: 'Characters the quality stage counted (too-short / too-long rules).' },
    { name: 'hiragana_share', column: 'hiragana_share', scale: 'linear', range: [0, 1], integer: false, description: 'Share of hiragana among characters (low-hiragana-share rule).' },
    { name: 'japanese_share', column: 'japanese_share', scale: 'linear', range: [0, 1], integer: false, description: 'Share of kana and kanji among characters (low-japanese-share rule).' },
    { name: 'dup_line_frac', column: 'dup_line_frac', scale: 'linear', range: [0, 1], integer: false, description: 'Share of lines that repeat an earlier line (Gopher dup-lines rule).' },
    { name: 'ng_char_share', column: 'ng_char_share', scale: 'linear', range: [0, 1], integer: false, description: 'Share of letters in NG words (ng-words rule).' },
    { name: 'toxicity_prob', column: 'toxicity_prob', scale: 'linear', range: [0, 1], integer: false, description: 'Toxicity model probability (toxic rule, with --toxicity-model).' },
  ],
  previewChars: 160,
};
