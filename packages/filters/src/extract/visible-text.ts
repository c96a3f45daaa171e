/**
 * The no-boilerplate-removal floor: every visible text block of the page (scripts, styles and other
 * never-rendered content removed, nothing else), one per line. Extraction quality is judged against it.
 */
import { buildBlockTree } from './block-tree.ts';
import { DEFAULT_EXTRACT_CONFIG } from './config.ts';

export function extractVisibleText(html: string): string {
  const tree = buildBlockTree(html, { cjkCharWeight: DEFAULT_EXTRACT_CONFIG.cjkCharWeight });
  return tree.blocks.map((block) => block.text).join('\n');
}
