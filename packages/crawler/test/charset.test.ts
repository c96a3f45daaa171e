import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBody, normalizeCharsetLabel } from '../src/charset/index.ts';

// Real files with known charsets, read in place (never copied into the repo).
const CHARSETS_DIR = new URL('../../../../shared/data/charsets/', import.meta.url);

function file(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(relative, CHARSETS_DIR))));
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** ASCII and Greek letters to windows-1253 (Greek U+0388–U+03CE sit at a fixed offset; Ά at 0xA2); others dropped. */
function toWindows1253(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) bytes.push(cp);
    else if (cp === 0x386) bytes.push(0xa2);
    else if (cp >= 0x388 && cp <= 0x3ce) bytes.push(cp - 0x2d0);
  }
  return Uint8Array.from(bytes);
}

const HIRAGANA = /[\u3041-\u3096]/;
// 日本語 in Shift_JIS and in EUC-JP.
const NIHONGO_SJIS = Uint8Array.of(0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea);
const NIHONGO_EUC = Uint8Array.of(0xc6, 0xfc, 0xcb, 0xdc, 0xb8, 0xec);
// のテキスト in Shift_JIS and in EUC-JP.
const NO_TEKISUTO_SJIS = Uint8Array.of(0x82, 0xcc, 0x83, 0x65, 0x83, 0x4c, 0x83, 0x58, 0x83, 0x67);
const NO_TEKISUTO_EUC = Uint8Array.of(0xa4, 0xce, 0xa5, 0xc6, 0xa5, 0xad, 0xa5, 0xb9, 0xa5, 0xc8);

describe('decodeBody on real Japanese files', () => {
  it('decodes a Shift_JIS feed declared in its XML prolog as shift_jis, without replacement characters', () => {
    const decoded = decodeBody(file('chardet/SHIFT_JIS/10e.org.xml'));
    expect(decoded).toMatchObject({ charset: 'shift_jis', charsetDeclared: 'shift_jis', decidedBy: 'meta', replacementChars: 0 });
    expect(decoded.text).toMatch(HIRAGANA);
  });

  it('sniffs undeclared Shift_JIS text (Aozora Bunko) as shift_jis', () => {
    const decoded = decodeBody(file('aozora/127_ruby_150.txt'));
    expect(decoded).toMatchObject({ charset: 'shift_jis', charsetDeclared: null, decidedBy: 'sniffed', replacementChars: 0 });
    expect(decoded.text).toContain('羅生門');
  });

  it('decodes CP932 extension characters (㈱, №, ①) from files labelled Shift_JIS', () => {
    const hardsoft = decodeBody(file('chardet/CP932/hardsoft.at.webry.info.xml'));
    const ymoto = decodeBody(file('chardet/CP932/y-moto.com.xml'));
    expect(hardsoft.charset).toBe('shift_jis');
    expect(hardsoft.text).toContain('㈱');
    expect(hardsoft.text).toContain('№');
    expect(ymoto.text).toContain('①');
    expect(hardsoft.replacementChars + ymoto.replacementChars).toBe(0);
  });

  it('decodes an EUC-JP feed declared in its XML prolog as euc-jp', () => {
    const decoded = decodeBody(file('chardet/EUC-JP/aivy.co.jp.xml'));
    expect(decoded).toMatchObject({ charset: 'euc-jp', decidedBy: 'meta', replacementChars: 0 });
    expect(decoded.text).toMatch(HIRAGANA);
  });

  it('sniffs undeclared EUC-JP text as euc-jp', () => {
    const decoded = decodeBody(file('chardet/EUC-JP/_ude_1.txt'));
    expect(decoded).toMatchObject({ charset: 'euc-jp', charsetDeclared: null, decidedBy: 'sniffed', replacementChars: 0 });
    expect(decoded.text).toContain('プロジェクト');
  });

  it('recognises ISO-2022-JP from its escape sequences', () => {
    const decoded = decodeBody(file('chardet/iso-2022-jp/_ude_1.txt'));
    expect(decoded).toMatchObject({ charset: 'iso-2022-jp', decidedBy: 'sniffed', replacementChars: 0 });
    expect(decoded.text).toContain('アプリケーション');
  });

  it('decodes UTF-8 without a BOM as utf-8', () => {
    const decoded = decodeBody(file('uchardet/ja/utf-8.txt'));
    expect(decoded).toMatchObject({ charset: 'utf-8', decidedBy: 'sniffed', replacementChars: 0 });
    expect(decoded.text).toMatch(HIRAGANA);
  });

  it('decodes UTF-8 with a BOM as utf-8 decided by the BOM, and drops the BOM from the text', () => {
    const decoded = decodeBody(file('chardet/utf-8-sig/_ude_4.txt'));
    expect(decoded).toMatchObject({ charset: 'utf-8', decidedBy: 'bom' });
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
  });
});

