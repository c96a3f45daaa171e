import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deflatedSize } from '../src/quality/compression.ts';
import { compileProfile, DEFAULT_SCORER_SETTINGS, judgeWithProfile, LLM_JP_V2, type FilterProfile } from '../src/profiles/index.ts';
import {
  countKuten,
  extractJapaneseText,
  hasValidDomain,
  isJapanese,
  isNotEmpty,
  KANA_LINE,
  KeywordHitCounter,
  LLM_JP_LIST_PATHS,
  loadAdKeywordCounter,
  loadNgWordCounter,
  loadValidDomains,
  parseHojicharWordList,
  pythonSplitLines,
  pythonUrlHostname,
} from '../src/profiles/llm-jp/index.ts';

/**
 * Parity data (read-only, outside the repo): the llm-jp-corpus v2.0.0 `ja_cc` chain run from its own source
 * on 144 real documents (see its README). Hand-made expectations below were computed with the reference
 * code on CPython 3.11.2 (Debian bookworm, the reference run's build).
 */
const REFERENCE = fileURLToPath(new URL('../../../../shared/data/filters-reference/llm-jp-v2.dev.jsonl', import.meta.url));

interface ReferenceDoc {
  id: string;
  text: string;
  url?: string;
  keep: boolean;
  failed_rules: string[];
  not_applied: string[];
  scores: Record<string, number>;
  output_text_sha1: string;
}

const docs: ReferenceDoc[] = readFileSync(REFERENCE, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as ReferenceDoc);

const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');
const steps = compileProfile(LLM_JP_V2, DEFAULT_SCORER_SETTINGS);
const results = docs.map((doc) => judgeWithProfile(steps, { text: doc.text, url: doc.url ?? null }));
/** The reference's score names → ours (min_kuten_num is len/250: the bound, which our rule applies as chars per 。 ≤ 250). */
const SCORE_NAMES = Object.entries(LLM_JP_V2.referenceScores!);

describe('llm-jp v2 ja_cc: parity with the reference on every dev document', () => {
  it('reads the 144 documents of the parity file', () => {
    expect(docs).toHaveLength(144);
  });

  it.each(SCORE_NAMES)('%s equals the reference exactly (ours: %s)', (reference, ours) => {
    const mismatches = docs.filter((doc, i) => results[i]!.scores[ours] !== doc.scores[reference]).map((doc) => doc.id);
    expect(mismatches).toEqual([]);
  });

  it('maps every score the reference computes but min_kuten_num', () => {
    const names = new Set(docs.flatMap((doc) => Object.keys(doc.scores)));
    expect([...names].filter((n) => !(n in LLM_JP_V2.referenceScores!))).toEqual(['has_good_average_sentence_length.min_kuten_num']);
  });

  it('writes out the same text (sha1 of extract_japanese_text) for kept and dropped documents', () => {
    const mismatches = docs.filter((doc, i) => sha1(results[i]!.text) !== doc.output_text_sha1).map((doc) => doc.id);
    expect(mismatches).toEqual([]);
  });

  it('fails exactly the reference rules, in chain order, and keeps the same 77 documents', () => {
    for (const [i, doc] of docs.entries()) {
      expect({ id: doc.id, failed: results[i]!.failed.map((f) => f.rule), keep: results[i]!.keep }).toEqual({
        id: doc.id,
        failed: doc.failed_rules,
        keep: doc.keep,
      });
    }
    expect(results.filter((r) => r.keep)).toHaveLength(77);
  });

  it('scores has_valid_domain NaN (not applied) exactly on the documents without a URL', () => {
    for (const [i, doc] of docs.entries()) {
      expect(Number.isNaN(results[i]!.scores.llmjp_valid_domain)).toBe(doc.not_applied.includes('has_valid_domain'));
    }
  });
});

/** The llm-jp-v2 verdict on one text: every failing rule. */
function failedRules(text: string, profile: FilterProfile = LLM_JP_V2): string[] {
  return judgeWithProfile(compileProfile(profile, DEFAULT_SCORER_SETTINGS), { text, url: null }).failed.map((f) => f.rule);
}

describe('is_not_empty: Python str.strip()', () => {
  it('treats U+3000, U+001C–U+001F and U+0085 as whitespace', () => {
    expect(isNotEmpty('\u3000\x1c\x1f\x85 \t\n')).toBe(false);
  });
  it('does not treat a BOM (U+FEFF) as whitespace, unlike JS trim()', () => {
    expect(isNotEmpty('\ufeff')).toBe(true);
  });
  it('rejects the empty string', () => {
    expect(isNotEmpty('')).toBe(false);
  });
});

