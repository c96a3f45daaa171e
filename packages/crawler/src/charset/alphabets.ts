/**
 * Small alphabets that legacy single-byte charsets carry: Cyrillic, Greek, Hebrew, Thai. Wrong
 * single-byte decodes still give letters, so the evidence is in how letters sit: inside words of their
 * own script, frequent ones more often than rare ones, capitals only at word starts. Latin-1 text read
 * as windows-1251 gives Cyrillic letters glued to Latin ones; KOI8-R read as windows-1251 gives capitals
 * in the middle of words; Hebrew read as windows-1251 gives words of rare Cyrillic letters.
 */

export const ALPHABETS = ['cyrillic', 'greek', 'hebrew', 'thai'] as const;
export type Alphabet = (typeof ALPHABETS)[number];

/** How one letter sits in the text; a language model weighs each kind. */
export const LetterKind = {
  /** Among the dozen most frequent letters of the language (lower case), inside a word. */
  Common: 0,
  /** Any other letter inside a word, or a capital starting one. */
  Letter: 1,
  /** A capital right after a lower-case letter of the same script. */
  CapitalAfterLower: 2,
  /** A letter with no letter of its script beside it and no one-letter word. */
  Stray: 3,
  /** A letter with an ASCII letter beside it. */
  GluedToLatin: 4,
} as const;
export type LetterKind = (typeof LetterKind)[keyof typeof LetterKind];
export const LETTER_KINDS = LetterKind.GluedToLatin + 1;

interface AlphabetSpec {
  first: number;
  last: number;
  isLower: (c: number) => boolean;
  isUpper: (c: number) => boolean;
  /** Lower-case letters that make up roughly two thirds of running text. */
  common: string;
  /** Letters that are words on their own between spaces. */
  oneLetterWords: string;
}

const SPECS: readonly AlphabetSpec[] = [
  {
    first: 0x400,
    last: 0x4ff,
    isLower: (c) => (c >= 0x430 && c <= 0x45f) || (c >= 0x460 && (c & 1) === 1),
    isUpper: (c) => (c >= 0x400 && c <= 0x42f) || (c >= 0x460 && (c & 1) === 0),
    common: 'оеаинтсрвлкмі',
    oneLetterWords: 'авиксоуяАВИКСОУЯ',
  },
  {
    first: 0x370,
    last: 0x3ff,
    isLower: (c) => (c >= 0x3ac && c <= 0x3ce) || c === 0x390,
    isUpper: (c) => c >= 0x386 && c <= 0x3ab && c !== 0x387 && c !== 0x390,
    common: 'αοειτσνηυρπκμλςάέίόή',
    oneLetterWords: 'οηήωΟΗ',
  },
  {
    first: 0x591,
    last: 0x5f4,
    isLower: () => false,
    isUpper: () => false,
    common: 'יוהלמראבתשנ',
    oneLetterWords: '',
  },
  {
    first: 0xe01,
    last: 0xe5b,
    isLower: () => false,
    isUpper: () => false,
    // Thai has no other charset that yields it; every letter is weighed alike (see script-models.ts).
    common: '',
    oneLetterWords: '',
  },
];

const commonLetters = new Set(SPECS.flatMap((s) => [...s.common].map((ch) => ch.charCodeAt(0))));
const oneLetterWords = new Set(SPECS.flatMap((s) => [...s.oneLetterWords].map((ch) => ch.charCodeAt(0))));
const FIRST_NON_ASCII = 0x80;

/** Index into ALPHABETS of the script c belongs to, or -1. */
export function alphabetOf(c: number): number {
  for (let a = 0; a < SPECS.length; a++) {
    const spec = SPECS[a]!;
    if (c >= spec.first && c <= spec.last) return a;
  }
  return -1;
}

function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** c is a letter of alphabet a (alphabetOf(c) === a); prev/next are its neighbours (0 at the text's ends). */
export function letterKind(a: number, c: number, prev: number, next: number): LetterKind {
  const spec = SPECS[a]!;
  if (isAsciiLetter(prev) || isAsciiLetter(next)) return LetterKind.GluedToLatin;
  const prevSame = prev >= spec.first && prev <= spec.last;
  const nextSame = next >= spec.first && next <= spec.last;
  if (!prevSame && !nextSame) {
    const alone = prev < FIRST_NON_ASCII && next < FIRST_NON_ASCII;
    if (!(alone && oneLetterWords.has(c))) return LetterKind.Stray;
  }
  if (spec.isUpper(c) && prevSame && spec.isLower(prev)) return LetterKind.CapitalAfterLower;
  return commonLetters.has(c) ? LetterKind.Common : LetterKind.Letter;
}
