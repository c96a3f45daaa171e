import { createHash } from 'node:crypto';

/**
 * Key of exact deduplication: SHA-1 (hex) of the text with white space runs collapsed and trimmed, so
 * the same article re-wrapped or re-indented is still one key. Text is already NFKC-normalised upstream.
 */
export function exactTextKey(text: string): string {
  return createHash('sha1').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}