describe('is_japanese: AcceptJapanese, [ぁ-んァ-ン] in the first 50 code points', () => {
  it('finds kana at the 50th character', () => {
    expect(isJapanese(`${'a'.repeat(49)}あ`)).toBe(true);
  });
  it('does not look at the 51st character', () => {
    expect(isJapanese(`${'a'.repeat(50)}あ`)).toBe(false);
  });
  it('counts an astral character once (code points, not UTF-16 units)', () => {
    expect(isJapanese(`${'𠀋'.repeat(49)}あ`)).toBe(true);
    expect(isJapanese(`${'𠀋'.repeat(50)}あ`)).toBe(false);
  });
  it('does not count ー, ヴ, ゔ, ヵ, ヶ or half-width ｱ as kana', () => {
    expect(isJapanese('ー ヴ ゔ ヵ ヶ ｱ 漢字')).toBe(false);
  });
  it('counts ぁ, ん, ァ and ン (the ends of the ranges)', () => {
    for (const kana of ['ぁ', 'ん', 'ァ', 'ン']) expect(isJapanese(kana)).toBe(true);
  });
});

describe('keyword hits: Python re alternation, findall', () => {
  it('takes the first word of the file that matches at a position, not the longest', () => {
    expect(new KeywordHitCounter(['a', 'abc', 'bc'], 'plain').count('abcbc')).toBe(3);
    expect(new KeywordHitCounter(['abc', 'bc'], 'plain').count('abcbc')).toBe(2);
  });

  it('counts the shipped ad list: 営業時間×2, ①, ②, ■×2, 送料 (DiscardAds has no katakana rule)', () => {
    expect(loadAdKeywordCounter(LLM_JP_LIST_PATHS.ad).count('営業時間営業時間①②■■送料無料')).toBe(7);
  });

  it('counts a katakana-only NG word only when no katakana or ー touches it (・ and ヶ do not shield)', () => {
    const adult = loadNgWordCounter(LLM_JP_LIST_PATHS.adult);
    expect(adult.count('アナル')).toBe(1);
    expect(adult.count('バナナアナル')).toBe(0);
    expect(adult.count('アナルー')).toBe(0);
    expect(adult.count('アナル・')).toBe(1);
    expect(adult.count('アナルヶ')).toBe(1);
    expect(adult.count('アナル アナルSEX バナナアナル アナルー アナル・ アナルヶ アスホール')).toBe(5);
  });

  it('lets any non-katakana word outrank katakana words, and tries later katakana words when the look-ahead fails', () => {
    // アナルSEX is not katakana-only, so it wins over アナル; アス fails its look-ahead inside アスホール, アスホール counts.
    const adult = loadNgWordCounter(LLM_JP_LIST_PATHS.adult);
    expect(adult.count('アナルSEX')).toBe(1);
    expect(adult.count('アスホール')).toBe(1);
  });

  it('resumes after a hit, in file order: 殺人鬼, 殺人, ●す殺す', () => {
    expect(loadNgWordCounter(LLM_JP_LIST_PATHS.violence).count('殺人鬼が殺人を。●す殺す')).toBe(3);
  });

  it('reproduces the empty alternative of a list without non-katakana words (`|(?<!…)(アイ)(?!…)`)', () => {
    expect(new KeywordHitCounter(['アイ'], 'isolate-katakana').count('xアイx')).toBe(5);
  });

  it('reproduces the empty katakana group of a list without katakana words (`x|(?<!…)()(?!…)`)', () => {
    expect(new KeywordHitCounter(['x'], 'isolate-katakana').count('aイxウ')).toBe(2);
  });

  it('counts a whitespace-only line as an empty word that matches everywhere', () => {
    const words = parseHojicharWordList('アイ\n  \n');
    expect(words).toEqual(['アイ', '']);
    expect(new KeywordHitCounter(words, 'isolate-katakana').count('アイxアイ')).toBe(6);
    expect(new KeywordHitCounter(['ab', '', 'c'], 'plain').count('abcab')).toBe(5);
    expect(new KeywordHitCounter([], 'plain').count('abc')).toBe(4);
  });

  it('reads lists as HojiChar does: \\r\\n and lone \\r end lines, lines stripped, zero-length lines dropped', () => {
    expect(parseHojicharWordList('a\r\nb\rc \n\n\u3000d\n')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('throws naming the file when a list cannot be read', () => {
    expect(() => loadNgWordCounter('/nonexistent/ja_adult_keywords.txt')).toThrow('/nonexistent/ja_adult_keywords.txt');
  });
});

describe('has_good_average_sentence_length: DiscardRareKuten(250)', () => {
  it('counts 。 only', () => {
    expect(countKuten('あ。い．う！。𠀋')).toBe(2);
  });
  it('rejects only when there are fewer 。 than len/250 (code points)', () => {
    const rejects = (text: string): boolean => failedRules(text).includes('has_good_average_sentence_length');
    expect(rejects('あ'.repeat(250))).toBe(true);
    expect(rejects(`${'あ'.repeat(249)}。`)).toBe(false);
    expect(rejects(`${'𠀋'.repeat(249)}。`)).toBe(false);
    expect(rejects(`${'あ'.repeat(500)}。`)).toBe(true);
  });
  it('lets an empty text pass (0 < 0 is false), which is_not_empty drops first', () => {
    const failed = failedRules('');
    expect(failed).not.toContain('has_good_average_sentence_length');
    expect(failed[0]).toBe('is_not_empty');
  });
});

describe('has_good_compression_ratio: zlib level 9 over UTF-8', () => {
  it('gives Python zlib.compress lengths (zlib header and Adler-32 included)', () => {
    // len(zlib.compress(b"a" * 200, level=9)) == 12 on CPython 3.11.2
    expect(deflatedSize('a'.repeat(200))).toEqual({ utf8Bytes: 200, deflateBytes: 12 });
  });
  it('keeps 0.3 ≤ ratio ≤ 0.7, bounds included', () => {
    const rule = LLM_JP_V2.steps.filter!.rules.has_good_compression_ratio!;
    expect([rule.min, rule.max]).toEqual([0.3, 0.7]);
    expect(failedRules('あいうえお'.repeat(100))).toContain('has_good_compression_ratio');
  });
});

describe('has_valid_domain: urlparse(url).hostname, last label in ja_valid_domains.txt', () => {
  const domains = loadValidDomains(LLM_JP_LIST_PATHS.validDomains);

  it('loads the 13 TLDs of the shipped list', () => {
    expect([...domains].sort()).toEqual(['biz', 'cc', 'com', 'info', 'jp', 'me', 'net', 'org', 'site', 'tokyo', 'tv', 'work', 'xyz']);
  });

  // [url, urlparse(url).hostname on CPython 3.11.2-6+deb12u6; null = None or ValueError]
  const HOSTNAMES: [string, string | null][] = [
    ['http://www.uraharajuku.st/shopdetail/1/', 'www.uraharajuku.st'],
    ['HTTP://WWW.Example.JP:8080/x', 'www.example.jp'],
    ['http://user:pw@example.jp@evil.com/', 'evil.com'],
    ['http://example.jp./', 'example.jp.'],
    ['example.jp/path', null],
    ['//example.jp/path', 'example.jp'],
    ['  \u0001http://example.jp/', 'example.jp'],
    ['ht\ttp://exa\nmple.co\rm/', 'example.com'],
    ['http://[::1]:80/', '::1'],
    ['http://[v1.example.jp]/', 'v1.example.jp'],
    ['http://[1.2.3.4]/', null],
    ['http://[::1/', null],
    ['http://[fe80::1%25Zone.JP]/', 'fe80::1%25Zone.JP'],
    ['http://x[::1]/', null],
    ['http://[::1]x/', null],
    ['http://example.com\uff03.jp/', null],
    ['http://例え.テスト/', '例え.テスト'],
    ['http://example.jp?q=1', 'example.jp'],
    ['http://example.jp#frag', 'example.jp'],
    ['1http://example.jp/', null],
    ['mailto:someone@example.jp', null],
    ['http://:80/', null],
    ['http://ÉXAMPLE.İO/', 'éxample.i̇o'],
    ['http://[::ffff:1.2.3.4]/', '::ffff:1.2.3.4'],
    ['http://[1:2:3:4:5:6:7:8]/', '1:2:3:4:5:6:7:8'],
    ['http://[1:2:3:4:5:6:7:8:9]/', null],
    ['http://[::01.2.3.4]/', null],
    ['http://[1::2::3]/', null],
    ['http://[:1::2]/', null],
    ['http://a[b@[::1]/', '::1'],
    ['http://[::1]@example.jp/', null],
    ['http://example.jp:abc/', 'example.jp'],
    ['http:example.jp', null],
  ];
  it.each(HOSTNAMES)('hostname of %j is %j', (url, hostname) => {
    expect(pythonUrlHostname(url)).toBe(hostname);
  });

  it('judges by the last label: a port, userinfo or case does not matter, a trailing dot does', () => {
    expect(hasValidDomain('HTTP://User@Shop.Example.CO.JP:8080/a', domains)).toBe(true);
    expect(hasValidDomain('http://www.uraharajuku.st/', domains)).toBe(false);
    expect(hasValidDomain('http://example.jp./', domains)).toBe(false);
    expect(hasValidDomain('http://[fe80::1%25zone.jp]/', domains)).toBe(true);
  });

  it('rejects ja.wikipedia.org over https only', () => {
    expect(hasValidDomain('https://ja.wikipedia.org/wiki/x', domains)).toBe(false);
    expect(hasValidDomain('http://ja.wikipedia.org/wiki/x', domains)).toBe(true);
  });

  it('rejects URLs on which the reference would raise', () => {
    expect(hasValidDomain('example.jp/path', domains)).toBe(false);
    expect(hasValidDomain('http://[1.2.3.4]/', domains)).toBe(false);
  });

  it('splits the list with Python splitlines(): blank middle lines add ""', () => {
    expect(pythonSplitLines('jp\n\ncom\r\nnet\x85org\u2028cc\n')).toEqual(['jp', '', 'com', 'net', 'org', 'cc']);
  });
});

describe('extract_japanese_text', () => {
  it('keeps lines with Hiragana/Katakana-script characters and joins them without a newline', () => {
    expect(extractJapaneseText('一行目です\n二行目\nEnglish only\n三行目です')).toBe('一行目です三行目です');
  });
  it('splits on \\n only: \\r and U+2028 stay in the text', () => {
    expect(extractJapaneseText('かな\r\nカナ\u2028漢字')).toBe('かな\rカナ\u2028漢字');
  });
  it('uses Script, not Script_Extensions, plus ー: ・ー and ｶﾀｶﾅ lines stay, 々〇 goes', () => {
    expect(extractJapaneseText('ｶﾀｶﾅ\n々〇\n・ー\nー')).toBe('ｶﾀｶﾅ・ーー');
  });
  it('knows the Unicode 15 kana outside the BMP', () => {
    expect(extractJapaneseText('𛀁 hentaigana\n𛄲 small ko\n🈀 sq\nnone')).toBe('𛀁 hentaigana𛄲 small ko🈀 sq');
  });
  it('cuts a URL together with the Japanese word characters that follow it', () => {
    expect(extractJapaneseText('詳しくは https://example.jp/ページ案内をご覧。')).toBe('詳しくは 。');
    expect(extractJapaneseText('見て https://example.jp/a 、次')).toBe('見て  、次');
  });
  it('tests for kana before cutting: a line whose kana are all in its URL stays, emptied of it', () => {
    expect(extractJapaneseText('URL https://example.jp/かな only')).toBe('URL  only');
  });
  it('cuts only lowercase http(s) URLs', () => {
    expect(extractJapaneseText('HTTPS://EXAMPLE.JP/ かな')).toBe('HTTPS://EXAMPLE.JP/ かな');
  });
  it('cuts ASCII runs of 100 or more, keeps 99', () => {
    expect(extractJapaneseText(`です${'x'.repeat(99)}`)).toBe(`です${'x'.repeat(99)}`);
    expect(extractJapaneseText(`です${'x'.repeat(100)}です`)).toBe('ですです');
  });
  it('cuts URLs first, so an ASCII run can form across a removed URL', () => {
    expect(extractJapaneseText(`です${'x'.repeat(50)}https://例え.jp"${'y'.repeat(49)}`)).toBe('です');
  });
  it('matches \\p{Script=Hiragana|Katakana} of the running Node on every code point', () => {
    const scripts = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
    const differ: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (KANA_LINE.test(ch) !== scripts.test(ch)) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });
});

describe('the chain', () => {
  it('lists every failing rule in the reference order (a short text compresses to more than 0.7)', () => {
    const result = judgeWithProfile(compileProfile(LLM_JP_V2, DEFAULT_SCORER_SETTINGS), { text: 'English only, no kana at all', url: 'http://example.st/' });
    expect(result.failed.map((f) => f.rule)).toEqual([
      'has_valid_domain',
      'is_japanese',
      'has_good_average_sentence_length',
      'has_good_compression_ratio',
      'is_not_empty_after_extract_japanese_text',
    ]);
    expect(result.keep).toBe(false);
  });

  it('rejects at more than 10 ad hits and more than 3 NG hits', () => {
    const rules = LLM_JP_V2.steps.filter!.rules;
    expect([rules.is_not_ad_content!.max, rules.is_not_adult_content!.max, rules.is_not_discrimination_content!.max, rules.is_not_violence_content!.max]).toEqual([10, 3, 3, 3]);
    const violent = '殺す。'.repeat(4);
    expect(failedRules(`${'あ'.repeat(40)}${violent}`)).toContain('is_not_violence_content');
    expect(failedRules(`${'あ'.repeat(40)}${'殺す。'.repeat(3)}`)).not.toContain('is_not_violence_content');
  });
});
