/** Knobs of the main-text extractor. Lengths are weighted lengths (see char-weight.ts). */
export interface ExtractConfig {
  /** One CJK character counts this many Latin characters: Japanese packs a word into 1–3 characters. */
  cjkCharWeight: number;
  /** A block with a larger share of its characters inside links is navigation, not prose. */
  maxLinkDensity: number;
  /** Below this weight a block is "short" (a label, a date, a button) and must earn its place by context. */
  minBlockWeight: number;
  /** From this weight on a block with little link text is prose on its own (jusText's length_high ≈ 200 chars). */
  goodBlockWeight: number;
  /** Link text in the scoring of a container costs this many times its length: menus should lose. */
  linkPenalty: number;
  /** A hinted container (article, articleBody, entry-content) is taken if it scores this share of the best. */
  minHintShare: number;
  /** A prose block (see goodBlockWeight) has at most this share of link text. */
  maxProseLinkDensity: number;
  /** A boilerplate-marked element holding this share of the page's prose is a mislabelled wrapper, kept. */
  minProtectedProseShare: number;
  /** A heading with at least this share of link text is a teaser card's title (see container.ts teaserCards). */
  minCardTitleLinkShare: number;
  /** A teaser card's text outside links is at most this long: a line or two of excerpt. */
  maxCardTextWeight: number;
  /** Blocks just before the container taken as headline/lead (templates put them outside the body div). */
  maxLeadBlocks: number;
  /** How far back (in blocks) to look for that lead, past image captions and dates. */
  leadScanBlocks: number;
}

export const DEFAULT_EXTRACT_CONFIG: ExtractConfig = {
  cjkCharWeight: 2.5,
  maxLinkDensity: 0.5,
  minBlockWeight: 40,
  goodBlockWeight: 80,
  linkPenalty: 1,
  minHintShare: 0.5,
  maxProseLinkDensity: 0.3,
  minProtectedProseShare: 0.5,
  minCardTitleLinkShare: 0.9,
  maxCardTextWeight: 320,
  maxLeadBlocks: 2,
  leadScanBlocks: 5,
};
