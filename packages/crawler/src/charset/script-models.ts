/**
 * How well a decoded sample fits the language a charset is used for. A model is a weight per character
 * class (text-evidence.ts); the fit is the weighted mean over the sample's non-ASCII characters: about
 * 0.8–1 for a right decode of real text, near or below 0 for a wrong one. U+FFFD costs most in every
 * model, so an invalid decode cannot win on a few lucky characters.
 */
import { ALPHABETS, LetterKind, type Alphabet } from './alphabets.ts';
import { CHAR_CLASS_COUNT, CharClass, alphabetClass, type TextEvidence } from './text-evidence.ts';

export type ScriptModel = 'japanese' | 'chinese' | 'korean' | 'latin' | Alphabet | 'generic';

const MODEL_OF_CHARSET: Readonly<Record<string, ScriptModel>> = {
  shift_jis: 'japanese',
  'euc-jp': 'japanese',
  'iso-2022-jp': 'japanese',
  gbk: 'chinese',
  gb18030: 'chinese',
  big5: 'chinese',
  'euc-kr': 'korean',
  'iso-2022-kr': 'korean',
  johab: 'korean',
  'windows-1251': 'cyrillic',
  'koi8-r': 'cyrillic',
  'koi8-u': 'cyrillic',
  'iso-8859-5': 'cyrillic',
  ibm866: 'cyrillic',
  'x-mac-cyrillic': 'cyrillic',
  'windows-1253': 'greek',
  'iso-8859-7': 'greek',
  'windows-1255': 'hebrew',
  'iso-8859-8': 'hebrew',
  'iso-8859-8-i': 'hebrew',
  'windows-874': 'thai',
  'windows-1252': 'latin',
  'iso-8859-15': 'latin',
  'windows-1250': 'latin',
  'iso-8859-2': 'latin',
  'windows-1254': 'latin',
  'windows-1257': 'latin',
  'iso-8859-4': 'latin',
  'iso-8859-10': 'latin',
  'iso-8859-13': 'latin',
  'iso-8859-14': 'latin',
  'iso-8859-16': 'latin',
  macintosh: 'latin',
};

export function modelOf(charset: string): ScriptModel {
  return MODEL_OF_CHARSET[charset] ?? 'generic';
}

/** Charsets of the CJK models: their decodes must form valid byte pairs, which makes a good fit strong evidence. */
export function isDoubleByteCharset(charset: string): boolean {
  const model = modelOf(charset);
  return model === 'japanese' || model === 'chinese' || model === 'korean';
}

type Weights = Partial<Record<keyof typeof CharClass, number>>;

/** Weight of classes a model does not mention: foreign scripts and odd symbols count against a decode. */
const UNLISTED_WEIGHT = -1;
/** Every model: a replacement character outweighs several good characters. */
const REPLACEMENT_WEIGHT = -3;
/** Greek and Cyrillic sit in JIS, GB2312, Big5 and KS X 1001 (emoticons like (゜Д゜), maths); rare, so mildly negative. */
const CJK_GREEK_CYRILLIC_WEIGHT = -0.3;

const JAPANESE: Weights = {
  Kana: 1,
  HalfWidthKana: 0,
  CommonHan: 0.8,
  Han: 0.8,
  RareHan: -0.5,
  CjkSymbol: 0.5,
  PunctNearAscii: 0.3,
  PunctAmongNonAscii: 0.3,
  Other: -0.3,
};

/**
 * Below this kana share, only very common Kanji count as evidence of Japanese: Chinese bytes read as
 * EUC-JP give Kanji and no kana, but scattered over the whole repertoire; a kana-less Japanese title
 * such as 日本語 uses the common ones.
 */
const MIN_JAPANESE_KANA_SHARE = 0.05;
/** Weight of a not-very-common Kanji in the Japanese model when kana are (nearly) absent. */
const RARE_KANJI_WITHOUT_KANA_WEIGHT = 0.1;

const CHINESE: Weights = {
  CommonHan: 1,
  Han: 0.2,
  RareHan: -0.3,
  Kana: -0.5,
  CjkSymbol: 0.5,
  PunctNearAscii: 0.3,
  PunctAmongNonAscii: 0.3,
  // GB2312 row 8 holds pinyin letters (ā á ǎ à).
  LatinAlone: 0,
  LatinInWord: 0,
  Other: -0.3,
};

