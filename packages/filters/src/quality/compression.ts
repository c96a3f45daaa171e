/**
 * Compression ratio: zlib (deflate, level 9) bytes over UTF-8 bytes, llm-jp-corpus v2's
 * `has_good_compression_ratio` score (scripts/filters.py, length_factor 0). Repetitive boilerplate
 * compresses far below prose; random strings and tables of numbers barely compress.
 *
 * Deflated with pako, not node:zlib: Node bundles Chromium's zlib, whose matcher makes other (equally
 * valid) choices, and its lengths differ from Python's `zlib.compress` on 141 of the 144 reference
 * documents; pako reproduces zlib 1.2's output byte for byte (all 144). See docs/decisions.md.
 */
import pako from 'pako';
import type { Scorer } from '../profiles/scorer.ts';
import { ratio } from './text-stats.ts';

export const COMPRESSION_SCORES = ['compression_ratio', 'utf8_bytes', 'deflate_bytes'] as const;

const encoder = new TextEncoder();

/** Bytes of `text` in UTF-8 and deflated at level 9 (zlib stream, as Python's `zlib.compress(b, 9)`). */
export function deflatedSize(text: string): { utf8Bytes: number; deflateBytes: number } {
  const bytes = encoder.encode(text);
  return { utf8Bytes: bytes.length, deflateBytes: pako.deflate(bytes, { level: 9 }).length };
}

export function createCompressionScorer(): Scorer {
  return {
    name: 'compression',
    scoreNames: COMPRESSION_SCORES,
    score({ text }) {
      const { utf8Bytes, deflateBytes } = deflatedSize(text);
      return { compression_ratio: ratio(deflateBytes, utf8Bytes), utf8_bytes: utf8Bytes, deflate_bytes: deflateBytes };
    },
  };
}
