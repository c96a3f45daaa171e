import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMainText, extractVisibleText } from '../src/extract/index.ts';
import { maskPii, normalizeText } from '../src/normalize/index.ts';
import { compileProfile, DEFAULT_SCORER_SETTINGS, JCP_V1, ruleFails, type FilterProfile, type Scorer } from '../src/profiles/index.ts';
import {
  CharClass,
  countCharClasses,
  createCharShareScorer,
  createDensityScorer,
  createKeywordScorer,
  createLengthScorer,
  createLineEndingScorer,
  createLineShapeScorer,
  createRepetitionScorer,
  createSentenceScorer,
  DEFAULT_QUALITY_SCORING,
  loadKeywordList,
  newCharClassHistogram,
  ngramFractions,
} from '../src/quality/index.ts';

/** Real Japanese text, outside the repo (read-only): public-domain Aozora works and cleaned CC-ja documents. */
const SHARED_TEXT = fileURLToPath(new URL('../../../../shared/data/text/', import.meta.url));
const PAGES = fileURLToPath(new URL('../../../fixtures/pages/', import.meta.url));

const C = DEFAULT_QUALITY_SCORING;

interface Outcome {
  keep: boolean;
  reason?: string;
  scores: Record<string, number>;
}

/** A profile's quality step on one text: the first failing rule's reason, and every score. */
function qualityOf(profile: FilterProfile): (text: string) => Outcome {
  const step = compileProfile(profile, DEFAULT_SCORER_SETTINGS).find((s) => s.name === 'quality')!;
  return (text) => {
    const scores: Record<string, number> = {};
    const first = step.judge({ text, url: null }, scores).failed[0];
    return first ? { keep: false, reason: first.reason, scores } : { keep: true, scores };
  };
}

const runQuality = qualityOf(JCP_V1);

/**
 * Scores that are not finite numbers, leaving out the three that are not by definition: the URL rules
 * without a URL (NaN: not applied) and characters per 。 without one (∞, or NaN for an empty text).
 */
function nonFinite(scores: Record<string, number>): string[] {
  const byDefinition = new Set(['tld_allowed', 'url_blocklisted', 'chars_per_maru']);
  return Object.entries(scores)
    .filter(([name, value]) => !byDefinition.has(name) && !Number.isFinite(value))
    .map(([name]) => name);
}
const allScores = compileProfile(JCP_V1, DEFAULT_SCORER_SETTINGS).find((s) => s.name === 'quality')!.scoreNames;

/** One scorer family judged by the jcp-v1 quality rules on its scores alone (what each family decides). */
function familyFilter(scorer: Scorer): { apply(text: string): Outcome } {
  const rules = Object.entries(JCP_V1.steps.quality!.rules).filter(([, r]) => scorer.scoreNames.includes(r.score));
  return {
    apply(text) {
      const scores = scorer.score({ text, url: null });
      const failed = rules.find(([, r]) => ruleFails(r, scores[r.score]!));
      return failed ? { keep: false, reason: failed[1].reason ?? failed[0], scores } : { keep: true, scores };
    },
  };
}

/** Prose that passes every rule: three lines, ordinary sentences (written for these tests). */
const PROSE = [
  'しまなみ海道は、広島県の尾道から愛媛県の今治までを結ぶ道路で、自転車で渡れる海峡横断道路として知られています。島と島をつなぐ橋の上からは、瀬戸内海に浮かぶ小さな島々や行き交う船を眺めることができます。',
  '途中の島には柑橘の畑や古い町並みが残っていて、休憩のたびに地元の食べ物を味わえるのも楽しみのひとつです。坂道はそれほど多くないので、体力に自信がない人でも、時間に余裕を持てば無理なく走り切れるでしょう。',
  'ただし、夏の日中は日差しが強く、橋の上には日陰がほとんどありません。水分をこまめにとり、早めに休憩することを心がけてください。',
].join('\n');

function readDocs(file: string): { id: string; text: string }[] {
  return readFileSync(join(SHARED_TEXT, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; text: string });
}

/** The production path: normalise, mask PII, run the chain. */
function judge(text: string): Outcome {
  return runQuality(maskPii(normalizeText(text).text).text);
}