describe('decodeBody when declarations and bytes disagree', () => {
  it('decodes a page whose meta says shift_jis but whose bytes are UTF-8 as utf-8, recording the declaration', () => {
    const page = ascii('<html><head><meta charset="Shift_JIS"><title>日本語のページ</title></head><body>こんにちは</body></html>');
    const decoded = decodeBody(page);
    expect(decoded).toMatchObject({ charset: 'utf-8', charsetDeclared: 'shift_jis', decidedBy: 'sniffed', replacementChars: 0 });
    expect(decoded.text).toContain('こんにちは');
  });

  it('uses the HTTP header over the meta when both name a charset the bytes decode under', () => {
    const page = ascii('<html><head><meta charset="shift_jis"></head><body>plain ASCII</body></html>');
    const decoded = decodeBody(page, 'text/html; charset=EUC-JP');
    expect(decoded).toMatchObject({ charset: 'euc-jp', charsetDeclared: 'euc-jp', decidedBy: 'http' });
  });

  it('uses the HTTP header over a conflicting meta for Japanese bytes that fit the header', () => {
    const page = concat(ascii('<meta charset="shift_jis"><p>'), NIHONGO_EUC, NO_TEKISUTO_EUC, ascii('</p>'));
    const decoded = decodeBody(page, 'text/html; charset=euc-jp');
    expect(decoded).toMatchObject({ charset: 'euc-jp', decidedBy: 'http', text: '<meta charset="shift_jis"><p>日本語のテキスト</p>' });
  });

  it('falls back to the meta when the HTTP header is contradicted (a server-default iso-8859-1 over Shift_JIS)', () => {
    const page = concat(ascii('<meta charset="shift_jis"><p>'), NIHONGO_SJIS, NO_TEKISUTO_SJIS, ascii('</p>'));
    const decoded = decodeBody(page, 'text/html; charset=ISO-8859-1');
    expect(decoded).toMatchObject({ charset: 'shift_jis', charsetDeclared: 'windows-1252', decidedBy: 'meta' });
    expect(decoded.text).toContain('日本語のテキスト');
  });

  it('sniffs Shift_JIS when the only declaration is a wrong windows-1252', () => {
    const decoded = decodeBody(file('chardet/SHIFT_JIS/_ude_1.txt'), 'text/html; charset=windows-1252');
    expect(decoded).toMatchObject({ charset: 'shift_jis', charsetDeclared: 'windows-1252', decidedBy: 'sniffed' });
  });

  it('decodes EUC-JP bytes declared as shift_jis as euc-jp (they would "decode" as half-width katakana)', () => {
    const decoded = decodeBody(file('chardet/EUC-JP/_ude_1.txt'), 'text/html; charset=Shift_JIS');
    expect(decoded).toMatchObject({ charset: 'euc-jp', charsetDeclared: 'shift_jis', decidedBy: 'sniffed', replacementChars: 0 });
  });
});

describe('charset labels', () => {
  it('normalises cp932, windows-31j, x-sjis, sjis and shift-jis to shift_jis', () => {
    for (const label of ['cp932', 'CP932', 'windows-31j', 'x-sjis', 'sjis', 'shift-jis', ' "Shift_JIS" ']) {
      expect(normalizeCharsetLabel(label)).toBe('shift_jis');
    }
  });

  it('normalises other labels to the WHATWG names TextDecoder uses', () => {
    expect(normalizeCharsetLabel('x-euc-jp')).toBe('euc-jp');
    expect(normalizeCharsetLabel('gb2312')).toBe('gbk');
    expect(normalizeCharsetLabel('cp949')).toBe('euc-kr');
    expect(normalizeCharsetLabel('latin1')).toBe('windows-1252');
    expect(normalizeCharsetLabel('no-such-charset')).toBeNull();
  });

  it('reports a declared cp932 (meta) or x-sjis (header) as shift_jis and decodes with it', () => {
    const body = concat(ascii('<meta http-equiv="Content-Type" content="text/html; charset=cp932"><p>'), NIHONGO_SJIS, NO_TEKISUTO_SJIS);
    expect(decodeBody(body)).toMatchObject({ charset: 'shift_jis', charsetDeclared: 'shift_jis', decidedBy: 'meta' });
    expect(decodeBody(body, 'text/html; charset="x-sjis"')).toMatchObject({ charsetDeclared: 'shift_jis', decidedBy: 'http' });
  });
});

