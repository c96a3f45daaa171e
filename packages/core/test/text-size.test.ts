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
  ])('%j: %i code points, %i UTF-8 bytes', (text, chars, bytes) => {
    expect(codePointLength(text)).toBe(chars);
    expect(codePointLength(text)).toBe([...text].length);
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});
