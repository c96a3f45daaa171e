/**
 * HTML → main text: one streaming htmlparser2 pass into a light block tree, boilerplate rules on
 * class/id/role/tag, block scoring to find the main container, one line per paragraph out.
 */
import { buildBlockTree } from './block-tree.ts';
import { DEFAULT_EXTRACT_CONFIG, type ExtractConfig } from './config.ts';
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
  for (const index of kept) lines.push(tree.blocks[index]!.text);
  return { title: tree.title, text: lines.join('\n') };
}
