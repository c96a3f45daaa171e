/** Byte-order marks. A BOM is the one signal that beats every declaration (as in browsers). */

export interface Bom {
  charset: 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';
  length: number;
}

export function detectBom(bytes: Uint8Array): Bom | null {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  // FF FE 00 00 is UTF-32LE, not UTF-16LE followed by U+0000 (text has no NUL), so test it first.
  if (b0 === 0xff && b1 === 0xfe) {
    return bytes[2] === 0 && bytes[3] === 0 ? { charset: 'utf-32le', length: 4 } : { charset: 'utf-16le', length: 2 };
  }
  if (b0 === 0xfe && b1 === 0xff) return { charset: 'utf-16be', length: 2 };
  if (b0 === 0 && b1 === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return { charset: 'utf-32be', length: 4 };
  return null;
}
