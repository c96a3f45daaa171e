import { codePointLength, utf8Length, type TextFilter } from '@jcp/core';
import { createNgWordsFilter, createNormalizer, createPiiMasker, createQualityFilters, createToxicityFilter, runFilters, type Normalizer, type PiiMasker } from '@jcp/filters';
import type { AuditSampler, LedgerBuilder, StageCounter, TokenCounter } from '@jcp/stats';
import type { TextFilterConfig } from './web-page-config.ts';

/** What the text stages do to one Japanese document: the cleaned text and every score, or the drop. */
export type FilteredText = { keep: true; text: string; tokens: number; scores: Record<string, number> } | { keep: false };

/** The ordered filter groups, each one ledger stage: quality rules, then toxicity (NG words, classifier). */
export function buildFilterGroups(config: TextFilterConfig): Array<{ stage: string; filters: TextFilter[] }> {
  return [
    { stage: 'quality', filters: createQualityFilters(config.quality) },
    { stage: 'toxicity', filters: [createNgWordsFilter(config.toxicity.ngWords), createToxicityFilter(config.toxicity.classifier)] },
  ];
}

/** Score names in column order, for the Parquet schema. */
export function filterScoreNames(groups: Array<{ filters: TextFilter[] }>): string[] {
  return groups.flatMap((g) => g.filters.flatMap((f) => [...f.scoreNames]));
}

/**
 * normalize (NFKC with exceptions, white space, PII masking) → quality → toxicity. Every filter of a
 * group runs even after one drops, so every score is known; the first drop reason is what the ledger counts.
 */
export class TextFilterStages {
  private readonly normalizer: Normalizer;
  private readonly masker: PiiMasker;
  private readonly normalizeStage: StageCounter;
  private readonly groups: Array<{ stage: string; filters: TextFilter[]; counter: StageCounter }>;

  constructor(
    config: TextFilterConfig,
    ledger: LedgerBuilder,
    private readonly sampler: AuditSampler,
    private readonly tokenCounter: TokenCounter,
  ) {
    this.normalizer = createNormalizer(config.normalize);
    this.masker = createPiiMasker(config.pii);
    this.normalizeStage = ledger.stage('normalize');
    this.groups = buildFilterGroups(config).map((g) => ({ ...g, counter: ledger.stage(g.stage) }));
  }

  get scoreNames(): string[] {
    return filterScoreNames(this.groups);
  }

  apply(text: string, bytes: number, chars: number, id: string, url: string): FilteredText {
    this.normalizeStage.in(bytes, chars);
    const normalized = this.normalizer(text);
    const masked = this.masker(normalized.text);
    const stats = normalized.stats;
    this.normalizeStage.event('nfkc-changed', stats.nfkcChanged);
    this.normalizeStage.event('surrogates-replaced', stats.replacedSurrogates);
    this.normalizeStage.event('invisible-removed', stats.removedInvisible);
    this.normalizeStage.event('punctuation-rewritten', stats.rewrittenPunctuation);
    for (const [kind, n] of Object.entries(masked.counts)) this.normalizeStage.event(`pii-${kind}-masked`, n);
    const clean = masked.text;
    const cleanBytes = utf8Length(clean);
    const cleanChars = codePointLength(clean);
    if (clean.trim().length === 0) {
      this.normalizeStage.drop('empty-after-normalize', cleanBytes, cleanChars);
      return { keep: false };
    }
    // The one tokenisation of the doc: the text from here on is the text the corpus keeps.
    const tokens = this.tokenCounter.count(clean);
    this.normalizeStage.out(cleanBytes, cleanChars, tokens);

    const scores: Record<string, number> = {};
    for (const g of this.groups) {
      g.counter.in(cleanBytes, cleanChars, tokens);
      const outcome = runFilters(g.filters, clean);
      Object.assign(scores, outcome.scores);
      if (!outcome.keep) {
        const reason = outcome.reason ?? g.stage;
        g.counter.drop(reason, cleanBytes, cleanChars, tokens);
        this.sampler.offer(g.stage, reason, id, url, outcome.scores, clean);
        return { keep: false };
      }
      g.counter.out(cleanBytes, cleanChars, tokens);
    }
    return { keep: true, text: clean, tokens, scores };
  }
}
