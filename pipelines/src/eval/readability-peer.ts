/**
 * The peer extractor for `pnpm eval extraction --peer readability`: Mozilla's Readability (Firefox's
 * reader view) over linkedom. linkedom rather than jsdom: it builds the DOM Readability needs without
 * jsdom's CSS and layout machinery, so it is the lighter of the two and installs without native parts.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** Readability's article text, one line per paragraph; '' when Readability finds no article. */
export function readabilityText(html: string): string {
  const { document } = parseHTML(html);
  // Readability's types take the browser's Document; linkedom's is structurally what it reads.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  const text = article?.textContent ?? '';
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}
