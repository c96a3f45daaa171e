import {
  DEFAULT_EXTRACT_CONFIG,
  DEFAULT_LANGID_CONFIG,
  DEFAULT_NORMALIZE_CONFIG,
  DEFAULT_PII_CONFIG,
  filterProfileNamed,
  filterSettingsOf,
  DEFAULT_FILTER_PROFILE,
  type ExtractConfig,
  type LangIdConfig,
  type NormalizeConfig,
  type PiiConfig,
  type FilterSettings,
} from '@jcp/filters';

/**
 * The text stages after language detection: normalisation, then the filter profile's steps (`profile`
 * names it, `steps` is its rule table and `scorers` the scorers' parameters; each default carries its
 * source in @jcp/filters).
 */
export interface TextFilterConfig extends FilterSettings {
  normalize: NormalizeConfig;
  pii: PiiConfig;
  /** Dropped documents (and records) kept per reason per WARC task for review, at every step. */
  auditSamplesPerReason: number;
  /** Of those, kept per reason for the whole run (`samples/<reason>.jsonl`), the tasks' first in task order. */
  auditSamplesPerReasonPerRun: number;
  /** Characters of text shown in an audit sample. */
  auditPreviewChars: number;
}

export const DEFAULT_TEXT_FILTER_CONFIG: TextFilterConfig = {
  normalize: DEFAULT_NORMALIZE_CONFIG,
  pii: DEFAULT_PII_CONFIG,
  ...filterSettingsOf(filterProfileNamed(DEFAULT_FILTER_PROFILE)),
  // 20 per reason per task: enough to see a pattern, bounded however many WARCs a run has (the run-level
  // file keeps the first 100 per reason: 5 tasks' worth, a page of JSON lines a reviewer reads through).
  auditSamplesPerReason: 20,
  auditSamplesPerReasonPerRun: 100,
  auditPreviewChars: 300,
};

/** What turns a WARC response record into a Japanese document: every threshold of the chain, with its reason. */
export interface WebPageChainConfig {
  /** HTTP Content-Type values (the part before ';', lower-case) that go on to extraction. */
  htmlContentTypes: string[];
  /** Bodies past this are dropped as `html-too-large` before any parsing. */
  maxHtmlBytes: number;
  /** Bytes inspected at the start of a body to tell binary data labelled text/html. */
  binaryProbeBytes: number;
  /** Share of control bytes (NUL and C0 other than tab/CR/LF/FF/ESC) in the probe above which a body is binary. */
  maxControlByteShare: number;
  /** Share of U+FFFD in the decoded text above which the page is `undecodable`. */
  maxReplacementShare: number;
  /** The language kept; anything else is dropped as `not-<lang>`. */
  lang: string;
  /** Minimum detector probability for the kept language. */
  minLangScore: number;
  extract: ExtractConfig;
  langid: LangIdConfig;
  filters: TextFilterConfig;
}

export const DEFAULT_WEB_PAGE_CHAIN_CONFIG: WebPageChainConfig = {
  // What Common Crawl's own WET extraction treats as HTML.
  htmlContentTypes: ['text/html', 'application/xhtml+xml'],
  // Real article pages are well under 1 MB; 5 MiB keeps long forum threads and drops dumps (issue 3 asks
  // that a 20 MB page be refused by name).
  maxHtmlBytes: 5 * 1024 * 1024,
  binaryProbeBytes: 4096,
  // Text, even in legacy Japanese charsets, has no NUL and almost no C0 controls; images and archives have many.
  maxControlByteShare: 0.01,
  // A page decoded in the wrong charset is mostly U+FFFD; a few stray bytes in a good page are fine.
  maxReplacementShare: 0.05,
  lang: 'ja',
  // cld3's probability for real Japanese prose is > 0.9; 0.5 keeps mixed ja/en pages whose main text is Japanese.
  minLangScore: 0.5,
  extract: DEFAULT_EXTRACT_CONFIG,
  langid: DEFAULT_LANGID_CONFIG,
  filters: DEFAULT_TEXT_FILTER_CONFIG,
};
