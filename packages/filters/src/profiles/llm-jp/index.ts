/**
 * The llm-jp-corpus v2.0.0 `ja_cc` filter chain (with HojiChar v0.9.0), reproduced exactly: one module per
 * reference function, `scores.ts` runs them all on a document.
 */
export { DEFAULT_LLM_JP_CONFIG, LLM_JP_LIST_PATHS, type LlmJpConfig, type LlmJpListPaths } from './config.ts';
export { codePointLength, isPythonBlank, isPythonSpace, pythonSplitLines, pythonStrip } from './python-str.ts';
export { isJapanese, isNotEmpty } from './japanese.ts';
export {
  isKatakanaWord,
  KeywordHitCounter,
  loadAdKeywordCounter,
  loadNgWordCounter,
  parseHojicharWordList,
  readHojicharWordList,
  type KeywordMode,
} from './keyword-hits.ts';
export { countKuten } from './kuten.ts';
export { hasValidDomain, loadValidDomains, pythonUrlHostname, topLevelLabel } from './domain.ts';
export { extractJapaneseText, KANA_LINE } from './extract-japanese-text.ts';
export { createLlmJpScorer, LLM_JP_SCORES } from './scores.ts';
