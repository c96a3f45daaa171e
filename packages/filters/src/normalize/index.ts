/** Text normalisation (surrogates, Japanese punctuation, NFKC with exceptions, white space) and PII masking. */
export {
  DEFAULT_NORMALIZE_CONFIG,
  createNormalizer,
  normalizeText,
  type NormalizeConfig,
  type NormalizeResult,
  type NormalizeStats,
  type Normalizer,
} from './normalize.ts';
export {
  DEFAULT_PII_CONFIG,
  createPiiMasker,
  findEmail,
  maskPii,
  type MaskResult,
  type PiiConfig,
  type PiiCounts,
  type PiiMasker,
} from './pii.ts';
