import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createNormalizer,
  createPiiMasker,
  DEFAULT_NORMALIZE_CONFIG,
  DEFAULT_PII_CONFIG,
  findEmail,
  maskPii,
  normalizeText,
} from '../src/normalize/index.ts';

const SHARED_TEXT = fileURLToPath(new URL('../../../../shared/data/text/', import.meta.url));
const norm = (text: string): string => normalizeText(text).text;
const mask = (text: string): string => maskPii(text).text;

describe('NFKC', () => {
  it('turns full-width ASCII into ASCII', () => {
    expect(norm('ＡＢＣ１２３！？（）')).toBe('ABC123!?()');
  });

  it('turns half-width katakana into full-width, joining the voiced mark', () => {
    expect(norm('ｶﾞｷﾞｸﾞｰ')).toBe('ガギグー');
  });

  it('expands compatibility characters as the references do: ㈱ → (株), ⑴ → (1), ㌔ → キロ', () => {
    expect(norm('㈱みどり ⑴手順 ㌔')).toBe('(株)みどり (1)手順 キロ');
  });

  it('keeps a circled number apart from the text it numbers: ①特約の内容 → (1)特約の内容, not 1特約の内容', () => {
    expect(norm('①特約の内容\n②解約の条件')).toBe('(1)特約の内容\n(2)解約の条件');
  });

  it('gives NFKC\'s bare form to circled characters when circledAsParenthesised is off', () => {
    const plain = createNormalizer({ ...DEFAULT_NORMALIZE_CONFIG, circledAsParenthesised: false });
    expect(plain('①特約').text).toBe('1特約');
  });

  it('parenthesises every character whose decomposition is <circle>, and no other', () => {
    // Per UnicodeData.txt, the BMP's <circle> characters are these ranges (Unicode 15).
    const circled = [[0x2460, 0x2473], [0x24b6, 0x24ea], [0x3244, 0x3247], [0x3251, 0x327e], [0x3280, 0x32bf], [0x32d0, 0x32fe]];
    const isCircled = (c: number): boolean => circled.some(([a, b]) => c >= a! && c <= b!);
    // The two enclosed blocks (Enclosed Alphanumerics, Enclosed CJK Letters and Months) hold them all.
    for (const c of [...Array(0x100).keys()].flatMap((k) => [0x2400 + k, 0x3200 + k])) {
      const ch = String.fromCharCode(c);
      const bare = ch.normalize('NFKC');
      const expected = isCircled(c) ? `(${bare})` : bare;
      expect(normalizeText(`前${ch}後`).text, `U+${c.toString(16)}`).toBe(`前${expected}後`);
    }
  });

  it('leaves ゛ ゜, superscripts and subscripts and the Japanese ellipsis as they are', () => {
    expect(norm('か゛ m² H₂O それは……')).toBe('か゛ m² H₂O それは……');
  });

  it('reports whether NFKC changed anything', () => {
    expect(normalizeText('ＡＢＣ').stats.nfkcChanged).toBe(1);
    expect(normalizeText('ABC').stats.nfkcChanged).toBe(0);
  });
});

/**
 * What NFKC must and must not do to the characters of Japanese text, with the reason for each row.
 * `to` is the normalised form; a row whose `to` equals `from` is a character that must stay as written.
 */
