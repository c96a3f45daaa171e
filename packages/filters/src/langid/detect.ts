/**
 * The language decision: text pre-check → cld3 on a few capped slices → script rules that correct cld3
 * where script evidence is decisive (kana is written by Japanese only; cld3 calls kana-less Japanese
 * headlines `zh`).
 */
import { DEFAULT_LANGID_CONFIG, type LangIdConfig } from './config.ts';
import { createCld3Identifier, type Cld3Identifier } from './cld3.ts';
import { passesTextPrecheck } from './precheck.ts';
import {
  cjkShareOfLetters,
  countScripts,
  emptyScriptCounts,
  kanaShareOfCjk,
  kanaShareOfLetters,
  type ScriptCounts,
} from './script.ts';

export interface LanguageGuess {
  /** ISO 639-1 code as cld3 spells it ('ja', 'zh', 'ko', 'en', ...), or 'und'. */
  lang: string;
  /** Confidence in [0, 1]; 0 when the pre-check rejected the text. */
  score: number;
  reliable: boolean;
  /** Which step decided: the text pre-check, cld3 itself, or a script rule overriding cld3. */
  by: 'precheck' | 'cld3' | 'script';
}

export interface LanguageDetector {
  /** Pre-check, then cld3 and the script rules. The production path. */
  detect(text: string): LanguageGuess;
  /** cld3 and the script rules without the pre-check: a guess for every language (evaluation, statistics). */
  identify(text: string): LanguageGuess;
  /** Frees the wasm identifier; the detector is unusable afterwards. */
  dispose(): void;
}

/**
 * Creates a detector holding ONE cld3 identifier. Create one per process/worker and reuse it: the wasm
 * heap is fixed and identifiers are its scarce resource.
 */
export async function createLanguageDetector(config: LangIdConfig = DEFAULT_LANGID_CONFIG): Promise<LanguageDetector> {
  const cld3 = await createCld3Identifier(config.cld3SliceChars, config.cld3MinBytes);
  // Reused per call: the counts never escape a call, so sharing one record avoids an allocation per text.
  const counts = emptyScriptCounts();

  const classify = (text: string): LanguageGuess => {
    // Kana this dense makes the answer `ja` whatever cld3 says (applyScriptRules), so cld3 only sets the
    // score: one slice does that at a third of the cost, which is most of a Japanese page's langid time.
    const decided = counts.letters > 0 && counts.kana >= counts.letters * config.minKanaShareOfLetters;
    return applyScriptRules(runCld3OnSlices(cld3, text, decided ? 1 : config.cld3MaxSlices), counts, config);
  };

  return {
    detect(text: string): LanguageGuess {
      countScripts(text, config.maxScanChars, counts);
      if (!passesTextPrecheck(counts, config)) return { lang: 'und', score: 0, reliable: false, by: 'precheck' };
      return classify(text);
    },
    identify(text: string): LanguageGuess {
      countScripts(text, config.maxScanChars, counts);
      return classify(text);
    },
    dispose(): void {
      cld3.dispose();
    },
  };
}

interface Cld3Vote {
  lang: string;
  score: number;
  reliable: boolean;
}

/**
 * cld3 on up to `cld3MaxSlices` slices of `cld3SliceChars` spread evenly over the text (one slice for a
 * short text). The winner is the language with the most probability-weighted characters; its score is
 * that weight over all sliced characters, so disagreeing slices lower it.
 */
function runCld3OnSlices(cld3: Cld3Identifier, text: string, maxSlices: number): Cld3Vote {
  const sliceChars = cld3.maxChars;
  if (text.length <= sliceChars) {
    const answer = cld3.find(text);
    return { lang: answer.language, score: answer.probability, reliable: answer.reliable };
  }
  const slices = Math.max(1, Math.min(maxSlices, Math.ceil(text.length / sliceChars)));
  const stride = slices === 1 ? 0 : (text.length - sliceChars) / (slices - 1);
  // At most cld3MaxSlices entries: a linear scan beats a Map here.
  const langs: string[] = [];
  const weights: number[] = [];
  const reliable: boolean[] = [];
  let total = 0;
  for (let s = 0; s < slices; s++) {
    const [start, end] = surrogateSafeRange(text, Math.round(s * stride), sliceChars);
    const answer = cld3.find(text.slice(start, end));
    const weight = (end - start) * answer.probability;
    total += end - start;
    const at = langs.indexOf(answer.language);
    if (at < 0) {
      langs.push(answer.language);
      weights.push(weight);
      reliable.push(answer.reliable);
    } else {
      weights[at]! += weight;
      reliable[at] = reliable[at]! || answer.reliable;
    }
  }
  let best = 0;
  for (let k = 1; k < langs.length; k++) if (weights[k]! > weights[best]!) best = k;
  return { lang: langs[best]!, score: total === 0 ? 0 : weights[best]! / total, reliable: reliable[best]! };
}