describe('character classes', () => {
  it('counts each class once per code point in one pass', () => {
    const h = newCharClassHistogram();
    expect(countCharClasses('あア亜Aa1１ 、。!★\n', h)).toBe(13);
    expect(h[CharClass.HIRAGANA]).toBe(1);
    expect(h[CharClass.KATAKANA]).toBe(1);
    expect(h[CharClass.KANJI]).toBe(1);
    expect(h[CharClass.LATIN]).toBe(2);
    expect(h[CharClass.DIGIT]).toBe(2);
    expect(h[CharClass.SPACE]).toBe(1);
    expect(h[CharClass.JA_PUNCT]).toBe(2);
    expect(h[CharClass.ASCII_PUNCT]).toBe(1);
    expect(h[CharClass.SYMBOL]).toBe(1);
    expect(h[CharClass.NEWLINE]).toBe(1);
  });

  it('counts a surrogate-pair kanji and an emoji as one character each, an unpaired surrogate as its own class', () => {
    const h = newCharClassHistogram();
    expect(countCharClasses('𠮷😀\ud800x\udc00', h)).toBe(5);
    expect(h[CharClass.KANJI]).toBe(1);
    expect(h[CharClass.SYMBOL]).toBe(1);
    expect(h[CharClass.LONE_SURROGATE]).toBe(2);
    expect(h[CharClass.LATIN]).toBe(1);
  });

  it('counts half-width katakana and ー as katakana, full-width letters as latin, 々 as kanji', () => {
    const h = newCharClassHistogram();
    countCharClasses('ｶﾀｶﾅーＡｂ々', h);
    expect(h[CharClass.KATAKANA]).toBe(5);
    expect(h[CharClass.LATIN]).toBe(2);
    expect(h[CharClass.KANJI]).toBe(1);
  });
});

describe('length', () => {
  const filter = familyFilter(createLengthScorer());

  it('drops a text under 200 characters as too-short, with its length as the score', () => {
    const out = filter.apply('短い文です。');
    expect(out).toEqual({ keep: false, reason: 'too-short', scores: { char_count: 6 } });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(filter.apply('𠮷'.repeat(10)).scores.char_count).toBe(10);
  });

  it('drops a text over 50,000 characters as too-long', () => {
    expect(filter.apply('あ'.repeat(50_001)).reason).toBe('too-long');
  });

  it('keeps a text in range', () => {
    expect(filter.apply(PROSE).keep).toBe(true);
  });
});

describe('character shares', () => {
  const filter = familyFilter(createCharShareScorer());

  it("computes kana and kanji shares over Swallow's Japanese letters (kana, kanji, 。．！？、，)", () => {
    const s = filter.apply('ひらがなカタカナ漢字。').scores;
    expect(s.hiragana_share).toBeCloseTo(4 / 11);
    expect(s.katakana_share).toBeCloseTo(4 / 11);
    expect(s.kanji_share).toBeCloseTo(2 / 11);
    expect(s.japanese_share).toBe(1);
    expect(s.japanese_char_count).toBe(11);
  });

  it('drops mostly-English text as low-japanese-share', () => {
    const text = 'We use cookies to improve your experience on our website. ログイン\nPrivacy Policy | Terms of Service';
    expect(filter.apply(text).reason).toBe('low-japanese-share');
  });

  it('drops kana-less Chinese text as low-hiragana-share', () => {
    const text = '中国茶的历史非常悠久，据说已有数千年。绿茶、红茶和乌龙茶都有各自的特点和冲泡方法。';
    expect(filter.apply(text).reason).toBe('low-hiragana-share');
  });

  it('drops katakana-heavy product names as high-katakana-share', () => {
    // 10 hiragana (enough), 19 katakana of 30 Japanese letters.
    const text = 'ワイヤレスイヤホンのノイズキャンセリングはとてもよいです。';
    expect(filter.apply(text).reason).toBe('high-katakana-share');
  });

  it('drops text of symbols and emoji as low-japanese-share before anything else', () => {
    expect(filter.apply('★☆♪■□◆◇●○→←↑↓※😀😃'.repeat(20)).reason).toBe('low-japanese-share');
  });

  it('drops text with more than 5 % control characters, U+FFFD or unpaired surrogates as invalid-chars', () => {
    expect(filter.apply(`${PROSE.slice(0, 100)}${'\ufffd'.repeat(10)}`).reason).toBe('invalid-chars');
    expect(filter.apply(`${PROSE.slice(0, 100)}${'\ud800'.repeat(10)}`).reason).toBe('invalid-chars');
  });
});

