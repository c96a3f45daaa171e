import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSwallowNgDictionary,
  SWALLOW_NG_LIST_PATHS,
  SWALLOW_QUALITY_KEYS,
  swallowNgStats,
  swallowQualityStats,
} from '../src/profiles/swallow/index.ts';

/** Per-document scores of the Swallow v1 reference code itself (README next to it): outside the repo, read-only. */
const REFERENCE = fileURLToPath(
  new URL('../../../../shared/data/filters-reference/swallow-v1.dev.jsonl', import.meta.url),
);

interface ReferenceLine {
  id: string;
  text: string;
  scores: Record<string, number>;
}

const dict = buildSwallowNgDictionary(SWALLOW_NG_LIST_PATHS);

/** quality.main + NGW.stat as annotate.py chains them, under the reference's score names. */
function scoreLikeAnnotate(text: string): Record<string, number> {
  const quality = swallowQualityStats(text);
  const ng = swallowNgStats(dict, text, quality.num_japanese_letters);
  const out: Record<string, number> = {};
  for (const key of SWALLOW_QUALITY_KEYS) out[`quality.${key}`] = quality[key];
  out['ngword.num_ng_letters'] = ng.num_ng_letters;
  out['ngword.ng_fraction'] = ng.ng_fraction;
  return out;
}

describe('Swallow v1 scores against the reference (swallow-v1.dev.jsonl)', () => {
  const lines = readFileSync(REFERENCE, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ReferenceLine);

  it('reads all 144 dev documents, each with the 32 reference scores', () => {
    expect(lines).toHaveLength(144);
    for (const line of lines) expect(Object.keys(line.scores)).toHaveLength(32);
  });

  it('names the 30 quality keys in quality.main order, as the reference data does', () => {
    const referenceKeys = Object.keys(lines[0]!.scores)
      .filter((key) => key.startsWith('quality.'))
      .map((key) => key.slice('quality.'.length));
    expect([...SWALLOW_QUALITY_KEYS]).toEqual(referenceKeys);
  });

  it('reproduces every score of every document exactly (bit-identical floats)', () => {
    const mismatches: string[] = [];
    const perKey = new Map<string, number>();
    for (const line of lines) {
      const ours = scoreLikeAnnotate(line.text);
      for (const [key, expected] of Object.entries(line.scores)) {
        if (!Object.is(ours[key], expected)) {
          perKey.set(key, (perKey.get(key) ?? 0) + 1);
          if (mismatches.length < 20) mismatches.push(`${line.id} ${key}: ours ${ours[key]}, reference ${expected}`);
        }
      }
    }
    // The per-score tally is the report when something regresses.
    expect(Object.fromEntries(perKey), mismatches.join('\n')).toEqual({});
  });
});

describe('NG dictionary (ngword.py __main__ over the shipped MosasoM lists)', () => {
  it('has the 3,045 keys of the reference ng.dic', () => {
    expect(dict.size).toBe(3045);
  });

  it('keeps trailing spaces of list lines as distinct words (line.strip("\\n") strips newlines only)', () => {
    expect(dict.has('素股 ')).toBe(true);
    expect(dict.has('素股')).toBe(true);
    expect(swallowNgStats(dict, '素股 です', 3).num_ng_letters).toBe(3);
    expect(swallowNgStats(dict, '素股です', 3).num_ng_letters).toBe(2);
  });

  it('finds words inside other words: イク inside モザイク counts', () => {
    const text = 'モザイク';
    expect(swallowNgStats(dict, text, 4)).toEqual({ num_ng_letters: 2, ng_fraction: 0.5 });
  });

  it('takes the longest word at a position and resumes after it', () => {
    // バカ and バカヤロー are both words: バカヤロー (5) is taken, then バカ (2).
    expect(dict.has('バカ') && dict.has('バカヤロー')).toBe(true);
    expect(swallowNgStats(dict, 'バカヤローバカ', 7).num_ng_letters).toBe(7);
  });

  it('gives ng_fraction 0 when there is no Japanese letter, whatever matched', () => {
    expect(swallowNgStats(dict, 'SEX SEX', 0)).toEqual({ num_ng_letters: 6, ng_fraction: 0 });
  });

  it('lets ng_fraction exceed 1: ASCII words count in the numerator only', () => {
    expect(swallowNgStats(dict, 'SEXあ', 1).ng_fraction).toBe(3);
  });

  it('throws on a lone surrogate, where the reference cannot UTF-8-encode the text', () => {
    expect(() => swallowNgStats(dict, 'あ\ud800い', 2)).toThrow(/lone surrogate/);
  });

  it('names the unreadable list file', () => {
    expect(() => buildSwallowNgDictionary(['/nonexistent/ng.txt'])).toThrow(/\/nonexistent\/ng\.txt/);
  });

  it('reads CRLF lists as Python universal newlines do, and rejects an empty line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swallow-ng-'));
    const crlf = join(dir, 'crlf.txt');
    writeFileSync(crlf, 'あほ\r\nばか\r\n');
    const small = buildSwallowNgDictionary([crlf]);
    expect(small.size).toBe(2);
    expect(swallowNgStats(small, 'ばかあほ', 4).num_ng_letters).toBe(4);
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, 'あほ\n\nばか\n');
    expect(() => buildSwallowNgDictionary([blank])).toThrow(/blank\.txt:2: empty line/);
  });
});