const JAPANESE_NFKC_TABLE: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: 'ｱｲｳｴｵ', to: 'アイウエオ', why: 'half-width katakana is a legacy (JIS X 0201) spelling of the same kana' },
  { from: 'ｶﾞﾊﾟ', to: 'ガパ', why: 'half-width voiced marks join their kana into one character' },
  { from: 'ｰ', to: 'ー', why: 'half-width prolonged sound mark is the same mark' },
  { from: '･', to: '・', why: 'half-width middle dot is the same 中黒' },
  { from: 'ＡＢＣａｂｃ', to: 'ABCabc', why: 'full-width Latin letters are ASCII letters set wide' },
  { from: '０１２３', to: '0123', why: 'full-width digits are ASCII digits set wide' },
  { from: '！？（）：', to: '!?():', why: 'full-width ASCII punctuation is ASCII punctuation set wide' },
  { from: '＼', to: '\\', why: 'full-width reverse solidus is ASCII \\' },
  { from: '￥', to: '¥', why: 'full-width yen sign is U+00A5 (not the backslash a Shift_JIS 0x5C may mean)' },
  { from: '～', to: '~', why: 'full-width tilde (CP932\'s wave dash) is ASCII ~ to NFKC; HojiChar keeps that' },
  { from: '〜', to: '〜', why: 'the wave dash U+301C has no compatibility mapping: a range mark stays' },
  { from: 'ー', to: 'ー', why: 'the prolonged sound mark is a kana letter, not a dash' },
  { from: '・', to: '・', why: 'the middle dot separates words in katakana names' },
  { from: '「」『』、。', to: '「」『』、。', why: 'Japanese brackets and punctuation have no compatibility mapping' },
  { from: '①', to: '(1)', why: 'circled number: NFKC\'s bare 1 would glue the enumerator to the text' },
  { from: '⑳㉑㊿', to: '(20)(21)(50)', why: 'circled numbers above 10 likewise, with their full value' },
  { from: '⑴', to: '(1)', why: 'parenthesised number: NFKC already keeps the parentheses' },
  { from: '⒈', to: '1.', why: 'number with full stop: NFKC already keeps the stop' },
  { from: 'Ⓐⓐ', to: '(A)(a)', why: 'circled Latin letters are enumerators too' },
  { from: '㋐', to: '(ア)', why: 'circled katakana enumerates like ① (ア イ ウ lists)' },
  { from: '㊤㊙', to: '(上)(秘)', why: 'circled ideographs: the circle marks the sign, a bare 上 would join the next word' },
  { from: '㈱', to: '(株)', why: 'parenthesised ideograph: NFKC gives (株), one spelling with a typed (株)' },
  { from: '㌔㍉', to: 'キロミリ', why: 'squared katakana units are the words written small' },
  { from: '㍻㋿', to: '平成令和', why: 'squared era names are the era written in one cell' },
  { from: '㎏', to: 'kg', why: 'squared Latin units are the unit symbols' },
  { from: '　', to: ' ', why: 'ideographic space is a space (line-end ones are trimmed later)' },
  { from: 'か゛', to: 'か゛', why: 'spacing voiced mark: NFKC gives a space plus a combining mark' },
  { from: 'm² H₂O', to: 'm² H₂O', why: 'superscripts and subscripts: m2 and H2O change the meaning' },
  { from: '……‥', to: '……‥', why: 'Japanese ellipsis: NFKC writes ... and .., typesetting uses the one character' },
  { from: '髙﨑', to: '髙﨑', why: 'IBM extension kanji are their own characters, not compatibility forms' },
  { from: '\uf929', to: '\u6717', why: 'CJK compatibility ideograph 朗 (U+F929) is the unified 朗' },
];

describe('NFKC in Japanese text, character by character', () => {
  for (const row of JAPANESE_NFKC_TABLE) {
    it(`${row.from} → ${row.to}: ${row.why}`, () => {
      expect(norm(`前${row.from}後`)).toBe(`前${row.to}後`);
    });
  }
});

describe('Japanese punctuation (Swallow)', () => {
  it('rewrites ，． to 、。 in a text that uses them as comma and period', () => {
    const out = normalizeText('これは，テストです．次の文です．');
    expect(out.text).toBe('これは、テストです。次の文です。');
    expect(out.stats.rewrittenPunctuation).toBe(3);
  });

  it('keeps ３．１４ while rewriting the periods after Japanese', () => {
    expect(norm('円周率は３．１４です．覚えました．')).toBe('円周率は3.14です。覚えました。');
  });

  it('does not rewrite a text that mostly uses 、。 (NFKC then makes the stray ， ASCII)', () => {
    expect(norm('これは、テストです。それは，例です。')).toBe('これは、テストです。それは,例です。');
  });
});

describe('white space', () => {
  it('turns CRLF, CR, NEL and U+2028 into LF', () => {
    expect(norm('一行目\r\n二行目\r三行目\u0085四行目\u2028五行目')).toBe('一行目\n二行目\n三行目\n四行目\n五行目');
  });

  it('removes trailing spaces, tabs and ideographic spaces from every line', () => {
    const out = normalizeText('一行目 \t\n二行目　\n三行目');
    expect(out.text).toBe('一行目\n二行目\n三行目');
    expect(out.stats.trimmedSpaces).toBe(3);
  });

  it('keeps at most one blank line, none at the start and no line break at the end', () => {
    const out = normalizeText('\n\n段落一\n\n\n\n段落二\n\n');
    expect(out.text).toBe('段落一\n\n段落二');
    expect(out.stats.removedBlankLines).toBe(5);
  });

  it('removes control characters, zero-width spaces, BOM and soft hyphens', () => {
    const out = normalizeText('\ufeffゼロ\u200b幅\u0007制御\u00ad文字');
    expect(out.text).toBe('ゼロ幅制御文字');
    expect(out.stats.removedInvisible).toBe(4);
  });

  it('keeps the zero-width joiner of an emoji sequence and a kanji variation selector', () => {
    expect(norm('家族👨\u200d👩\u200d👧 葛\udb40\udd00')).toBe('家族👨\u200d👩\u200d👧 葛\udb40\udd00');
  });

  it('keeps indentation and spaces inside a line', () => {
    expect(norm('  const x = 1;\n　段落の字下げ')).toBe('  const x = 1;\n 段落の字下げ');
  });

  it('returns a clean text as the very same string', () => {
    const text = readFileSync(`${SHARED_TEXT}abeja-cc-ja-99docs.jsonl`, 'utf8').split('\n')[0]!;
    const clean = norm((JSON.parse(text) as { text: string }).text);
    expect(norm(clean)).toBe(clean);
    expect(createNormalizer({ ...DEFAULT_NORMALIZE_CONFIG, nfkc: false, japanesePunctuation: false })(clean).text).toBe(clean);
  });
});