describe('sentences', () => {
  const filter = familyFilter(createSentenceScorer());

  it('splits as Swallow does: an ender closes a sentence, a run of enders closes one, a line without one is one', () => {
    // あいう。 | えお！ (？ dropped) | かき | くけこ
    const s = filter.apply('あいう。えお！？かき\nくけこ').scores;
    expect(s.sentence_count).toBe(4);
    expect(s.mean_sentence_length).toBe(3);
    expect(s.max_sentence_length).toBe(4);
    expect(s.kuten_rate).toBeCloseTo(3 / 14);
  });

  it('drops prose without 。 as rare-kuten', () => {
    expect(filter.apply(PROSE.replace(/。/g, '')).reason).toBe('rare-kuten');
  });

  it('drops a page of short fragments as short-sentences', () => {
    const text = Array.from({ length: 30 }, (_, i) => `第${i + 1}回。`).join('');
    expect(filter.apply(text).reason).toBe('short-sentences');
  });

  it('drops a document with a sentence over 200 characters as sentence-too-long', () => {
    const long = `${'この道をまっすぐ進んで、'.repeat(18)}駅に着きます。`;
    expect(filter.apply(`${PROSE}\n${long}`).reason).toBe('sentence-too-long');
  });
});

describe('repetition', () => {
  const filter = familyFilter(createRepetitionScorer(C.repetition));

  it('counts every occurrence of a line after the first, and leaves empty lines out', () => {
    const s = filter.apply('春が来た\n\n夏が来た\n\n春が来た\n\n春が来た').scores;
    expect(s.dup_line_frac).toBe(2 / 4);
    expect(s.dup_line_char_frac).toBe(8 / 22);
  });

  it('drops a page whose lines repeat as dup-lines', () => {
    const text = [PROSE, ...Array(5).fill('ただいまメンテナンス中です。しばらくお待ちください。')].join('\n');
    expect(filter.apply(text).reason).toBe('dup-lines');
  });

  it('drops a text whose paragraphs repeat as dup-paragraphs', () => {
    const paragraph = '第一段落です。\n同じ内容が続きます。';
    const text = [paragraph, paragraph, paragraph, PROSE].join('\n\n');
    expect(filter.apply(text).reason).toBe('dup-paragraphs');
  });

  it("computes character n-gram fractions with Swallow's definitions", () => {
    const f = ngramFractions('abcabc', 100);
    expect(f[2]).toBeCloseTo(2 / 5); // ab×2 of 5 bigrams
    expect(f[3]).toBeCloseTo(2 / 4); // abc×2 of 4 trigrams
    expect(f[4]).toBeCloseTo(1 / 3);
    expect(f[5]).toBe(0); // abcab, bcabc: none repeats
    expect(ngramFractions('x'.repeat(12), 100)[7]).toBe(1);
  });

  it('drops a text repeating one short phrase as top-2gram', () => {
    expect(filter.apply('あはは'.repeat(100)).reason).toBe('top-2gram');
  });

  it('keeps ordinary prose', () => {
    expect(filter.apply(PROSE).keep).toBe(true);
  });
});

describe('line shapes', () => {
  const filter = familyFilter(createLineShapeScorer(C.lineShapes));

  it('drops a list where over 90 % of lines start with a bullet as bullet-lines', () => {
    const text = ['・容量：1.2L', '・消費電力：1250W', '・重量：約1.1kg', '- 保証期間：1年', '● 原産国：日本'].join('\n');
    expect(filter.apply(text).scores.bullet_line_frac).toBe(1);
    expect(filter.apply(text).reason).toBe('bullet-lines');
  });

  it('counts an ASCII hyphen as a bullet only when a space follows', () => {
    expect(filter.apply('-5℃まで冷えこみました\n- 雪の予報です').scores.bullet_line_frac).toBe(0.5);
  });

  it('drops teasers cut off with … or ... as ellipsis-lines', () => {
    const text = ['今年の夏に行きたい絶景スポットをまとめました。どれも…', '専門家が教える住宅ローンの選び方...', '新作スイーツを食べ比べ', '通勤時間の使い方・・・'].join('\n');
    expect(filter.apply(text).scores.ellipsis_line_frac).toBe(3 / 4);
    expect(filter.apply(text).reason).toBe('ellipsis-lines');
  });

  it('drops a menu of short lines as short-lines, ignoring blank lines', () => {
    const text = ['ホーム', '会社概要', 'サービス', 'お問い合わせ', '', '', PROSE.split('\n')[0]].join('\n');
    const out = filter.apply(text);
    expect(out.scores.line_count).toBe(5);
    expect(out.scores.short_line_frac).toBe(4 / 5);
    expect(out.reason).toBe('short-lines');
  });
});

describe('line endings', () => {
  it('scores the share of non-empty lines ending a sentence, closing quotes included, in the shared pass', () => {
    const scorer = createLineEndingScorer();
    const text = ['春が来た。', '「行こう」', 'ホーム', '', 'お問い合わせ  ', 'Is it?'].join('\n');
    expect(scorer.score({ text, url: null }).punct_end_line_frac).toBe(3 / 5);
  });
});

