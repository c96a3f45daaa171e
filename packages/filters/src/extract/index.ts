/**
 * HTML → main text: one streaming htmlparser2 pass into a light block tree, boilerplate rules on
 * class/id/role/tag, block scoring to find the main container, one line per paragraph out.
 */
import { buildBlockTree, type TextBlock } from './block-tree.ts';
import { DEFAULT_EXTRACT_CONFIG, type ExtractConfig } from './config.ts';
import { isMetadataLine } from './metadata-lines.ts';
import { selectMainBlocks } from './select.ts';

export { DEFAULT_EXTRACT_CONFIG, type ExtractConfig } from './config.ts';
export { extractVisibleText } from './visible-text.ts';

export interface Extracted {
  /** og:title, else <title>. */
  title: string;
  /** Main text, one paragraph per line ("\n"-joined), no empty lines. */
  text: string;
}

export function extractMainText(html: string, config: ExtractConfig = DEFAULT_EXTRACT_CONFIG): Extracted {
  const tree = buildBlockTree(html, { cjkCharWeight: config.cjkCharWeight });
  const kept = selectMainBlocks(tree, config);
  const lines: string[] = [];
  // bylines, dates, ratings and tag lines left in the kept blocks, marked up (isMetadataBlock) or not
  // (isMetadataLine, see metadata-lines.ts)
  for (const index of kept) {
    const block = tree.blocks[index]!;
    const text = block.text;
    if (!text.includes('\n')) {
      if (!isMetadataBlock(block, config) && !isMetadataLine(text)) lines.push(text);
    } else {
      for (const line of text.split('\n')) if (!isMetadataLine(line)) lines.push(line);
    }
  }
  return { title: tree.title, text: lines.join('\n') };
}

/**
 * A short block that is mostly inline metadata markup (`<time>`, `itemprop="author"`, `rel="tag"`
 * links): "Posted <time>…</time> by <a rel="author">…</a>", a row of tag links.
 */
function isMetadataBlock(block: TextBlock, config: ExtractConfig): boolean {
  return block.metaWeight * 2 >= block.weight && block.weight < config.goodBlockWeight;
}