describe('unpaired surrogates', () => {
  it('replaces them with U+FFFD and counts them, keeping valid pairs', () => {
    const out = normalizeText('𠮷\ud800あ\udc00');
    expect(out.text).toBe('𠮷\ufffdあ\ufffd');
    expect(out.stats.replacedSurrogates).toBe(2);
  });
});

describe('PII masking', () => {
  it('masks e-mail addresses as HojiChar does, keeping the top-level domain', () => {
    const out = maskPii('連絡は taro.yamada+news@example.co.jp まで。info@example.com も可。');
    expect(out.text).toBe('連絡は xxxx@yyy.jp まで。xxxx@yyy.com も可。');
    expect(out.counts.email).toBe(2);
  });

  it('finds an address glued to Japanese text and leaves a bare @ alone', () => {
    expect(mask('メールはinfo@example.jpへ')).toBe('メールはxxxx@yyy.jpへ');
    expect(mask('@mention と a@b と user@localhost')).toBe('@mention と a@b と user@localhost');
  });

  it.each([
    ['03-1234-5678', '03-1234-XXXX'],
    ['06-1234-5678', '06-1234-XXXX'],
    ['075-123-4567', '075-123-XXXX'],
    ['0166-12-3456', '0166-12-XXXX'],
    ['090-1234-5678', '090-1234-XXXX'],
    ['080 1234 5678', '080 1234 XXXX'],
    ['0120-123-456', '0120-12X-XXX'],
    ['0800-123-4567', '0800-123-XXXX'],
    ['(03)1234-5678', '(03)1234-XXXX'],
    ['03(1234)5678', '03(1234)XXXX'],
    ['0312345678', '031234XXXX'],
    ['08012345678', '0801234XXXX'],
    ['+81-90-1234-5678', '+81-90-1234-XXXX'],
    ['+81 3 1234 5678', '+81 3 1234 XXXX'],
  ])('masks the last four digits of the phone number %s', (phone, masked) => {
    expect(mask(`電話：${phone}（平日のみ）`)).toBe(`電話：${masked}（平日のみ）`);
  });

  it.each([
    ['a date', '2024-01-01 09:30'],
    ['a postal code', '〒100-0001'],
    ['a price', '12,800円'],
    ['a twelve-digit number', '012345678901'],
    ['an eleven-digit number that is not a mobile or toll-free number', '03123456789'],
    ['a number inside an identifier', 'ID0312345678X'],
  ])('leaves %s alone', (_what, text) => {
    expect(mask(text)).toBe(text);
  });

  it('masks IPv4 addresses and leaves impossible ones and version numbers alone', () => {
    const out = maskPii('サーバー 192.0.2.10 と 999.1.1.1 と v1.2.3');
    expect(out.text).toBe('サーバー xxx.xxx.xxx.xxx と 999.1.1.1 と v1.2.3');
    expect(out.counts).toEqual({ email: 0, phone: 0, ipv4: 1 });
  });

  it('counts each kind and masks them all in one text', () => {
    const out = maskPii('担当 sato@example.jp／TEL 03-1234-5678／FAX 03-1234-5679／IP 198.51.100.7');
    expect(out.counts).toEqual({ email: 1, phone: 2, ipv4: 1 });
    expect(out.text).toBe('担当 xxxx@yyy.jp／TEL 03-1234-XXXX／FAX 03-1234-XXXX／IP xxx.xxx.xxx.xxx');
  });

  it('masks nothing a config turns off', () => {
    const keepPhones = createPiiMasker({ ...DEFAULT_PII_CONFIG, maskPhones: false });
    expect(keepPhones('03-1234-5678 と a@example.jp').text).toBe('03-1234-5678 と xxxx@yyy.jp');
  });

  it('returns a text without PII unchanged', () => {
    const text = 'しまなみ海道を自転車で渡った二日間の記録です。';
    expect(maskPii(text)).toEqual({ text, counts: { email: 0, phone: 0, ipv4: 0 } });
  });

  it('scans adversarial megabyte inputs in linear time (no regex backtracking on @ or digit runs)', () => {
    const span = new Int32Array(3);
    expect(findEmail('@'.repeat(5_000_000), 0, span)).toBe(false);
    expect(findEmail(`${'a'.repeat(5_000_000)}@`, 0, span)).toBe(false);
    expect(maskPii('0-'.repeat(1_000_000)).counts.phone).toBe(0);
    expect(maskPii('a.b@'.repeat(1_000_000)).counts.email).toBe(0);
  });
});