describe('density', () => {
  const filter = familyFilter(createDensityScorer());

  it('drops a link list as url-density', () => {
    const text = ['参考：https://www.example.jp/archives/1234', '関連：http://blog.example.com/entry/2025/01/01/', 'www.example.co.jp/item/999 も参照'].join('\n');
    const out = filter.apply(text);
    expect(out.scores.url_count).toBe(3);
    expect(out.reason).toBe('url-density');
  });

  it('drops a list of addresses as email-density', () => {
    const text = '連絡先一覧\ninfo@example.jp\nsales@example.co.jp\nsupport@example.com';
    expect(filter.apply(text).scores.email_count).toBe(3);
    expect(filter.apply(text).reason).toBe('email-density');
  });

  it('drops a table of numbers as digit-density', () => {
    const text = ['日付 始値 終値', '2025/01/06 1,234 1,250', '2025/01/07 1,251 1,239', '2025/01/08 1,240 1,266'].join('\n');
    expect(filter.apply(text).reason).toBe('digit-density');
  });

  it('keeps prose that mentions one URL', () => {
    expect(filter.apply(`${PROSE}\n詳しくは https://example.jp/ をご覧ください。`).keep).toBe(true);
  });
});

describe('keywords', () => {
  const filter = familyFilter(createKeywordScorer(C.keywords));

  it('counts phrases longest first and without overlap', () => {
    // 送料無料 is one match (not 送料 + 送料無料); 税込 is another.
    expect(filter.apply('送料無料でお届けします。価格は税込です。').scores.ad_keyword_count).toBe(2);
  });

  it('drops shop copy with more than 14 ad phrases as ad-keywords', () => {
    const line = '【送料無料】国産 黒毛和牛 500g 3,980円（税込）在庫あり カートに入れる';
    const out = filter.apply(Array(4).fill(line).join('\n'));
    expect(out.scores.ad_keyword_count).toBe(16);
    expect(out.reason).toBe('ad-keywords');
  });

  it('drops spam whose phrases cover more than 5 % of the text as spam-keywords', () => {
    const text = `${PROSE}\n出会い系なら完全無料！今すぐ登録で人妻とライブチャット。`;
    expect(filter.apply(text).scores.spam_keyword_count).toBe(5);
    expect(filter.apply(text).reason).toBe('spam-keywords');
  });

  it('scores boilerplate phrases without dropping on them by default', () => {
    const out = filter.apply(`${PROSE}\n前の記事\n次の記事\nプライバシーポリシー\nCopyright 2025 All rights reserved`);
    expect(out.scores.boilerplate_keyword_count).toBe(5);
    expect(out.keep).toBe(true);
  });

  it('reads a list with comments and blank lines, NFKC-normalising each phrase', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quality-keywords-'));
    const path = join(dir, 'list.txt');
    writeFileSync(path, '# comment\n\nＡｍａｚｏｎで見る\nｶｰﾄに入れる\n');
    expect(loadKeywordList(path)).toEqual(['Amazonで見る', 'カートに入れる']);
  });

  it('names the file when a list cannot be read', () => {
    expect(() => loadKeywordList('/nonexistent/ads.txt')).toThrow(/keyword list \/nonexistent\/ads\.txt: cannot read/);
  });

  it('names the file and line of a one-character phrase', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quality-keywords-'));
    const path = join(dir, 'list.txt');
    writeFileSync(path, '送料無料\n①\n');
    expect(() => loadKeywordList(path)).toThrow(`keyword list ${path}:2`);
  });
});

describe('the jcp-v1 quality step', () => {
  it('keeps clean prose and returns every score of every filter', () => {
    const out = runQuality(PROSE);
    expect(out.keep).toBe(true);
    expect(Object.keys(out.scores).sort()).toEqual([...allScores].sort());
    expect(nonFinite(out.scores)).toEqual([]);
  });

  it('reports the first drop reason in chain order and still scores the rest', () => {
    // Too short (length, first) and without 。 (sentences, last): the reason is the first rule's.
    const out = runQuality('ホーム\n会社概要');
    expect(out).toMatchObject({ keep: false, reason: 'too-short' });
    expect(Object.keys(out.scores).sort()).toEqual([...allScores].sort());
  });

  it('gives every score a unique name (one Parquet column each)', () => {
    expect(new Set(allScores).size).toBe(allScores.length);
    for (const name of allScores) expect(name).toMatch(/^[a-z0-9_]+$/);
  });

  it('turns a rule off when its threshold is null, keeping its score', () => {
    const profile = structuredClone(JCP_V1);
    profile.steps.quality!.rules['too-short']!.min = null;
    const out = qualityOf(profile)('短いけれど、きちんとした文です。もう一文あります。');
    expect(out.scores.char_count).toBe(25);
    expect(out.reason).not.toBe('too-short');
  });
});

