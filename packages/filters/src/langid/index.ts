/** Japanese language identification: cheap byte/text pre-checks, then cld3 corrected by script evidence. */
export { DEFAULT_LANGID_CONFIG, type LangIdConfig } from './config.ts';
export { hasJapaneseBytes, hasJapaneseText } from './precheck.ts';
export { createLanguageDetector, type LanguageDetector, type LanguageGuess } from './detect.ts';