const KOREAN: Weights = {
  CommonHangul: 1,
  Hangul: 0.3,
  CommonHan: 0.3,
  Han: 0.3,
  RareHan: -0.3,
  Jamo: 0.3,
  Kana: -0.5,
  CjkSymbol: 0.5,
  PunctNearAscii: 0.3,
  PunctAmongNonAscii: 0.3,
  Other: -0.3,
};

const LATIN: Weights = {
  LatinInWord: 1,
  LatinAlone: 0.5,
  LatinAmongNonAscii: -0.5,
  PunctNearAscii: 0.5,
  PunctAmongNonAscii: -0.5,
  Control: -2,
};

/** The alphabetic models share the Latin model's view of punctuation and controls. */
const ALPHABETIC: Weights = {
  PunctNearAscii: 0.5,
  PunctAmongNonAscii: -0.5,
  Control: -2,
};

/** Per letter kind in an alphabetic model. Thai has no rival charset and no case, so every letter counts fully. */
const LETTER_WEIGHTS: Readonly<Record<LetterKind, number>> = {
  [LetterKind.Common]: 1,
  [LetterKind.Letter]: 0.5,
  [LetterKind.CapitalAfterLower]: -1,
  [LetterKind.Stray]: -1,
  [LetterKind.GluedToLatin]: -1,
};
const THAI_LETTER_WEIGHT = 1;

/** A charset without a model of its own: any clean decode is a modest fit. */
const GENERIC_CLEAN_WEIGHT = 0.3;

function weightTable(weights: Weights, fill = UNLISTED_WEIGHT): Float64Array {
  const table = new Float64Array(CHAR_CLASS_COUNT).fill(fill);
  for (const [name, weight] of Object.entries(weights)) table[CharClass[name as keyof typeof CharClass]] = weight;
  table[CharClass.Replacement] = REPLACEMENT_WEIGHT;
  return table;
}

function setLetters(table: Float64Array, alphabet: Alphabet, weight: (kind: LetterKind) => number): Float64Array {
  const a = ALPHABETS.indexOf(alphabet);
  for (const kind of Object.values(LetterKind)) table[alphabetClass(a, kind)] = weight(kind);
  return table;
}

function cjkTable(weights: Weights): Float64Array {
  const table = weightTable(weights);
  setLetters(table, 'greek', () => CJK_GREEK_CYRILLIC_WEIGHT);
  return setLetters(table, 'cyrillic', () => CJK_GREEK_CYRILLIC_WEIGHT);
}

function alphabetTable(alphabet: Alphabet): Float64Array {
  const weight = alphabet === 'thai' ? () => THAI_LETTER_WEIGHT : (kind: LetterKind) => LETTER_WEIGHTS[kind];
  return setLetters(weightTable(ALPHABETIC), alphabet, weight);
}


const TABLES: Readonly<Record<ScriptModel, Float64Array>> = {
  japanese: cjkTable(JAPANESE),
  chinese: cjkTable(CHINESE),
  korean: cjkTable(KOREAN),
  latin: weightTable(LATIN),
  cyrillic: alphabetTable('cyrillic'),
  greek: alphabetTable('greek'),
  hebrew: alphabetTable('hebrew'),
  thai: alphabetTable('thai'),
  generic: weightTable({ Control: -2 }, GENERIC_CLEAN_WEIGHT),
};

/** Weighted mean over non-ASCII characters; 0 when there are none. */
export function modelFit(model: ScriptModel, evidence: TextEvidence): number {
  const { counts, nonAscii } = evidence;
  if (nonAscii === 0) return 0;
  const table = TABLES[model];
  let sum = 0;
  for (let k = 0; k < CHAR_CLASS_COUNT; k++) sum += counts[k]! * table[k]!;
  if (model === 'japanese' && counts[CharClass.Kana]! < nonAscii * MIN_JAPANESE_KANA_SHARE) {
    sum -= counts[CharClass.Han]! * (table[CharClass.Han]! - RARE_KANJI_WITHOUT_KANA_WEIGHT);
  }
  return sum / nonAscii;
}