describe('real text', () => {
  const CLEAN_REASONS = new Set([
    'too-short', 'too-long', 'rare-kuten', 'short-sentences', 'long-sentences', 'sentence-too-long',
    'short-lines', 'low-hiragana-share', 'low-japanese-share', 'high-symbol-share', 'dup-lines', 'dup-paragraphs',
    'top-2gram', 'top-3gram', 'top-4gram', 'dup-5gram', 'dup-6gram', 'dup-7gram', 'dup-8gram', 'dup-9gram', 'dup-10gram',
  ]);

  for (const file of ['aozora-akutagawa-miyazawa.jsonl', 'abeja-cc-ja-99docs.jsonl']) {
    it(`keeps most of ${file} and never calls it ads, spam, links, tables or boilerplate`, () => {
      const docs = readDocs(file);
      let kept = 0;
      for (const doc of docs) {
        const out = judge(doc.text);
        if (out.keep) kept++;
        else expect(CLEAN_REASONS, `${doc.id}: ${out.reason}`).toContain(out.reason);
      }
      expect(kept / docs.length).toBeGreaterThan(0.5);
    });
  }

  it('keeps the main text of most Japanese fixture pages and drops the rest of each page', () => {
    const pages = readdirSync(PAGES).filter((f) => f.startsWith('ja-') && f !== 'ja-404.html');
    let kept = 0;
    for (const page of pages) {
      const html = readFileSync(join(PAGES, page), 'utf8');
      const main = extractMainText(html).text;
      if (judge(main).keep) kept++;
      const mainLines = new Set(main.split('\n'));
      const boilerplate = extractVisibleText(html).split('\n').filter((l) => l.trim() !== '' && !mainLines.has(l)).join('\n');
      expect(judge(boilerplate).keep, `${page} boilerplate`).toBe(false);
    }
    expect(kept / pages.length).toBeGreaterThanOrEqual(0.8);
  });

  it('drops a real paragraph repeated down the page as dup-lines', () => {
    const line = readDocs('abeja-cc-ja-99docs.jsonl')[1]!.text.split('\n')[0]!;
    expect(judge(Array(6).fill(line).join('\n')).reason).toBe('dup-lines');
  });

  it('drops a real paragraph followed by a link list as url-density', () => {
    const links = Array.from({ length: 8 }, (_, i) => `関連記事 https://www.example.jp/archives/${1000 + i}?ref=side`).join('\n');
    expect(judge(`${readDocs('abeja-cc-ja-99docs.jsonl')[1]!.text}\n${links}`).reason).toBe('url-density');
  });

  it('drops a real paragraph buried in ad copy as ad-keywords', () => {
    const ads = Array(4).fill('【送料無料】今すぐ購入でポイント10倍！在庫あり・カートに入れる').join('\n');
    expect(judge(`${ads}\n${PROSE}`).reason).toBe('ad-keywords');
  });
});

describe('bad input', () => {
  const cases: Record<string, string> = {
    'empty text': '',
    'white space only': ' \n\t\n　',
    'a single 5 MB line': PROSE.replace(/\n/g, '').repeat(Math.ceil(5_000_000 / PROSE.length)),
    'symbols only': '★☆♪■□◆◇●○→←↑↓※'.repeat(40),
    'emoji only': '😀😃😄😁😆😅🤣😂🙂🙃👍🎉'.repeat(40),
    'a run of unpaired surrogates': `${PROSE}${'\ud800'.repeat(30)}${'\udfff'.repeat(30)}`,
    'scattered unpaired surrogates': PROSE.replace(/(.{7})/g, '$1\udc00'),
  };

  for (const [name, text] of Object.entries(cases)) {
    it(`gives ${name} a reason, finite scores and no exception`, () => {
      const out = judge(text);
      expect(out.keep).toBe(false);
      expect(out.reason).toMatch(/^[a-z0-9-]+$/);
      expect(nonFinite(out.scores)).toEqual([]);
    });
  }

  it('names too-short for an empty text and too-long for a 5 MB line', () => {
    expect(judge('').reason).toBe('too-short');
    expect(judge(cases['a single 5 MB line']!).reason).toBe('too-long');
  });

  it('drops scattered unpaired surrogates as invalid characters once normalised to U+FFFD', () => {
    expect(judge(cases['scattered unpaired surrogates']!).reason).toBe('invalid-chars');
  });
});
