import { describe, expect, it } from 'vitest';
import { codePointLength, utf8Length } from '../src/text-size.ts';

describe('text sizes the ledger counts', () => {
  it.each([
    ['', 0, 0],
    ['abc', 3, 3],
    ['日本語', 3, 9],
    ['𠮷野家', 3, 10], // U+20BB7 is a surrogate pair: one code point, four UTF-8 bytes
    ['😀a', 2, 5],
    ['\ud800x', 2, 4], // a lone surrogate is one code point, encoded as U+FFFD (3 bytes)
    ['\ud800\ud800\udc00', 2, 7], // a lone high, then a pair: pairs are taken left to right
    ['\udc00\ud800', 2, 6], // low before high is no pair
    ['a\udbff', 2, 4], // a high surrogate at the very end
    ['𠮷'.repeat(3) + 'x\ud83d', 5, 16], // repeated calls and several pairs in one string
  ])('%j: %i code points, %i UTF-8 bytes', (text, chars, bytes) => {
    expect(codePointLength(text)).toBe(chars);
    expect(codePointLength(text)).toBe([...text].length);
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});
