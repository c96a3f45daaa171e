/**
 * Chooses the main-text blocks of a block tree: the main container's blocks (see container.ts), plus
 * the headline/lead just above it, minus what reads as navigation or furniture inside it.
 */
import type { BlockTree } from './block-tree.ts';
import type { ExtractConfig } from './config.ts';
import { boilerplateNodes, chooseContainer, isLinkDense, isProse } from './container.ts';
import { HintStrength } from './boilerplate-rules.ts';
import { headingLevel } from './html-tags.ts';
import { dropRelatedSections } from './related-sections.ts';

/** Indices of the kept blocks, in document order. */
export function selectMainBlocks(tree: BlockTree, config: ExtractConfig): number[] {
  const { blocks, nodes } = tree;
  const boilerplate = boilerplateNodes(tree, config);
  const container = chooseContainer(tree, config, boilerplate);
  const root = nodes[container]!;

  const kept = leadBlocks(tree, config, boilerplate, container);
  let lastProse = -1;
  for (let i = root.firstBlock; i < root.endBlock; i++) {
    const block = blocks[i]!;
    if (boilerplate[block.node] || isLinkDense(block, config)) continue;
    kept.push(i);
    if (isProse(block, config)) lastProse = i;
  }
  if (lastProse < 0) return tidy(tree, config, kept);

  // Below the last paragraph of prose come share prompts, tag lists and "read more" headings, unless
  // they still sit in the element that holds that paragraph (a sign-off line, a closing table).
  const proseSection = nodes[nodes[blocks[lastProse]!.node]!.parent] ?? root;
  const trimmed = kept.filter(
    (i) =>
      i <= lastProse ||
      blocks[i]!.weight >= config.goodBlockWeight ||
      (i < proseSection.endBlock && headingLevel(nodes[blocks[i]!.node]!.tag) === 0),
  );
  return tidy(tree, config, trimmed);
}

/** "More to read" sections, then labels and headings they leave introducing nothing. */
function tidy(tree: BlockTree, config: ExtractConfig, kept: number[]): number[] {
  return dropDanglingHeadings(tree, config, dropDanglingLabels(tree, config, dropRelatedSections(tree, config, kept)));
}

/**
 * A heading whose section lost all its text: "Mehr zum Thema", "関連記事", "More Great WIRED Stories"
 * over a list of links the selection dropped. A heading's section runs to the next kept heading of the
 * same or a higher level, so "== 形式 ==" over "=== 季語 ===" and its text keeps its place; the first
 * kept block (the headline) always stays.
 */
function dropDanglingHeadings(tree: BlockTree, config: ExtractConfig, kept: number[]): number[] {
  // a "heading" as long as a paragraph is text set in a heading tag (some templates do): it counts as text
  const level = (k: number): number => {
    const block = tree.blocks[kept[k]!]!;
    return block.weight >= config.goodBlockWeight ? 0 : headingLevel(tree.nodes[block.node]!.tag);
  };
  return kept.filter((_, k) => {
    const own = level(k);
    if (own === 0 || k === 0) return true;
    for (let j = k + 1; j < kept.length; j++) {
      const next = level(j);
      if (next === 0) return true;
      if (next <= own) return false;
    }
    return false;
  });
}

/**
 * Headline and lead paragraph often sit above the body container (`<h1>` and `<p class="lead">` over
 * `<div class="entry-content">`). Walking back at most `leadScanBlocks` blocks, past captions and
 * dates, up to `maxLeadBlocks` substantial link-poor blocks are taken; the walk stops at boilerplate
 * and at the start of the enclosing article element, if there is one.
 */
function leadBlocks(tree: BlockTree, config: ExtractConfig, boilerplate: Uint8Array, container: number): number[] {
  const { nodes, blocks } = tree;
  let lowest = 0;
  for (let n = nodes[container]!.parent; n > 0; n = nodes[n]!.parent) {
    if (nodes[n]!.hint >= HintStrength.Element) {
      lowest = nodes[n]!.firstBlock;
      break;
    }
  }
  const lead: number[] = [];
  const start = nodes[container]!.firstBlock;
  for (let i = start - 1; i >= lowest && start - i <= config.leadScanBlocks && lead.length < config.maxLeadBlocks; i--) {
    const block = blocks[i]!;
    if (boilerplate[block.node]) break;
    if (isLinkDense(block, config) || block.weight < config.minBlockWeight) continue;
    lead.push(i);
  }
  return lead.reverse();
}

/**
 * A short line ending in a colon ("Related:", "Kontakt:", "関連記事：") introduces what follows it; when
 * what follows was dropped (a link list, a widget), the label is left introducing nothing.
 */
function dropDanglingLabels(tree: BlockTree, config: ExtractConfig, kept: number[]): number[] {
  return kept.filter((index, k) => {
    const block = tree.blocks[index]!;
    if (block.weight >= config.minBlockWeight || !LABEL_END.test(block.text)) return true;
    return kept[k + 1] === index + 1;
  });
}

const LABEL_END = /[:：]$/;