describe('quality.main quirks', () => {
  it('counts blank lines as paragraphs, so two blank lines are a duplicate paragraph', () => {
    const q = swallowQualityStats('一行目です。\n\n二行目です。\n\n三行目です。');
    expect(q.duplicate_paragraph_fraction).toBe(1 / 5);
    // '' has no letters, so the character-weighted fraction stays 0.
    expect(q.duplicate_paragraph_fraction_in_character).toBe(0);
  });

  it('does not count ー (U+30FC) or ・ (U+30FB) as katakana', () => {
    // コ ヒ テ ィ are katakana; the three ー and the ・ are not Japanese letters at all.
    const q = swallowQualityStats('コーヒー・ティー');
    expect(q.num_katakana_letters).toBe(4);
    expect(q.num_japanese_letters).toBe(4);
    expect(q.num_letters).toBe(8);
  });

  it('does not count astral kanji (CJK Ext. B) as kanji, but counts them as one letter', () => {
    const q = swallowQualityStats('𠮷野家の牛丼');
    expect(q.num_letters).toBe(6);
    expect(q.num_kanji_letters).toBe(4);
    expect(q.num_hiragana_letters).toBe(1);
  });

  it('counts 々〇〻 as kanji but not 〆', () => {
    expect(swallowQualityStats('人々〇〻〆').num_kanji_letters).toBe(4);
  });

  it('counts only full-width 。．！？ as kuten, though ASCII !? end sentences too', () => {
    const q = swallowQualityStats('あ!い?う！え？お。か．');
    expect(q.num_kuten).toBe(4);
    expect(q.num_sentences_ending_with_ellipsis).toBe(0);
    expect(q.max_sentence_length).toBe(2);
    expect(q.avg_sentence_length).toBe(2);
  });

  it('drops an end character that follows no text from sentences and paragraphs', () => {
    // Sentences: 'あい。', 'う' and again 'あい。', 'う': the lines are equal paragraphs once the stray 。 go.
    const q = swallowQualityStats('。あい。。う\nあい。う');
    expect(q.duplicate_paragraph_fraction).toBe(1 / 2);
    expect(q.duplicate_sentence_fraction).toBe(2 / 4);
    expect(q.avg_sentence_length).toBe(8 / 4);
    expect(q.num_kuten).toBe(4);
  });

  it('counts a sentence ending with ・ or … after Python strip() as an ellipsis sentence', () => {
    const q = swallowQualityStats('それで…\u3000\nまた・\r\nおわり。');
    expect(q.num_sentences_ending_with_ellipsis).toBe(2);
    expect(q.ellipsis_fraction).toBe(2 / 3);
  });

  it('runs n-grams over the raw text, newlines included, in code points', () => {
    // 'ab\nab\nab': 2-grams ab, b\n, \na, ab, b\n, \na, ab → 'ab' 3 of 7.
    const q = swallowQualityStats('ab\nab\nab');
    expect(q.top_2gram_character_fraction).toBe(3 / 7);
    // 5-grams: 'ab\nab', 'b\nab\n', '\nab\na', 'ab\nab' → 1 of 3 distinct repeats.
    expect(q.duplicate_5gram_character_fraction).toBe(1 / 3);
    // n-grams longer than the text: the reference's `if C else 0.`
    expect(q.duplicate_10gram_character_fraction).toBe(0);
  });

  it('treats a surrogate pair as one character in n-grams', () => {
    const q = swallowQualityStats('𠮷𠮷𠮷𠮷');
    expect(q.num_letters).toBe(4);
    expect(q.top_2gram_character_fraction).toBe(1);
    expect(q.duplicate_5gram_character_fraction).toBe(0);
  });

  it('measures duplicate n-grams over distinct n-grams, not occurrences', () => {
    // 'abcdeabcdeX': 5-grams abcde ×2, and 6 other distinct ones → 1 / 6 (occurrence-weighted would be 2 / 7).
    expect(swallowQualityStats('abcdeabcdeX').duplicate_5gram_character_fraction).toBe(1 / 6);
  });

  it('returns 0 for the Japanese-letter fractions of a text without Japanese letters', () => {
    const q = swallowQualityStats('plain ASCII text.');
    expect(q.num_japanese_letters).toBe(0);
    expect(q.hiragana_fraction).toBe(0);
    expect(q.japanese_fraction).toBe(0);
  });

  it('throws on empty and 1-character texts (and any text under 4 code points), as quality.main raises', () => {
    expect(() => swallowQualityStats('')).toThrow(/at least 4/);
    expect(() => swallowQualityStats('あ')).toThrow(/at least 4/);
    expect(() => swallowQualityStats('あいう')).toThrow(/at least 4/);
    expect(() => swallowQualityStats('あいうえ')).not.toThrow();
  });

  it('throws on a text with no sentence (only newlines and end characters), as max() of nothing raises', () => {
    expect(() => swallowQualityStats('\n\n\n\n')).toThrow(/no sentence/);
    expect(() => swallowQualityStats('。。!?\n')).toThrow(/no sentence/);
  });

  it('gives the same result when called again (scratch buffers are reset)', () => {
    const a = swallowQualityStats('同じ文です。同じ文です。\n違う文です。');
    swallowQualityStats('まったく別の文章を挟んでから、もう一度同じ文書を測ります。');
    expect(swallowQualityStats('同じ文です。同じ文です。\n違う文です。')).toEqual(a);
  });
});