/** [start, end) of at most `length` units from `start`, not splitting a surrogate pair at either end (cld3 stops at invalid UTF-8). */
function surrogateSafeRange(text: string, start: number, length: number): [number, number] {
  let from = start;
  let to = Math.min(text.length, start + length);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from++;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to--;
  return [from, to];
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Script evidence corrects cld3 where it is decisive.
 * Towards `ja` (see `japaneseScriptEvidence`): cld3 calls short, kanji-heavy Japanese `zh`.
 * Away from `ja`: cld3 calls some short Traditional Chinese and Chinese/Latin mixes `ja` (《華爾騰第二》Walden
 * Two); Japanese without kana and without Japanese-looking kanji is rare, so such a `ja` becomes `zh`.
 * A rule that fires scores 0.5 plus up to 0.5 for the strength of its evidence.
 */
function applyScriptRules(vote: Cld3Vote, counts: ScriptCounts, config: LangIdConfig): LanguageGuess {
  const fromCld3: LanguageGuess = {
    lang: vote.lang,
    score: vote.score,
    reliable: vote.reliable && vote.score >= config.minReliableScore,
    by: 'cld3',
  };
  const evidence = japaneseScriptEvidence(counts, config);
  if (vote.lang === 'ja') {
    if (evidence === NO_EVIDENCE && counts.kana < config.minKanaToTrustCld3Ja && counts.han > 0) return byScript('zh', 0, config);
    return fromCld3;
  }
  return evidence === NO_EVIDENCE ? fromCld3 : byScript('ja', evidence, config);
}

function byScript(lang: string, evidence: number, config: LangIdConfig): LanguageGuess {
  const score = 0.5 + 0.5 * Math.min(1, Math.max(0, evidence));
  return { lang, score, reliable: score >= config.minReliableScore, by: 'script' };
}

const NO_EVIDENCE = -1;

/**
 * Strength in [0, 1] of the script evidence that a text is Japanese, or `NO_EVIDENCE`. Evidence is:
 * 1. kana make up a large share of all letters: no other language writes kana;
 * 2. a CJK-dominated text with a real kana share: Chinese does not write particles in kana;
 * 3. a CJK-dominated text with Japanese-only kanji forms (広, 駅, 働): kana-less Japanese headlines;
 * 4. a CJK-dominated text mixing forms of both Chinese systems (党 with 選): Chinese writes one system.
 * Strength saturates at 3x a rule's threshold.
 */
function japaneseScriptEvidence(counts: ScriptCounts, config: LangIdConfig): number {
  const kanaOfLetters = kanaShareOfLetters(counts);
  if (kanaOfLetters >= config.minKanaShareOfLetters) return kanaOfLetters;

  if (cjkShareOfLetters(counts) < config.minCjkShareOfLetters) return NO_EVIDENCE;

  const kanaOfCjk = kanaShareOfCjk(counts);
  if (kanaOfCjk >= config.minKanaShareOfCjk) return kanaOfCjk / (3 * config.minKanaShareOfCjk);

  const japaneseOnlyShare = counts.han === 0 ? 0 : counts.japaneseOnlyKanji / counts.han;
  if (counts.japaneseOnlyKanji >= config.minJapaneseOnlyKanji && japaneseOnlyShare >= config.minJapaneseOnlyKanjiShare) {
    return japaneseOnlyShare / (3 * config.minJapaneseOnlyKanjiShare);
  }

  const mixedForms = Math.min(counts.traditionalForms, counts.simplifiedForms);
  const mixedShare = counts.han === 0 ? 0 : mixedForms / counts.han;
  if (mixedForms > 0 && mixedShare >= config.minMixedFormsShare) return mixedShare / (3 * config.minMixedFormsShare);
  return NO_EVIDENCE;
}