describe('decodeBody sniffing undeclared pages', () => {
  it.each([
    ['chardet/EUC-KR/_chromium_windows-949_with_no_encoding_specified.html', 'euc-kr'],
    ['chardet/GB2312/_chromium_gb18030_with_no_encoding_specified.html.xml', 'gbk'],
    ['chardet/Big5/_chromium_Big5_with_no_encoding_specified.html', 'big5'],
    ['chardet/KOI8-R/_chromium_KOI8-R_with_no_encoding_specified.html', 'koi8-r'],
    ['chardet/windows-1251-russian/_chromium_windows-1251_with_no_encoding_specified.html', 'windows-1251'],
    ['chardet/iso-8859-1/_ude_2.txt', 'windows-1252'],
    ['chardet/Johab/mdir-doc.txt', 'johab'],
    ['chardet/iso-2022-kr/_ude_iso1.txt', 'iso-2022-kr'],
  ])('sniffs %s as %s', (path, charset) => {
    const decoded = decodeBody(file(path));
    expect(decoded).toMatchObject({ charset, charsetDeclared: null, decidedBy: 'sniffed', replacementChars: 0 });
  });

  it('recognises UTF-16LE and UTF-16BE without a BOM from where the NUL bytes fall', () => {
    expect(decodeBody(file('chardet/UTF-16LE/nobom-utf16le.txt')).charset).toBe('utf-16le');
    expect(decodeBody(file('uchardet/ja/utf-16be.txt'))).toMatchObject({ charset: 'utf-16be', decidedBy: 'sniffed' });
  });

  it('decodes UTF-32 (which TextDecoder lacks), with or without a BOM', () => {
    const withBom = decodeBody(file('uchardet/ko/utf-32.be'));
    const withoutBom = decodeBody(file('chardet/UTF-32LE/nobom-utf32le.txt'));
    expect(withBom).toMatchObject({ charset: 'utf-32be', decidedBy: 'bom', replacementChars: 0 });
    expect(withoutBom).toMatchObject({ charset: 'utf-32le', decidedBy: 'sniffed', replacementChars: 0 });
  });

  it('decodes windows-1252 punctuation in 0x80–0x9F as the WHATWG table says (not as C1 controls)', () => {
    const decoded = decodeBody(file('chardet/windows-1252/github_bug_9.txt'));
    expect(decoded.charset).toBe('windows-1252');
    expect(decoded.text).toContain('\u201cThe names');
  });

  it('sniffs Greek text in windows-1253 (letters inside words, frequent ones often)', () => {
    const greek = new TextDecoder().decode(file('chardet/utf-8/_ude_greek.txt'));
    const decoded = decodeBody(toWindows1253(greek));
    expect(decoded).toMatchObject({ charset: 'windows-1253', decidedBy: 'sniffed' });
    expect(decoded.text).toBe(greek.replace(/[^\u0000-\u007f\u0386\u0388-\u03ce]/g, ''));
  });

  it('keeps a clean declaration of a charset it has no language model for (Arabic windows-1256)', () => {
    const alArabiya = Uint8Array.of(0xc7, 0xe1, 0xda, 0xd1, 0xc8, 0xed, 0xc9, 0x20); // العربية in windows-1256
    const body = concat(ascii('<meta charset="windows-1256"><p>'), ...Array.from({ length: 20 }, () => alArabiya));
    expect(decodeBody(body)).toMatchObject({ charset: 'windows-1256', decidedBy: 'meta' });
    expect(decodeBody(body).text).toContain('العربية');
  });

  it('reads a pure-ASCII page as utf-8 when nothing is declared', () => {
    expect(decodeBody(ascii('<p>hello</p>'))).toMatchObject({ charset: 'utf-8', decidedBy: 'sniffed', text: '<p>hello</p>' });
  });
});

describe('decodeBody on damaged input', () => {
  it('returns binary garbage with many replacement characters instead of throwing', () => {
    const garbage = new Uint8Array(20_000);
    let state = 12345;
    for (let i = 0; i < garbage.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0; // a fixed LCG: the same bytes every run
      garbage[i] = state >>> 24;
    }
    const decoded = decodeBody(garbage, 'text/html; charset=shift_jis');
    expect(decoded.replacementChars).toBeGreaterThan(decoded.text.length * 0.05);
  });

  it('keeps UTF-8 cut off mid-character as utf-8 with one replacement character', () => {
    const bytes = ascii('<p>日本語のテキスト</p><p>続き');
    const decoded = decodeBody(bytes.subarray(0, bytes.length - 1));
    expect(decoded).toMatchObject({ charset: 'utf-8', replacementChars: 1 });
  });

  it('decodes an empty body as empty utf-8 text', () => {
    expect(decodeBody(new Uint8Array(0), null)).toMatchObject({ text: '', charset: 'utf-8', replacementChars: 0 });
  });
});
